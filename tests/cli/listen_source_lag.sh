# A producer far behind the others holds the windows open only up to --max-source-lag: past it the watermark
# follows the newest record minus the lateness and the lag, and the laggard's records behind it are late.
# With a 20 s limit: b connects first (a source from the start) but sends after a, whose 07:29:00-07:30:40
# (one a second) move the watermark to 07:30:20; b's 07:29:00-07:30:19 are late (80), its 07:30:20-07:30:40
# count: what one stream of a's records then b's gives with a lateness of 20 s (the reference recount).
# The default limit (the window plus 5 minutes) loses none of them.
. "$(dirname "$0")/common.sh"
t0=1609486140000 # 2021-01-01T07:29:00Z
for i in $(seq 0 100); do tweet $((t0 + i * 1000)) a; done >"$WORK/a"
for i in $(seq 0 100); do tweet $((t0 + i * 1000)) b; done >"$WORK/b"
run() { # OUT ERR [OPTION...]
  local out=$1 err=$2 port
  shift 2
  port=$(free_port)
  "$TRENDTOP" --listen "$port" -k 0 -o json --stats "$@" >"$out" 2>"$err" &
  tt=$!
  wait_listening "$port"
  python3 "$SRC/tests/cli/producers.py" "$port" connect:b connect:a "send:a:$WORK/a" \
    "lines:$out:8" "send:b:$WORK/b" close:a close:b || fail "producers: $(cat "$err")"
  wait_read "$port"
  wait_lines "$tt" "$err" 202
  kill -TERM "$tt"
  wait "$tt" || fail "trendtop exited $?"
}
run "$WORK/out" "$WORK/err" --max-source-lag 20s
s=$(grep '^trendtop: stats lines' "$WORK/err" | tail -1)
assert_balanced "$s"
assert_eq "late: b's records more than 20 s behind a's newest" 80 "$(stat_of late "$s")"
assert_eq "counted" 122 "$(stat_of counted "$s")"
json_to_tsv <"$WORK/out" >"$WORK/got"
cat "$WORK/a" "$WORK/b" | $REF --top 0 --lateness 20000 --format tsv >"$WORK/expect" 2>"$WORK/ref"
assert_files_eq "b further behind than the limit" "$WORK/expect" "$WORK/got"
assert_eq "late, as the recount has it" 80 "$(stat_of late "$(cat "$WORK/ref")")"
# The window plus 5 minutes: b holds the windows, nothing is late. (The lines: wait is on a's 8 windows,
# which do not come before b sends here: a pause instead would be a fixed sleep, so b sends at once.)
port=$(free_port)
"$TRENDTOP" --listen "$port" -k 0 -o json --stats >"$WORK/out2" 2>"$WORK/err2" &
tt=$!
wait_listening "$port"
python3 "$SRC/tests/cli/producers.py" "$port" connect:b connect:a "send:a:$WORK/a" "send:b:$WORK/b" \
  close:a close:b || fail "producers"
wait_read "$port"
wait_lines "$tt" "$WORK/err2" 202
kill -TERM "$tt"
wait "$tt" || fail "trendtop exited $?"
s=$(grep '^trendtop: stats lines' "$WORK/err2" | tail -1)
assert_eq "late within the default limit" 0 "$(stat_of late "$s")"
assert_eq "counted" 202 "$(stat_of counted "$s")"
json_to_tsv <"$WORK/out2" >"$WORK/got2"
jq -c -s 'sort_by(.timestamp_ms)[]' "$WORK/a" "$WORK/b" | $REF --top 0 --format tsv >"$WORK/expect2" 2>/dev/null
assert_files_eq "b within the default limit" "$WORK/expect2" "$WORK/got2"
