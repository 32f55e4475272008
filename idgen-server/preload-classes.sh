#!/usr/bin/env bash
# Writes the class list that ClassPreloader loads on a background thread while the server starts
# (src/main/resources/META-INF/idgen/preload-classes.txt): the classes one real start of the built jar
# loads from the jar, up to readiness, in load order. The build also orders the jar's nested libraries by
# it (NestedJarOrder). Run it after a dependency upgrade (the ClassPreloaderTests check says when more
# than 5% of the names are gone), then rebuild.
#
#   ./mvnw -q -DskipTests -pl idgen-server -am package && idgen-server/preload-classes.sh
#
# JAVA picks the JVM (default: java on the PATH). Binds loopback only, on free ports, with its own
# temporary state; leaves nothing running.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
java=${JAVA:-java}
jar=$(ls "$here"/target/idgen-server-*.jar | grep -v -- '-plain\.jar$' | head -1)
out="$here/src/main/resources/META-INF/idgen/preload-classes.txt"
work=$(mktemp -d)
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Preloading off: the list is the main thread's own order, not what an older list made it load.
"$java" -Xlog:class+load=info:file="$work/classes.log" -Didgen.server.preload-classes=false -jar "$jar" \
  --server.port="$port" --server.address=127.0.0.1 --idgen.zookeeper.embedded.port=0 \
  --idgen.worker.state-dir="$work/state" > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" && break
  kill -0 "$pid" 2>/dev/null || { tail -40 "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" || { echo "not ready in 60 s" >&2; exit 1; }
# Stop logging what a shutdown loads: copy the log as it was at readiness.
cp "$work/classes.log" "$work/ready.log"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

mkdir -p "$(dirname "$out")"
{
  echo "# Classes one start of idgen-server loaded from its jar up to readiness, in load order ($("$java" -version 2>&1 | head -1))."
  echo "# Written by idgen-server/preload-classes.sh; read by dev.idgen.server.jvm.ClassPreloader."
  # Only what the jar holds (the JDK's own classes mostly come from its class-data archive), and no
  # generated classes (lambdas, proxies), which no name can load.
  awk '/source: jar:nested:|source: file:/ { print $2 }' "$work/ready.log" | grep -v -e '\$\$' -e '/' || true
} > "$out"
echo "wrote $(grep -vc '^#' "$out") class names to $out"
