# The real 1% sample-stream minute (CRLF, \u-escaped, retweets, extended tweets, deletes) against the
# independent reference recount: 10 s tumbling and 60 s / 20 s sliding windows, the 1000-line head from a
# file and the full minute through bzcat, byte-identical TSV and identical per-window records.
. "$(dirname "$0")/common.sh"
need_data
head1000=$DATA/tweets_v1_stream_head1000.ndjson
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
for input in "$head1000" "$WORK/minute"; do
  for shape in "10000 10000 10s 10s" "60000 20000 1m 20s"; do
    read -r wms sms w s <<<"$shape"
    $REF --window "$wms" --slide "$sms" --top 0 --format tsv "$input" >"$WORK/expect" 2>"$WORK/ref-stats"
    "$TRENDTOP" --window "$w" --slide "$s" --top 0 -o tsv --stats "$input" >"$WORK/got" 2>"$WORK/stats"
    assert_files_eq "$(basename "$input") window $w slide $s" "$WORK/expect" "$WORK/got"
    $REF --window "$wms" --slide "$sms" --top 3 --format json "$input" 2>/dev/null | jq -c '[.window_end,.records,.keys]' >"$WORK/expect.j"
    "$TRENDTOP" --window "$w" --slide "$s" --top 3 -o json "$input" | jq -c '[.window_end,.records,.keys]' >"$WORK/got.j"
    assert_files_eq "records and keys per window" "$WORK/expect.j" "$WORK/got.j"
    s_line=$(cat "$WORK/stats")
    assert_balanced "$s_line"
    for k in lines counted malformed skipped late blank windows; do
      assert_eq "$k" "$(stat_of $k "$(cat "$WORK/ref-stats")")" "$(stat_of $k "$s_line")"
    done
  done
done
# Facts from SOURCES.md, independent of both implementations: 3480 lines, 3173 tweets, 307 deletes.
s_line=$(cat "$WORK/stats")
assert_eq "lines" 3480 "$(stat_of lines "$s_line")"
assert_eq "counted" 3173 "$(stat_of counted "$s_line")"
assert_eq "skipped" 307 "$(stat_of skipped "$s_line")"
# Through a pipe gives the same as from the file.
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" | "$TRENDTOP" -w 1m -s 20s -k 0 -o tsv >"$WORK/piped"
assert_files_eq "piped" "$WORK/got" "$WORK/piped"
