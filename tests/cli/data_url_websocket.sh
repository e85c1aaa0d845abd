# --connect ws:// and wss://: a Jetstream-like WebSocket server (url_server.py, under /usr/bin/python3 for
# Debian's python3-websockets) replays real Jetstream events, several to a message, each message in three
# fragments, with a ping every 10 messages; over TLS, with a certificate made now and trusted with --cacert.
# Trendtop's windows and counts equal those of the same events read from a file, and it answered the pings.
. "$(dirname "$0")/common.sh"
need_data
need_url_sources
events=$DATA/jetstream_sample.ndjson
# Windows of 100 ms over the 0.32 s of the capture. The stream's end is silence: --idle-timeout closes the
# windows, --intervals ends the run once all of them are out.
flags=(-w 100ms --lateness 2s -k 0 --keys hashtags,mentions,urls -o json --stats)
"$TRENDTOP" "${flags[@]}" "$events" >"$WORK/expect" 2>"$WORK/expect.err"
windows=$(wc -l <"$WORK/expect")
[ "$windows" -ge 3 ] || fail "expected several windows from the file, got $windows"
file_stats=$(grep '^trendtop: stats lines=' "$WORK/expect.err")

check_run() {  # NAME MESSAGES: the run's windows and counts are the file's
  assert_files_eq "$1: windows" "$WORK/expect" "$WORK/$1.out"
  local s src
  s=$(grep '^trendtop: stats lines=' "$WORK/$1.err")
  for k in lines counted skipped malformed late; do
    assert_eq "$1: $k" "$(stat_of $k "$file_stats")" "$(stat_of $k "$s")"
  done
  assert_balanced "$s"
  src=$(grep '^trendtop: stats source="connect ' "$WORK/$1.err") || fail "$1: no source stats: $(cat "$WORK/$1.err")"
  assert_eq "$1: source lines" 152 "$(stat_of lines "$src")"
  assert_eq "$1: connects" 1 "$(stat_of connects "$src")"
  assert_eq "$1: replayed" 0 "$(stat_of replayed "$src")"
  # Every message's bytes: the file's, less the newline after each message's last event.
  assert_eq "$1: source bytes" "$(($(wc -c <"$events") - $2))" "$(stat_of bytes "$src")"
}

# Plain ws://: 7 events a message (newline-joined: the bytes less the newlines between messages).
start_url_server plain ws "$events" --batch 7 --fragment --ping
timeout 60 "$TRENDTOP" --connect "ws://127.0.0.1:$port/subscribe?wantedCollections=app.bsky.feed.post" \
  "${flags[@]}" --idle-timeout 1s --intervals "$windows" >"$WORK/plain.out" 2>"$WORK/plain.err" ||
  fail "ws run: status $?: $(cat "$WORK/plain.err")"
check_run plain 22
grep -q '^connection cursor=none$' "$WORK/plain.log" || fail "a first connection asks for no cursor: $(cat "$WORK/plain.log")"
pongs=$(grep -c '^pongs ' "$WORK/plain.log" || true)
assert_eq "pings answered (152 events, 7 a message: 22 messages, a ping before every 10th)" 3 "$pongs"

# wss:// with a certificate for localhost made now, trusted with --cacert; one event a message.
make_cert localhost "DNS:localhost,IP:127.0.0.1"
start_url_server tls ws "$events" --tls "$WORK/localhost.crt" "$WORK/localhost.key"
timeout 60 "$TRENDTOP" --cacert "$WORK/localhost.crt" --connect "wss://localhost:$port/subscribe" \
  "${flags[@]}" --idle-timeout 1s --intervals "$windows" >"$WORK/tls.out" 2>"$WORK/tls.err" ||
  fail "wss run: status $?: $(cat "$WORK/tls.err")"
check_run tls 152
