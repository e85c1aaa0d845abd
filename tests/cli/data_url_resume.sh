# Jetstream resumes without loss or double counting. The server (url_server.py, /usr/bin/python3) replays real
# Jetstream events and drops the connection twice mid-stream, each time with 3 more events emitted that never
# reached trendtop (lost in flight). Trendtop reconnects with cursor= a few seconds before the largest time_us
# it counted, drops the replayed events it had counted, counts the lost ones: the windows equal the file's.
# Then the same across a restart with --state: the cursor and the events near it are in the state file.
. "$(dirname "$0")/common.sh"
need_data
need_url_sources
events=$DATA/jetstream_sample.ndjson
flags=(-w 100ms --lateness 2s -k 0 --keys hashtags,mentions,urls -o json --stats)
"$TRENDTOP" "${flags[@]}" "$events" >"$WORK/expect" 2>"$WORK/expect.err"
windows=$(wc -l <"$WORK/expect")
file_stats=$(grep '^trendtop: stats lines=' "$WORK/expect.err")
# The cursor a resumed connection must ask for: 5 s before the largest time_us of the first N events.
cursor_after() { head -"$1" "$events" | jq -s 'map(.time_us) | max - 5000000'; }

# --- Reconnects: cut after event 40 (3 lost: 41-43), and after event 100 (3 lost: 101-103).
start_url_server drops ws "$events" --cut 40 --cut 100 --lose 3
timeout 60 "$TRENDTOP" --connect "ws://127.0.0.1:$port/subscribe?wantedCollections=app.bsky.feed.post" \
  --retry 3 "${flags[@]}" --idle-timeout 1s --intervals "$windows" >"$WORK/got" 2>"$WORK/err" ||
  fail "status $?: $(cat "$WORK/err")"
assert_files_eq "windows across reconnects" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines=' "$WORK/err")
for k in lines counted skipped; do assert_eq "$k" "$(stat_of $k "$file_stats")" "$(stat_of $k "$s")"; done
src=$(grep '^trendtop: stats source="connect ws://' "$WORK/err")
assert_eq "connects" 3 "$(stat_of connects "$src")"
assert_eq "failures (a lost connection is not a failed one)" 0 "$(stat_of failures "$src")"
assert_eq "lines counted once each" 152 "$(stat_of lines "$src")"
assert_eq "replayed and dropped: the 40, then the 100 counted before each drop" 140 "$(stat_of replayed "$src")"
assert_eq "cursors asked for" "none $(cursor_after 40) $(cursor_after 100)" \
  "$(sed -n 's/^connection cursor=//p' "$WORK/drops.log" | tr '\n' ' ' | sed 's/ $//')"
grep -q "ws://127.0.0.1:$port/subscribe?wantedCollections=app.bsky.feed.post: connection lost: .*; retrying in 100ms" \
  "$WORK/err" || fail "no message for the lost connection: $(cat "$WORK/err")"

# --- A restart: the first run ends when the server drops it after event 60 (2 more lost); --retry 0 does not
# reconnect. The second run resumes from the state: the cursor, and the 60 it must not count again. (--intervals
# counts the windows of both runs: the state carries the counters.)
start_url_server restart ws "$events" --cut 60 --lose 2
url="ws://127.0.0.1:$port/subscribe?wantedCollections=app.bsky.feed.post"
timeout 60 "$TRENDTOP" --connect "$url" --retry 0 --state "$WORK/state" "${flags[@]}" >"$WORK/run1" \
  2>"$WORK/run1.err" || fail "first run: status $?: $(cat "$WORK/run1.err")"
grep -q "not reconnecting (--retry 0)" "$WORK/run1.err" || fail "first run: $(cat "$WORK/run1.err")"
assert_eq "first run: lines" 60 "$(stat_of lines "$(grep '^trendtop: stats source=' "$WORK/run1.err")")"
timeout 60 "$TRENDTOP" --connect "$url" --retry 0 --state "$WORK/state" --flush "${flags[@]}" --idle-timeout 1s \
  --intervals "$windows" >"$WORK/run2" 2>"$WORK/run2.err" || fail "second run: status $?: $(cat "$WORK/run2.err")"
cat "$WORK/run1" "$WORK/run2" >"$WORK/both"
assert_files_eq "windows across a restart" "$WORK/expect" "$WORK/both"
s=$(grep '^trendtop: stats lines=' "$WORK/run2.err")  # the state carries the counters on
for k in lines counted skipped; do assert_eq "restart: $k" "$(stat_of $k "$file_stats")" "$(stat_of $k "$s")"; done
src=$(grep '^trendtop: stats source=' "$WORK/run2.err")
assert_eq "second run: lines" 92 "$(stat_of lines "$src")"
assert_eq "second run: replayed" 60 "$(stat_of replayed "$src")"
assert_eq "restart: cursors asked for" "none $(cursor_after 60)" \
  "$(sed -n 's/^connection cursor=//p' "$WORK/restart.log" | tr '\n' ' ' | sed 's/ $//')"
