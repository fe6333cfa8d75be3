#!/usr/bin/env bash
# Query benchmark: otelstack against ClickHouse 18.16 on the same machine,
# same data. See bench/README.md ("Query benchmark") and docs/benchmarks.md.
#
#  1. Ingests LOG_RECORDS synthetic log records and SPAN_RECORDS spans (one
#     simulated day, yesterday UTC) into a fresh otelstack data directory
#     through `otelstack serve` + otelstack-loadgen, waits until the store's
#     part files stop changing (merges done), stops the server with SIGTERM.
#  2. Starts its own clickhouse-server in a temp dir (loopback, free ports,
#     zstd for all parts), creates the tables of clickhouse_schema.sql and
#     loads the SAME rows, exported from the otelstack data directory by
#     otelstack-export-clickhouse; OPTIMIZE ... FINAL; checks row counts.
#  3. Runs every query RUNS times on both sides and takes the median wall
#     time of the whole client command, process start included on both
#     sides: `otelstack search|chart|trace --data-dir D` and `clickhouse-client
#     --query` (native protocol). ClickHouse's own server-side time
#     (clickhouse-client --time) is reported too. Results are checked for
#     agreement (a WARNING line when they differ).
#     trace_by_id and latest100_search are also timed through the app API of
#     a running `otelstack serve` on the same data dir, as the web UI runs
#     them (api_latency.sh: warm server, WARMUP untimed calls, median of RUNS
#     curl time_total): column api_ms. Their ms targets are judged on that
#     figure, the one to set against ClickHouse's server-side time.
#  4. Compares bytes on disk: du -sb of otelstack's store/ vs
#     sum(bytes_on_disk) of ClickHouse's active parts.
# Builds nothing. Exit 0 when it ran (whatever the targets), 1 on errors,
# 3 with STRICT=1 when a target is missed.
#
# Environment (all optional):
#   OTELSTACK_BIN, LOADGEN_BIN, EXPORT_BIN   binaries (default <repo>/build/...)
#   CLICKHOUSE_SERVER_BIN, CLICKHOUSE_CLIENT_BIN  (default /usr/sbin/clickhouse-server, clickhouse-client)
#   LOG_RECORDS      (default 10000000)      SPAN_RECORDS (default 2000000)
#   POOL_RECORDS     loadgen pool size (default 1000000: bodies repeat every
#                    pass, so the needle token occurs LOG_RECORDS/POOL_RECORDS times)
#   RUNS             runs per query (default 5)
#   WARMUP           untimed API calls per query before the timed ones (default 2)
#   DATA_DIR         reuse this otelstack data dir (skips ingestion; it is kept)
#   SETTLE_MAX       max seconds to wait for merges (default 600)
#   SETTLE_QUIET     seconds without part-file changes that count as settled (default 30)
#   BENCH_TMPDIR     where temp dirs go (default $TMPDIR or /tmp)
#   RESULTS_DIR      default <repo>/bench/results/query-<time>
#   KEEP_DATA=1      keep the otelstack data dir and the ClickHouse dir
#   STRICT=1         exit 3 when a target is missed
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
otelstack_bin="${OTELSTACK_BIN:-$root/build/otelstack}"
loadgen_bin="${LOADGEN_BIN:-$root/build/bench/otelstack-loadgen}"
export_bin="${EXPORT_BIN:-$root/build/bench/otelstack-export-clickhouse}"
ch_server_bin="${CLICKHOUSE_SERVER_BIN:-/usr/sbin/clickhouse-server}"
ch_client_bin="${CLICKHOUSE_CLIENT_BIN:-$(command -v clickhouse-client || echo /usr/bin/clickhouse-client)}"
log_records="${LOG_RECORDS:-10000000}"
span_records="${SPAN_RECORDS:-2000000}"
pool_records="${POOL_RECORDS:-1000000}"
runs="${RUNS:-5}"
settle_max="${SETTLE_MAX:-600}"
settle_quiet="${SETTLE_QUIET:-30}"
tmp_base="${BENCH_TMPDIR:-${TMPDIR:-/tmp}}"
results="${RESULTS_DIR:-$root/bench/results/query-$(date +%Y%m%d-%H%M%S)}"
here="$root/bench/query"

die() { echo "run_query_bench: $*" >&2; exit 1; }
note() { echo "run_query_bench: $*" >&2; }
for b in "$otelstack_bin" "$export_bin" "$ch_server_bin" "$ch_client_bin"; do [[ -x "$b" ]] || die "not found: $b"; done
for t in jq curl python3; do command -v "$t" >/dev/null || die "$t is required"; done
mkdir -p "$results"

server_pid=""
ch_pid=""
ch_dir=""
own_data=0
data_dir="${DATA_DIR:-}"
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$ch_pid" ]] && kill -0 "$ch_pid" 2>/dev/null; then
    kill -KILL "$ch_pid" 2>/dev/null || true
    wait "$ch_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then
    note "kept: otelstack data $data_dir, ClickHouse dir $ch_dir"
  else
    [[ $own_data == 1 && -n "$data_dir" ]] && rm -rf "$data_dir"
    [[ -n "$ch_dir" ]] && rm -rf "$ch_dir"
  fi
}
trap cleanup EXIT

# ---- 1. otelstack: ingest ----------------------------------------------------
day_ns=86400000000000
base_s=$(( ($(date -u +%s) / 86400 - 1) * 86400 ))   # yesterday 00:00 UTC
base_ns="${base_s}000000000"
# Spread the records over 0.999 of the day (loadgen jitter and span
# durations push a few past midnight).
log_step=$(( day_ns / 1000 * 999 / log_records ))
span_step=$(( day_ns / 1000 * 999 / span_records ))

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

if [[ -z "$data_dir" ]]; then
  [[ -x "$loadgen_bin" ]] || die "not found: $loadgen_bin"
  data_dir="$(mktemp -d "$tmp_base/otelstack-qbench.XXXXXX")"
  own_data=1
  key="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  server_log="$results/server.log"
  OTELSTACK_INGESTION_KEY="$key" "$otelstack_bin" serve --data-dir "$data_dir" \
    --otlp-http-listen 127.0.0.1:0 --otlp-grpc-listen 127.0.0.1:0 --internal-listen 127.0.0.1:0 \
    --http-listen 127.0.0.1:0 2>"$server_log" &
  server_pid=$!
  wait_for_ready "$server_pid" "$server_log"
  http_addr="$(grep -o 'OTLP/HTTP listening on [^ ]*' "$server_log" | head -1 | awk '{print $4}')"
  note "otelstack serve pid $server_pid on $http_addr, data in $data_dir"
  for spec in "logs $log_records $log_step" "traces $span_records $span_step"; do
    read -r sig n step <<<"$spec"
    note "loading $n $sig (time step $step ns from $base_ns)"
    OTELSTACK_INGESTION_KEY="$key" "$loadgen_bin" --endpoint "http://$http_addr" --signal "$sig" --records "$n" \
      --connections 4 --batch 1000 --pool-records "$pool_records" --base-time-ns "$base_ns" \
      --time-step-ns "$step" --progress 0 >"$results/loadgen-$sig.txt" || die "loadgen $sig failed (see $results)"
    grep '^RESULT' "$results/loadgen-$sig.txt" >&2
  done
  # Settled: no part file created, removed or resized for settle_quiet seconds.
  note "waiting for merges (no store change for ${settle_quiet}s, at most ${settle_max}s)"
  wait_for_settled_store "$data_dir" "$settle_quiet" "$settle_max" 2
  note "settled after $settle_seconds s; stopping otelstack"
  kill -TERM "$server_pid"
  wait "$server_pid" || die "otelstack serve exited with $? (see $server_log)"
  server_pid=""
fi
[[ -d "$data_dir/store" ]] || die "no store in $data_dir"

# ---- 2. ClickHouse: start, create, load --------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ch_dir="$(mktemp -d "$tmp_base/clickhouse-qbench.XXXXXX")"
mkdir -p "$ch_dir"/{data,tmp,log,user_files,format_schemas}
ch_tcp="$(free_port)"
ch_http="$(free_port)"
cat >"$ch_dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$ch_dir/log/server.log</log><errorlog>$ch_dir/log/server.err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$ch_http</http_port>
  <tcp_port>$ch_tcp</tcp_port>
  <path>$ch_dir/data/</path>
  <tmp_path>$ch_dir/tmp/</tmp_path>
  <user_files_path>$ch_dir/user_files/</user_files_path>
  <format_schema_path>$ch_dir/format_schemas/</format_schema_path>
  <users_config>$ch_dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>5368709120</mark_cache_size>
  <uncompressed_cache_size>0</uncompressed_cache_size>
  <mlock_executable>false</mlock_executable>
  <!-- 18.16 has no per-column CODECs: zstd for every part, whatever its size. -->
  <compression><case><min_part_size>0</min_part_size><min_part_size_ratio>0</min_part_size_ratio><method>zstd</method></case></compression>
</yandex>
EOF
cat >"$ch_dir/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default>
    <max_memory_usage>10000000000</max_memory_usage>
    <allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>
    <!-- The 18.16 client cannot decode LowCardinality in Native blocks: send it plain. -->
    <low_cardinality_allow_in_native_format>0</low_cardinality_allow_in_native_format>
  </default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
"$ch_server_bin" --config-file="$ch_dir/config.xml" >"$ch_dir/log/stdout.log" 2>&1 &
ch_pid=$!
ch() { "$ch_client_bin" --host 127.0.0.1 --port "$ch_tcp" "$@"; }
deadline=$((SECONDS + 60))
until ch --query "SELECT 1" >/dev/null 2>&1; do
  kill -0 "$ch_pid" 2>/dev/null || { tail -20 "$ch_dir/log/server.err.log" >&2; die "clickhouse-server exited"; }
  ((SECONDS < deadline)) || die "clickhouse-server not answering after 60 s"
  sleep 0.2
done
ch_version="$(ch --query "SELECT version()")"
note "clickhouse-server $ch_version pid $ch_pid, native port $ch_tcp, dir $ch_dir"
ch --multiquery <"$here/clickhouse_schema.sql"

declare -A otel_rows ch_rows
for sig in logs traces; do
  cols="$("$export_bin" --signal "$sig" --columns)"
  load_start=$SECONDS
  # Over HTTP: clickhouse-client 18.16 fails to send LowCardinality columns in
  # its Native blocks ("Syntax error (data type)"); the server parses TSV fine.
  # `-T -` streams (chunked); --data-binary @- would buffer gigabytes.
  insert_uri="http://127.0.0.1:$ch_http/?query=$(jq -rn --arg q "INSERT INTO $sig ($cols) FORMAT TabSeparated" '$q|@uri')"
  "$export_bin" --data-dir "$data_dir" --signal "$sig" 2>"$results/export-$sig.txt" |
    curl -sS --fail -X POST -T - "$insert_uri" || die "loading $sig into ClickHouse failed"
  otel_rows[$sig]="$(sed -n 's/^rows=//p' "$results/export-$sig.txt")"
  ch --query "OPTIMIZE TABLE $sig FINAL"
  ch_rows[$sig]="$(ch --query "SELECT count() FROM $sig")"
  note "$sig: exported ${otel_rows[$sig]} rows, ClickHouse holds ${ch_rows[$sig]} ($((SECONDS - load_start)) s incl. OPTIMIZE FINAL)"
  [[ "${otel_rows[$sig]}" == "${ch_rows[$sig]}" ]] || die "row counts differ for $sig"
done

# ---- 3. queries ---------------------------------------------------------------
# The needle: a 24-hex-digit session token of the data (unique per loadgen
# pool record, so it occurs once per pool pass), the smallest one so the
# choice is deterministic for a given data set.
needle="$(ch --query "SELECT min(extract(Body, 'Session ([0-9a-f]{24}) refreshed')) FROM logs WHERE Body LIKE 'Session %'")"
# A trace id: the trace of the median-time root span with the most spans.
trace_id="$(ch --query "SELECT hex(TraceId) FROM traces WHERE Timestamp >= (SELECT quantileExact(0.5)(Timestamp) FROM traces) GROUP BY TraceId ORDER BY count() DESC, TraceId LIMIT 1" | tr 'A-F' 'a-f')"
note "needle token: $needle; trace id: $trace_id"
[[ -n "$needle" && -n "$trace_id" ]] || die "could not pick the needle / trace id"

# Free text in otelstack matches Body and the values of the three attribute
# maps (store/skip_index IndexedTextOf); the ClickHouse side searches the same.
text_match() {
  local p="$1"
  echo "(positionCaseInsensitive(Body, '$p') > 0 OR arrayExists(v -> positionCaseInsensitive(v, '$p') > 0, LogAttributesValues) OR arrayExists(v -> positionCaseInsensitive(v, '$p') > 0, ResourceAttributesValues) OR arrayExists(v -> positionCaseInsensitive(v, '$p') > 0, ScopeAttributesValues))"
}
latest_word="declined"   # a whole token wherever it occurs, so substring = token match
phrase="connection refused"
# Rows as JSON on both sides (ClickHouse writes the FixedString ids as raw bytes).
rows_json="*"
# The API form of the queries a user runs from the web UI (api_latency.sh
# syntax): search over the whole ingested day up to now.
api_search_body="$(jq -cn --arg q "$latest_word" --argjson from "$((base_s * 1000))" --argjson to "$(($(date +%s) * 1000))" \
  '{sourceId: "@LOGS_SOURCE@", query: $q, whereLanguage: "lucene", startTime: $from, endTime: $to, limit: 100}')"
declare -A api_queries=(
  [trace_by_id]="trace_by_id|GET|/api/v2/traces/$trace_id"
  [latest100_search]="latest100_search|POST|/api/v2/search|$api_search_body"
)

# name | target kind (ratio|ms) | target value | otelstack args | ClickHouse SQL | check kind
queries=(
  "needle|ratio|0.1|search --query $needle --limit 100|SELECT $rows_json FROM logs WHERE $(text_match "$needle") ORDER BY Timestamp DESC LIMIT 100 FORMAT JSONEachRow|rows"
  "phrase_count|ratio|1.0|chart --agg count --query '\"$phrase\"'|SELECT count() FROM logs WHERE $(text_match "$phrase")|count"
  "attr_status_500|ratio|1.0|chart --agg count --query http.status_code:500|SELECT count() FROM logs WHERE LogAttributesValues[indexOf(LogAttributesKeys, 'http.status_code')] = '500'|count"
  "count_by_minute|ratio|1.0|chart --agg count --granularity 1m|SELECT intDiv(Timestamp, 60000000000) AS m, count() FROM logs GROUP BY m ORDER BY m|buckets"
  "top10_services|ratio|1.0|chart --agg count --group-by ServiceName --top-k 10|SELECT ServiceName, count() AS c FROM logs GROUP BY ServiceName ORDER BY c DESC LIMIT 10|groups"
  "p99_duration_by_service|ratio|1.0|chart --signal traces --agg 'p99(Duration)' --group-by ServiceName --top-k 0|SELECT ServiceName, quantileExact(0.99)(Duration) FROM traces GROUP BY ServiceName|groups"
  "latest100_errors|ratio|1.0|search --query SeverityText:ERROR --limit 100|SELECT $rows_json FROM logs WHERE SeverityText = 'ERROR' ORDER BY Timestamp DESC LIMIT 100 FORMAT JSONEachRow|rows"
  "trace_by_id|ms|10|trace --trace-id $trace_id|SELECT * FROM traces WHERE TraceId = unhex('$trace_id') ORDER BY Timestamp FORMAT JSONEachRow; SELECT $rows_json FROM logs WHERE TraceId = unhex('$trace_id') ORDER BY Timestamp FORMAT JSONEachRow|trace"
  "latest100_search|ms|20|search --query $latest_word --limit 100|SELECT $rows_json FROM logs WHERE $(text_match "$latest_word") ORDER BY Timestamp DESC LIMIT 100 FORMAT JSONEachRow|rows"
)

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END{if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Canonical summaries of a result, equal when both systems agree.
otel_summary() {  # kind file
  case "$1" in
    rows) jq -r '.Body | if type == "string" then . else tojson end' "$2" | sort | md5sum | awk -v n="$(wc -l <"$2")" '{print n " rows, bodies " $1}' ;;
    count) jq -r '.rows[0][0]' "$2" ;;
    buckets) jq -r '"\(.rows | length) buckets, total \([.rows[][1]] | add), max \([.rows[][1]] | max)"' "$2" ;;
    groups) jq -r '.rows[] | select(.[0] != null) | "\(.[0]) \(.[1])"' "$2" | sort | md5sum | awk '{print $1}' ;;
    trace) jq -r '"\(.spans | length) spans, \(.logs | length) logs"' "$2" ;;
  esac
}
ch_summary() {  # kind file
  case "$1" in
    rows) jq -r '.Body' "$2" | sort | md5sum | awk -v n="$(wc -l <"$2")" '{print n " rows, bodies " $1}' ;;
    count) cat "$2" ;;
    buckets) awk '{n++; t+=$2; if ($2>m) m=$2} END{print n " buckets, total " t ", max " m}' "$2" ;;
    groups) awk -F'\t' '{print $1 " " $2}' "$2" | sort | md5sum | awk '{print $1}' ;;
    trace) echo "$(jq -r 'select(has("SpanName")) | 1' "$2" | wc -l) spans, $(jq -r 'select(has("Body")) | 1' "$2" | wc -l) logs" ;;
  esac
}

# The API timings, first: the server holds the data dir's lock, so it runs
# alone, before the CLI commands read the directory. On start it merges the
# ingested day's parts (an idle partition, store.h) and api_latency.sh waits
# for that, so the CLI figures below are taken on those merged parts, as a
# server that has been up a while would hold them (rows unchanged).
declare -A api_us=()
note "timing ${!api_queries[*]} through the API of otelstack serve (warm, median of $runs)"
OTELSTACK_BIN="$otelstack_bin" DATA_DIR="$data_dir" RUNS="$runs" WARMUP="${WARMUP:-2}" OUT_DIR="$results" \
  "$here/api_latency.sh" "${api_queries[@]}" >"$results/api_runs.txt" || die "API timing failed (see $results/api-server.log)"
while read -r name median _; do api_us[$name]=$median; done <"$results/api_runs.txt"

table="$results/summary.txt"
: >"$table"
missed=0
warnings=0
printf '%-24s %12s %12s %12s %12s %8s  %-12s %s\n' query otelstack_ms api_ms clickhouse_ms ch_server_ms ratio target met |
  tee -a "$table"
for q in "${queries[@]}"; do
  IFS='|' read -r name kind target oargs sql check <<<"$q"
  declare -a oargv=()
  eval "oargv=($oargs)"  # the otelstack arguments carry shell quoting
  otimes=() ctimes=() stimes=()
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ns)
    "$otelstack_bin" "${oargv[@]}" --data-dir "$data_dir" >"$results/$name.otelstack.out" 2>"$results/$name.otelstack.err" ||
      die "otelstack $name failed: $(cat "$results/$name.otelstack.err")"
    t1=$(now_ns)
    ch --multiquery --time --query "$sql" >"$results/$name.clickhouse.out" 2>"$results/$name.clickhouse.err" ||
      die "ClickHouse $name failed: $(cat "$results/$name.clickhouse.err")"
    t2=$(now_ns)
    otimes+=($(((t1 - t0) / 1000)))
    ctimes+=($(((t2 - t1) / 1000)))
    stimes+=("$(awk '{s += $1 * 1e6} END{printf "%d", s}' "$results/$name.clickhouse.err")")
  done
  om=$(printf '%s\n' "${otimes[@]}" | median)
  cm=$(printf '%s\n' "${ctimes[@]}" | median)
  sm=$(printf '%s\n' "${stimes[@]}" | median)
  echo "$name otelstack_us=${otimes[*]} clickhouse_us=${ctimes[*]} ch_server_us=${stimes[*]}" >>"$results/runs.txt"
  ratio=$(awk -v o="$om" -v c="$cm" 'BEGIN{printf "%.3f", o / c}')
  if [[ $kind == ratio ]]; then
    ok=$(awk -v r="$ratio" -v t="$target" 'BEGIN{print (r <= t) ? "ok" : "MISSED"}')
    tdesc="<= ${target}x"
  else
    judged="${api_us[$name]:-$om}"  # the API figure when there is one
    ok=$(awk -v o="$judged" -v t="$target" 'BEGIN{print (o / 1000 <= t) ? "ok" : "MISSED"}')
    tdesc="<= ${target} ms"
  fi
  [[ $ok == ok ]] || missed=$((missed + 1))
  api_ms="-"
  [[ -n "${api_us[$name]:-}" ]] && api_ms="$(awk -v x="${api_us[$name]}" 'BEGIN{printf "%.1f", x/1000}')"
  printf '%-24s %12.1f %12s %12.1f %12.1f %8s  %-12s %s\n' "$name" "$(awk -v x="$om" 'BEGIN{print x/1000}')" "$api_ms" \
    "$(awk -v x="$cm" 'BEGIN{print x/1000}')" "$(awk -v x="$sm" 'BEGIN{print x/1000}')" "$ratio" "$tdesc" "$ok" | tee -a "$table"
  os="$(otel_summary "$check" "$results/$name.otelstack.out")"
  cs="$(ch_summary "$check" "$results/$name.clickhouse.out")"
  echo "$name: otelstack [$os] clickhouse [$cs]" >>"$results/checks.txt"
  if [[ "$os" != "$cs" ]]; then
    echo "WARNING: $name: results differ: otelstack [$os] vs ClickHouse [$cs]" | tee -a "$table" >&2
    warnings=$((warnings + 1))
  fi
  if [[ -n "${api_us[$name]:-}" ]]; then
    api_out="$results/$name.api.json"
    # The API's search answer holds the rows under .data; its trace answer
    # has the CLI's shape.
    if [[ "$check" == rows ]]; then
      jq -c '.data[]' "$results/$name.api.json" >"$results/$name.api.rows"
      api_out="$results/$name.api.rows"
    fi
    as="$(otel_summary "$check" "$api_out")"
    echo "$name: otelstack API [$as]" >>"$results/checks.txt"
    if [[ "$as" != "$cs" ]]; then
      echo "WARNING: $name: results differ: otelstack API [$as] vs ClickHouse [$cs]" | tee -a "$table" >&2
      warnings=$((warnings + 1))
    fi
  fi
  if [[ "$check" != rows && "$check" != trace ]]; then
    jq -c '{rows_read, granules_read, granules_skipped}' "$results/$name.otelstack.out" 2>/dev/null |
      sed "s/^/  otelstack $name scan: /" >>"$table" || true
  fi
done

# ---- 4. bytes on disk -----------------------------------------------------------
otel_bytes="$(du -sb "$data_dir/store" | awk '{print $1}')"
otel_all="$(du -sb "$data_dir" | awk '{print $1}')"
ch_bytes="$(ch --query "SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'default'")"
ch_du="$(du -sb "$ch_dir/data/data/default" | awk '{print $1}')"
disk_ratio=$(awk -v o="$otel_bytes" -v c="$ch_bytes" 'BEGIN{printf "%.3f", o / c}')
disk_ok=$(awk -v r="$disk_ratio" 'BEGIN{print (r <= 0.6) ? "ok" : "MISSED"}')
[[ $disk_ok == ok ]] || missed=$((missed + 1))
{
  printf '%-24s %12s %12s %12s %12s %8s  %-12s %s\n' bytes_on_disk "$otel_bytes" "-" "$ch_bytes" "-" "$disk_ratio" "<= 0.6x" \
    "$disk_ok"
  echo "  otelstack store/ $otel_bytes B (data dir $otel_all B); ClickHouse active parts $ch_bytes B (du $ch_du B)"
  ch --query "SELECT table, sum(rows), sum(bytes_on_disk), count() FROM system.parts WHERE active AND database = 'default' GROUP BY table FORMAT TSV" |
    awk '{printf "  ClickHouse %s: %d rows, %d bytes, %d parts\n", $1, $2, $3, $4}'
  echo "rows: logs ${otel_rows[logs]}, traces ${otel_rows[traces]}; runs per query: $runs; ClickHouse $ch_version"
  echo "needle: $needle; trace id: $trace_id; latest-100 word: $latest_word; phrase: \"$phrase\""
  echo "timing: wall time of the whole client command (process start included) on both sides, median of $runs"
  echo "api_ms: curl time_total of the query through the app API of a warm otelstack serve (after ${WARMUP:-2} calls), median of $runs; ms targets judged on it"
  echo "targets missed: $missed; result mismatches: $warnings"
  echo "results: $results"
} | tee -a "$table"

if [[ "${STRICT:-0}" == 1 && $missed -gt 0 ]]; then exit 3; fi
exit 0
