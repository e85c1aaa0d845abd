# A WebSocket server faster than trendtop: the stream's thread queues at most its budget (1 MiB) and then
# stops reading, so TCP holds the server back, until the reader catches up; nothing is lost or reordered.
# Here trendtop is held up by its own output: --print-keys writes a line per record into a pipe that is not
# read for 3 s, while the server (url_server.py, /usr/bin/python3) sends 25 MB of real Jetstream events, 200
# to a message (110 KB: more than one read), each message in three fragments.
. "$(dirname "$0")/common.sh"
need_data
need_url_sources
copies=300  # 25 MB
for i in $(seq $copies); do cat "$DATA/jetstream_sample.ndjson"; done >"$WORK/events"
"$TRENDTOP" --print-keys --keys hashtags,mentions,urls "$WORK/events" >"$WORK/expect"
start_url_server fast ws "$WORK/events" --batch 200 --fragment --end close:1000:done
set +e
(
  "$TRENDTOP" --connect "ws://127.0.0.1:$port/" --retry 0 --print-keys --keys hashtags,mentions,urls --stats \
    2>"$WORK/err" &
  echo $! >"$WORK/pid"
  wait $!
) | {
  sleep 3
  grep VmHWM "/proc/$(cat "$WORK/pid")/status" >"$WORK/peak"
  cat
} >"$WORK/got"
rc=${PIPESTATUS[0]}
set -e
assert_eq "status (stderr: $(cat "$WORK/err"))" 0 "$rc"
assert_files_eq "every record's keys, in order" "$WORK/expect" "$WORK/got"
src=$(grep '^trendtop: stats source=' "$WORK/err")
assert_eq "lines" $((152 * copies)) "$(stat_of lines "$src")"
messages=$(((152 * copies + 199) / 200))
assert_eq "bytes (less the newline ending each message)" $(($(wc -c <"$WORK/events") - messages)) \
  "$(stat_of bytes "$src")"
grep -q "the server closed the WebSocket: 1000 done" "$WORK/err" || fail "$(cat "$WORK/err")"
# Bounded memory: while the output was blocked, the 25 MB stream waited in the server, not in trendtop.
peak_kb=$(awk '{ print $2 }' "$WORK/peak")
echo "peak RSS while blocked: $peak_kb kB" >&2
# (9 MB idle, about 17 MB here in a Release build; sanitizer builds hold much more of their own.)
if "$TRENDTOP" --version | grep -q '^built Release'; then
  [ "$peak_kb" -lt 28000 ] || fail "trendtop held $peak_kb kB while its output was blocked"
fi
