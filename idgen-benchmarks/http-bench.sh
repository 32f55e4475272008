#!/usr/bin/env bash
# HTTP benchmark of the idgen server against nginx serving the same bytes from a static file, in one run
# on one machine: requests/s and p50/p99 of GET /ids at 32 connections, ids/s through
# GET /ids/batch?count=4096, start-to-ready time, and resident memory (RSS) idle and under load.
#
#   idgen-benchmarks/http-bench.sh                      # 20 s per measurement, about 2 minutes
#   DURATION=5s WARMUP=2s idgen-benchmarks/http-bench.sh   # smoke run
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 idgen-benchmarks/http-bench.sh   # virtual threads (Java 21+)
#
# Settings (environment): JAVA_HOME (JDK of the server; default: java on PATH), IDGEN_JAR (default: the
# executable jar in idgen-server/target), JAVA_OPTS (server JVM options), CONNECTIONS (32), THREADS (wrk
# threads, default: number of CPUs), DURATION (20s), WARMUP (10s), BATCH (4096), READY_TIMEOUT (120 s).
#
# It installs nothing; it starts idgen and nginx on free loopback ports with their own temporary files,
# and stops both on exit. wrk, the server and nginx share the machine's CPUs: run it on a quiet machine,
# and read the figures as "idgen relative to nginx on the same box", not as absolute capacity.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-$(nproc)}"
duration="${DURATION:-20s}"
warmup="${WARMUP:-10s}"
batch="${BATCH:-4096}"
ready_timeout="${READY_TIMEOUT:-120}"

missing=()
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "missing: ${missing[*]}. Install with: apt-get install -y ${missing[*]}" >&2
  exit 2
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
"$java" -version >/dev/null 2>&1 || { echo "no java at '$java' (set JAVA_HOME)" >&2; exit 2; }

jar="${IDGEN_JAR:-}"
if [[ -z "$jar" ]]; then
  for candidate in "$root"/idgen-server/target/idgen-server-*.jar; do
    [[ -f "$candidate" && "$candidate" != *-plain.jar && "$candidate" != *sources.jar ]] || continue
    # Only Spring Boot's executable jar holds BOOT-INF/ (zip entry names are stored uncompressed).
    if LC_ALL=C grep -aq 'BOOT-INF/classes/' "$candidate"; then
      jar="$candidate"
    fi
  done
fi
if [[ -z "$jar" || ! -f "$jar" ]]; then
  echo "no executable idgen-server jar; build it with: ./mvnw -q -B -pl idgen-server -am -DskipTests package" >&2
  exit 2
fi

work="$(mktemp -d /tmp/idgen-http-bench.XXXXXX)"
chmod 755 "$work" # nginx workers may run as another user and must read the static files
idgen_pid=""
nginx_pid=""
sampler_pid=""

cleanup() {
  set +e
  [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2>/dev/null
  if [[ -n "$nginx_pid" ]]; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
  fi
  if [[ -n "$idgen_pid" ]]; then
    kill -TERM "$idgen_pid" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$idgen_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$idgen_pid" 2>/dev/null
    wait "$idgen_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return
    fi
  done
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# RSS of a process and its children, in KiB.
rss_kib() {
  local total=0 pid kib
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null); do
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

# Samples the peak RSS of a process tree into a file until killed.
sample_rss() {
  local pid=$1 out=$2 peak=0 now
  while kill -0 "$pid" 2>/dev/null; do
    now=$(rss_kib "$pid")
    ((now > peak)) && peak=$now && echo "$peak" > "$out"
    sleep 0.2
  done
}

# Runs wrk; prints "requests/s p50_ms p99_ms".
run_wrk() {
  local url=$1 length=$2 output
  output="$(wrk -t"$threads" -c"$connections" -d"$length" --latency "$url")"
  echo "$output" >> "$work/wrk.log"
  if echo "$output" | grep -q 'Non-2xx'; then
    echo "wrk saw non-2xx answers from $url:" >&2
    echo "$output" >&2
    exit 1
  fi
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
    END { printf "%s %s %s\n", rps, p50, p99 }'
}

# Measures a URL while sampling the RSS of pid; prints "requests/s p50 p99 peak_rss_kib".
measure() {
  local url=$1 pid=$2 result peak
  echo 0 > "$work/peak"
  sample_rss "$pid" "$work/peak" &
  sampler_pid=$!
  result="$(run_wrk "$url" "$duration")"
  kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
  peak=$(cat "$work/peak")
  echo "$result $peak"
}

# --- idgen -------------------------------------------------------------------------------------------
idgen_port=$(free_port)
jdk="$("$java" -version 2>&1 | head -1)"
echo "idgen: $jar on 127.0.0.1:$idgen_port, $jdk"
started=$(now_ms)
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
"$java" ${JAVA_OPTS:-} -jar "$jar" --server.port="$idgen_port" --server.address=127.0.0.1 \
  --idgen.zookeeper.embedded.port=0 > "$work/idgen.log" 2>&1 &
idgen_pid=$!
ready=""
while (( $(now_ms) - started < ready_timeout * 1000 )); do
  if ! kill -0 "$idgen_pid" 2>/dev/null; then break; fi
  if curl -fs -o /dev/null "http://127.0.0.1:$idgen_port/actuator/health/readiness"; then
    ready=$(now_ms)
    break
  fi
  sleep 0.02
done
if [[ -z "$ready" ]]; then
  echo "idgen did not become ready within ${ready_timeout}s; last lines of its log:" >&2
  tail -40 "$work/idgen.log" >&2
  exit 1
fi
ready_ms=$((ready - started))
idle_rss=$(rss_kib "$idgen_pid")

# --- nginx serving the same bytes --------------------------------------------------------------------
mkdir -p "$work/www" "$work/nginx/logs"
curl -fs "http://127.0.0.1:$idgen_port/ids" -o "$work/www/id.json"
curl -fs "http://127.0.0.1:$idgen_port/ids/batch?count=$batch" -o "$work/www/batch.json"
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
    listen 127.0.0.1:$nginx_port;
    default_type application/json;
    location = /ids { alias $work/www/id.json; }
    location = /ids/batch { alias $work/www/batch.json; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 250); do
  curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/ids" && break
  sleep 0.02
done
curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/ids" || {
  echo "nginx did not start:" >&2; cat "$work/nginx/logs/error.log" >&2; exit 1; }
cmp -s "$work/www/id.json" <(curl -fs "http://127.0.0.1:$nginx_port/ids") || {
  echo "nginx does not serve the same bytes as idgen" >&2; exit 1; }

# --- measurements ------------------------------------------------------------------------------------
echo "warming up (${warmup} each), then measuring ${duration} each: wrk -t$threads -c$connections"
warm="$(run_wrk "http://127.0.0.1:$idgen_port/ids" "$warmup")"
warm="$(run_wrk "http://127.0.0.1:$idgen_port/ids/batch?count=$batch" "$warmup")"
warm="$(run_wrk "http://127.0.0.1:$nginx_port/ids" "$warmup")"

# Each result goes through a variable first so that a failed measurement stops the script (set -e).
result="$(measure "http://127.0.0.1:$idgen_port/ids" "$idgen_pid")"
read -r idgen_rps idgen_p50 idgen_p99 idgen_peak <<< "$result"
result="$(measure "http://127.0.0.1:$nginx_port/ids" "$nginx_pid")"
read -r nginx_rps nginx_p50 nginx_p99 nginx_peak <<< "$result"
result="$(measure "http://127.0.0.1:$idgen_port/ids/batch?count=$batch" "$idgen_pid")"
read -r batch_rps batch_p50 batch_p99 batch_peak <<< "$result"
result="$(measure "http://127.0.0.1:$nginx_port/ids/batch" "$nginx_pid")"
read -r nbatch_rps nbatch_p50 nbatch_p99 _ <<< "$result"
nginx_idle_rss=$(rss_kib "$nginx_pid")

# --- report ------------------------------------------------------------------------------------------
awk -v jdk="$jdk" -v cpus="$(nproc)" -v t="$threads" -v c="$connections" -v d="$duration" -v b="$batch" \
    -v ir="$idgen_rps" -v i50="$idgen_p50" -v i99="$idgen_p99" -v ipk="$idgen_peak" \
    -v nr="$nginx_rps" -v n50="$nginx_p50" -v n99="$nginx_p99" -v npk="$nginx_peak" \
    -v br="$batch_rps" -v b50="$batch_p50" -v b99="$batch_p99" -v bpk="$batch_peak" \
    -v nbr="$nbatch_rps" -v nb50="$nbatch_p50" -v nb99="$nbatch_p99" \
    -v ready="$ready_ms" -v irss="$idle_rss" -v nrss="$nginx_idle_rss" '
  function ratio(a, b) { return (b > 0) ? sprintf("%.2fx", a / b) : "-" }
  function row(name, a, b, fmt) {
    printf "%-34s %16s %16s %12s\n", name, sprintf(fmt, a), (b == "") ? "-" : sprintf(fmt, b), (b == "") ? "" : ratio(a, b)
  }
  BEGIN {
    printf "\nhttp-bench: %s, %d CPUs, wrk -t%d -c%d -d%s (wrk, idgen and nginx share the CPUs)\n", jdk, cpus, t, c, d
    printf "%-34s %16s %16s %12s\n", "metric", "idgen", "nginx static", "idgen/nginx"
    row("GET /ids requests/s", ir, nr, "%.0f")
    row("GET /ids p50 latency ms", i50, n50, "%.3f")
    row("GET /ids p99 latency ms", i99, n99, "%.3f")
    row("GET /ids/batch?count=" b " requests/s", br, nbr, "%.0f")
    row("  ids/s through batch", br * b, "", "%.0f")
    row("  batch p50 latency ms", b50, nb50, "%.3f")
    row("  batch p99 latency ms", b99, nb99, "%.3f")
    row("start to ready ms", ready, "", "%d")
    row("RSS idle after ready MiB", irss / 1024, nrss / 1024, "%.1f")
    row("RSS peak under /ids load MiB", ipk / 1024, npk / 1024, "%.1f")
    row("RSS peak under batch load MiB", bpk / 1024, "", "%.1f")
    printf "(nginx RSS = master + workers. Latency ratios above 1 mean idgen is slower.)\n"
  }'
