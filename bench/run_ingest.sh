#!/usr/bin/env bash
# Ingest benchmark: starts `otelstack serve` on loopback with a fresh data
# directory, pushes synthetic OTLP/HTTP protobuf load at it with
# otelstack-loadgen, stops it with SIGTERM and reports throughput, server CPU
# per million records, peak RSS and bytes on disk per record next to the
# targets. Builds nothing. See bench/README.md.
#
# Environment (all optional):
#   OTELSTACK_BIN    server binary            (default: <repo>/build/otelstack)
#   LOADGEN_BIN      load generator           (default: <repo>/build/bench/otelstack-loadgen)
#   RECORDS          records to send          (default: 10000000)
#   SIGNAL           logs | traces            (default: logs)
#   CONNECTIONS      loadgen connections      (default: 4)
#   BATCH            records per request      (default: 1000)
#   LOADGEN_ARGS     extra loadgen flags      (e.g. "--pool-records 500000 --seed 7")
#   SERVER_ARGS      extra `serve` flags      (e.g. "--wal-fsync interval")
#   SETTLE_SECONDS   idle time before SIGTERM, lets background merges run (default: 0)
#   READY_TIMEOUT    seconds to wait for "otelstack is ready" (default: 60)
#   STOP_TIMEOUT     seconds to wait for exit after SIGTERM (default: 300)
#   BENCH_TMPDIR     where the temporary data directory goes (default: $TMPDIR or /tmp)
#   RESULTS_DIR      where logs and the summary go (default: <repo>/bench/results/ingest-<time>)
#   KEEP_DATA=1      keep the data directory
#   STRICT=1         exit 3 when a target is missed
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
server_bin="${OTELSTACK_BIN:-$root/build/otelstack}"
loadgen_bin="${LOADGEN_BIN:-$root/build/bench/otelstack-loadgen}"
records="${RECORDS:-10000000}"
signal="${SIGNAL:-logs}"
connections="${CONNECTIONS:-4}"
batch="${BATCH:-1000}"
settle="${SETTLE_SECONDS:-0}"
ready_timeout="${READY_TIMEOUT:-60}"
stop_timeout="${STOP_TIMEOUT:-300}"
results="${RESULTS_DIR:-$root/bench/results/ingest-$(date +%Y%m%d-%H%M%S)}"

# Targets (logs). Printed next to the measurements.
target_cpu_per_m=2
target_rss_mib=512
target_bytes_per_record=40

die() { echo "run_ingest: $*" >&2; exit 1; }
[[ -x "$server_bin" ]] || die "server binary not found: $server_bin (set OTELSTACK_BIN)"
[[ -x "$loadgen_bin" ]] || die "load generator not found: $loadgen_bin (set LOADGEN_BIN)"
[[ "$signal" == logs || "$signal" == traces ]] || die "SIGNAL must be logs or traces"

mkdir -p "$results"
data_dir="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/otelstack-bench.XXXXXX")"
key="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
server_log="$results/server.log"
loadgen_out="$results/loadgen.txt"
time_out="$results/server-time.txt"
summary="$results/summary.txt"
wrapper_pid=""
server_pid=""

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  # The server under /usr/bin/time when its pid was never found.
  if [[ -n "${wrapper_pid:-}" ]]; then pkill -KILL -P "$wrapper_pid" 2>/dev/null || true; fi
  if [[ "${KEEP_DATA:-0}" != 1 ]]; then rm -rf "$data_dir"; else echo "run_ingest: data kept in $data_dir" >&2; fi
}
trap cleanup EXIT

# --- start the server --------------------------------------------------------
# Under GNU time when available: it reports CPU and peak RSS over the whole
# life of the server, shutdown flush included.
use_time=0
[[ -x /usr/bin/time ]] && use_time=1
export OTELSTACK_INGESTION_KEY="$key"
serve_cmd=("$server_bin" serve --data-dir "$data_dir" --otlp-http-listen 127.0.0.1:0 --otlp-grpc-listen 127.0.0.1:0
  --internal-listen 127.0.0.1:0 --http-listen 127.0.0.1:0)
# shellcheck disable=SC2206
serve_cmd+=(${SERVER_ARGS:-})
if [[ $use_time == 1 ]]; then
  /usr/bin/time -v -o "$time_out" "${serve_cmd[@]}" 2>"$server_log" &
  wrapper_pid=$!
else
  "${serve_cmd[@]}" 2>"$server_log" &
  wrapper_pid=$!
  server_pid=$wrapper_pid
fi
unset OTELSTACK_INGESTION_KEY

# Wait for readiness; the real HTTP port is in the log.
deadline=$((SECONDS + ready_timeout))
until grep -q "otelstack is ready" "$server_log" 2>/dev/null; do
  kill -0 "$wrapper_pid" 2>/dev/null || { cat "$server_log" >&2; die "server exited before it was ready"; }
  ((SECONDS < deadline)) || { cat "$server_log" >&2; die "server not ready after ${ready_timeout}s"; }
  sleep 0.1
done
if [[ $use_time == 1 ]]; then
  server_pid="$(pgrep -P "$wrapper_pid" | head -1 || true)"
  [[ -n "$server_pid" ]] || die "cannot find the server process under /usr/bin/time (pid $wrapper_pid)"
fi
http_addr="$(grep -o 'OTLP/HTTP listening on [^ ]*' "$server_log" | head -1 | awk '{print $4}')"
[[ -n "$http_addr" ]] || die "no 'OTLP/HTTP listening on' line in $server_log"
echo "run_ingest: server pid $server_pid, OTLP/HTTP on $http_addr, data in $data_dir" >&2

# --- load ----------------------------------------------------------------------
loadgen_rc=0
# shellcheck disable=SC2086
OTELSTACK_INGESTION_KEY="$key" "$loadgen_bin" --endpoint "http://$http_addr" --signal "$signal" \
  --records "$records" --connections "$connections" --batch "$batch" ${LOADGEN_ARGS:-} | tee "$loadgen_out" ||
  loadgen_rc=$?
# CPU when the last record was acknowledged: ingest plus the flushes and
# merges that ran during the load (settle-time merges come on top).
clk_tck="$(getconf CLK_TCK)"
read -r utime stime < <(sed 's/^.*) //' "/proc/$server_pid/stat" | awk '{print $12, $13}')
cpu_during_load="$(awk -v u="$utime" -v s="$stime" -v t="$clk_tck" 'BEGIN{printf "%.2f", (u+s)/t}')"
if [[ "$settle" != 0 ]]; then sleep "$settle"; fi

# CPU and peak RSS at the end of the load (before shutdown), from /proc.
kill -0 "$server_pid" 2>/dev/null || { tail -20 "$server_log" >&2; die "server died during the load (see $server_log)"; }
read -r utime stime < <(sed 's/^.*) //' "/proc/$server_pid/stat" | awk '{print $12, $13}')
cpu_at_load_end="$(awk -v u="$utime" -v s="$stime" -v t="$clk_tck" 'BEGIN{printf "%.2f", (u+s)/t}')"
hwm_kib_at_load_end="$(awk '/^VmHWM:/{print $2}' "/proc/$server_pid/status")"
# The same CPU by thread name (utime + stime of the live threads, summed per
# name): where it goes, flush against request path. Threads that ended
# before this point are not in it.
threads_cpu="$(for t in /proc/"$server_pid"/task/*/stat; do sed 's/^[0-9]* (\(.*\)) [A-Za-z] /\1\t/' "$t" 2>/dev/null; done |
  awk -F'\t' -v t="$clk_tck" '{split($2, f, " "); cpu[$1] += (f[11] + f[12]) / t}
    END {for (n in cpu) if (cpu[n] >= 0.005) printf "%.2f %s\n", cpu[n], n}' | sort -rn |
  awk '{printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1}')"

# --- stop ----------------------------------------------------------------------
stop_start=$SECONDS
kill -TERM "$server_pid"
deadline=$((SECONDS + stop_timeout))
while kill -0 "$wrapper_pid" 2>/dev/null; do
  if ((SECONDS >= deadline)); then
    kill -KILL "$server_pid" 2>/dev/null || true
    die "server still running ${stop_timeout}s after SIGTERM; killed"
  fi
  sleep 0.1
done
server_rc=0
wait "$wrapper_pid" || server_rc=$?
stop_seconds=$((SECONDS - stop_start))
server_pid=""

# --- measure ---------------------------------------------------------------------
result_line="$(grep '^RESULT ' "$loadgen_out" || true)"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result_line"; }
acked="$(field records_acked)"
records_per_s="$(field records_per_s)"
[[ -n "$acked" && "$acked" != 0 ]] || die "load generator acknowledged no records (see $loadgen_out, $server_log)"

if [[ $use_time == 1 && -s "$time_out" ]]; then
  cpu_total="$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.2f", u+s}' "$time_out")"
  rss_kib="$(awk -F': ' '/Maximum resident set size/{print $2}' "$time_out")"
else
  cpu_total="$cpu_at_load_end"
  rss_kib="$hwm_kib_at_load_end"
fi
disk_bytes="$(du -sb "$data_dir" | awk '{print $1}')"

awk -v signal="$signal" -v acked="$acked" -v rps="$records_per_s" -v cpu="$cpu_total" -v cpu_load="$cpu_at_load_end" -v cpu_ingest="$cpu_during_load" \
  -v rss="$rss_kib" -v hwm="$hwm_kib_at_load_end" -v disk="$disk_bytes" -v stop_s="$stop_seconds" \
  -v rc="$server_rc" -v lrc="$loadgen_rc" -v tcpu="$target_cpu_per_m" -v trss="$target_rss_mib" \
  -v tdisk="$target_bytes_per_record" -v results="$results" -v threads="$threads_cpu" '
function verdict(ok) { return ok ? "ok" : "MISSED" }
BEGIN {
  m = acked / 1e6
  cpu_per_m = cpu / m; rss_mib = rss / 1024; bpr = disk / acked
  printf "==== otelstack ingest benchmark (%s) ====\n", signal
  printf "records acknowledged:   %d\n", acked
  printf "ingest throughput:      %.0f records/s\n", rps
  printf "server CPU:             %.2f s total (%.2f s when the load ended, %.2f s before shutdown)\n", cpu, cpu_ingest, cpu_load
  printf "CPU-s per 1M (load):    %.2f   (ingest + flushes + merges while loading)\n", cpu_ingest / m
  printf "CPU-s per 1M records:   %.2f   target <= %s  %s\n", cpu_per_m, tcpu, verdict(cpu_per_m <= tcpu)
  printf "CPU by thread:          %s (before shutdown)\n", threads
  printf "peak RSS:               %.0f MiB (%.0f MiB at end of load)   target <= %s MiB  %s\n", rss_mib, hwm / 1024, trss, verdict(rss_mib <= trss)
  printf "data dir after stop:    %d bytes\n", disk
  printf "bytes/record on disk:   %.1f   target <= %s  %s\n", bpr, tdisk, verdict(bpr <= tdisk)
  printf "shutdown took:          %d s, server exit code %d, loadgen exit code %d\n", stop_s, rc, lrc
  printf "logs:                   %s\n", results
  missed = (cpu_per_m > tcpu) + (rss_mib > trss) + (bpr > tdisk)
  printf "targets missed:         %d\n", missed
  if (signal != "logs") printf "note: the targets are defined for log records\n"
}' | tee "$summary"

[[ "$server_rc" == 0 ]] || { echo "run_ingest: server exited with $server_rc (see $server_log)" >&2; exit 1; }
[[ "$loadgen_rc" == 0 ]] || { echo "run_ingest: load generator reported failures (see $loadgen_out)" >&2; exit 1; }
if [[ "${STRICT:-0}" == 1 ]] && ! grep -q "targets missed:         0" "$summary"; then exit 3; fi
exit 0
