# --connect reads from a server like Spark's socketTextStream; when the server closes, trendtop reconnects
# with backoff and keeps counting; when it is gone for good, trendtop stops after --retry attempts, having
# printed every window: status 0 and a note, since the stream ended cleanly (issue 17); a server that was
# never there is status 1 (net_errors.sh).
. "$(dirname "$0")/common.sh"
need_data
head -500 "$DATA/tweets_v1_stream_head1000.ndjson" >"$WORK/part1"
tail -500 "$DATA/tweets_v1_stream_head1000.ndjson" >"$WORK/part2"
port=$(free_port)
$NET serve "$port" "$WORK/part1" &
srv=$!
wait_listening "$port"
set +e
"$TRENDTOP" --connect "127.0.0.1:$port" --retry 3 -k 0 -o tsv --stats >"$WORK/got" 2>"$WORK/err" &
tt=$!
wait "$srv"
wait_for "trendtop retrying against the closed port" grep -q "retrying in" "$WORK/err"
$NET serve "$port" "$WORK/part2" || fail "second server failed"
wait "$tt"
rc=$?
set -e
assert_eq "exit status after the stream ended" 0 "$rc"
grep -q "retrying in" "$WORK/err" || fail "no retry message: $(cat "$WORK/err")"
grep -q "^trendtop: 127.0.0.1:$port: the stream ended and the server did not come back (cannot connect to 127.0.0.1:$port: Connection refused; 3 retries)$" "$WORK/err" ||
  fail "no end message: $(cat "$WORK/err")"
grep -q "error" "$WORK/err" && fail "an error after a clean end: $(cat "$WORK/err")"
$REF --window 10000 --top 0 --format tsv "$WORK/part1" "$WORK/part2" >"$WORK/expect" 2>/dev/null
assert_files_eq "windows across the reconnect" "$WORK/expect" "$WORK/got"
src=$(grep '^trendtop: stats source=' "$WORK/err")
assert_eq "connects" 2 "$(stat_of connects "$src")"
assert_eq "lines" 1000 "$(stat_of lines "$src")"
