# A stop signal (SIGINT/SIGTERM) loses nothing producers already sent: connections waiting in the accept queue
# (here beyond --max-connections) are accepted and read, every open connection is read until it has nothing
# more, and an unfinished last line counts as a line of its own; a producer that never stops sending cannot
# hold the run past the grace period. Per-source and global line counts agree. At -j 1 and -j 2.
# Uses plain python3 (stdlib only).
. "$(dirname "$0")/common.sh"
cat >"$WORK/peer.py" <<'PY'
import os, socket, sys, time
cmd, port = sys.argv[1], int(sys.argv[2])
T = 1609459205000
def tweet(tag, t=T):
    return ('{"created_at":"Fri Jan 01 00:00:05 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
            '"entities":{"hashtags":[{"text":"%s","indices":[0,1]}]},"timestamp_ms":"%d"}\n' % (tag, t)).encode()
def accept_queue():  # connections waiting in the listener's accept queue (rx_queue of the LISTEN row)
    n = 0
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(path).read().splitlines()[1:]
        except OSError:
            continue
        for r in rows:
            f = r.split()
            if int(f[1].split(":")[1], 16) == port and f[3] == "0A":
                n += int(f[4].split(":")[1], 16)
    return n
def wait_for(cond, what):
    for _ in range(600):
        if cond():
            return
        time.sleep(0.05)
    sys.exit("timed out waiting for " + what)
def signal_and_hold(socks):  # tell the shell to send the signal, then keep the sockets until trendtop is gone
    print("ready", flush=True)
    sys.stdin.read()
if cmd == "backlog":  # one producer holds the only slot; 50 more send a line each and close, all queued
    hold = socket.create_connection(("127.0.0.1", port), timeout=30)
    hold.sendall(tweet("hold"))
    wait_for(lambda: accept_queue() == 0, "the first producer to be accepted")
    for i in range(50):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(tweet("q%d" % i))
        s.close()
    wait_for(lambda: accept_queue() == 50, "50 producers in the accept queue")
    signal_and_hold([hold])
elif cmd == "fragment":  # ten lines and half of an eleventh, then silence with the connection open
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"".join(tweet("f%d" % i) for i in range(10)) + tweet("cut")[:60])
    signal_and_hold([s])
elif cmd == "bulk":  # 5 000 lines (0.9 MB) in one write, closed at once: some may be in flight at the signal
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"".join(tweet("b%d" % (i % 100)) for i in range(5000)))
    s.close()
    signal_and_hold([])
elif cmd == "firehose":  # never stops on its own
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    chunk = b"".join(tweet("h%d" % i) for i in range(100))
    s.sendall(chunk)
    print("ready", flush=True)
    try:
        while True:
            s.sendall(chunk)
    except OSError:
        pass
PY

# run J MODE SIGNAL: trendtop --listen with MODE's producers; the signal as soon as they are done.
run() {
  local j=$1 mode=$2 sig=$3 port extra=()
  port=$(free_port)
  [ "$mode" = backlog ] && extra=(--max-connections 1)
  "$TRENDTOP" -j "$j" --listen "$port" "${extra[@]}" -k 0 -o json --stats >"$WORK/out.json" 2>"$WORK/err" &
  tt=$!
  wait_listening "$port"
  coproc PEER { exec python3 "$WORK/peer.py" "$mode" "$port" 2>&1; }
  local peer_pid=$PEER_PID peer_in=${PEER[1]}
  read -r -t 60 ready <&"${PEER[0]}" || fail "$mode: producers: $ready"
  [ "$ready" = ready ] || fail "$mode: producers: $ready"
  start=$(date +%s%N)
  kill -"$sig" "$tt"
  timeout 20 tail --pid="$tt" -s 0.05 -f /dev/null || fail "$mode -j $j: still running 20 s after SIG$sig"
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  wait "$tt" || fail "$mode -j $j: exit $?: $(cat "$WORK/err")"
  # (bash closes a coprocess's descriptors once it has ended; exec on a closed one would end this script)
  if [ -e "/proc/$$/fd/$peer_in" ]; then exec {peer_in}>&-; fi
  wait "$peer_pid" 2>/dev/null || true
  s=$(grep '^trendtop: stats lines' "$WORK/err")
  src=$(grep '^trendtop: stats source=' "$WORK/err")
  assert_balanced "$s"
  assert_eq "$mode -j $j: source lines = global lines" "$(stat_of lines "$s")" "$(stat_of lines "$src")"
}

for j in 1 2; do
  run "$j" backlog INT
  assert_eq "backlog -j $j: lines" 51 "$(stat_of lines "$s")"
  assert_eq "backlog -j $j: accepted" 51 "$(stat_of accepted "$src")"
  assert_eq "backlog -j $j: keys" 51 "$(json_to_tsv <"$WORK/out.json" | cut -f4 | sort -u | wc -l)"

  run "$j" fragment TERM
  assert_eq "fragment -j $j: lines (the unfinished one counts)" 11 "$(stat_of lines "$s")"
  assert_eq "fragment -j $j: counted" 10 "$(stat_of counted "$s")"
  assert_eq "fragment -j $j: malformed" 1 "$(stat_of malformed "$s")"

  run "$j" bulk TERM
  assert_eq "bulk -j $j: lines" 5000 "$(stat_of lines "$s")"
  assert_eq "bulk -j $j: counted" 5000 "$(stat_of counted "$s")"

  # The grace period (documented: 2 s) bounds the drain of a producer that never stops. (Then what was read
  # is counted: with -j 2 up to a few MiB still parsing, which takes seconds under the sanitizers.)
  run "$j" firehose INT
  bound=5000
  [ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ] || bound=20000
  [ "$elapsed_ms" -lt "$bound" ] || fail "firehose -j $j: the stop took ${elapsed_ms} ms"
  [ "$(stat_of lines "$s")" -gt 0 ] || fail "firehose -j $j: nothing counted"
done
