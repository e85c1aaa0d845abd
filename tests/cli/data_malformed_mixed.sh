# Real tweets with malformed lines mixed in (cut-off JSON, garbage, invalid UTF-8, blank lines): the good
# lines give exactly the windows of the clean input, and every line is accounted for.
. "$(dirname "$0")/common.sh"
need_data
src=$DATA/tweets_v1_stream_head1000.ndjson
awk '{ print } NR % 50 == 0 { print substr($0, 1, 300) } NR % 97 == 0 { print "garbage \xff\xfe" } NR % 120 == 0 { print "" }' "$src" >"$WORK/mixed"
"$TRENDTOP" -w 10s -k 0 -o tsv "$src" >"$WORK/clean"
"$TRENDTOP" -w 10s -k 0 -o tsv --stats "$WORK/mixed" >"$WORK/got" 2>"$WORK/stats"
assert_files_eq "windows unchanged by the bad lines" "$WORK/clean" "$WORK/got"
s=$(cat "$WORK/stats")
assert_eq "lines" "$(wc -l <"$WORK/mixed")" "$(stat_of lines "$s")"
assert_eq "malformed" $((1000 / 50 + 1000 / 97)) "$(stat_of malformed "$s")"
assert_eq "blank" $((1000 / 120)) "$(stat_of blank "$s")"
assert_balanced "$s"
