# --connect to a server that accepts and closes at once, sending nothing: trendtop backs off (100 ms, doubling,
# up to 30 s) instead of reconnecting every 100 ms, and says so on stderr a few times, not once per attempt. A
# server that sends a line on every connection is reconnected to after the first 100 ms each time (it delivered), still
# with few messages. Uses plain python3 (stdlib only).
. "$(dirname "$0")/common.sh"
cat >"$WORK/server.py" <<'PY'
import socket, sys
port, mode, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
line = (b'{"created_at":"Fri Jan 01 00:00:05 +0000 2021","user":{"id":1},'
        b'"entities":{"hashtags":[{"text":"srv"}]},"timestamp_ms":"1609459205000"}\n')
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
srv.settimeout(30)
n = 0
try:
    while True:
        c, _ = srv.accept()
        n += 1
        open(log, "w").write("%d\n" % n)
        if mode == "line":
            c.sendall(line)
        c.close()
except socket.timeout:
    pass
PY
for mode in empty line; do
  port=$(free_port)
  python3 "$WORK/server.py" "$port" "$mode" "$WORK/accepts" &
  srv=$!
  wait_listening "$port"
  "$TRENDTOP" --connect "127.0.0.1:$port" --duration 3s -o json --stats >"$WORK/out" 2>"$WORK/err" ||
    fail "$mode: exit $?: $(cat "$WORK/err")"
  kill "$srv"
  wait "$srv" 2>/dev/null || true
  accepts=$(cat "$WORK/accepts")
  messages=$(grep -vc '^trendtop: stats ' "$WORK/err" || true)
  echo "$mode: $accepts connections in 3 s, $messages messages"
  src=$(grep '^trendtop: stats source=' "$WORK/err")
  if [ "$mode" = empty ]; then
    # Backoff 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s: 5 or 6 connections in 3 s (every 100 ms would be ~30).
    [ "$accepts" -le 8 ] || fail "empty: $accepts connections in 3 s"
  else
    [ "$accepts" -ge 10 ] || fail "line: only $accepts connections in 3 s: a server that delivers is reconnected to at once"
    [ "$(stat_of lines "$src")" -ge $((accepts - 1)) ] || fail "line: $(stat_of lines "$src") lines from $accepts connections"
  fi
  [ "$messages" -le 4 ] || fail "$mode: $messages lines on stderr in 3 s: $(head -20 "$WORK/err")"
done
