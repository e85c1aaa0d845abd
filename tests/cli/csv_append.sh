# CSV appended to one report (issue 17): a cron job running `trendtop -o csv --state S ... >> report.csv`
# every hour writes the header once, in the first run, not once per run. The header goes at the start of an
# output: a new or empty file, a pipe; not after data a regular file already holds.
source "$(dirname "$0")/common.sh"
for hr in 0 1 2; do
  for i in 0 1 2 3 4 5; do tweet $((1609459200000 + hr * 3600000 + i * 600000)) a; done >"$WORK/hour$hr.json"
done
header=window_start,window_end,rank,key,count,prev,delta,rank_change
for hr in 0 1 2; do
  "$TRENDTOP" -w 1h -o csv --state "$WORK/state" "$WORK/hour$hr.json" >>"$WORK/report.csv"
done
# Hours 0 and 1 close in the runs after theirs; hour 2 waits in the state.
assert_eq "headers in the appended report" 1 "$(grep -c "^$header" "$WORK/report.csv")"
assert_eq "the header comes first" "$header" "$(head -1 "$WORK/report.csv" | tr -d '\r')"
assert_eq "rows" "2021-01-01T00:00:00Z,2021-01-01T01:00:00Z,1,#a,6,0,6,new
2021-01-01T01:00:00Z,2021-01-01T02:00:00Z,1,#a,6,6,0,0" "$(tail -n +2 "$WORK/report.csv" | tr -d '\r')"
# An empty file opened for appending, a truncated file and a pipe all start an output: a header.
: >"$WORK/empty.csv"
"$TRENDTOP" -w 1h -o csv "$WORK/hour0.json" >>"$WORK/empty.csv"
assert_eq "appended to an empty file" "$header" "$(head -1 "$WORK/empty.csv" | tr -d '\r')"
"$TRENDTOP" -w 1h -o csv "$WORK/hour0.json" >"$WORK/empty.csv"
assert_eq "written over a file" 2 "$(wc -l <"$WORK/empty.csv")"
assert_eq "into a pipe" "$header" "$("$TRENDTOP" -w 1h -o csv "$WORK/hour0.json" | head -1 | tr -d '\r')"
# After other data written into the same open file (offset past 0): no header.
{ echo "# report"; "$TRENDTOP" -w 1h -o csv "$WORK/hour0.json"; } >"$WORK/after.csv"
assert_eq "after data in the same file" 0 "$(grep -c "^$header" "$WORK/after.csv")"
echo "csv_append: ok"
