# --connect URLs that go wrong, each reported in one clear line: usage errors (status 2, secrets never
# repeated), a refused connection, servers that answer garbage or invalid WebSocket frames, a close frame
# (its code and reason reported), an untrusted certificate, a certificate for another host name, a plain
# HTTP server at a ws:// URL, a 404 (not retried). Servers: url_server.py under /usr/bin/python3.
. "$(dirname "$0")/common.sh"
need_url_sources

# run ARGS...: trendtop with a time limit; sets $rc, stderr in $WORK/err.
run() {
  set +e
  timeout 30 "$TRENDTOP" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
}
# one_line STATUS PATTERN: the run ended with STATUS and said PATTERN (grep -E) in its one line of stderr.
one_line() {
  assert_eq "status (stderr: $(cat "$WORK/err"))" "$1" "$rc"
  assert_eq "lines on stderr: $(cat "$WORK/err")" 1 "$(wc -l <"$WORK/err")"
  grep -qE "$2" "$WORK/err" || fail "expected /$2/, got: $(cat "$WORK/err")"
}

# --- Usage errors: status 2, one line, and no header value in it.
run --connect ftp://example.test/
one_line 2 "^trendtop: error: --connect: 'ftp://example.test/': the scheme must be ws, wss, http or https"
run --connect 'ws://example.test:99999/'
one_line 2 "the port must be a number from 1 to 65535"
run -H 'Authorization: Bearer SECRET-1' -
one_line 2 "^trendtop: error: -H/--header needs a --connect URL"
run --connect ws://127.0.0.1:1/ -H 'Authorization Bearer SECRET-2'
one_line 2 "^trendtop: error: -H: expected 'NAME: VALUE'"
! grep -q SECRET "$WORK/err" || fail "a header value was printed"
run --connect wss://127.0.0.1:1/ --cacert "$WORK/missing.pem"
one_line 2 "^trendtop: error: --cacert $WORK/missing.pem: no certificate could be read from it"

# --- Nothing listens: the usual connect failure, with the URL.
p=$(free_port)
run --connect "ws://127.0.0.1:$p/subscribe" --retry 0
one_line 1 "^trendtop: error: ws://127.0.0.1:$p/subscribe: cannot connect to 127.0.0.1:$p: Connection refused; giving up$"

# --- Garbage instead of an HTTP answer; invalid frames after a valid handshake.
start_url_server junk garbage http
run --connect "ws://127.0.0.1:$port/" --retry 0
one_line 1 "^trendtop: error: ws://127.0.0.1:$port/: not a WebSocket server: .*; giving up$"
run --connect "http://127.0.0.1:$port/" --retry 0
one_line 1 "^trendtop: error: http://127.0.0.1:$port/: not an HTTP response: .*; giving up$"
start_url_server frames garbage frames
run --connect "ws://127.0.0.1:$port/" --retry 1
assert_eq "status after bad frames" 1 "$rc"
grep -q "^trendtop: ws://127.0.0.1:$port/: WebSocket protocol error: .*illegal opcode; retrying in 100ms$" "$WORK/err" ||
  fail "bad frames: $(cat "$WORK/err")"
# The handshake succeeded, but nothing came: no end to the backoff, and --retry runs out.
grep -q "WebSocket protocol error: .*illegal opcode; giving up after 1 retry$" "$WORK/err" || fail "$(cat "$WORK/err")"

# --- A close frame: code and reason said, what came before it counted.
for i in 1 2 3; do
  printf '{"did":"did:plc:t%s","time_us":%s000000,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","record":{"text":"#rust","facets":[{"index":{"byteStart":0,"byteEnd":5},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"rust"}]}],"createdAt":"2026-07-04T14:38:06Z"}}}\n' \
    "$i" "$((1783175880 + i))"
done >"$WORK/posts.ndjson"
start_url_server closer ws "$WORK/posts.ndjson" --end "close:4001:back in a minute"
run --connect "ws://127.0.0.1:$port/subscribe" --retry 0 -w 1m -o tsv
assert_eq "status after a close frame with --retry 0" 0 "$rc"
grep -q "^trendtop: ws://127.0.0.1:$port/subscribe: the server closed the WebSocket: 4001 back in a minute; not reconnecting (--retry 0)$" \
  "$WORK/err" || fail "close frame: $(cat "$WORK/err")"
assert_eq "counted before the close: #rust 3 times" 3 "$(awk -F'\t' '$4 == "#rust" { print $5 }' "$WORK/out")"

# --- TLS: a self-signed certificate nobody trusts; a trusted one for another name.
make_cert localhost "DNS:localhost,IP:127.0.0.1"
start_url_server untrusted ws "$WORK/posts.ndjson" --tls "$WORK/localhost.crt" "$WORK/localhost.key"
run --connect "wss://localhost:$port/subscribe" --retry 0
one_line 1 "^trendtop: error: wss://localhost:$port/subscribe: TLS: the server's certificate is not trusted: self-signed certificate \(a private CA\? --cacert FILE\); giving up$"
make_cert elsewhere "DNS:elsewhere.test"
start_url_server wrongname ws "$WORK/posts.ndjson" --tls "$WORK/elsewhere.crt" "$WORK/elsewhere.key"
run --cacert "$WORK/elsewhere.crt" --connect "wss://localhost:$port/subscribe" --retry 0
one_line 1 "^trendtop: error: wss://localhost:$port/subscribe: TLS: the server's certificate is not for localhost \(.*\); giving up$"
run --cacert "$WORK/elsewhere.crt" --connect "wss://127.0.0.1:$port/subscribe" --retry 0
one_line 1 "TLS: the server's certificate is not for 127.0.0.1"
# TLS spoken to a plain server.
start_url_server plain ws "$WORK/posts.ndjson"
run --connect "wss://127.0.0.1:$port/subscribe" --retry 0
one_line 1 "^trendtop: error: wss://127.0.0.1:$port/subscribe: TLS handshake failed: .*; giving up$"

# --- An HTTP server: a ws:// URL gets its 200 (not a WebSocket endpoint), an unknown path its 404; neither
# is retried, whatever --retry says.
printf 'event: update\ndata: {}\n\n' >"$WORK/one.sse"
start_url_server http sse "$WORK/one.sse" --end close
run --connect "ws://127.0.0.1:$port/api/v1/streaming/public"
one_line 1 "^trendtop: error: ws://127.0.0.1:$port/api/v1/streaming/public: HTTP 200 OK: not a WebSocket endpoint"
run --connect "http://127.0.0.1:$port/nope?access_token=SECRET-3"
one_line 1 "^trendtop: error: http://127.0.0.1:$port/nope\?access_token=\*\*\*: HTTP 404 Not Found$"
