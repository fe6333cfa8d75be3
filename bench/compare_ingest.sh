#!/usr/bin/env bash
# Compares server binaries on the ingest benchmark: runs bench/run_ingest.sh
# for each binary in turn, ROUNDS times (A B A B ...), so that each binary
# meets the machine's slow and fast phases alike, and prints every run and
# then each binary's medians. On a shared 2-vCPU machine one run can differ
# from the next by 10 % or more; only alternated runs say which binary is
# cheaper. Builds nothing. See bench/README.md.
#
# Usage: bench/compare_ingest.sh LABEL=BINARY LABEL=BINARY [...]
#
# Environment (all optional; the rest is passed on to run_ingest.sh, e.g.
# RECORDS, SETTLE_SECONDS, SIGNAL, LOADGEN_BIN):
#   ROUNDS        runs of each binary                 (default: 3)
#   RESULTS_ROOT  where each run's results directory goes
#                 (default: <repo>/bench/results/compare-<time>)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-3}"
results_root="${RESULTS_ROOT:-$root/bench/results/compare-$(date +%Y%m%d-%H%M%S)}"

die() { echo "compare_ingest: $*" >&2; exit 1; }
(($# >= 2)) || die "usage: $0 LABEL=BINARY LABEL=BINARY [...]"
labels=()
binaries=()
for arg in "$@"; do
  [[ "$arg" == *=* ]] || die "not LABEL=BINARY: $arg"
  label="${arg%%=*}"
  binary="${arg#*=}"
  [[ "$label" =~ ^[A-Za-z0-9_.-]+$ ]] || die "label must be letters, digits, '.', '-' or '_': $label"
  [[ -x "$binary" ]] || die "not an executable: $binary"
  labels+=("$label")
  binaries+=("$binary")
done
mkdir -p "$results_root"

# The value after `key:` on the summary line that starts with it.
summary_field() { sed -n "s/^$2:[[:space:]]*\([0-9.]*\).*/\1/p" "$1" | head -1; }

table="$results_root/runs.txt"
printf '%-12s %5s %12s %10s %10s %9s\n' binary round records/s cpu_load cpu_all rss_mib | tee "$table"
for ((round = 1; round <= rounds; round++)); do
  for i in "${!labels[@]}"; do
    dir="$results_root/${labels[$i]}-$round"
    if ! OTELSTACK_BIN="${binaries[$i]}" RESULTS_DIR="$dir" "$root/bench/run_ingest.sh" >"$dir.log" 2>&1; then
      die "run_ingest.sh failed for ${labels[$i]} (round $round): see $dir.log"
    fi
    summary="$dir/summary.txt"
    printf '%-12s %5d %12s %10s %10s %9s\n' "${labels[$i]}" "$round" \
      "$(summary_field "$summary" "ingest throughput")" "$(summary_field "$summary" "CPU-s per 1M (load)")" \
      "$(summary_field "$summary" "CPU-s per 1M records")" "$(summary_field "$summary" "peak RSS")" | tee -a "$table"
  done
done

echo
echo "medians over $rounds rounds (CPU-s per million records; load = until the last acknowledgement):"
for label in "${labels[@]}"; do
  awk -v label="$label" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $1 == label { n++; load[n] = $4; all[n] = $5; rps[n] = $3 }
    END { printf "  %-12s load %.2f   in all %.2f   %.0f records/s\n", label, median(load, n), median(all, n), median(rps, n) }
  ' "$table"
done
echo "runs: $table"
