#!/usr/bin/env bash
# Validates deploy/ without a Docker engine or a Kubernetes cluster:
#   1. deploy/validate.py: YAML/JSON well-formed, referenced files exist, one port everywhere
#      (server.port = Dockerfile EXPOSE/HEALTHCHECK = compose = HAProxy = Prometheus = k8s probes)
#   2. promtool check rules + promtool test rules (deploy/prometheus), promtool check config on the
#      compose Prometheus configuration with its rule file resolved as compose mounts it
#   3. haproxy -c on the load balancer configuration (when haproxy is installed)
#   4. kubectl kustomize of each overlay, and the rendered manifests' worker ranges (when kubectl is there)
#   5. the server jar's own layer extraction (Boot's tools jar mode, as the Dockerfile runs it), when the
#      jar has been built: the layer folders the Dockerfile copies and the jar it starts exist, its
#      class-data training run writes the archive, and the ENTRYPOINT passes the HEALTHCHECK
#   6. the README's launch script: a missing jar refused; three launches that serve GET /ids from the JVM
#      itself (exec) with the heap defaults: the first prepares the class-data archive, the second reuses
#      it, the third (after a rebuild) prepares a new one and removes the superseded
#   7. the local cluster's pid_alive, which the fault test's restarts rely on
# deploy/install-tools.sh installs promtool, haproxy and python3-yaml. Exit status non-zero on any failure.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DEPLOY/.." && pwd)"
TMP="$(mktemp -d -t idgen-validate.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
ok() { echo "  ok   $*"; passed=$((passed + 1)); }
bad() { echo "  FAIL $*"; failed=$((failed + 1)); }
skip() { echo "  skip $*"; }
# Polls a check command every 0.5 s until it succeeds (status 0) or the process PID has exited (1), for
# at most 180 s (1): a busy two-core machine (CI beside other builds) has taken 90 s to start the server.
await_ready() { # pid, check command...
  local pid=$1
  shift
  for _ in $(seq 1 360); do
    "$@" && return 0
    kill -0 "$pid" 2> /dev/null || return 1
    sleep 0.5
  done
  return 1
}
# A check whose tool is missing fails in CI (.ci/run installs the tools) and is skipped, loudly, on a
# developer's machine, so that ./mvnw verify still runs everything else there.
missing() {
  if [[ "${CI:-}" == "true" ]]; then bad "$* (run deploy/install-tools.sh)"; else skip "$* — SKIPPED: run deploy/install-tools.sh (CI requires it)"; fi
}

# The pyenv python may lack PyYAML where Debian's has it (python3-yaml).
PYTHON=python3
if ! "$PYTHON" -c 'import yaml' 2> /dev/null; then PYTHON=/usr/bin/python3; fi

echo "validate: structure"
if ! "$PYTHON" -c 'import yaml' 2> /dev/null; then
  missing "deploy/validate.py needs PyYAML (Debian package python3-yaml)"
elif "$PYTHON" "$DEPLOY/validate.py"; then ok "deploy/validate.py"; else bad "deploy/validate.py"; fi

echo "validate: Prometheus"
if command -v promtool > /dev/null; then
  if promtool check rules "$DEPLOY/prometheus/idgen-alerts.yml"; then ok "promtool check rules"; else bad "promtool check rules"; fi
  if (cd "$DEPLOY/prometheus/tests" && promtool test rules idgen-alerts-tests.yml); then ok "promtool test rules"; else bad "promtool test rules"; fi
  # The compose configuration names rule files by their path in the container; map them back.
  "$PYTHON" - "$DEPLOY" "$TMP" <<'PY'
import os, sys, yaml
deploy, tmp = sys.argv[1], sys.argv[2]
docker = os.path.join(deploy, "docker")
compose = yaml.safe_load(open(os.path.join(docker, "compose.yaml")))
mounts = {v.split(":")[1]: os.path.normpath(os.path.join(docker, v.split(":")[0]))
          for v in compose["services"]["prometheus"]["volumes"]}
config = yaml.safe_load(open(mounts["/etc/prometheus/prometheus.yml"]))
config["rule_files"] = [mounts.get(r, r) for r in config.get("rule_files", [])]
yaml.safe_dump(config, open(os.path.join(tmp, "prometheus.yml"), "w"))
PY
  if promtool check config "$TMP/prometheus.yml"; then ok "promtool check config (compose Prometheus)"; else bad "promtool check config"; fi
else
  missing "promtool not found"
fi

echo "validate: HAProxy"
if command -v haproxy > /dev/null; then
  # Service names resolve only inside compose; init-addr none lets the check pass without them.
  if haproxy -c -q -f "$DEPLOY/docker/haproxy/haproxy.cfg" 2> "$TMP/haproxy.err"; then
    ok "haproxy -c"
  else
    cat "$TMP/haproxy.err"; bad "haproxy -c"
  fi
else
  skip "haproxy not installed"
fi

echo "validate: Kubernetes"
if command -v kubectl > /dev/null && kubectl kustomize --help > /dev/null 2>&1; then
  for overlay in "$DEPLOY"/k8s/overlays/*/; do
    region="$(basename "$overlay")"
    if kubectl kustomize "$overlay" > "$TMP/$region.yaml" 2> "$TMP/$region.err"; then
      if "$PYTHON" - "$TMP/$region.yaml" "$region" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
region = sys.argv[2]
kinds = sorted(d["kind"] for d in docs)
assert kinds == ["ConfigMap", "PodDisruptionBudget", "Service", "Service", "ServiceMonitor", "StatefulSet"], kinds
cm = next(d for d in docs if d["kind"] == "ConfigMap")
sts = next(d for d in docs if d["kind"] == "StatefulSet")
refs = [e["configMapRef"]["name"] for c in sts["spec"]["template"]["spec"]["containers"] for e in c.get("envFrom", [])]
assert refs == [cm["metadata"]["name"]], f"StatefulSet refers to {refs}, generated ConfigMap is {cm['metadata']['name']}"
assert cm["data"]["IDGEN_REGION"] == region, cm["data"]
print(f"    {region}: worker range {cm['data']['IDGEN_WORKER_RANGE']}, ZooKeeper {cm['data']['IDGEN_ZOOKEEPER_CONNECT_STRING'].split(',')[0]},...")
PY
      then ok "kubectl kustomize overlays/$region"; else bad "rendered overlays/$region"; fi
    else
      cat "$TMP/$region.err"; bad "kubectl kustomize overlays/$region"
    fi
  done
else
  skip "kubectl not installed: overlays checked structurally by validate.py only"
fi

echo "validate: image layers"
# The newest server jar of the build, whatever its version (pom.xml is the one place that names it).
JAR="$(ls -t "$REPO"/idgen-server/target/idgen-server-*.jar 2> /dev/null \
  | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-plain\.jar$' | head -n 1 || true)"
if [[ -n "$JAR" && -f "$JAR" ]] && unzip -l "$JAR" 2> /dev/null | grep -q 'BOOT-INF/layers.idx'; then
  # Exactly the Dockerfile's RUN line, on the real jar.
  cmd="$(sed -n 's/^RUN \(java -Djarmode=tools .*\)$/\1/p' "$DEPLOY/docker/Dockerfile")"
  cp "$JAR" "$TMP/application.jar" # the Dockerfile renames it so, and the extracted jar keeps the name
  cmd="${cmd/--destination extracted/--destination $TMP/extracted}"
  if (cd "$TMP" && eval "$cmd" > "$TMP/extract.log" 2>&1); then
    ok "layer extraction: $cmd"
    # Lay out the image's file system as the container has it: the layers copied in order into one folder.
    mkdir -p "$TMP/app"
    for layer in $(sed -n 's|^COPY --from=extract /extract/extracted/\([a-z-]*\)/.*|\1|p' "$DEPLOY/docker/Dockerfile"); do
      if [[ -d "$TMP/extracted/$layer" ]]; then
        ok "layer $layer extracted"
        cp -R "$TMP/extracted/$layer/." "$TMP/app/"
      else
        bad "layer $layer copied by the Dockerfile was not extracted"
      fi
    done
    # ENTRYPOINT ["java", "-XX:SharedArchiveFile=application.jsa", "-jar", "application.jar"]
    entry="$(sed -n 's/^ENTRYPOINT \[\(.*\)\]$/\1/p' "$DEPLOY/docker/Dockerfile" | tr -d '",')"
    read -r -a entry_args <<< "${entry#java }"
    if [[ "${entry%% *}" == java && -f "$TMP/app/${entry_args[-1]}" ]]; then
      ok "ENTRYPOINT jar ${entry_args[-1]} is in the extracted layers"
    else
      bad "ENTRYPOINT '$entry' does not run a jar of the extracted layers"
    fi
    # The image's class-data training run, exactly as the Dockerfile's RUN line has it.
    training="$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$DEPLOY/docker/Dockerfile" \
      | sed -n 's/^RUN \(java -XX:ArchiveClassesAtExit=.*\)$/\1/p' | sed 's/ *&&.*$//')"
    archive="$(sed -n 's/.*-XX:ArchiveClassesAtExit=\([^ ]*\).*/\1/p' <<< "$training")"
    if [[ -n "$training" ]] && (cd "$TMP/app" && timeout 300 bash -c "$training" > "$TMP/training.log" 2>&1) \
        && [[ -s "$TMP/app/$archive" ]]; then
      ok "the class-data training run wrote $archive"
    else
      tail -n 30 "$TMP/training.log" 2> /dev/null; bad "the Dockerfile's class-data training run failed: $training"
    fi
    # Start it with the ENTRYPOINT's arguments and judge it ready with the Dockerfile's own HEALTHCHECK.
    read -r eph_lo _ < /proc/sys/net/ipv4/ip_local_port_range || eph_lo=32768
    port=$(( 10000 + RANDOM % (eph_lo > 12000 ? eph_lo - 10000 : 20000) ))
    health="$(sed -n 's/^  CMD \["bash", "-c", "\(.*\)"\]$/\1/p' "$DEPLOY/docker/Dockerfile")"
    health="${health//\\\\/\\}"
    health="${health//127.0.0.1\/8080/127.0.0.1/$port}"
    (cd "$TMP/app" && exec java -Xmx256m -XX:TieredStopAtLevel=1 "${entry_args[@]}" --server.port="$port" \
        --server.address=127.0.0.1 --idgen.zookeeper.embedded.port=0 --idgen.worker.state-dir="$TMP/state" \
        > "$TMP/app.log" 2>&1) &
    app_pid=$!
    healthy=0
    healthcheck() { bash -c "$health" 2> /dev/null; }
    await_ready "$app_pid" healthcheck && healthy=1
    kill -TERM "$app_pid" 2> /dev/null || true
    wait "$app_pid" 2> /dev/null || true
    if (( healthy )); then
      ok "the extracted layers start with the ENTRYPOINT (and its archive) and pass the HEALTHCHECK command"
    else
      tail -n 30 "$TMP/app.log"; bad "the extracted image did not pass its HEALTHCHECK within 180s"
    fi
  else
    cat "$TMP/extract.log"; bad "layer extraction failed: $cmd"
  fi
else
  skip "idgen-server jar not built as a layered Boot jar (${JAR:-no idgen-server/target/idgen-server-*.jar})"
fi

echo "validate: plain java -jar (the jar's indexed launcher)"
if [[ -n "$JAR" && -f "$JAR" ]] && unzip -l "$JAR" META-INF/idgen/nested-jar-classes.idx > /dev/null 2>&1; then
  JCMD="$(dirname "$(readlink -f "$(command -v java)")")/jcmd"
  # Starts a jar plainly, waits for GET /ids, and reports the class loaders it runs on.
  plain_start() { # jar, log file
    local jar=$1 log=$2 port=$(( 10000 + RANDOM % 20000 )) pid served=0
    plain_ids_ok() {
      bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /ids HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
        && head -n1 <&3 | grep -q ' 200 '" 2> /dev/null
    }
    java -XX:TieredStopAtLevel=1 -jar "$jar" --server.port="$port" --server.address=127.0.0.1 \
      --idgen.zookeeper.embedded.port=0 --idgen.worker.state-dir="$TMP/plain-state" > "$log" 2>&1 &
    pid=$!
    await_ready "$pid" plain_ids_ok && served=1
    (( served )) && "$JCMD" "$pid" VM.classloaders 2> /dev/null
    kill -TERM "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    return $(( ! served ))
  }
  if loaders="$(plain_start "$JAR" "$TMP/plain.log")"; then
    if [[ "$loaders" == *dev.idgen.server.launch.IndexedClassLoader* ]] \
        && ! grep -q "not using the jar's class index" "$TMP/plain.log"; then
      ok "java -jar serves /ids with its classes loaded through the jar's index"
    else
      echo "$loaders"; head -n 5 "$TMP/plain.log"; bad "java -jar did not load its classes through the jar's index"
    fi
  else
    tail -n 30 "$TMP/plain.log"; bad "java -jar: GET /ids did not answer 200 within 180 s"
  fi
  # The same jar with a library changed after the build (here its class path index, one byte more):
  # the index no longer matches, so the launcher says so and loads classes as Spring Boot's does.
  "$PYTHON" - "$JAR" "$TMP/changed.jar" << 'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w") as out:
    for info in src.infolist():
        data = src.read(info.filename)
        out.writestr(info, data + b"\n" if info.filename == "BOOT-INF/classpath.idx" else data)
PY
  if loaders="$(plain_start "$TMP/changed.jar" "$TMP/plain-changed.log")"; then
    if grep -q "not using the jar's class index (the jar's BOOT-INF has changed" "$TMP/plain-changed.log" \
        && [[ "$loaders" == *org.springframework.boot.loader.launch.LaunchedClassLoader* \
          && "$loaders" != *IndexedClassLoader* ]]; then
      ok "a jar changed after the build says so, and serves /ids with Spring Boot's class loader"
    else
      echo "$loaders"; head -n 5 "$TMP/plain-changed.log"; bad "a jar changed after the build still used the index"
    fi
  else
    tail -n 30 "$TMP/plain-changed.log"; bad "a jar changed after the build: GET /ids did not answer 200 within 180 s"
  fi
else
  skip "idgen-server jar not built with the indexed launcher (${JAR:-no idgen-server/target/idgen-server-*.jar})"
fi

echo "validate: the launch script (idgen-server/bin/idgen-server)"
LAUNCH="$REPO/idgen-server/bin/idgen-server"
if out="$(IDGEN_SERVER_JAR="$TMP/no-such.jar" "$LAUNCH" 2>&1)"; then
  bad "the launch script ran with a missing jar"
elif [[ $? -eq 2 && "$out" == *"no such jar"*IDGEN_SERVER_JAR* ]]; then
  ok "the launch script refuses a missing jar, naming IDGEN_SERVER_JAR"
else
  bad "the launch script's answer to a missing jar: $out"
fi
# An unwritable cache: a stand-in java that prints its arguments shows the script runs the jar as it is.
mkdir -p "$TMP/fake-jdk/bin" "$TMP/fake-build"
printf '#!/usr/bin/env bash\necho "java $*"\n' > "$TMP/fake-jdk/bin/java"
chmod +x "$TMP/fake-jdk/bin/java"
: > "$TMP/fake-build/idgen-server-0.jar"
out="$(JAVA_HOME="$TMP/fake-jdk" IDGEN_SERVER_JAR="$TMP/fake-build/idgen-server-0.jar" \
  IDGEN_LAUNCH_CACHE=/proc/idgen-launch-cache "$LAUNCH" --server.port=1 2>&1 || true)"
if [[ "$out" == *"cannot write to /proc/idgen-launch-cache (IDGEN_LAUNCH_CACHE)"* \
    && "$out" == *"java -Xms64m -Xmx256m "*"-jar $TMP/fake-build/idgen-server-0.jar --server.port=1"* ]]; then
  ok "an unwritable cache is reported, naming IDGEN_LAUNCH_CACHE, and the jar runs as it is"
else
  bad "an unwritable cache: $out"
fi
if [[ -n "$JAR" && -f "$JAR" ]]; then
  # Launches on one cache: the first prepares the archive, the second reuses it, the third (a rebuilt
  # jar) prepares a new one and removes the superseded. Each must be the JVM itself (exec: same PID, so
  # SIGTERM reaches the server), with the heap defaults and the archive, mapped: a JVM silently ignores
  # an archive made for another class path.
  mkdir -p "$TMP/build"
  cp "$JAR" "$TMP/build/"
  LAUNCH_JAR="$TMP/build/$(basename "$JAR")"
  launch() { # log file
    IDGEN_SERVER_JAR="$LAUNCH_JAR" IDGEN_LAUNCH_CACHE="$TMP/launch" JAVA_OPTS="-XX:TieredStopAtLevel=1" \
      exec "$LAUNCH" --server.port="$port" --server.address=127.0.0.1 --idgen.zookeeper.embedded.port=0 \
      --idgen.worker.state-dir="$TMP/launch-state" > "$1" 2>&1
  }
  ids_ok() { # GET /ids answers 200
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /ids HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
      && head -n1 <&3 | grep -q ' 200 '" 2> /dev/null
  }
  for round in first second rebuilt; do
    if [[ $round == rebuilt ]]; then
      superseded=("$TMP/launch"/*/)
      touch -d '+1 minute' "$LAUNCH_JAR" # a new build of the same jar
    fi
    port=$(( 10000 + RANDOM % 20000 ))
    launch "$TMP/launch-$round.log" &
    launch_pid=$!
    served=0
    await_ready "$launch_pid" ids_ok && served=1
    cmdline="$(tr '\0' ' ' < "/proc/$launch_pid/cmdline" 2> /dev/null || true)"
    mapped="$(sed -E 's/^([^ ]+ +){5}//' "/proc/$launch_pid/maps" 2> /dev/null | sort -u || true)"
    kill -TERM "$launch_pid" 2> /dev/null || true
    wait "$launch_pid" 2> /dev/null || true
    archive="$(grep -o -e '-XX:AOTCache=[^ ]*' -e '-XX:SharedArchiveFile=[^ ]*' <<< "$cmdline" | cut -d= -f2 || true)"
    if (( ! served )); then
      tail -n 30 "$TMP/launch-$round.log"; bad "$round launch: GET /ids did not answer 200 within 180 s"
    elif [[ "$cmdline" != *java*-Xms64m*-Xmx256m*-XX:+ExitOnOutOfMemoryError*-jar* ]]; then
      bad "$round launch: the server's process is not the JVM with the heap defaults: $cmdline"
    elif [[ -z "$archive" || ! -s "$archive" ]]; then
      tail -n 30 "$TMP/launch"/*/training.log 2> /dev/null; bad "$round launch: no class-data archive in use: $cmdline"
    elif ! grep -qxF "$archive" <<< "$mapped"; then
      bad "$round launch: the JVM did not map its archive $archive (made for another class path?)"
    else
      ok "$round launch: GET /ids 200 from the JVM itself, -Xms64m -Xmx256m, archive $(basename "$archive") mapped"
    fi
  done
  if grep -q "preparing this build" "$TMP/launch-first.log" && ! grep -q "preparing this build" "$TMP/launch-second.log"; then
    ok "the archive is prepared on the first launch of a build and reused by the next"
  else
    bad "the first launch should prepare the archive and the second reuse it"
  fi
  kept=("$TMP/launch"/*/)
  if grep -q "preparing this build" "$TMP/launch-rebuilt.log" && (( ${#superseded[@]} == 1 && ${#kept[@]} == 1 )) \
      && [[ "${kept[0]}" != "${superseded[0]}" ]]; then
    ok "a rebuilt jar gets a new archive, and the superseded one is removed"
  else
    bad "after a rebuild the cache should hold only the new build's archive: ${kept[*]} (was ${superseded[*]})"
  fi
else
  skip "the launch script's start: idgen-server jar not built"
fi

echo "validate: the local cluster's process checks"
# The fault test restarts a node only if pid_alive says the killed one is gone. Each case runs in a
# subshell that sources cluster.sh (its functions only) and exits 0 when pid_alive answers as expected.
pid_case() {
  local what="$1" expect="$2" setup="$3"
  if (
    # shellcheck source=local/cluster.sh
    source "$DEPLOY/local/cluster.sh"
    set +e
    eval "$setup"
    if pid_alive "$pid"; then got=alive; else got=gone; fi
    kill -KILL "$pid" 2> /dev/null
    [[ "$got" == "$expect" ]]
  ); then ok "pid_alive: $what is $expect"; else bad "pid_alive: $what is not $expect"; fi
}
pid_case "a running process" alive 'sleep 30 & pid=$!'
pid_case "a paused process" alive 'sleep 30 & pid=$!; kill -STOP "$pid"'
pid_case "a zombie" gone \
  'bash -c "sleep 0.1 & echo \$! > $TMP/zombie.pid; exec sleep 3" & sleep 0.5; pid="$(cat "$TMP/zombie.pid")"'
pid_case "a process reaped between kill -0 and /proc" gone 'sleep 30 & pid=$!; proc_state() { echo -; }'
pid_case "no process" gone 'pid=999999999'

echo "validate: $passed passed, $failed failed"
(( failed == 0 ))
