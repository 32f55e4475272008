#!/usr/bin/env bash
# End-to-end fault test on a real local cluster (3 ZooKeeper servers, 3 idgen nodes + 2 spares, loopback
# only). While dense load (FAULT_STREAMS_PER_NODE back-to-back streams of small batches per node) pulls ids,
# it injects in turn: kill -9 of a node and its restart; SIGSTOP of a node past its session timeout while a
# newcomer takes over its worker id, then SIGCONT (the thawed node must refuse, then claim another id);
# kill -9 of the ZooKeeper leader; kill -9 of a ZooKeeper majority and its restart; a restart with the
# clock behind the previous reservation; a clock stepped back under load, then a graceful restart on the
# stepped clock (emulated by a stop right after a burst and a start behind, unless FAULT_FAKETIME=1 steps
# it inside the running process with libfaketime); the whole ensemble stopped, its data deleted and started
# empty, with a node restarted behind on it; a second process under a running node's name; a node run
# 1 h ahead under load, then restarted with the right clock (today it waits out the hour on its old worker
# id: a WARNING, not a failure, unless FAULT_FORWARD_JUMP_STRICT=true).
# Every start of a node is a new "life", checked as a node of its own: zero duplicates, and no worker id
# on two lives at overlapping timestamps, whether or not equal ids happened to be drawn. Passes only with
# that, the drills' own checks and every node ready at the end. Prints, per scenario, a
# `time-not-ready [...]` line with how long each node's readiness probe failed.
#
#   deploy/local/fault-test.sh            (builds the two jars first if they are missing)
#
# Environment: IDGEN_RUN_DIR (default: a new temporary folder), FAULT_SESSION_TIMEOUT_SECONDS (4),
# FAULT_CLOCK_SKEW_SECONDS (60), FAULT_STEP_BACK_SECONDS (45), FAULT_WIPE_SKEW_SECONDS (60),
# FAULT_FORWARD_JUMP_READY_SECONDS (60), FAULT_FORWARD_JUMP_STRICT (false), FAULT_FAKETIME (0),
# FAULT_BATCH (ids per request, 20), FAULT_STREAMS_PER_NODE (2), FAULT_TIME_LIMIT_SECONDS (900),
# FAULT_TEST_HEAP (the test JVM's -Xmx, 3g).
# Needs bash, curl and JDK 17 (libfaketime for FAULT_FAKETIME=1); about 8-10 minutes on two busy cores.
# Exit status 0 only on success.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
# The version lives in the POM only: the newest executable server jar the build made.
server_jar() {
  ls -t "$REPO_DIR"/idgen-server/target/idgen-server-*.jar 2> /dev/null \
    | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-plain\.jar$' | head -n 1 || true
}
SERVER_JAR="$(server_jar)"
BENCH_JAR="$REPO_DIR/idgen-benchmarks/target/benchmarks.jar"

if [[ ! -f "$SERVER_JAR" || ! -f "$BENCH_JAR" ]]; then
  echo "fault-test: building idgen-server and idgen-benchmarks (jars missing)"
  (cd "$REPO_DIR" && ./mvnw -q -B -DskipTests -pl idgen-server,idgen-benchmarks -am package)
  SERVER_JAR="$(server_jar)"
fi

KEEP_RUN_DIR=1
if [[ -z "${IDGEN_RUN_DIR:-}" ]]; then
  IDGEN_RUN_DIR="$(mktemp -d -t idgen-fault-test.XXXXXX)"
  KEEP_RUN_DIR=0
fi
export IDGEN_RUN_DIR IDGEN_JAR="$SERVER_JAR" FAULT_CLUSTER_SCRIPT="$SCRIPT_DIR/cluster.sh"
# The driver loads classes from benchmarks.jar for minutes: run it from a copy, not from target/.
mkdir -p "$IDGEN_RUN_DIR"
cp "$BENCH_JAR" "$IDGEN_RUN_DIR/benchmarks.jar"

cleanup() {
  local status=$?
  # FaultTest stops the cluster itself; this catches an interrupted or timed-out run.
  bash "$SCRIPT_DIR/cluster.sh" down > /dev/null 2>&1 || true
  if (( status != 0 )); then
    echo "fault-test: logs kept in $IDGEN_RUN_DIR (node*/node.log, node*/stdout.log, zk*/zookeeper.log)" >&2
  elif (( KEEP_RUN_DIR == 0 )); then
    rm -rf "$IDGEN_RUN_DIR"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A single-file Java program, compiled in memory by the java launcher against benchmarks.jar (which
# holds the load tool's IdVerifier and idgen-core). The time limit bounds a hung run.
# The verifier keeps every id it received (8 bytes each), so its heap grows with the machine's speed:
# 13.5 M ids in a run on a 2-vCPU Xeon VM, 69 M on a 2-vCPU EPYC, where 768m ran out and the load
# threads died mid-run. An OutOfMemoryError now ends the run at once instead of leaving drills without
# load.
timeout --signal=TERM "${FAULT_TIME_LIMIT_SECONDS:-900}" \
  java "-Xmx${FAULT_TEST_HEAP:-3g}" -XX:+ExitOnOutOfMemoryError -cp "$IDGEN_RUN_DIR/benchmarks.jar" \
    "$SCRIPT_DIR/FaultTest.java"
