# In event time a quiet live stream would never print its last window; --idle-timeout advances the watermark
# with the wall clock once no record came for that long. It is on by default for a pipe (the slide, at least
# 1 s) and off with 0 or for files. The input is held open until the test saw what it waits for.
. "$(dirname "$0")/common.sh"
mkfifo "$WORK/in" "$WORK/out"
# quiet_run ARGS...: one record, then the input stays open and silent; runs trendtop with fd 3 (its input)
# and fd 4 (its output) open here.
quiet_run() {
  "$TRENDTOP" "$@" -o tsv <"$WORK/in" >"$WORK/out" &
  pid=$!
  exec 3>"$WORK/in" 4<"$WORK/out"
  tweet 1609459200000 quiet >&3
}
for args in "--window 1s --idle-timeout 1s" "--window 1s"; do
  quiet_run $args
  IFS= read -r -t 60 line <&4 || fail "$args: no window while the input is open and silent"
  assert_eq "$args: window" "#quiet" "$(cut -f4 <<<"$line")"
  exec 3>&- 4<&-
  wait $pid || fail "$args: exit status $?"
done
# Off: nothing while the input is open (three times the 1 s window; a negative check can only wait), the
# window at the end of input.
quiet_run --window 1s --idle-timeout 0
if IFS= read -r -t 3 line <&4; then fail "--idle-timeout 0: a window before the end of input: $line"; fi
exec 3>&-
IFS= read -r -t 60 line <&4 || fail "--idle-timeout 0: no window at the end of input"
assert_eq "--idle-timeout 0: window at the end" "#quiet" "$(cut -f4 <<<"$line")"
exec 4<&-
wait $pid || fail "--idle-timeout 0: exit status $?"
