#!/usr/bin/env bash
# Installs, from Debian's packages, what the deploy checks need on a fresh machine (JDK 17 + the repo):
#   promtool (package prometheus)  deploy/prometheus rule checks and unit tests
#   haproxy                        `haproxy -c` on the compose load balancer's configuration
#   python3-yaml                   deploy/validate.sh reads YAML with it
#   curl, jq                       deploy/local scripts and deploy/check-metrics.sh
#   faketime (libfaketime)         the fault test steps a running node's wall clock with it
#   chromium, chromium-driver      idgen-server's SwaggerUiBrowserTests (headless browser + its WebDriver)
# Installs only what is missing; safe to run again. Needs root (or sudo) for apt-get.
# kubectl (for `kubectl kustomize`) is used when present and not installed here: Debian's only package
# of it is old and clashes with other kubectl packages; without it validate.sh checks the overlays itself.
set -euo pipefail

need=()
command -v promtool > /dev/null 2>&1 || need+=(prometheus)
command -v haproxy > /dev/null 2>&1 || need+=(haproxy)
command -v curl > /dev/null 2>&1 || need+=(curl)
command -v jq > /dev/null 2>&1 || need+=(jq)
command -v faketime > /dev/null 2>&1 || need+=(faketime)
/usr/bin/python3 -c 'import yaml' > /dev/null 2>&1 || need+=(python3-yaml)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)

if (( ${#need[@]} == 0 )); then
  echo "install-tools: nothing to install"
  exit 0
fi

sudo_cmd=()
if (( EUID != 0 )); then sudo_cmd=(sudo); fi
echo "install-tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# --no-install-recommends: the prometheus package would otherwise pull in node-exporter and friends.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
# The packages' init scripts may start daemons on machines with an init system; the checks need none.
for svc in prometheus haproxy; do
  if command -v systemctl > /dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    "${sudo_cmd[@]}" systemctl stop "$svc" || true
  fi
done
echo "install-tools: done"
