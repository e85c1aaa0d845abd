# --listen '[::]:PORT' listens on every interface, IPv6 and IPv4 alike (a dual-stack socket), as --help says:
# producers over 127.0.0.1 and over ::1 are both counted.
. "$(dirname "$0")/common.sh"
python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null || skip "no IPv6 loopback"
port=$(free_port)
"$TRENDTOP" --listen "[::]:$port" -k 0 -o json --stats >"$WORK/got.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
python3 - "$port" <<'PY' || fail "a producer could not connect"
import socket, sys
port = int(sys.argv[1])
for host, tag in (("127.0.0.1", "v4"), ("::1", "v6")):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(b'{"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{},"entities":{"hashtags":[{"text":"%s"}]},'
              b'"timestamp_ms":"1609486140000"}\n' % tag.encode())
    s.close()
PY
for _ in $(seq 100); do
  kill -USR1 "$tt"
  sleep 0.1
  grep -q 'source=.* closed=2 ' "$WORK/err" && break
done
kill -TERM "$tt"
wait "$tt"
assert_eq "keys" "#v4 #v6" "$(json_to_tsv <"$WORK/got.json" | cut -f4 | sort | xargs)"
