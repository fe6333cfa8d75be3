# Sourced by the query benchmark scripts (bash); the caller defines die().
#
# wait_for_ready PID LOG: returns once the `otelstack serve` of PID has logged
# "otelstack is ready" to LOG; dies (printing LOG) when it exits first or is
# not ready within 60 s.
wait_for_ready() {
  local pid="$1" log="$2" deadline=$((SECONDS + 60))
  until grep -q "otelstack is ready" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "otelstack serve exited before it was ready"; }
    ((SECONDS < deadline)) || die "otelstack serve not ready after 60 s"
    sleep 0.1
  done
}
#
# wait_for_settled_store DATA_DIR QUIET MAX [POLL]: returns once no file under
# DATA_DIR/store has been created, removed or resized for QUIET seconds (the
# store's merges are done), or after MAX seconds, checking every POLL seconds
# (default 1). Sets settle_seconds to the time it waited.
wait_for_settled_store() {
  local dir="$1" quiet="$2" max="$3" poll="${4:-1}"
  local start=$SECONDS quiet_since=$SECONDS last now
  last="$(store_listing "$dir")"
  while ((SECONDS - quiet_since < quiet && SECONDS - start < max)); do
    sleep "$poll"
    now="$(store_listing "$dir")"
    if [[ "$now" != "$last" ]]; then last="$now"; quiet_since=$SECONDS; fi
  done
  settle_seconds=$((SECONDS - start))
}

store_listing() { find "$1/store" -type f -printf '%p %s\n' 2>/dev/null | sort | md5sum; }
