# --connect https://: Mastodon's streaming API as server-sent events (the real capture in ../shared/data),
# chunked in pieces that split lines, from an HTTPS server (url_server.py, /usr/bin/python3) that demands a
# bearer token. Without it: one clear line and status 1, at once (a 401 is not retried); with it: the windows
# of the same events read from a file. A token is never printed. Then an SSE server with event ids that
# drops the connection in the middle of an event: trendtop resumes with Last-Event-ID and counts the event
# once. A redirect is followed, keeping the token for the same host; NDJSON bodies are read as lines.
. "$(dirname "$0")/common.sh"
need_data
need_url_sources
events=$DATA/mastodon_sse_sample.txt
token=s3cr3t-T0KEN-for-tests
flags=(-w 1s --lateness 2s -k 0 --keys hashtags,words -o json --stats)
"$TRENDTOP" "${flags[@]}" "$events" >"$WORK/expect" 2>"$WORK/expect.err"
windows=$(wc -l <"$WORK/expect")
[ "$windows" -ge 2 ] || fail "expected windows from the file, got $windows"
counted=$(stat_of counted "$(grep '^trendtop: stats lines=' "$WORK/expect.err")")
make_cert localhost "DNS:localhost,IP:127.0.0.1"
start_url_server mastodon sse "$events" --tls "$WORK/localhost.crt" "$WORK/localhost.key" --token "$token" \
  --end close --redirect
url="https://localhost:$port/api/v1/streaming/public"

# No token: one line, status 1, whether or not retries are allowed.
for retry in "--retry 0" ""; do
  set +e
  timeout 30 "$TRENDTOP" --cacert "$WORK/localhost.crt" --connect "$url" $retry "${flags[@]}" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "status without a token ($retry)" 1 "$rc"
  grep -v '^trendtop: stats' "$WORK/err" >"$WORK/msg"
  assert_eq "lines on stderr ($retry)" 1 "$(wc -l <"$WORK/msg")"
  assert_eq "the message" "trendtop: error: $url: HTTP 401 Unauthorized: the server wants a token: -H 'Authorization: Bearer ...'" \
    "$(cat "$WORK/msg")"
done
# A wrong token: said so, and never printed.
set +e
timeout 30 "$TRENDTOP" --cacert "$WORK/localhost.crt" --connect "$url" -H "Authorization: Bearer wrong-$token" \
  "${flags[@]}" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
assert_eq "status with a wrong token" 1 "$rc"
grep -q "HTTP 401 Unauthorized: the server did not accept the -H 'Authorization: ...' given" "$WORK/err" ||
  fail "wrong token: $(cat "$WORK/err")"
! grep -q "$token" "$WORK/err" "$WORK/out" || fail "the token was printed"

# The token: the file's windows. The server ends the stream; --retry 0 does not reconnect.
timeout 60 "$TRENDTOP" --cacert "$WORK/localhost.crt" --connect "$url" -H "Authorization: Bearer $token" \
  --retry 0 "${flags[@]}" >"$WORK/got" 2>"$WORK/err" || fail "status $?: $(cat "$WORK/err")"
assert_files_eq "Mastodon SSE windows" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines=' "$WORK/err")
assert_eq "counted" "$counted" "$(stat_of counted "$s")"
assert_balanced "$s"
grep -q "$url: the server ended the stream; not reconnecting (--retry 0)" "$WORK/err" || fail "$(cat "$WORK/err")"
! grep -q "$token" "$WORK/err" "$WORK/got" || fail "the token was printed"

# A redirect on the same host: followed, the token sent again.
timeout 60 "$TRENDTOP" --cacert "$WORK/localhost.crt" --connect "https://localhost:$port/old" \
  -H "Authorization: Bearer $token" --retry 0 "${flags[@]}" >"$WORK/got" 2>"$WORK/err" || fail "redirect: $(cat "$WORK/err")"
assert_files_eq "windows after a redirect" "$WORK/expect" "$WORK/got"
grep -A1 '^GET /old ' "$WORK/mastodon.log" | tail -1 | grep -q '^GET /api/v1/streaming/public authorization=yes' ||
  fail "redirect not followed with the token: $(cat "$WORK/mastodon.log")"

# Event ids: cut in the middle of event 3 (its first line sent); resumed after event 2.
start_url_server ids sse "$events" --ids --cut 3
timeout 60 "$TRENDTOP" --connect "http://127.0.0.1:$port/api/v1/streaming/public" --retry 2 "${flags[@]}" \
  --idle-timeout 1s --intervals "$windows" >"$WORK/got" 2>"$WORK/err" || fail "ids: status $?: $(cat "$WORK/err")"
assert_files_eq "windows across an SSE resume" "$WORK/expect" "$WORK/got"
assert_eq "counted across an SSE resume" "$counted" "$(stat_of counted "$(grep '^trendtop: stats lines=' "$WORK/err")")"
assert_eq "Last-Event-ID sent" "none 2" "$(sed -n 's/^GET .* last-event-id=//p' "$WORK/ids.log" | tr '\n' ' ' | sed 's/ $//')"

# NDJSON over chunked HTTP: lines, as from a file.
"$TRENDTOP" "${flags[@]}" "$DATA/mastodon_sample.ndjson" >"$WORK/expect" 2>/dev/null
start_url_server ndjson sse "$DATA/mastodon_sample.ndjson" --ndjson --end close
timeout 60 "$TRENDTOP" --connect "http://127.0.0.1:$port/api/v1/streaming/public" --retry 0 "${flags[@]}" \
  >"$WORK/got" 2>"$WORK/err" || fail "ndjson: status $?: $(cat "$WORK/err")"
assert_files_eq "NDJSON over HTTP" "$WORK/expect" "$WORK/got"
assert_eq "NDJSON lines" "$(wc -l <"$DATA/mastodon_sample.ndjson")" \
  "$(stat_of lines "$(grep '^trendtop: stats source=' "$WORK/err")")"
