# --emit every=DUR prints the running top-k of the open window every DUR, marked partial (JSON final:false,
# a final column in TSV), and the final result when the window closes.
. "$(dirname "$0")/common.sh"
{
  tweet 1609459200000 a
  sleep 1.3
  tweet 1609459201000 a
  tweet 1609459202000 b
  sleep 1.3
  tweet 1609459215000 c
} | "$TRENDTOP" --emit every=1s --idle-timeout 0 -o json >"$WORK/out"
jq -c '[.final,.records,.top[0].count]' "$WORK/out" >"$WORK/got"
# partials of [0,10): 1 record after ~1s, 3 records after ~2s; then the final [0,10) and [10,20).
grep -qx '\[false,1,1\]' "$WORK/got" || fail "no first partial: $(cat "$WORK/got")"
grep -qx '\[false,3,2\]' "$WORK/got" || fail "no second partial: $(cat "$WORK/got")"
assert_eq "finals" '[true,3,2]
[true,1,1]' "$(grep true "$WORK/got")"
{
  tweet 1609459200000 a
  sleep 1.3
} | "$TRENDTOP" --emit every=1s -o tsv >"$WORK/tsv"
assert_eq "tsv" $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew\tfalse\n2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew\ttrue' "$(cat "$WORK/tsv")"
