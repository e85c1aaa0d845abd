# A window is written and flushed into a pipe as soon as it closes, while the input is still open: in event
# time when a later record passes its end, in arrival time when the wall clock does (even with no input).
. "$(dirname "$0")/common.sh"
mkfifo "$WORK/fifo"
(
  tweet 1609459200000 early
  tweet 1609459211000 later
  sleep 4
) | "$TRENDTOP" -o tsv >"$WORK/fifo" &
# `read` returns as soon as the first line arrives; the producer is still sleeping then.
start=$(date +%s%N)
IFS= read -r first <"$WORK/fifo" || fail "no output"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 3000 ] || fail "event-time window reached the pipe only after ${ms}ms"
assert_eq "first window" "#early" "$(cut -f4 <<<"$first")"
wait

(
  tweet 1609459200000 now
  sleep 4
) | "$TRENDTOP" --time arrival --window 1s -o json >"$WORK/fifo" &
start=$(date +%s%N)
IFS= read -r first <"$WORK/fifo" || fail "no output"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 2500 ] || fail "arrival window reached the pipe only after ${ms}ms"
assert_eq "arrival window key" '"#now"' "$(jq '.top[0].key' <<<"$first")"
cat "$WORK/fifo" >"$WORK/rest"
wait
# The silent seconds after it still printed their (empty) windows on time.
n=$(wc -l <"$WORK/rest")
[ "$n" -ge 2 ] || fail "expected the empty windows of the silent seconds, got $n lines"
assert_eq "empty windows are empty" "0" "$(jq -s 'map(.records) | add' "$WORK/rest")"
