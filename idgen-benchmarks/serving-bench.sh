#!/usr/bin/env bash
# The serving benchmark of issue #9, in one command: on each JDK, in one run on one machine, nginx serving
# the same bytes from a static file, a bare Spring MVC app (idgen-benchmarks/bare-spring-app: one
# controller returning Map.of("id", counter), Boot defaults, plain `java -jar`) and the idgen server with
# every default feature on, started both ways the README gives: its launch, idgen-server/bin/idgen-server
# (heap defaults, extracted jar, class-data archive), and plain `java -jar` with no JVM options.
#
#   idgen-benchmarks/serving-bench.sh                       # JDK 17 and 25, about 8 minutes per JDK
#   JDKS=/usr/lib/jvm/temurin-25-jdk-amd64 DURATION=5s idgen-benchmarks/serving-bench.sh   # one JDK, short
#
# Per JDK it measures:
#   start    launch to the bare app's first 200 on /ids, and to idgen's readiness 200. Plain `java -jar`:
#            idgen's first start on a new state dir (a new ZooKeeper store: its quarantine, once per host),
#            then restarts (median of STARTS runs, bare and idgen alternating). Then bin/idgen-server: its
#            first launch of this build (which prepares the archive with a training start), then restarts
#            (median of STARTS).
#   warm-up  idgen (bin/idgen-server) straight after ready: 30 one-second wrk runs on GET /ids
#            (requests/s, p99 per second).
#   steady   after a JIT warm-up (the 30 s curve for idgen, as long of the same load for the bare app,
#            WARMUP for nginx and on the batch endpoint): GET /ids at 32 connections (requests/s, p50, p99) and
#            at 256 (p99, errors), GET /ids/batch?count=4096 (ids/s), each for DURATION.
#   memory   RSS of each server right after its load (VmRSS; nginx: master + workers), and again after
#            IDLE seconds without load; and idgen's RSS with plain `java -jar` after the curve's length of load.
# and prints idgen's ratios against nginx and the bare app measured in the same run.
#
# Settings (environment): JDKS (space-separated JDK homes; default: OpenJDK 17 and Temurin 25 under
# /usr/lib/jvm), DURATION (15s), WARMUP (10s), CURVE (30 one-second runs), STARTS (3), THREADS (wrk
# threads, 1), SKIP_BUILD=1 (use the jars already in target/), IDGEN_JAR (another idgen-server jar,
# e.g. a copy of an older build to compare), READY_TIMEOUT (120 s), IDLE (15 s).
#
# It builds both jars with the project's Maven wrapper and installs nothing; wrk and nginx must be there
# (apt-get install -y wrk nginx). Servers listen on free loopback ports with their own temporary files and
# are stopped on exit. wrk and the servers share the machine's CPUs: read ratios, not absolute capacity.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jdks="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}"
duration="${DURATION:-15s}"
warmup="${WARMUP:-10s}"
curve="${CURVE:-30}"
starts="${STARTS:-3}"
threads="${THREADS:-1}"
ready_timeout="${READY_TIMEOUT:-120}"
idle="${IDLE:-15}"
batch=4096

missing=()
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "missing: ${missing[*]}. Install with: apt-get install -y ${missing[*]}" >&2
  exit 2
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "building idgen-server and the bare Spring app"
  (cd "$root" && ./mvnw -q -B -ntp -DskipTests -pl idgen-server -am package \
    && ./mvnw -q -B -ntp -f idgen-benchmarks/bare-spring-app/pom.xml package)
fi
idgen_jar="${IDGEN_JAR:-$root/idgen-server/target/idgen-server-0.1.0-SNAPSHOT.jar}"
bare_jar="$root/idgen-benchmarks/bare-spring-app/target/idgen-bare-spring-app-0.1.0-SNAPSHOT.jar"
for jar in "$idgen_jar" "$bare_jar"; do
  [[ -f "$jar" ]] || { echo "missing $jar (run without SKIP_BUILD=1)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/idgen-serving-bench.XXXXXX)"
mkdir -p "$work/www"
chmod 755 "$work" # nginx workers may run as another user and must read the static files
server_pid=""
nginx_pid=""

stop_server() {
  [[ -n "$server_pid" ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
cleanup() {
  set +e
  stop_server
  if [[ -n "$nginx_pid" ]]; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Htln "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# RSS of a process and its children, in MiB.
rss_mib() {
  local total=0 pid kib
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null); do
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kib:-0}))
  done
  echo $((total / 1024))
}

# Runs wrk; prints "requests/s p50_ms p99_ms errors" (errors: socket errors, timeouts and non-2xx answers).
run_wrk() {
  local url=$1 connections=$2 length=$3 output
  output="$(wrk -t"$threads" -c"$connections" -d"$length" --timeout 5s --latency "$url" 2>&1)" || true
  echo "$output" >> "$work/wrk.log"
  echo "$output" | awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors:/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx/ { errors += $NF }
    END { printf "%s %s %s %d\n", (rps == "" ? 0 : rps), (p50 == "" ? 0 : p50), (p99 == "" ? 0 : p99), errors }'
}

# Starts a server in the background (server_pid) and sets t to the milliseconds until url answered 200.
# GET /ids at 32 and at 256 connections for DURATION each, saved under the server's name.
measure_ids() {
  local name=$1 url=$2 r p50 p99 e
  read -r r p50 p99 e <<< "$(run_wrk "$url" 32 "$duration")"
  say "${name}_rps" "$r"; say "${name}_p50" "$p50"; say "${name}_p99" "$p99"; say "${name}_err" "$e"
  read -r r p50 p99 e <<< "$(run_wrk "$url" 256 "$duration")"
  say "${name}_rps256" "$r"; say "${name}_p99_256" "$p99"; say "${name}_err256" "$e"
}

# RSS right after the load, and again after IDLE seconds without it.
measure_rss() {
  say "$1_rss" "$(rss_mib "$2")"
  sleep "$idle"
  say "$1_rss_idle" "$(rss_mib "$2")"
}

start_server() {
  local url=$1 log=$2 started
  shift 2
  started=$(now_ms)
  "$@" > "$log" 2>&1 &
  server_pid=$!
  while (( $(now_ms) - started < ready_timeout * 1000 )); do
    kill -0 "$server_pid" 2>/dev/null || break
    if curl -fs -o /dev/null "$url"; then
      t=$(( $(now_ms) - started ))
      return
    fi
    sleep 0.02
  done
  echo "no 200 from $url within ${ready_timeout}s; last lines of $log:" >&2
  tail -40 "$log" >&2
  exit 1
}

# The README's launch script on one JDK, with its cache in the bench's directory.
default_launch() {
  local jdk_home=$1
  shift
  JAVA_HOME="$jdk_home" IDGEN_SERVER_JAR="$idgen_jar" IDGEN_LAUNCH_CACHE="$work/launch-cache" \
    exec "$root/idgen-server/bin/idgen-server" "$@"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

idgen_args() { # port, state dir: loopback, free ports, its own state; nothing else differs from the default
  # The default launch keeps the embedded ZooKeeper's data under the state dir (zookeeper/2181), so a
  # restart finds its reservations; port 0 (any free port) would otherwise mean a new store each start.
  echo "--server.port=$1 --server.address=127.0.0.1 --idgen.zookeeper.embedded.port=0"
  echo "--idgen.zookeeper.embedded.data-dir=$2/zookeeper --idgen.worker.state-dir=$2"
}

# --- nginx serving the bytes of one idgen answer ------------------------------------------------------
start_nginx() {
  mkdir -p "$work/www" "$work/nginx/logs"
  chmod -R a+rX "$work/www"
  nginx_port=$(free_port)
  cat > "$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path $work/nginx/client_body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    default_type application/json;
    location = /ids { alias $work/www/id.json; }
    location = /ids/batch { alias $work/www/batch.json; }
  }
}
EOF
  "$nginx_bin" -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 1 250); do
    curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/ids" && return
    sleep 0.02
  done
  echo "nginx did not start:" >&2; cat "$work/nginx/logs/error.log" >&2; exit 1
}

# --- one JDK -------------------------------------------------------------------------------------------
bench_jdk() {
  local jdk_home=$1 java="$1/bin/java" jdk tag port i t
  jdk="$("$java" -version 2>&1 | head -1)"
  tag="$(basename "$jdk_home")"
  local out="$work/result-$tag"
  : > "$out"
  say() { echo "$1 $2" >> "$out"; }
  echo "== $jdk ($jdk_home)"

  # Start-up, plain java -jar. First idgen's first start on this host: a new state dir and a new
  # ZooKeeper store, which waits out the new store's quarantine (about 2 s) before it issues. Then
  # restarts, as every later start of the default launch is, bare and idgen alternating, median of $starts.
  local state="$work/state-$tag" bare_starts="" idgen_starts=""
  rm -rf "$state"
  port=$(free_port)
  # shellcheck disable=SC2046
  start_server "http://127.0.0.1:$port/actuator/health/readiness" "$work/idgen.log" \
    "$java" -jar "$idgen_jar" $(idgen_args "$port" "$state")
  say idgen_first_start "$t"; stop_server
  echo "  first start: idgen $t ms"
  for i in $(seq 1 "$starts"); do
    port=$(free_port)
    start_server "http://127.0.0.1:$port/ids" "$work/bare.log" \
      "$java" -jar "$bare_jar" --server.port="$port" --server.address=127.0.0.1
    bare_starts+=" $t"; stop_server
    port=$(free_port)
    # shellcheck disable=SC2046
    start_server "http://127.0.0.1:$port/actuator/health/readiness" "$work/idgen.log" \
      "$java" -jar "$idgen_jar" $(idgen_args "$port" "$state")
    idgen_starts+=" $t"; stop_server
    echo "  start $i: bare ${bare_starts##* } ms, idgen ${idgen_starts##* } ms"
  done
  say bare_start "$(echo "$bare_starts" | median)"
  say idgen_start "$(echo "$idgen_starts" | median)"

  # The README's launch, idgen-server/bin/idgen-server: heap defaults, the jar extracted and a class-data
  # archive (CDS on 17, the AOT cache on 25+). Its first launch of a build prepares the archive with a
  # training start; later launches use it.
  local launch_starts="" launch_first build
  port=$(free_port)
  # shellcheck disable=SC2046
  start_server "http://127.0.0.1:$port/actuator/health/readiness" "$work/idgen-launch.log" \
    default_launch "$jdk_home" $(idgen_args "$port" "$state")
  launch_first=$t
  say launch_first_start "$t"; stop_server
  for i in $(seq 1 "$starts"); do
    port=$(free_port)
    # shellcheck disable=SC2046
    start_server "http://127.0.0.1:$port/actuator/health/readiness" "$work/idgen-launch.log" \
      default_launch "$jdk_home" $(idgen_args "$port" "$state")
    launch_starts+=" $t"; stop_server
  done
  echo "  default launch: first (prepares the archive) $launch_first ms, then$launch_starts ms"
  say launch_start "$(echo "$launch_starts" | median)"
  # What the launches used: the archive in the build directory the script prepared for this JDK.
  build="$(dirname "$(grep -lxF "$(readlink -f "$java")" "$work/launch-cache"/*/source | head -n 1)" || true)"
  if [[ -s "$build/app.aot" ]]; then say launch_feature AOT_cache
  elif [[ -s "$build/app.jsa" ]]; then say launch_feature CDS
  else say launch_feature no_archive; fi

  # The bare app under load, after as much load as idgen's warm-up curve gives idgen: the JIT has had
  # the same time on both when they are compared.
  port=$(free_port)
  start_server "http://127.0.0.1:$port/ids" "$work/bare.log" \
    "$java" -jar "$bare_jar" --server.port="$port" --server.address=127.0.0.1
  run_wrk "http://127.0.0.1:$port/ids" 32 "${curve}s" > /dev/null
  measure_ids bare "http://127.0.0.1:$port/ids"
  measure_rss bare "$server_pid"
  stop_server

  # idgen, started with the README's launch: warm-up curve straight after ready, then steady state.
  port=$(free_port)
  # shellcheck disable=SC2046
  start_server "http://127.0.0.1:$port/actuator/health/readiness" "$work/idgen.log" \
    default_launch "$jdk_home" $(idgen_args "$port" "$state")
  echo "  warm-up curve (second: requests/s, p99 ms):"
  local curve_line=""
  for i in $(seq 1 "$curve"); do
    read -r r p50 p99 e <<< "$(run_wrk "http://127.0.0.1:$port/ids" 32 1s)"
    curve_line+=" $i:${r%.*}/$p99"
    echo "$i $r $p99 $e" >> "$out.curve"
  done
  echo "   $curve_line"
  say curve_first5 "$(head -5 "$out.curve" | awk '{ s += $2 } END { printf "%.0f", s / NR }')"
  say curve_10 "$(awk -v n=10 '$1 >= n - 1 && $1 <= n + 1 { s += $2; c++ } END { printf "%.0f", s / c }' "$out.curve")"
  say curve_last5 "$(tail -5 "$out.curve" | awk '{ s += $2 } END { printf "%.0f", s / NR }')"
  [[ -s "$work/www/id.json" ]] || curl -fs "http://127.0.0.1:$port/ids" -o "$work/www/id.json"
  [[ -s "$work/www/batch.json" ]] || curl -fs "http://127.0.0.1:$port/ids/batch?count=$batch" -o "$work/www/batch.json"
  measure_ids idgen "http://127.0.0.1:$port/ids"
  run_wrk "http://127.0.0.1:$port/ids/batch?count=$batch" 32 "$warmup" > /dev/null
  read -r r p50 p99 e <<< "$(run_wrk "http://127.0.0.1:$port/ids/batch?count=$batch" 32 "$duration")"
  say idgen_batch_ids "$(awk -v r="$r" -v b="$batch" 'BEGIN { printf "%.0f", r * b }')"; say idgen_batch_err "$e"
  measure_rss idgen "$server_pid"
  stop_server

  # Plain java -jar under the same length of load as the curve, for its memory: no JVM options, so the
  # heap may grow to a quarter of the host's memory.
  port=$(free_port)
  # shellcheck disable=SC2046
  start_server "http://127.0.0.1:$port/actuator/health/readiness" "$work/idgen.log" \
    "$java" -jar "$idgen_jar" $(idgen_args "$port" "$state")
  run_wrk "http://127.0.0.1:$port/ids" 32 "${curve}s" > /dev/null
  say plain_rss "$(rss_mib "$server_pid")"
  stop_server

  # nginx, same bytes, same load.
  [[ -n "$nginx_pid" ]] || start_nginx
  run_wrk "http://127.0.0.1:$nginx_port/ids" 32 "$warmup" > /dev/null
  measure_ids nginx "http://127.0.0.1:$nginx_port/ids"
  say nginx_rss "$(rss_mib "$nginx_pid")"

  report "$out" "$jdk"
}

report() {
  awk -v jdk="$2" -v curve="$curve" -v cpus="$(nproc)" -v t="$threads" -v d="$duration" -v w="$warmup" -v idle="$idle" '
    { v[$1] = $2 }
    function x(a, b) { return (b > 0) ? sprintf("%.2fx", a / b) : "-" }
    END {
      printf "\n%s, %d CPUs, wrk -t%d, %s per measurement after a %s warm-up (shared CPUs)\n", jdk, cpus, t, d, w
      printf "%-44s %12s %12s %12s %20s\n", "", "idgen", "bare Spring", "nginx", "idgen / bare, nginx"
      printf "%-44s %12.0f %12.0f %12.0f %9s %10s\n", "GET /ids requests/s, 32 connections", v["idgen_rps"], v["bare_rps"], v["nginx_rps"], x(v["idgen_rps"], v["bare_rps"]), x(v["idgen_rps"], v["nginx_rps"])
      printf "%-44s %12.2f %12.2f %12.2f %9s %10s\n", "  p50 ms", v["idgen_p50"], v["bare_p50"], v["nginx_p50"], x(v["idgen_p50"], v["bare_p50"]), x(v["idgen_p50"], v["nginx_p50"])
      printf "%-44s %12.2f %12.2f %12.2f %9s %10s\n", "  p99 ms", v["idgen_p99"], v["bare_p99"], v["nginx_p99"], x(v["idgen_p99"], v["bare_p99"]), x(v["idgen_p99"], v["nginx_p99"])
      printf "%-44s %12d %12d %12d\n", "  errors", v["idgen_err"], v["bare_err"], v["nginx_err"]
      printf "%-44s %12.0f %12.0f %12.0f %9s %10s\n", "GET /ids requests/s, 256 connections", v["idgen_rps256"], v["bare_rps256"], v["nginx_rps256"], x(v["idgen_rps256"], v["bare_rps256"]), x(v["idgen_rps256"], v["nginx_rps256"])
      printf "%-44s %12.2f %12.2f %12.2f %9s %10s\n", "  p99 ms", v["idgen_p99_256"], v["bare_p99_256"], v["nginx_p99_256"], x(v["idgen_p99_256"], v["bare_p99_256"]), x(v["idgen_p99_256"], v["nginx_p99_256"])
      printf "%-44s %12d %12d %12d\n", "  errors (socket errors, timeouts, non-2xx)", v["idgen_err256"], v["bare_err256"], v["nginx_err256"]
      printf "%-44s %12.0f %12s %12s %20s\n", "ids/s through /ids/batch?count=4096", v["idgen_batch_ids"], "", "", sprintf("%.0f%% of 4,096,000", v["idgen_batch_ids"] / 40960)
      printf "%-44s %12.0f %12.0f %12s %9s\n", "start to ready ms, plain java -jar (restart)", v["idgen_start"], v["bare_start"], "", x(v["idgen_start"], v["bare_start"])
      printf "%-44s %12.0f %12s %12s %9s\n", "  first start on the host (new store)", v["idgen_first_start"], "", "", x(v["idgen_first_start"], v["bare_start"])
      feature = v["launch_feature"]; gsub("_", " ", feature)
      printf "%-44s %12.0f %12s %12s %9s\n", "  bin/idgen-server (" feature "), restart", v["launch_start"], "", "", x(v["launch_start"], v["bare_start"])
      printf "%-44s %12.0f %12s %12s %9s\n", "  bin/idgen-server, first launch of a build", v["launch_first_start"], "", "", x(v["launch_first_start"], v["bare_start"])
      printf "%-44s %12.0f %12s %12s %9s\n", "warm-up req/s: seconds 1-5 after ready", v["curve_first5"], "", "", x(v["curve_first5"], v["idgen_rps"])
      printf "%-44s %12.0f %12s %12s %9s\n", "  seconds 9-11", v["curve_10"], "", "", x(v["curve_10"], v["idgen_rps"])
      printf "%-44s %12.0f %12s %12s %9s\n", "  last 5 seconds of the curve", v["curve_last5"], "", "", x(v["curve_last5"], v["idgen_rps"])
      printf "%-44s %12d %12d %12d\n", "RSS after load MiB (idgen: bin/idgen-server)", v["idgen_rss"], v["bare_rss"], v["nginx_rss"]
      printf "%-44s %12d %12d %12s\n", "  after " idle " s idle", v["idgen_rss_idle"], v["bare_rss_idle"], ""
      printf "%-44s %12d %12s %12s\n", "  idgen, plain java -jar, after " curve " s of load", v["plain_rss"], "", ""
      printf "(warm-up rows: ratio to the steady 32-connection figure; nginx RSS: master + workers)\n"
    }' "$1"
}

for jdk_home in $jdks; do
  bench_jdk "$jdk_home"
done
for jdk_home in $jdks; do
  echo; echo "warm-up curve, $(basename "$jdk_home"): second requests/s p99_ms errors"
  tr '\n' ';' < "$work/result-$(basename "$jdk_home").curve"; echo
done
