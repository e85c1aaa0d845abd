# Listener safety: --allow turns away producers outside the blocks (counted as refused, nothing read);
# --client-timeout closes a silent connection (counted as a timeout; a line it left unfinished is counted as a
# line of its own); a producer dribbling a byte at a time and a flood of connections beyond --max-connections
# do not hold up a producer that sends normally. All of it shows in --stats.
. "$(dirname "$0")/common.sh"
for i in 0 1 2 3; do tweet $((1609459200000 + i)) "p$i" >"$WORK/p$i"; done
src_stats() { grep '^trendtop: stats source=' "$1"; }

# --allow: 127.0.0.1 is not in 10.0.0.0/8.
port=$(free_port)
"$TRENDTOP" --listen "$port" --allow 10.0.0.0/8 --allow 192.168.0.0/16 -k 0 -o tsv --stats >"$WORK/out" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
$NET produce "$port" "whole:$WORK/p0" "whole:$WORK/p1" || true # refused: closed at once
wait_read "$port"
kill -TERM "$tt"
wait "$tt"
src=$(src_stats "$WORK/err")
assert_eq "refused" 2 "$(stat_of refused "$src")"
assert_eq "accepted" 0 "$(stat_of accepted "$src")"
assert_eq "nothing read" 0 "$(stat_of lines "$src")"
assert_eq "said once" 1 "$(grep -c 'not in --allow' "$WORK/err")"
[ ! -s "$WORK/out" ] || fail "a refused producer was counted: $(cat "$WORK/out")"

# --allow that matches (a block and a single address, IPv4 and IPv6).
for spec in "127.0.0.0/8 $port" "::1 [::1]:$port"; do
  read -r block listen <<<"$spec"
  "$TRENDTOP" --listen "$listen" --allow 10.0.0.0/8 --allow "$block" -k 0 -o json --stats >"$WORK/out.json" 2>"$WORK/err" &
  tt=$!
  wait_listening "$port"
  if [ "$block" = "::1" ]; then
    python3 -c 'import socket,sys; s=socket.create_connection(("::1", int(sys.argv[1])), timeout=10); s.sendall(open(sys.argv[2],"rb").read()); s.close()' "$port" "$WORK/p2"
  else
    $NET produce "$port" "whole:$WORK/p2"
  fi
  wait_read "$port"
  kill -TERM "$tt"
  wait "$tt"
  assert_eq "--allow $block: accepted" 1 "$(stat_of accepted "$(src_stats "$WORK/err")")"
  assert_eq "--allow $block: counted" "#p2" "$(json_to_tsv <"$WORK/out.json" | cut -f4)"
done

# --client-timeout 1s: one producer sends half a line and goes quiet, another holds a connection without a
# byte, a third sends a tweet and leaves. The quiet two are closed after a second; the half line is a line.
port=$(free_port)
"$TRENDTOP" --listen "$port" --client-timeout 1s --idle-timeout 0 -k 0 -o json --stats >"$WORK/out.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
python3 - "$port" "$WORK/p3" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
half = socket.create_connection(("127.0.0.1", port), timeout=10)
half.sendall(b'{"created_at":"Fri Jan 01 00:00:00 +0000 2021","te')
silent = socket.create_connection(("127.0.0.1", port), timeout=10)
whole = socket.create_connection(("127.0.0.1", port), timeout=10)
whole.sendall(open(sys.argv[2], "rb").read())
whole.close()
t0 = time.monotonic()
# trendtop closes the quiet ones: reading gives end of stream after about a second.
for s in (half, silent):
    assert s.recv(1) == b"", "expected the connection closed"
took = time.monotonic() - t0
assert 0.8 <= took <= 5, took
PY
kill -TERM "$tt"
wait "$tt"
src=$(src_stats "$WORK/err")
assert_eq "timeouts" 2 "$(stat_of timeouts "$src")"
assert_eq "closed (timeouts included)" 3 "$(stat_of closed "$src")"
s=$(grep '^trendtop: stats lines' "$WORK/err")
assert_eq "the half line is a malformed line" 1 "$(stat_of malformed "$s")"
assert_balanced "$s"
assert_eq "the whole tweet counted" "#p3" "$(json_to_tsv <"$WORK/out.json" | cut -f4)"

# A producer dribbling a byte every 50 ms, and 40 connections beyond --max-connections 3, do not hold up a
# producer that sends 2 000 tweets at once: they are counted while the dribbler is still at it.
for i in $(seq 0 1999); do tweet $((1609459200000 + i)) fast; done >"$WORK/fast"
port=$(free_port)
"$TRENDTOP" --listen "$port" --max-connections 3 --lateness 1h -k 0 -o json --emit every=200ms --stats >"$WORK/out.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
python3 - "$port" "$WORK/fast" "$WORK/p0" "$WORK/out.json" <<'PY'
import json, socket, sys, threading, time
port = int(sys.argv[1])
fast, slow = open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()
stop = threading.Event()
def dribble():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    for i in range(len(slow)):
        if stop.is_set():
            break
        s.sendall(slow[i:i + 1])
        time.sleep(0.05)
    s.close()
t = threading.Thread(target=dribble)
t.start()
time.sleep(0.2)
f = socket.create_connection(("127.0.0.1", port), timeout=10)
time.sleep(0.2)
flood = []
for _ in range(40):  # beyond the limit: they wait in the backlog
    try:
        flood.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError:
        pass
f.sendall(fast)
f.close()
# Until a running top-k shows the 2 000 fast tweets (checked again below), while the dribbler (some 10 s to
# go) is still at it: an event, not a guess at how long counting takes on a busy machine.
def fast_counted():
    try:
        for line in open(sys.argv[4]):
            w = json.loads(line)
            if not w["final"] and any(t["key"] == "#fast" and t["count"] == 2000 for t in w["top"]):
                return True
    except (OSError, ValueError):  # not there yet, or a line being written
        pass
    return False
while t.is_alive() and not fast_counted():
    time.sleep(0.05)
assert fast_counted(), "the fast tweets were not all counted while the dribbler was at it"
open(sys.argv[2] + ".checkpoint", "w").write("%d\n" % len(flood))
stop.set()
t.join()
for s in flood:
    s.close()
PY
kill -TERM "$tt"
wait "$tt"
# The running top-k printed while the dribbler was still connected already had all 2 000 fast tweets.
jq -r 'select(.final == false) | .top[] | select(.key == "#fast") | .count' "$WORK/out.json" | sort -n | tail -1 >"$WORK/max"
assert_eq "fast producer counted while a slow one dribbles and a flood waits" 2000 "$(cat "$WORK/max")"
src=$(src_stats "$WORK/err")
[ "$(stat_of accepted "$src")" -ge 3 ] || fail "accepted: $src"

set +e
"$TRENDTOP" --listen 0 --allow 10.0.0.0/33 </dev/null 2>"$WORK/err"
assert_eq "--allow /33 exits" 2 $?
"$TRENDTOP" --allow banana </dev/null 2>"$WORK/err"
assert_eq "--allow banana exits" 2 $?
"$TRENDTOP" --client-timeout soon </dev/null 2>"$WORK/err"
assert_eq "--client-timeout soon exits" 2 $?
set -e
