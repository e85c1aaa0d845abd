# --emit every=DUR prints the running top-k of the open window every DUR, marked partial (JSON final:false,
# a final column in TSV), and the final result when the window closes. The producer waits for each partial
# before it writes on (events, not sleeps: a slow start on a busy machine must not merge two steps).
. "$(dirname "$0")/common.sh"
mkfifo "$WORK/in"
"$TRENDTOP" --emit every=1s --idle-timeout 0 -o json <"$WORK/in" >"$WORK/out" &
pid=$!
exec 3>"$WORK/in"
states() { jq -c '[.final,.records,.top[0].count]' "$WORK/out" 2>/dev/null; }
tweet 1609459200000 a >&3
wait_for "a partial with the first record" eval 'states | grep -qx "\[false,1,1\]"'
{ tweet 1609459201000 a; tweet 1609459202000 b; } >&3
wait_for "a partial with three records" eval 'states | grep -qx "\[false,3,2\]"'
tweet 1609459215000 c >&3
exec 3>&-
wait $pid || fail "exit status $?"
# partials of [0,10): 1 record, then 3; then the final [0,10) and [10,20).
assert_eq "finals" '[true,3,2]
[true,1,1]' "$(states | grep true)"
assert_eq "partials" "[false,1,1] [false,3,2]" "$(states | grep false | uniq | xargs)"

"$TRENDTOP" --emit every=1s -o tsv <"$WORK/in" >"$WORK/tsv" &
pid=$!
exec 3>"$WORK/in"
tweet 1609459200000 a >&3
wait_for "a partial row" grep -q $'\tfalse$' "$WORK/tsv"
exec 3>&-
wait $pid || fail "exit status $?"
# (One partial row; a second, the same, if the machine was slow to close the input.)
assert_eq "tsv" $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew\tfalse\n2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew\ttrue' "$(uniq "$WORK/tsv")"
