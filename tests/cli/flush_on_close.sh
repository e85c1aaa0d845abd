# A window is written and flushed into a pipe as soon as it closes, while the input is still open: in event
# time when a later record passes its end, in arrival time when the wall clock does (even with no input).
# The input is held open until the test has read what it waits for, so "while the input is open" holds by
# construction, however slow the machine.
. "$(dirname "$0")/common.sh"
mkfifo "$WORK/fifo" "$WORK/in"
"$TRENDTOP" -o tsv <"$WORK/in" >"$WORK/fifo" &
pid=$!
exec 3>"$WORK/in"
{ tweet 1609459200000 early; tweet 1609459211000 later; } >&3
IFS= read -r -t 60 first <"$WORK/fifo" || fail "no output while the input is open"
assert_eq "first window" "#early" "$(cut -f4 <<<"$first")"
exec 3>&-
wait $pid || true # its reader is gone: the last window meets a closed pipe

"$TRENDTOP" --time arrival --window 1s -o json <"$WORK/in" >"$WORK/fifo" &
pid=$!
exec 3>"$WORK/in"
tweet 1609459200000 now >&3
exec 4<"$WORK/fifo"
IFS= read -r -t 60 first <&4 || fail "no output while the input is open"
assert_eq "arrival window key" '"#now"' "$(jq '.top[0].key' <<<"$first")"
# The silent seconds after it print their (empty) windows on time, with no input at all.
for n in 1 2; do
  IFS= read -r -t 60 line <&4 || fail "no empty window $n while the input is silent"
  assert_eq "empty window $n is empty" 0 "$(jq .records <<<"$line")"
done
exec 3>&- 4<&-
wait $pid || true
