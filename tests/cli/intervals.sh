# -n N exits (status 0) after N windows, also while the producer would go on forever.
. "$(dirname "$0")/common.sh"
producer() {
  local i=0
  while :; do
    tweet $((1609459200000 + i * 500)) "t$((i % 3))" || return 0
    i=$((i + 1))
  done
}
set +e
producer | timeout 30 "$TRENDTOP" -n 3 --window 1s -o json >"$WORK/out"
rc=${PIPESTATUS[1]}
set -e
assert_eq "exit status" 0 "$rc"
assert_eq "windows" 3 "$(wc -l <"$WORK/out")"
assert_eq "last window" '"2021-01-01T00:00:03Z"' "$(jq '.window_end' <(tail -1 "$WORK/out"))"
