# Property: a live run with --state and --checkpoint-every killed with SIGKILL at a random point loses no window.
# What it printed, plus what a run resumed from its last checkpoint over the rest of the input prints, covers
# what one run over everything prints: the first is a start of it (less a line the kill may have cut), the
# second an end of it, and together they miss nothing. Windows printed after the last checkpoint are printed
# again by the resumed run (documented: duplicates of the last windows, never a gap). At -j 1 and -j 2, with
# kill points spread over the run (a seeded random choice; TRIALS=N overrides the count). The output goes to a
# slow reader and a checkpoint is taken at every turn of the read loop (--checkpoint-every 1ms), so that kills
# often find windows closed by a checkpoint still waiting to be written: the moment a checkpoint saved before
# writing them would lose them (today's trendtop lost some in 12 of 16 trials at -j 2).
# Uses plain python3 (stdlib only).
. "$(dirname "$0")/common.sh"
trials=${TRIALS:-8}
cat >"$WORK/gen.py" <<'PY'
import random, sys
r = random.Random(15)
T = 1609459200000
with open(sys.argv[1], "w") as out:
    for i in range(3000):  # 250 ms apart: four records a window of 1 s, so nearly every read closes windows
        tags = ",".join('{"text":"k%d","indices":[0,1]}' % r.randrange(12) for _ in range(3))
        out.write('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
                  '"entities":{"hashtags":[%s]},"timestamp_ms":"%d"}\n' % (tags, T + i * 250))
PY
# feed.py INPUT FIFO PID SEED KILL: writes INPUT into FIFO in bursts of 30 lines every 10 ms; with KILL=1,
# SIGKILLs PID after a random number of lines (and a random part of a burst's pause) and stops there.
cat >"$WORK/feed.py" <<'PY'
import os, random, signal, sys, time
lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
fifo, pid, r, kill = sys.argv[2], int(sys.argv[3]), random.Random(int(sys.argv[4])), sys.argv[5] == "1"
kill_at = r.randrange(150, len(lines) - 150) if kill else len(lines)
out = open(fifo, "wb", buffering=0)
try:
    for i in range(0, len(lines), 30):
        out.write(b"".join(lines[i:i + 30]))
        if i >= kill_at:
            time.sleep(r.random() * 0.01)
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    out.close()
except BrokenPipeError:  # killed by the output's reader
    pass
PY
# slow.py FIFO OUT PID SEED KILL: reads trendtop's output slowly (a 4 KiB pipe, 512 bytes every 5 ms: about
# half the rate windows close at) into OUT. With KILL=1, after a random number of bytes it stops reading
# until the pipe stops filling (trendtop's write blocks), SIGKILLs PID, then reads the rest.
cat >"$WORK/slow.py" <<'PY'
import fcntl, os, random, select, signal, sys, termios, time, struct
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)  # at once: the pipe is small before trendtop writes
pid, r, kill = int(sys.argv[3]), random.Random(int(sys.argv[4])), sys.argv[5] == "1"
size = fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ
kill_at = r.randrange(2000, 60000) if kill else None
done = 0
def queued():
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
with open(sys.argv[2], "wb") as out:
    while True:
        if kill_at is not None and done >= kill_at:
            # Stop reading until nothing more comes for 50 ms: trendtop's write is blocked (or it has
            # nothing to write); then the kill.
            last, still = -1, 0
            while still < 10:
                time.sleep(0.005)
                q = queued()
                still = still + 1 if q == last else 0
                last = q
            os.kill(pid, signal.SIGKILL)
            kill_at = None
        select.select([fd], [], [])  # (no writer yet: not ready; the writer gone: ready, at end of file)
        b = os.read(fd, 512)
        if not b:
            break
        out.write(b)
        done += len(b)
        time.sleep(0.005)
PY
# check.py WHOLE OUT1 OUT2: OUT1 (less a cut last line) starts WHOLE, OUT2 ends it, and they leave no gap.
cat >"$WORK/check.py" <<'PY'
import sys
whole, first, second = (open(p, "rb").read() for p in sys.argv[1:4])
first = first[: first.rfind(b"\n") + 1]  # a kill can cut the last line
w, a, b = whole.splitlines(), first.splitlines(), second.splitlines()
if w[: len(a)] != a:
    sys.exit("the killed run's output is not the start of one run's")
if b and w[len(w) - len(b):] != b:
    sys.exit("the resumed run's output is not the end of one run's")
if len(a) + len(b) < len(w):
    sys.exit("%d rows missing between the killed run (%d rows) and the resumed one (%d rows)"
             % (len(w) - len(a) - len(b), len(a), len(b)))
print(len(a) + len(b) - len(w))  # rows printed twice
PY
python3 "$WORK/gen.py" "$WORK/input"
"$TRENDTOP" -w 1s -k 0 -o tsv "$WORK/input" >"$WORK/whole"
[ "$(wc -l <"$WORK/whole")" -gt 5000 ] || fail "one run printed too little to test with"
mkfifo "$WORK/fifo" "$WORK/out.fifo"
for j in 1 2; do
  opts=(-j "$j" -w 1s -k 0 -o tsv --idle-timeout 0)
  dups=0
  for trial in $(seq "$trials"); do
    rm -f "$WORK/s" "$WORK/s.copy"
    # Odd trials: killed at a random point of the input; even ones: at a random point of the output, while a
    # write is blocked.
    seed=$((j * 1000 + trial)) by_input=$((trial % 2)) by_output=$((1 - trial % 2))
    "$TRENDTOP" "${opts[@]}" --state "$WORK/s" --checkpoint-every 1ms <"$WORK/fifo" >"$WORK/out.fifo" 2>"$WORK/err1" &
    tt=$!
    python3 "$WORK/slow.py" "$WORK/out.fifo" "$WORK/out1" "$tt" "$seed" "$by_output" &
    reader=$!
    python3 "$WORK/feed.py" "$WORK/input" "$WORK/fifo" "$tt" "$seed" "$by_input" || fail "feeder failed"
    set +e
    {
      wait "$tt"
      rc=$?
      wait "$reader"
      rrc=$?
    } 2>/dev/null # (bash's "Killed" notice)
    set -e
    assert_eq "output reader's status" 0 "$rrc"
    assert_eq "-j $j trial $trial: killed" 137 "$rc"
    # The lines the last checkpoint holds: its --stats after a run over no input (on a copy of the state).
    consumed=0
    if [ -e "$WORK/s" ]; then
      cp "$WORK/s" "$WORK/s.copy"
      st=$("$TRENDTOP" "${opts[@]}" --state "$WORK/s.copy" --stats </dev/null 2>&1 >/dev/null | grep 'stats lines')
      consumed=$(stat_of lines "$st")
    fi
    tail -n +$((consumed + 1)) "$WORK/input" |
      "$TRENDTOP" "${opts[@]}" --state "$WORK/s" --flush >"$WORK/out2" || fail "-j $j trial $trial: resume failed"
    d=$(python3 "$WORK/check.py" "$WORK/whole" "$WORK/out1" "$WORK/out2") ||
      fail "-j $j trial $trial (checkpoint at line $consumed): see above"
    dups=$((dups + d))
  done
  echo "-j $j: $trials kills, $dups rows printed twice in all"
done
