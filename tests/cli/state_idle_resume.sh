# A run resumed from --state on a live input that stays quiet still closes the restored windows with
# --idle-timeout: the quiet counts from the start of the run, as if a record had just come. (A resumed
# Jetstream whose replay is all dropped as counted before, or a Kafka topic with nothing new, delivers no
# record; before, the restored windows waited for the next record, however long.)
. "$(dirname "$0")/common.sh"
# Run 1: two records in one 1 s window, then the end of input: with --state the window stays open.
{ tweet 1609459200000 resumed; tweet 1609459200500 resumed; } |
  "$TRENDTOP" -w 1s --idle-timeout 0 -o tsv --state "$WORK/state" >"$WORK/run1" 2>"$WORK/err1" ||
  fail "first run: $(cat "$WORK/err1")"
assert_eq "first run: nothing printed (the window is in the state)" "" "$(cat "$WORK/run1")"
# Run 2: the input is open and silent. The window closes after the idle timeout.
mkfifo "$WORK/in" "$WORK/out"
"$TRENDTOP" -w 1s --idle-timeout 1s -o tsv --state "$WORK/state" <"$WORK/in" >"$WORK/out" 2>"$WORK/err2" &
pid=$!
exec 3>"$WORK/in" 4<"$WORK/out"
IFS= read -r -t 30 line <&4 || { kill $pid; fail "no window while the resumed input is open and silent"; }
assert_eq "the restored window" "#resumed	2" "$(cut -f4,5 <<<"$line")"
exec 3>&- 4<&-
wait $pid || fail "second run: exit status $?: $(cat "$WORK/err2")"
