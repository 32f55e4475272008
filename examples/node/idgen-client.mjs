#!/usr/bin/env node
// An idgen client in Node 20+, built-in fetch only.
//
// Gets one id, a batch of ids and the parse of the first id, and prints them:
//
//   IDGEN_URLS=http://idgen-0:8080,http://idgen-1:8080 node idgen-client.mjs [count]
//
// Ids are JSON strings and must stay strings (or become BigInt): a JavaScript number is a double,
// which holds integers exactly only up to 2^53, and ids go far beyond. Never Number(id) or parseInt.
//
// Fail-over: a node that refuses the connection or answers 503 is skipped for the next one. When every
// node refused, the client waits as long as the shortest Retry-After asked (1 s when no node answered)
// and goes round again, for at most IDGEN_MAX_WAIT_SECONDS (10) in all.

import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export class IdgenError extends Error {}

export class IdgenClient {
  #preferred = 0; // the node that answered last is asked first

  constructor(urls, { maxWaitSeconds = 10, timeoutMillis = 5000 } = {}) {
    this.urls = urls.map((url) => url.trim().replace(/\/+$/, '')).filter((url) => url);
    if (this.urls.length === 0) {
      throw new Error('no idgen URL given');
    }
    this.maxWaitSeconds = maxWaitSeconds;
    this.timeoutMillis = timeoutMillis;
  }

  /** One id, as a string of decimal digits. */
  async nextId() {
    return (await this.#get('/ids')).id;
  }

  /** count ids, increasing, as strings. */
  async nextIds(count) {
    return (await this.#get(`/ids/batch?${new URLSearchParams({ count })}`)).ids;
  }

  /** The parts of an id: timestamp, workerId, sequence, encodings, layout and node. */
  async parse(id) {
    return this.#get(`/ids/${encodeURIComponent(id)}/parse`);
  }

  async #get(path) {
    const deadline = performance.now() + this.maxWaitSeconds * 1000;
    for (;;) {
      let wait;
      for (let k = 0; k < this.urls.length; k++) {
        const i = (this.#preferred + k) % this.urls.length;
        const url = this.urls[i] + path;
        let response;
        try {
          response = await fetch(url, {
            headers: { Accept: 'application/json' },
            signal: AbortSignal.timeout(this.timeoutMillis),
          });
        } catch (e) { // refused, unreachable, timed out
          console.error(`idgen: ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
          continue;
        }
        if (response.ok) {
          this.#preferred = i;
          return response.json(); // the ids in it are strings: nothing is lost
        }
        const detail = await response.text();
        if (response.status !== 503) {
          throw new IdgenError(`${url}: HTTP ${response.status}: ${detail}`);
        }
        const hint = retryAfterSeconds(response.headers.get('Retry-After'));
        wait = wait === undefined ? hint : Math.min(wait, hint);
        console.error(`idgen: ${url}: 503, retry after ${hint} s: ${detail}`);
      }
      wait ??= 1;
      if (performance.now() + wait * 1000 > deadline) {
        throw new IdgenError(`no node answered ${path} within ${this.maxWaitSeconds} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

/** Retry-After in seconds; idgen sends whole seconds, anything else counts as 1. */
function retryAfterSeconds(value) {
  return /^\d+$/.test(value ?? '') ? Number(value) : 1;
}

async function main() {
  const count = process.argv[2] ?? '3';
  const client = new IdgenClient((process.env.IDGEN_URLS ?? 'http://127.0.0.1:8080').split(','),
    { maxWaitSeconds: Number(process.env.IDGEN_MAX_WAIT_SECONDS ?? 10) });
  const id = await client.nextId();
  console.log('id', id);
  for (const each of await client.nextIds(count)) {
    console.log('batch', each);
  }
  const parts = await client.parse(id);
  // BigInt when arithmetic is needed, exact at any size:
  if (BigInt(parts.id) !== BigInt(id)) {
    throw new IdgenError(`parsed ${parts.id}, asked for ${id}`);
  }
  console.log('parse', parts.id, `workerId=${parts.workerId}`, `sequence=${parts.sequence}`,
    `timestamp=${parts.timestamp}`);
}

// Run as a program, not when imported as a module.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`idgen: ${e.message}`);
    process.exit(1);
  });
}
