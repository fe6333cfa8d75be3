#!/usr/bin/env bash
# Checks that otelstack-loadgen writes valid OTLP protobuf: dumps one logs and
# one traces request (first pass and a later, patched pass), decodes them with
# protoc against bench/otlp_subset.proto and fails on wire errors, unknown
# fields (a wrong field number or wire type), or a wrong record count.
#
# Usage: bench/check_encoding.sh [path/to/otelstack-loadgen]
# Needs protoc (Debian: protobuf-compiler).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
loadgen="${1:-${LOADGEN_BIN:-$here/../build/bench/otelstack-loadgen}}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

check() {  # signal message item_field batch dump_index
  local signal=$1 message=$2 item=$3 batch=$4 index=$5
  local bin="$tmp/$signal-$index.bin" txt="$tmp/$signal-$index.txt"
  "$loadgen" --signal "$signal" --batch "$batch" --pool-records $((batch * 2)) --dump-index "$index" \
    --base-time-ns 1700000000000000000 --dump-request "$bin" 2>/dev/null
  protoc -I "$here" --decode="loadgen_check.$message" otlp_subset.proto <"$bin" >"$txt" ||
    fail "$signal request $index does not decode as $message"
  # Unknown fields print as bare numbers ("12: 5", "7 {").
  if grep -Eq '^ *[0-9]+( \{|:)' "$txt"; then
    grep -En '^ *[0-9]+( \{|:)' "$txt" | head -5 >&2
    fail "$signal request $index has fields unknown to the OTLP schema"
  fi
  local n
  n=$(grep -c "^    $item {" "$txt")
  [[ "$n" == "$batch" ]] || fail "$signal request $index has $n items, want $batch"
  echo "ok: $signal request $index: $n items, $(stat -c %s "$bin") bytes"
}

check logs ExportLogsServiceRequest log_records 500 0
check logs ExportLogsServiceRequest log_records 500 5    # a patched (second+) pass
check traces ExportTraceServiceRequest spans 500 0
check traces ExportTraceServiceRequest spans 500 5

# Determinism: same seed, same bytes.
"$loadgen" --batch 200 --pool-records 200 --base-time-ns 1 --dump-request "$tmp/a.bin" 2>/dev/null
"$loadgen" --batch 200 --pool-records 200 --base-time-ns 1 --dump-request "$tmp/b.bin" 2>/dev/null
cmp -s "$tmp/a.bin" "$tmp/b.bin" || fail "same seed produced different bytes"
echo "ok: deterministic"
echo "PASS"
