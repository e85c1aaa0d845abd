# Out of file descriptors while --listen accepts (EMFILE at accept): trendtop neither spins nor exits.
# Producers wait in the backlog, the listener is not polled until a connection closes, and one warning (at
# most one per 10 s) names the limit; as connections close the waiting producers are accepted, and every
# line of every producer is counted once. The limit is lowered on the running trendtop (prlimit) to what it
# has open once 10 producers are in, so the next accept fails; 30 more then connect, send and close, and the
# first 10 close one by one. Main warned 30 times, without the limit.
. "$(dirname "$0")/common.sh"
command -v prlimit >/dev/null || skip "no prlimit (util-linux)"
held=10 waiting=30
for i in $(seq 0 $((held - 1))); do tweet 1609459200000 "h$i" >"$WORK/h$i"; done
for i in $(seq 0 $((waiting - 1))); do tweet 1609459200000 "w$i" >"$WORK/w$i"; done
port=$(free_port)
"$TRENDTOP" --listen "$port" -w 1d -k 0 -o json --stats >"$WORK/got.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
# The producers (plain python3): the held ones connect and send, and stay until $WORK/release; the waiting
# ones connect, send and close once $WORK/limited exists.
python3 - "$port" "$WORK" "$held" "$waiting" >"$WORK/producers.out" 2>&1 <<'PY' &
import os, socket, sys, time
port, work, held, waiting = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def until(name):
    for _ in range(6000):
        if os.path.exists(os.path.join(work, name)):
            return
        time.sleep(0.01)
    sys.exit("waited 60 s for " + name)
def send(tag):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(open(os.path.join(work, tag), "rb").read())
    return s
hold = [send(f"h{i}") for i in range(held)]
until("limited")
for i in range(waiting):
    send(f"w{i}").close()
until("release")
for s in hold:
    s.close()
    time.sleep(0.02)
PY
producers=$!
wait_lines $tt "$WORK/err" $held # the held producers are accepted and read
limit=$(free_fd $tt)
prlimit --pid $tt --nofile="$limit": || fail "prlimit"
: >"$WORK/limited"
wait_for "the warning" grep -q 'cannot accept' "$WORK/err"
warned=$(date +%s)
# Out of descriptors, with 30 producers in the backlog: the CPU trendtop uses over a second.
before=$(cpu_ticks $tt)
sleep 1
used=$(($(cpu_ticks $tt) - before))
[ "$used" -le $(($(getconf CLK_TCK) / 10)) ] || fail "out of descriptors, trendtop used $used ticks of CPU in 1 s"
kill -0 $tt || fail "trendtop ended: $(cat "$WORK/err")"
: >"$WORK/release"
wait $producers || fail "producers: $(cat "$WORK/producers.out")"
wait_read "$port"
kill -TERM $tt
wait $tt || fail "exit status $?: $(cat "$WORK/err")"
elapsed=$(($(date +%s) - warned))

json_to_tsv <"$WORK/got.json" | cut -f4,5 | sort >"$WORK/got"
{ for i in $(seq 0 $((held - 1))); do printf '#h%s\t1\n' "$i"; done
  for i in $(seq 0 $((waiting - 1))); do printf '#w%s\t1\n' "$i"; done; } | sort >"$WORK/expect"
assert_files_eq "every producer's line counted once" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines' "$WORK/err" | tail -1)
assert_eq "lines" $((held + waiting)) "$(stat_of lines "$s")"
assert_balanced "$s"
assert_eq "accepted" $((held + waiting)) "$(stat_of accepted "$(grep '^trendtop: stats source=' "$WORK/err" | tail -1)")"
n=$(grep -c 'cannot accept' "$WORK/err")
[ "$n" -le $((1 + elapsed / 10)) ] || fail "$n warnings in $elapsed s: $(grep 'cannot accept' "$WORK/err" | head -3)"
grep 'cannot accept' "$WORK/err" | head -1 |
  grep -q "Too many open files (the limit is $limit descriptors per process, ulimit -n; $held connections open)" ||
  fail "the warning does not name the limit: $(grep 'cannot accept' "$WORK/err" | head -1)"
