# --duration ends a run cleanly after that much wall time, like the end of input: the open windows are
# printed as final, status 0, even while the input is still open (held open here until trendtop ended).
. "$(dirname "$0")/common.sh"
mkfifo "$WORK/in"
"$TRENDTOP" --duration 1s -o json <"$WORK/in" >"$WORK/out" &
pid=$!
exec 3>"$WORK/in"
{ tweet 1609459200000 a; tweet 1609459203000 b; } >&3
timeout 60 tail --pid=$pid -f /dev/null || { kill -KILL $pid; fail "--duration 1s: still running after 60 s"; }
set +e
wait $pid
rc=$?
set -e
exec 3>&-
assert_eq "exit status" 0 "$rc"
assert_eq "final window" '[true,2]' "$(jq -c '[.final,.records]' "$WORK/out")"
