# A stuck stdout (a reader that never reads) cannot hold a stop signal off: SIGTERM, and the first SIGINT, end
# the run within the documented bound (output that takes no byte for 1 s is given up; 5 s allowed here) with
# status 1 and a message, and --state keeps nothing the output did not get: what was written, plus what a run
# resumed from the state over the rest of the input prints, is what one run prints, with nothing missing.
# At -j 1 and -j 2.
# Uses plain python3 (stdlib only).
. "$(dirname "$0")/common.sh"
for i in $(seq 0 2999); do tweet $((1609459200000 + i * 1000)) "k$((i % 7))"; done >"$WORK/input"
"$TRENDTOP" -w 1s -o json "$WORK/input" >"$WORK/whole"
# hold.py FIFO OUT: opens FIFO for reading and never reads; says "full" once the pipe is full; at end of its
# stdin, copies what the pipe holds to OUT.
cat >"$WORK/hold.py" <<'PY'
import fcntl, os, struct, sys, termios, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
def queued():
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
for _ in range(1200):
    if queued() >= 65536:
        break
    time.sleep(0.025)
print("full" if queued() >= 65536 else "not full: %d" % queued(), flush=True)
sys.stdin.read()
with open(sys.argv[2], "wb") as out:
    while True:
        try:
            b = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not b:
            break
        out.write(b)
PY
cat >"$WORK/check.py" <<'PY'
import sys
whole, first, second = (open(p, "rb").read() for p in sys.argv[1:4])
first = first[: first.rfind(b"\n") + 1]  # the pipe's 64 KiB end mid-line
whole, first, second = whole.splitlines(), first.splitlines(), second.splitlines()
n = len(first)
if whole[:n] != first:
    sys.exit("what was written is not the start of one run's output")
if second and whole[len(whole) - len(second):] != second:
    sys.exit("the resumed run's output is not the end of one run's")
if n + len(second) < len(whole):
    sys.exit("%d windows missing" % (len(whole) - n - len(second)))
PY
mkfifo "$WORK/in" "$WORK/out"
for j in 1 2; do
  for sig in TERM INT; do
    rm -f "$WORK/s" "$WORK/s.copy"
    coproc HOLD { exec python3 "$WORK/hold.py" "$WORK/out" "$WORK/out1"; }
    hold_pid=$HOLD_PID hold_in=${HOLD[1]}
    "$TRENDTOP" -j "$j" -w 1s -o json --state "$WORK/s" <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
    tt=$!
    cat "$WORK/input" >"$WORK/in" &
    feeder=$!
    read -r -t 60 full <&"${HOLD[0]}" || true
    assert_eq "-j $j SIG$sig: the output pipe filled" full "$full"
    start=$(date +%s%N)
    kill -"$sig" "$tt"
    if ! timeout 10 tail --pid="$tt" -s 0.05 -f /dev/null; then
      kill -KILL "$tt" "$feeder" "$hold_pid" 2>/dev/null || true
      fail "-j $j SIG$sig: still running 10 s after the signal with stdout blocked"
    fi
    ms=$((($(date +%s%N) - start) / 1000000))
    set +e
    wait "$tt"
    rc=$?
    set -e
    kill "$feeder" 2>/dev/null || true
    wait "$feeder" 2>/dev/null || true
    # (bash closes a coprocess's descriptors once it has ended; exec on a closed one would end this script)
    if [ -e "/proc/$$/fd/$hold_in" ]; then exec {hold_in}>&-; fi
    wait "$hold_pid" || true
    echo "-j $j SIG$sig: stopped ${ms} ms after the signal"
    [ "$ms" -le 5000 ] || fail "-j $j SIG$sig: the stop took ${ms} ms"
    assert_eq "-j $j SIG$sig: exit status" 1 "$rc"
    grep -q '^trendtop: error: .*output' "$WORK/err" || fail "-j $j SIG$sig: no message: $(cat "$WORK/err")"
    consumed=0
    if [ -e "$WORK/s" ]; then
      cp "$WORK/s" "$WORK/s.copy"
      consumed=$(stat_of lines "$("$TRENDTOP" -w 1s -o json --state "$WORK/s.copy" --stats </dev/null 2>&1 >/dev/null)")
    fi
    tail -n +$((consumed + 1)) "$WORK/input" | "$TRENDTOP" -w 1s -o json --state "$WORK/s" --flush >"$WORK/out2"
    python3 "$WORK/check.py" "$WORK/whole" "$WORK/out1" "$WORK/out2" || fail "-j $j SIG$sig: see above"
  done
done
