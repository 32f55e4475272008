#!/usr/bin/env bash
# Starts the real server jar (embedded ZooKeeper on a free port, HTTP on a free loopback port), asks it
# for a few ids, scrapes /actuator/prometheus and fails listing every metric that the alert rules or the
# Grafana dashboard reference but the server does not export (deploy/check-metrics.py does the matching;
# histogram/summary suffixes _count/_sum/_bucket/_max are samples of their own in the scrape).
#   deploy/check-metrics.sh          (builds the server jar first if it is missing)
# Environment: IDGEN_JAR (the server jar), or IDGEN_SERVER_CLASSPATH to run from a class path instead.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DEPLOY/.." && pwd)"
# The newest server jar of the build, whatever its version (pom.xml is the one place that names it).
server_jar() {
  ls -t "$REPO"/idgen-server/target/idgen-server-*.jar 2> /dev/null \
    | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-plain\.jar$' | head -n 1 || true
}
JAR="${IDGEN_JAR:-$(server_jar)}"
TMP="$(mktemp -d -t idgen-check-metrics.XXXXXX)"
SERVER_PID=""

cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2> /dev/null; then
    kill -TERM "$SERVER_PID" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2> /dev/null || true
  fi
  if (( status != 0 )) && [[ -f "$TMP/server.log" ]]; then
    echo "check-metrics: last lines of the server's log:" >&2; tail -n 40 "$TMP/server.log" >&2
  fi
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LAUNCH=(-jar "$JAR")
if [[ -n "${IDGEN_SERVER_CLASSPATH:-}" ]]; then
  # A build tree that is not repackaged: target/classes plus the dependencies' class path.
  LAUNCH=(-cp "$IDGEN_SERVER_CLASSPATH" dev.idgen.server.IdgenServerApplication)
elif [[ ! -f "$JAR" ]]; then
  echo "check-metrics: building idgen-server (jar missing)"
  (cd "$REPO" && ./mvnw -q -B -DskipTests -pl idgen-server -am package)
  JAR="$(server_jar)"
fi

# Below the kernel's ephemeral range: a port chosen now may be bound minutes later (a spare node, a
# restarted ZooKeeper server), and meanwhile an outgoing connection could have taken it as source port.
read -r EPHEMERAL_LO _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LO=32768
if (( EPHEMERAL_LO > 12000 )); then PORT_LO=10000; PORT_HI=$EPHEMERAL_LO; else PORT_LO=20000; PORT_HI=60000; fi
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( PORT_LO + RANDOM % (PORT_HI - PORT_LO) ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2> /dev/null; then echo "$p"; return 0; fi
  done
  return 1
}
PORT="$(free_port)"
if [[ -z "${IDGEN_SERVER_CLASSPATH:-}" ]]; then
  # Run a copy: a rebuild of target/ while the server runs must not pull the jar from under it.
  cp "$JAR" "$TMP/idgen-server.jar"
  LAUNCH=(-jar "$TMP/idgen-server.jar")
fi

java -Xmx256m -XX:TieredStopAtLevel=1 "${LAUNCH[@]}" \
  --server.port="$PORT" --server.address=127.0.0.1 \
  --idgen.worker.assignment=embedded --idgen.zookeeper.embedded.port=0 --idgen.node-name=check-metrics \
  --idgen.worker.state-dir="$TMP/state" \
  > "$TMP/server.log" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 300); do
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/actuator/health/readiness")" == 200 ]]; then break; fi
  kill -0 "$SERVER_PID" 2> /dev/null || { echo "check-metrics: the server exited while starting" >&2; exit 1; }
  (( i == 300 )) && { echo "check-metrics: the server was not ready within 60s" >&2; exit 1; }
  sleep 0.2
done
# Some ids, single and batched, so the counters and sampled timers have seen traffic.
for _ in $(seq 1 50); do curl -s -o /dev/null "$BASE/ids"; curl -s -o /dev/null "$BASE/ids/batch?count=100"; done
curl -sf "$BASE/actuator/prometheus" > "$TMP/scrape.txt"
echo "check-metrics: scraped $(grep -vc '^#' "$TMP/scrape.txt") samples from $BASE/actuator/prometheus"

PYTHON=python3
if ! "$PYTHON" -c 'import yaml' 2> /dev/null; then PYTHON=/usr/bin/python3; fi
"$PYTHON" "$DEPLOY/check-metrics.py" "$TMP/scrape.txt"
