#!/usr/bin/env bash
# Warm-server latency of queries through the app API, as the web UI sees them.
#
# Starts `otelstack serve` on DATA_DIR (every listener on 127.0.0.1, free
# ports, --retention 0 so that the server never drops the data it is shown),
# logs in as a bench user (created in DATA_DIR's metadata if missing, its
# password reset otherwise), waits until the store's part files settle (the
# server merges a day partition no longer written to as soon as it starts,
# which rewrites the data dir's parts of past days into fewer, without
# changing any row), then for each query given on the command line
# runs WARMUP untimed calls and RUNS timed ones and prints
#
#   <name> <median_us> <us of every run, space-separated>
#
# The time of a call is curl's time_total (connect over loopback, request,
# the server's work, response), so curl's own process start is not in it,
# unlike the CLI figures of run_query_bench.sh. The last response
# body of each query is written to OUT_DIR/<name>.api.json. Results are never
# cached by the server; what stays warm between calls is what the server
# keeps open (mapped parts, their footers, verified filters).
#
# Queries, one argument each:
#   <name>|GET|<path>               e.g. "trace_by_id|GET|/api/v2/traces/<id>"
#   <name>|POST|<path>|<json body>  e.g. "latest100_search|POST|/api/v2/search|{...}"
# In a POST body, @LOGS_SOURCE@ / @TRACES_SOURCE@ become the ids of the team's
# first trace source and of the log source it links (the defaults: the
# store's logs and traces).
#
# Environment: OTELSTACK_BIN (default <repo>/build/otelstack), DATA_DIR
# (required), RUNS (default 20), WARMUP (default 2), OUT_DIR (default: a temp
# dir, removed), SERVER_LOG (default OUT_DIR/api-server.log), SETTLE_QUIET /
# SETTLE_MAX (default 5 / 600: seconds without part-file changes that count as
# settled / at most this long).
# Exit 0 when every query answered 200 every time, 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
otelstack_bin="${OTELSTACK_BIN:-$root/build/otelstack}"
data_dir="${DATA_DIR:?DATA_DIR is required}"
runs="${RUNS:-20}"
warmup="${WARMUP:-2}"
settle_quiet="${SETTLE_QUIET:-5}"
settle_max="${SETTLE_MAX:-600}"
die() { echo "api_latency: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
[[ -x "$otelstack_bin" ]] || die "not found: $otelstack_bin"
for t in jq curl; do command -v "$t" >/dev/null || die "$t is required"; done

own_out=0
out_dir="${OUT_DIR:-}"
if [[ -z "$out_dir" ]]; then
  out_dir="$(mktemp -d "${TMPDIR:-/tmp}/otelstack-api-latency.XXXXXX")"
  own_out=1
fi
mkdir -p "$out_dir"
server_log="${SERVER_LOG:-$out_dir/api-server.log}"
server_pid=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $own_out == 1 ]]; then rm -rf "$out_dir"; fi
}
trap cleanup EXIT

# The bench user: created once per data dir, its password set anew each run
# (so no password needs to be kept anywhere).
email="query-bench@example.com"
password="Bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')-9aZ"
if "$otelstack_bin" users list --data-dir "$data_dir" | cut -f2 | grep -qx "$email"; then
  printf '%s\n' "$password" | "$otelstack_bin" users reset-password --email "$email" --password-stdin \
    --data-dir "$data_dir" >/dev/null
else
  printf '%s\n' "$password" | "$otelstack_bin" users create --email "$email" --role viewer --password-stdin \
    --data-dir "$data_dir" >/dev/null
fi

"$otelstack_bin" serve --data-dir "$data_dir" --retention 0 --http-listen 127.0.0.1:0 \
  --otlp-http-listen 127.0.0.1:0 --otlp-grpc-listen 127.0.0.1:0 --internal-listen 127.0.0.1:0 \
  2>"$server_log" &
server_pid=$!
wait_for_ready "$server_pid" "$server_log"
# A server started on a day partition nobody writes to any more merges it
# (store.h: idle partitions) right away. Time the queries once the part
# files have settled, as on a server that has been up a while, not while a
# merge competes for the CPU.
wait_for_settled_store "$data_dir" "$settle_quiet" "$settle_max"
((settle_seconds <= settle_quiet + 1)) || echo "api_latency: waited $settle_seconds s for merges" >&2

app_addr="$(sed -n 's/.* app (.*) listening on \([^ ]*\).*/\1/p' "$server_log" | head -1)"
[[ -n "$app_addr" ]] || die "no app listening address in $server_log"
app="http://$app_addr"

# A session, as the web UI holds one: the cookie, and the CSRF token that
# state-changing requests (POST /api/v2/search) must carry.
jar="$out_dir/cookies.txt"
login="$(jq -cn --arg e "$email" --arg p "$password" '{email: $e, password: $p}')"
curl -sS --fail -c "$jar" -H 'content-type: application/json' -d "$login" "$app/api/login/password" >/dev/null ||
  die "login failed (see $server_log)"
csrf="$(curl -sS --fail -b "$jar" "$app/api/me" | jq -r '.csrfToken')"
[[ -n "$csrf" && "$csrf" != null ]] || die "no CSRF token from /api/me"
sources="$(curl -sS --fail -b "$jar" "$app/api/v2/sources")"
printf '%s\n' "$sources" >"$out_dir/sources.json"
# The team's first trace source and the log source it links (the store's
# logs; the audit log is a log source too, linked to no trace source).
traces_source="$(jq -r '[.data[] | select(.kind == "trace")][0].id // empty' <<<"$sources")"
logs_source="$(jq -r '[.data[] | select(.kind == "trace")][0].logSourceId // empty' <<<"$sources")"
[[ -n "$traces_source" && -n "$logs_source" ]] || die "no trace source linking a log source (see $out_dir/sources.json)"

median() { sort -n | awk '{a[NR]=$1} END{if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# One call; prints its time in microseconds, the body goes to $2.
call() {  # method path body out
  local args=(-sS -o "$4" -w '%{http_code} %{time_total}' -b "$jar")
  if [[ $1 == POST ]]; then
    args+=(-X POST -H 'content-type: application/json' -H "x-csrf-token: $csrf" --data-binary "$3")
  fi
  local result code time
  result="$(curl "${args[@]}" "$app$2")" || die "$1 $2 failed"
  read -r code time <<<"$result"
  [[ $code == 200 ]] || die "$1 $2 answered $code: $(head -c 300 "$4")"
  awk -v t="$time" 'BEGIN{printf "%d\n", t * 1e6}'
}

for spec in "$@"; do
  IFS='|' read -r name method path body <<<"$spec"
  body="${body//@LOGS_SOURCE@/$logs_source}"
  body="${body//@TRACES_SOURCE@/$traces_source}"
  out="$out_dir/$name.api.json"
  for ((i = 0; i < warmup; i++)); do call "$method" "$path" "$body" "$out" >/dev/null; done
  times=()
  for ((i = 0; i < runs; i++)); do times+=("$(call "$method" "$path" "$body" "$out")"); done
  echo "$name $(printf '%s\n' "${times[@]}" | median) ${times[*]}"
done
