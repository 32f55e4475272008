#!/usr/bin/env python3
"""An idgen client in Python, standard library only.

Gets one id, a batch of ids and the parse of the first id, and prints them:

    IDGEN_URLS=http://idgen-0:8080,http://idgen-1:8080 python3 idgen_client.py [count]

Ids are JSON strings and stay strings: a float (what many JSON readers make of a number) cannot hold
a 64-bit id exactly. Use int(id) where arithmetic is needed; Python's int is exact.

Fail-over: a node that refuses the connection or answers 503 is skipped for the next one. When every
node refused, the client waits as long as the shortest Retry-After asked (1 s when no node answered)
and goes round again, for at most IDGEN_MAX_WAIT_SECONDS (10) in all.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class IdgenError(Exception):
    """No node could give an answer, or one gave an answer that waiting will not change."""


class IdgenClient:
    def __init__(self, urls, max_wait=10.0, timeout=5.0):
        self.urls = [url.strip().rstrip("/") for url in urls if url.strip()]
        if not self.urls:
            raise ValueError("no idgen URL given")
        self.max_wait = max_wait
        self.timeout = timeout
        self._preferred = 0  # the node that answered last is asked first

    def next_id(self):
        """One id, as a string of decimal digits."""
        return self._get("/ids")["id"]

    def next_ids(self, count):
        """count ids, increasing, as strings."""
        return self._get("/ids/batch?" + urllib.parse.urlencode({"count": count}))["ids"]

    def parse(self, id):
        """The parts of an id: timestamp, workerId, sequence, encodings, layout and node."""
        return self._get("/ids/" + urllib.parse.quote(id, safe="") + "/parse")

    def _get(self, path):
        deadline = time.monotonic() + self.max_wait
        while True:
            wait = None
            for i in self._order():
                url = self.urls[i] + path
                request = urllib.request.Request(url, headers={"Accept": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=self.timeout) as response:
                        body = json.load(response)
                    self._preferred = i
                    return body
                except urllib.error.HTTPError as e:
                    detail = e.read().decode("utf-8", "replace")
                    if e.code != 503:
                        raise IdgenError(f"{url}: HTTP {e.code}: {detail}") from e
                    hint = retry_after_seconds(e.headers.get("Retry-After"))
                    wait = hint if wait is None else min(wait, hint)
                    warn(f"{url}: 503, retry after {hint:g} s: {detail}")
                except (urllib.error.URLError, OSError) as e:  # refused, unreachable, timed out
                    warn(f"{url}: {getattr(e, 'reason', e)}")
            wait = 1.0 if wait is None else wait
            if time.monotonic() + wait > deadline:
                raise IdgenError(f"no node answered {path} within {self.max_wait:g} s")
            time.sleep(wait)

    def _order(self):
        n = len(self.urls)
        return [(self._preferred + k) % n for k in range(n)]


def warn(message):
    print(f"idgen: {message}", file=sys.stderr)


def retry_after_seconds(value):
    """Retry-After in seconds; idgen sends whole seconds, anything else counts as 1."""
    try:
        return max(0.0, float(int(value)))
    except (TypeError, ValueError):
        return 1.0


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else 3
    client = IdgenClient(os.environ.get("IDGEN_URLS", "http://127.0.0.1:8080").split(","),
                         max_wait=float(os.environ.get("IDGEN_MAX_WAIT_SECONDS", "10")))
    try:
        id = client.next_id()
        print("id", id)
        for each in client.next_ids(count):
            print("batch", each)
        parts = client.parse(id)
    except IdgenError as e:
        warn(e)
        return 1
    print("parse", parts["id"], f"workerId={parts['workerId']}", f"sequence={parts['sequence']}",
          f"timestamp={parts['timestamp']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
