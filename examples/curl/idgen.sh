#!/usr/bin/env bash
# An idgen client in the shell, curl alone.
#
# Gets one id, a batch of ids and the parse of the first id, and prints them:
#
#   IDGEN_URLS=http://idgen-0:8080,http://idgen-1:8080 ./idgen.sh [count]
#
# Asks for text/plain ids (the bare id; one per line for a batch), so no JSON tool is needed and the
# ids are never numbers to anything: shell arithmetic would be exact (64-bit), but jq, awk and most JSON
# readers turn numbers into doubles, which lose digits above 2^53.
#
# Fail-over: a node that refuses the connection or answers 503 is skipped for the next one. When every
# node refused, the script waits as long as the shortest Retry-After asked (1 s when no node answered)
# and goes round again, for at most IDGEN_MAX_WAIT_SECONDS (10) in all.
set -euo pipefail

IFS=',' read -r -a urls <<< "${IDGEN_URLS:-http://127.0.0.1:8080}"
count="${1:-3}"
max_wait="${IDGEN_MAX_WAIT_SECONDS:-10}"

headers=$(mktemp)
body=$(mktemp)
trap 'rm -f "$headers" "$body"' EXIT

# idgen_get PATH ACCEPT: prints the body of the first node that answers PATH with 200.
idgen_get() {
  local path=$1 accept=$2 deadline=$((SECONDS + max_wait)) url status wait hint
  while true; do
    wait=""
    for url in "${urls[@]}"; do
      url="${url// /}"
      url="${url%/}"
      [[ -n "$url" ]] || continue
      status=$(curl -sS -o "$body" -D "$headers" -w '%{http_code}' -H "Accept: $accept" \
        --connect-timeout 2 --max-time 5 "$url$path" 2> /dev/null) || status=000
      case "$status" in
        200)
          cat "$body"
          return 0
          ;;
        503)
          hint=$(tr -d '\r' < "$headers" | awk 'tolower($1) == "retry-after:" { print $2 }')
          [[ "$hint" =~ ^[0-9]+$ ]] || hint=1
          if [[ -z "$wait" ]] || (( hint < wait )); then wait=$hint; fi
          echo "idgen: $url$path: 503, retry after $hint s: $(cat "$body")" >&2
          ;;
        000)
          echo "idgen: $url$path: no connection" >&2
          ;;
        *)
          echo "idgen: $url$path: HTTP $status: $(cat "$body")" >&2
          return 1
          ;;
      esac
    done
    wait=${wait:-1}
    if (( SECONDS + wait > deadline )); then
      echo "idgen: no node answered $path within $max_wait s" >&2
      return 1
    fi
    sleep "$wait"
  done
}

# json_field NAME: the value of a top-level string or number field of the JSON on stdin (the parse
# response is flat where these fields are).
json_field() {
  sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}

id=$(idgen_get /ids text/plain)
[[ "$id" =~ ^[0-9]+$ ]] || { echo "idgen: not an id: $id" >&2; exit 1; }
echo "id $id"

batch=$(idgen_get "/ids/batch?count=$count" text/plain)
while read -r each; do
  echo "batch $each"
done <<< "$batch"

parts=$(idgen_get "/ids/$id/parse" application/json)
echo "parse $(json_field id <<< "$parts") workerId=$(json_field workerId <<< "$parts")" \
  "sequence=$(json_field sequence <<< "$parts") timestamp=$(json_field timestamp <<< "$parts")"
