#!/usr/bin/env bash
# Builds the benchmark jar and runs idgen against UUID, CosId and TSID in one JMH run, then prints the
# comparison table (percent of cap, ns/id, metrics overhead, ratios against the peers of the same run).
#
#   idgen-benchmarks/run-jmh.sh                          # full comparison, about 4 minutes
#   idgen-benchmarks/run-jmh.sh -f 1 -wi 1 -i 1 -w 1s -r 1s   # smoke run, under a minute
#   SKIP_BUILD=1 idgen-benchmarks/run-jmh.sh ...         # reuse idgen-benchmarks/target/benchmarks.jar
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 idgen-benchmarks/run-jmh.sh
#
# Any argument is passed to JMH (e.g. a benchmark regex, -prof gc, -jvmArgsAppend ...). Raw results go
# to idgen-benchmarks/target/jmh-result.json. Exit status 1 if any goal is missed or not measured.
# Run it on a quiet machine: other processes on the same cores move every figure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$here/target/benchmarks.jar"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # -am also builds the core and starter from this working tree, so the jar measures this code.
  (cd "$root" && ./mvnw -q -B -pl idgen-benchmarks -am -DskipTests package)
fi
[[ -f "$jar" ]] || { echo "missing $jar (build failed?)" >&2; exit 2; }

echo "JVM: $("$java" -version 2>&1 | head -1); CPUs: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$java" -cp "$jar" dev.idgen.bench.jmh.Comparison -rf json -rff "$here/target/jmh-result.json" "$@"
