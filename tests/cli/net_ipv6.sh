# --listen [::1]:PORT accepts IPv6 producers.
. "$(dirname "$0")/common.sh"
python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null || skip "no IPv6 loopback"
port=$(free_port)
"$TRENDTOP" --listen "[::1]:$port" -o json --stats >"$WORK/got.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("::1", int(sys.argv[1])), timeout=10)
s.sendall(b'{"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{},"entities":{"hashtags":[{"text":"V6"}]},"timestamp_ms":"1609486140000"}\n')
s.close()
PY
wait_read "$port"
kill -TERM "$tt"
wait "$tt"
json_to_tsv <"$WORK/got.json" >"$WORK/got"
assert_eq "key" "#v6" "$(cut -f4 "$WORK/got")"
grep -q 'source="listen \[::1\]:' "$WORK/err" || fail "$(cat "$WORK/err")"
