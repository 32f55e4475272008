#!/usr/bin/env bash
# A real local cluster on loopback: a 3-server ZooKeeper ensemble (QuorumPeerMain from the zookeeper jar
# the server jar ships) and 3 idgen-server nodes in `zookeeper` mode, each with its own port and node name.
#
#   cluster.sh up                      start the ensemble, then the nodes; wait until all are ready
#   cluster.sh status                  each ZooKeeper server's mode; each node's readiness, worker id, lease
#   cluster.sh down                    stop everything this run folder knows of
#   cluster.sh node  <verb> <n> [args] verb: kill (-9) | stop (SIGSTOP) | cont (SIGCONT) | term | start | restart
#                                      extra args go to the node's command line (e.g. --idgen.clock.offset=-PT5S)
#                                      (--idgen.node-name=... replaces the default node-<n>: a second
#                                      process under a running node's name)
#   cluster.sh node  clock <n> <secs>  steps node n's wall clock to <secs> from true time (e.g. -30, +0),
#                                      in the running process within a second; n must be in IDGEN_FAKETIME_NODES
#   cluster.sh zk    <verb> <n>        verb: kill | stop | cont | term | start | restart | wipe (deletes a
#                                      stopped server's data, keeps its id: the ensemble loses every znode)
#   cluster.sh zk-leader               prints the number of the ZooKeeper server that is leader now
#   cluster.sh wait-ready <n> [secs]   waits until node n answers UP on /actuator/health/readiness
#   cluster.sh port <n>                prints node n's HTTP port
#   cluster.sh urls                    prints every node's base URL, one a line
#
# Environment (all optional):
#   IDGEN_RUN_DIR          state folder (pids, ports, configs, logs, ZooKeeper data, and each node's
#                          idgen.worker.state-dir in node<n>/state); default deploy/local/run
#   IDGEN_JAR              server jar; default the newest idgen-server/target/idgen-server-*.jar
#   IDGEN_SERVER_CLASSPATH run the server from this class path instead of the jar (a build tree that is
#                          not repackaged: target/classes plus `dependency:build-classpath`)
#   IDGEN_NODES            how many idgen nodes `up` starts; default 3
#   IDGEN_SPARE_NODES      nodes `up` gives a port but does not start (for `node start <n>` later); default 0
#   IDGEN_SESSION_TIMEOUT  ZooKeeper session timeout of the nodes (Boot duration, e.g. 4s); default 4s
#   IDGEN_HEARTBEAT        lease renewal interval (idgen.zookeeper.heartbeat-interval); default 1s
#   IDGEN_WORKER_RANGE     idgen.worker.range of every node; default unset (the starter's default)
#   IDGEN_NODE_ARGS        extra arguments for every node
#   IDGEN_NODE_HEAP        node -Xmx; default 256m
#   IDGEN_FAKETIME_NODES   node numbers (space separated) that run under libfaketime (Debian package
#                          faketime), reading their clock offset from node<n>/clock, so `node clock` can
#                          step a running node's clock; the offset holds across restarts, like a host's clock
#   IDGEN_LIBFAKETIME      libfaketime.so.1 to use; default: looked up where Debian installs it
#   ZK_TICK_MS             ZooKeeper tickTime; default 500 (session timeouts from 2 to 20 ticks are allowed)
# `up` records the node settings in the run folder; later commands (a node restart) reuse them.
#
# Everything binds 127.0.0.1 and ports are chosen free at `up`. Requires bash, curl and a JDK 17.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
RUN_DIR="${IDGEN_RUN_DIR:-$SCRIPT_DIR/run}"
# Settings given to `up` hold for the whole cluster: a node restarted later gets the same ones.
if [[ "${1:-}" != up && -f "$RUN_DIR/settings.env" ]]; then
  # shellcheck disable=SC1091
  source "$RUN_DIR/settings.env"
fi
# The version lives in the POM only: take the newest executable server jar the build made.
IDGEN_JAR="${IDGEN_JAR:-$(ls -t "$REPO_DIR"/idgen-server/target/idgen-server-*.jar 2> /dev/null \
  | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-plain\.jar$' | head -n 1 || true)}"
IDGEN_NODES="${IDGEN_NODES:-3}"
IDGEN_SPARE_NODES="${IDGEN_SPARE_NODES:-0}"
IDGEN_SESSION_TIMEOUT="${IDGEN_SESSION_TIMEOUT:-4s}"
IDGEN_HEARTBEAT="${IDGEN_HEARTBEAT:-1s}"
IDGEN_NODE_HEAP="${IDGEN_NODE_HEAP:-256m}"
IDGEN_FAKETIME_NODES="${IDGEN_FAKETIME_NODES:-}"
ZK_TICK_MS="${ZK_TICK_MS:-500}"
ZK_SERVERS=3

log() { printf '%s [cluster] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- ports -------------------------------------------------------------------------------------------

# A port nobody listens on now and that this run has not handed out yet. Connecting is the portable test
# (no ss/netstat needed); the small window before the server binds is acceptable for a local cluster.
# Below the kernel's ephemeral range: a port chosen now may be bound minutes later (a spare node, a
# restarted ZooKeeper server), and meanwhile an outgoing connection could have taken it as source port.
read -r EPHEMERAL_LO _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LO=32768
if (( EPHEMERAL_LO > 12000 )); then PORT_LO=10000; PORT_HI=$EPHEMERAL_LO; else PORT_LO=20000; PORT_HI=60000; fi
declare -A TAKEN_PORTS=()
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( PORT_LO + RANDOM % (PORT_HI - PORT_LO) ))
    [[ -n "${TAKEN_PORTS[$p]:-}" ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      TAKEN_PORTS[$p]=1
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# --- state -------------------------------------------------------------------------------------------

state_get() { cat "$RUN_DIR/$1" 2>/dev/null || true; }
zk_dir() { echo "$RUN_DIR/zk$1"; }
node_dir() { echo "$RUN_DIR/node$1"; }
node_port() { state_get "node$1/port"; }
zk_client_port() { state_get "zk$1/client-port"; }
connect_string() { state_get "connect-string"; }

# Alive means a live state in /proc: running, sleeping, in I/O or paused. A zombie (exited, not yet
# reaped by whoever inherited it) is not, nor is a process whose /proc entry is gone or unreadable.
# kill -0 succeeds on a zombie, and the zombie can be reaped between that and reading /proc; the state
# then read "-", which once passed as alive, so a restart right after `kill` took the dead node for a
# running one and started nothing.
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  [[ "$(proc_state "$1")" == [RSDTtWPI] ]]
}

# Process state letter from /proc (R, S, T = stopped by SIGSTOP, Z ...), or "-" when gone.
proc_state() {
  local pid="${1:-}"
  if [[ -n "$pid" && -r "/proc/$pid/stat" ]]; then
    awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo "-"
  else
    echo "-"
  fi
}

# --- ZooKeeper ---------------------------------------------------------------------------------------

# The ZooKeeper server runs from the very jars the nodes ship (zookeeper, its netty, slf4j, logback):
# taken from the server jar's BOOT-INF/lib, or picked out of IDGEN_SERVER_CLASSPATH. No Maven call: a
# nested `mvn -pl <module>` cannot resolve this project's own unpublished modules outside a reactor.
ZK_JARS='zookeeper|zookeeper-jute|netty-(buffer|codec-base|common|handler|resolver|transport|transport-classes-epoll|transport-native-unix-common)|slf4j-api|logback-classic|logback-core|metrics-core|snappy-java|commons-io'
zk_classpath() {
  local file="$RUN_DIR/zookeeper.classpath"
  if [[ ! -s "$file" ]]; then
    if [[ -n "${IDGEN_SERVER_CLASSPATH:-}" ]]; then
      tr ':' '\n' <<< "$IDGEN_SERVER_CLASSPATH" | grep -E "/($ZK_JARS)-[0-9][^/]*\.jar\$" | paste -sd: > "$file" || true
    else
      [[ -f "$IDGEN_JAR" ]] || die "server jar not found: $IDGEN_JAR"
      local lib="$RUN_DIR/zookeeper-lib" entries
      mkdir -p "$lib"
      entries="$(jar tf "$IDGEN_JAR" | grep -E "^BOOT-INF/lib/($ZK_JARS)-[0-9][^/]*\.jar\$")" \
        || die "no ZooKeeper jars in $IDGEN_JAR"
      # shellcheck disable=SC2086
      (cd "$lib" && jar xf "$IDGEN_JAR" $entries) || die "could not extract the ZooKeeper jars from $IDGEN_JAR"
      find "$lib/BOOT-INF/lib" -name '*.jar' | sort | paste -sd: > "$file"
    fi
    grep -q 'zookeeper-3' "$file" || die "no zookeeper jar on the ZooKeeper class path ($file)"
  fi
  cat "$file"
}

# Sends a ZooKeeper four-letter word to server n and prints the answer (empty when it does not answer).
zk_4lw() {
  local n="$1" word="$2" port
  port="$(zk_client_port "$n")"
  [[ -n "$port" ]] || return 0
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf '%s' '$word' >&3 && cat <&3" 2>/dev/null || true
}

zk_mode() {
  local mode
  mode="$(zk_4lw "$1" srvr | sed -n 's/^Mode: //p')"
  echo "${mode:-down}"
}

zk_leader() {
  local n
  for n in $(seq 1 "$ZK_SERVERS"); do
    if [[ "$(zk_mode "$n")" == "leader" ]]; then echo "$n"; return 0; fi
  done
  return 1
}

zk_write_config() {
  local n="$1" dir i
  dir="$(zk_dir "$n")"
  mkdir -p "$dir/data"
  echo "$n" > "$dir/data/myid"
  {
    echo "tickTime=$ZK_TICK_MS"
    # Followers must sync within 4 ticks: a dead leader is noticed in about two seconds.
    echo "initLimit=20"
    echo "syncLimit=4"
    echo "dataDir=$dir/data"
    echo "clientPort=$(zk_client_port "$n")"
    echo "clientPortAddress=127.0.0.1"
    echo "admin.enableServer=false"
    echo "4lw.commands.whitelist=*"
    echo "maxClientCnxns=0"
    echo "autopurge.purgeInterval=0"
    for i in $(seq 1 "$ZK_SERVERS"); do
      echo "server.$i=127.0.0.1:$(state_get "zk$i/quorum-port"):$(state_get "zk$i/election-port")"
    done
  } > "$dir/zoo.cfg"
  cat > "$dir/logback.xml" <<EOF
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$dir/zookeeper.log</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
EOF
}

zk_start() {
  local n="$1" dir pid
  dir="$(zk_dir "$n")"
  pid="$(state_get "zk$n/pid")"
  if pid_alive "$pid"; then log "zk$n already running (pid $pid)"; return 0; fi
  local cp
  cp="$(zk_classpath)"
  # Small heap, serial GC, C1 only: three servers share two cores with the nodes and the load.
  nohup java -Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k \
      -Dlogback.configurationFile="$dir/logback.xml" \
      -Dzookeeper.admin.enableServer=false \
      -Dzookeeper.4lw.commands.whitelist='*' \
      -Dzookeeper.jmx.log4j.disable=true \
      -cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" \
      > "$dir/stdout.log" 2>&1 < /dev/null &
  echo $! > "$dir/pid"
  log "zk$n started (pid $!, client port $(zk_client_port "$n"))"
}

# Deletes a stopped server's snapshots and transaction logs; myid stays, so it rejoins as itself, empty.
zk_wipe() {
  local n="$1" dir
  dir="$(zk_dir "$n")"
  pid_alive "$(state_get "zk$n/pid")" && die "zk$n is running; stop it before wiping its data"
  rm -rf "$dir/data/version-2"
  log "zk$n data wiped"
}

# Waits until every running server reports leader or follower and exactly one is leader.
zk_wait_quorum() {
  local secs="${1:-60}" deadline n mode leaders serving running
  deadline=$(( $(date +%s) + secs ))
  while (( $(date +%s) < deadline )); do
    leaders=0; serving=0; running=0
    for n in $(seq 1 "$ZK_SERVERS"); do
      pid_alive "$(state_get "zk$n/pid")" || continue
      running=$((running + 1))
      mode="$(zk_mode "$n")"
      [[ "$mode" == leader ]] && leaders=$((leaders + 1))
      [[ "$mode" == leader || "$mode" == follower ]] && serving=$((serving + 1))
    done
    if (( leaders == 1 && serving == running && running > ZK_SERVERS / 2 )); then return 0; fi
    sleep 0.3
  done
  die "ZooKeeper ensemble did not form a quorum within ${secs}s (see $RUN_DIR/zk*/zookeeper.log)"
}

# --- idgen nodes -------------------------------------------------------------------------------------

# libfaketime's library, or nothing when the package is not installed.
faketime_lib() {
  local f
  for f in "${IDGEN_LIBFAKETIME:-}" /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
      /usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 \
      /usr/local/lib/faketime/libfaketime.so.1; do
    [[ -n "$f" && -f "$f" ]] && { echo "$f"; return 0; }
  done
  return 1
}

node_has_faketime() { [[ " $IDGEN_FAKETIME_NODES " == *" $1 "* ]]; }

# Writes node n's clock offset in libfaketime's relative form; a running node reads it within a second.
node_clock() {
  local n="$1" secs="$2"
  node_has_faketime "$n" || die "node$n does not run under libfaketime (IDGEN_FAKETIME_NODES='$IDGEN_FAKETIME_NODES')"
  [[ "$secs" =~ ^[+-]?[0-9]+$ ]] || die "clock offset must be whole seconds, e.g. -30 or +0: $secs"
  [[ "$secs" == [+-]* ]] || secs="+$secs"
  # Replaced in one rename: the node never reads a half-written offset.
  printf '%s\n' "$secs" > "$(node_dir "$n")/clock.tmp"
  mv "$(node_dir "$n")/clock.tmp" "$(node_dir "$n")/clock"
  log "node$n clock set to ${secs}s from true time"
}

node_start() {
  local n="$1"; shift
  local dir pid port
  dir="$(node_dir "$n")"
  pid="$(state_get "node$n/pid")"
  if pid_alive "$pid"; then log "node$n already running (pid $pid)"; return 0; fi
  local -a launch=(-jar "$IDGEN_JAR")
  if [[ -n "${IDGEN_SERVER_CLASSPATH:-}" ]]; then
    launch=(-cp "$IDGEN_SERVER_CLASSPATH" dev.idgen.server.IdgenServerApplication)
  else
    [[ -f "$IDGEN_JAR" ]] || die "server jar not found: $IDGEN_JAR (build it: ./mvnw -q -B -pl idgen-server -DskipTests package)"
  fi
  [[ -f "$RUN_DIR/connect-string" ]] || die "no cluster in $RUN_DIR; run 'up' first"
  port="$(node_port "$n")"
  if [[ -z "$port" ]]; then
    # A node beyond those `up` started (a newcomer for a take-over drill): give it a port of its own.
    mkdir -p "$dir"
    local p
    for p in $(seq 1 "$(node_count)"); do [[ -n "$(node_port "$p")" ]] && TAKEN_PORTS[$(node_port "$p")]=1; done
    free_port > "$dir/port"
    port="$(node_port "$n")"
    (( n > $(node_count) )) && echo "$n" > "$RUN_DIR/nodes"
  fi
  local -a args=(
    "--server.port=$port"
    "--server.address=127.0.0.1"
    "--idgen.worker.assignment=zookeeper"
    "--idgen.worker.state-dir=$dir/state"
    "--idgen.zookeeper.connect-string=$(connect_string)"
    "--idgen.zookeeper.session-timeout=$IDGEN_SESSION_TIMEOUT"
    "--idgen.zookeeper.heartbeat-interval=$IDGEN_HEARTBEAT"
    "--management.tracing.export.enabled=false"
    "--management.otlp.metrics.export.enabled=false"
    "--logging.file.name=$dir/node.log"
  )
  # A name given for this one start replaces node-<n> (Spring would join two values into a list).
  [[ " $* " == *" --idgen.node-name="* ]] || args+=("--idgen.node-name=node-$n")
  # A range given for this one start replaces the cluster's (Spring would join two values into a list).
  if [[ -n "${IDGEN_WORKER_RANGE:-}" && " $* " != *" --idgen.worker.range="* ]]; then
    args+=("--idgen.worker.range=$IDGEN_WORKER_RANGE")
  fi
  # shellcheck disable=SC2206
  [[ -n "${IDGEN_NODE_ARGS:-}" ]] && args+=(${IDGEN_NODE_ARGS})
  args+=("$@")
  printf '%s\n' "${args[@]}" > "$dir/args"
  local -a clock=()
  if node_has_faketime "$n"; then
    # The wall clock only: the JVM's timers and the lease's deadlines run on the monotonic clock, which
    # a host's clock step does not move either. The offset file is read again at most once a second.
    [[ -f "$dir/clock" ]] || echo "+0" > "$dir/clock"
    clock=(env "LD_PRELOAD=$(faketime_lib || die "libfaketime not found (install the faketime package)")"
      "FAKETIME_TIMESTAMP_FILE=$dir/clock" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_CACHE_DURATION=1)
  fi
  nohup "${clock[@]}" java "-Xmx$IDGEN_NODE_HEAP" -Xss512k -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
      "${launch[@]}" "${args[@]}" > "$dir/stdout.log" 2>&1 < /dev/null &
  echo $! > "$dir/pid"
  log "node$n started (pid $!, http://127.0.0.1:$port)"
}

node_readiness() {
  local port
  port="$(node_port "$1")"
  [[ -n "$port" ]] || { echo "unknown"; return 0; }
  curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null || true
}

node_wait_ready() {
  local n="$1" secs="${2:-90}" deadline
  deadline=$(( $(date +%s) + secs ))
  while (( $(date +%s) < deadline )); do
    [[ "$(node_readiness "$n")" == 200 ]] && return 0
    pid_alive "$(state_get "node$n/pid")" || die "node$n exited while starting (see $(node_dir "$n")/stdout.log)"
    sleep 0.3
  done
  die "node$n was not ready within ${secs}s (see $(node_dir "$n")/stdout.log)"
}

# --- signals -----------------------------------------------------------------------------------------

signal_process() {
  local kind="$1" n="$2" verb="$3" pid
  pid="$(state_get "$kind$n/pid")"
  case "$verb" in
    kill)
      pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid"
      log "$kind$n killed (-9)" ;;
    term)
      if pid_alive "$pid"; then kill -CONT "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; fi
      wait_gone "$pid" 30 || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid"; }
      log "$kind$n stopped (TERM)" ;;
    stop)
      pid_alive "$pid" || die "$kind$n is not running"
      kill -STOP "$pid"; log "$kind$n paused (SIGSTOP)" ;;
    cont)
      pid_alive "$pid" || die "$kind$n is not running"
      kill -CONT "$pid"; log "$kind$n resumed (SIGCONT)" ;;
    *) die "unknown verb $verb" ;;
  esac
}

wait_gone() {
  local pid="${1:-}" secs="${2:-10}" i
  [[ -n "$pid" ]] || return 0
  for i in $(seq 1 $((secs * 10))); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  return 1
}

# --- commands ----------------------------------------------------------------------------------------

cmd_up() {
  mkdir -p "$RUN_DIR"
  if [[ -f "$RUN_DIR/connect-string" ]]; then
    local n
    for n in $(seq 1 "$ZK_SERVERS"); do
      pid_alive "$(state_get "zk$n/pid")" && die "a cluster is already running in $RUN_DIR; run 'down' first"
    done
  fi
  # A fresh ensemble every time: stale data would carry leases of a previous run.
  rm -rf "$RUN_DIR"/zk* "$RUN_DIR"/node* "$RUN_DIR/connect-string"
  local n cs=""
  for n in $(seq 1 "$ZK_SERVERS"); do
    mkdir -p "$(zk_dir "$n")"
    free_port > "$RUN_DIR/zk$n/client-port"
    free_port > "$RUN_DIR/zk$n/quorum-port"
    free_port > "$RUN_DIR/zk$n/election-port"
    cs+="${cs:+,}127.0.0.1:$(zk_client_port "$n")"
  done
  echo "$cs" > "$RUN_DIR/connect-string"
  for n in $(seq 1 $((IDGEN_NODES + IDGEN_SPARE_NODES))); do
    mkdir -p "$(node_dir "$n")"
    free_port > "$RUN_DIR/node$n/port"
  done
  echo $((IDGEN_NODES + IDGEN_SPARE_NODES)) > "$RUN_DIR/nodes"
  if [[ -z "${IDGEN_SERVER_CLASSPATH:-}" ]]; then
    [[ -f "$IDGEN_JAR" ]] || die "server jar not found: $IDGEN_JAR (build it: ./mvnw -q -B -pl idgen-server -am -DskipTests package)"
    # Nodes run a copy: a rebuild of target/ during the run must not change (or truncate) their jar.
    cp "$IDGEN_JAR" "$RUN_DIR/idgen-server.jar"
    IDGEN_JAR="$RUN_DIR/idgen-server.jar"
  fi
  {
    printf 'IDGEN_JAR=%q\n' "$IDGEN_JAR"
    printf 'IDGEN_SERVER_CLASSPATH=%q\n' "${IDGEN_SERVER_CLASSPATH:-}"
    printf 'IDGEN_SESSION_TIMEOUT=%q\n' "$IDGEN_SESSION_TIMEOUT"
    printf 'IDGEN_HEARTBEAT=%q\n' "$IDGEN_HEARTBEAT"
    printf 'IDGEN_WORKER_RANGE=%q\n' "${IDGEN_WORKER_RANGE:-}"
    printf 'IDGEN_NODE_ARGS=%q\n' "${IDGEN_NODE_ARGS:-}"
    printf 'IDGEN_NODE_HEAP=%q\n' "$IDGEN_NODE_HEAP"
    printf 'IDGEN_FAKETIME_NODES=%q\n' "$IDGEN_FAKETIME_NODES"
  } > "$RUN_DIR/settings.env"
  zk_classpath > /dev/null
  if [[ -n "$IDGEN_FAKETIME_NODES" ]]; then
    faketime_lib > /dev/null || die "IDGEN_FAKETIME_NODES needs libfaketime (Debian package faketime; deploy/install-tools.sh)"
  fi
  # A failed start leaves nothing running behind it.
  trap 'log "up failed; stopping what was started"; cmd_down' EXIT
  for n in $(seq 1 "$ZK_SERVERS"); do zk_write_config "$n"; done
  for n in $(seq 1 "$ZK_SERVERS"); do zk_start "$n"; done
  zk_wait_quorum 90
  log "ZooKeeper quorum formed; leader is zk$(zk_leader); connect string $cs"
  for n in $(seq 1 "$IDGEN_NODES"); do node_start "$n"; done
  # Generous: a first start of three JVMs at once takes up to ~2 min when other builds share the cores.
  for n in $(seq 1 "$IDGEN_NODES"); do node_wait_ready "$n" 240; done
  trap - EXIT
  log "all $IDGEN_NODES nodes ready"
  cmd_status
}

node_count() { local c; c="$(state_get nodes)"; echo "${c:-$IDGEN_NODES}"; }

cmd_status() {
  local n pid
  printf '%-6s %-7s %-9s %-6s %s\n' "zk" "pid" "process" "port" "mode"
  for n in $(seq 1 "$ZK_SERVERS"); do
    pid="$(state_get "zk$n/pid")"
    printf '%-6s %-7s %-9s %-6s %s\n' "zk$n" "${pid:--}" "$(proc_state "$pid")" "$(zk_client_port "$n")" \
      "$( [[ "$(proc_state "$pid")" == T ]] && echo paused || zk_mode "$n")"
  done
  echo
  printf '%-6s %-7s %-9s %-6s %-9s %s\n' "node" "pid" "process" "port" "ready" "lease"
  local port ready info
  for n in $(seq 1 "$(node_count)"); do
    pid="$(state_get "node$n/pid")"
    port="$(node_port "$n")"
    if [[ "$(proc_state "$pid")" == T ]]; then
      ready="paused"; info="-"
    else
      ready="$(node_readiness "$n")"
      case "$ready" in 200) ready="UP" ;; 503) ready="DOWN" ;; 000|"") ready="no-answer" ;; esac
      info="$(lease_summary "$port")"
    fi
    printf '%-6s %-7s %-9s %-6s %-9s %s\n' "node$n" "${pid:--}" "$(proc_state "$pid")" "${port:--}" "$ready" "$info"
  done
}

# Worker id, lease state and time left of the node on port $1, from the `idgen` health contributor
# (details shown) or, failing that, from /actuator/info.
lease_summary() {
  local port="$1" body
  [[ -n "$port" ]] || { echo "-"; return 0; }
  body="$(curl -s --max-time 1 "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null || true)"
  if [[ "$body" != *workerId* ]]; then
    body="$(curl -s --max-time 1 "http://127.0.0.1:$port/actuator/info" 2>/dev/null || true)"
  fi
  if command -v jq > /dev/null 2>&1 && [[ -n "$body" ]]; then
    jq -r '[.. | objects | select(has("workerId"))][0] // {} |
      "workerId=\(.workerId // "-") lease=\(.leaseState // .state // "-") timeLeft=\(.timeLeft // "-") node=\(.nodeName // "-")\(if .reason then " reason=\(.reason)" else "" end)"' \
      <<< "$body" 2>/dev/null || echo "-"
  else
    local wid state
    wid="$(grep -o '"workerId":-\{0,1\}[0-9]*' <<< "$body" | head -1 | cut -d: -f2)"
    state="$(grep -o '"leaseState":"[A-Z_]*"' <<< "$body" | head -1 | cut -d'"' -f4)"
    echo "workerId=${wid:--} lease=${state:--}"
  fi
}

cmd_down() {
  [[ -d "$RUN_DIR" ]] || return 0
  local n pid
  for n in $(seq 1 "$(node_count)"); do
    pid="$(state_get "node$n/pid")"
    if pid_alive "$pid"; then signal_process node "$n" term || true; fi
  done
  for n in $(seq 1 "$ZK_SERVERS"); do
    pid="$(state_get "zk$n/pid")"
    if pid_alive "$pid"; then signal_process zk "$n" term || true; fi
  done
  log "cluster stopped (state kept in $RUN_DIR)"
}

cmd_node() {
  local verb="${1:?verb}" n="${2:?node number}"; shift 2
  case "$verb" in
    start) node_start "$n" "$@" ;;
    restart) signal_process node "$n" term; node_start "$n" "$@" ;;
    clock) node_clock "$n" "${1:?clock offset in seconds}" ;;
    *) signal_process node "$n" "$verb" ;;
  esac
}

cmd_zk() {
  local verb="${1:?verb}" n="${2:?server number}"
  case "$verb" in
    start) zk_start "$n" ;;
    restart) signal_process zk "$n" term; zk_start "$n" ;;
    wipe) zk_wipe "$n" ;;
    *) signal_process zk "$n" "$verb" ;;
  esac
}

main() {
  local cmd="${1:-}"; shift || true
  case "$cmd" in
    up) cmd_up ;;
    status) cmd_status ;;
    down) cmd_down ;;
    node) cmd_node "$@" ;;
    zk) cmd_zk "$@" ;;
    zk-leader) zk_leader || die "no leader now" ;;
    zk-wait-quorum) zk_wait_quorum "${1:-60}" ;;
    zk-mode) zk_mode "${1:?server number}" ;;
    wait-ready) node_wait_ready "${1:?node number}" "${2:-90}" ;;
    readiness) node_readiness "${1:?node number}"; echo ;;
    port) node_port "${1:?node number}" ;;
    faketime-lib) faketime_lib || die "libfaketime not found (install the faketime package)" ;;
    connect-string) connect_string ;;
    urls) for n in $(seq 1 "$(node_count)"); do echo "http://127.0.0.1:$(node_port "$n")"; done ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; [[ -z "$cmd" || "$cmd" == help ]] || exit 2 ;;
  esac
}

# Sourced (deploy/validate.sh checks pid_alive), it only defines the functions.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || main "$@"
