# SIGHUP with stdout on a terminal (the terminal went away) ends the run as SIGTERM does: the open windows are
# kept in --state and the exit status is 0. Under nohup (SIGHUP ignored when trendtop starts) it stays
# ignored. Uses plain python3 (stdlib: pty).
. "$(dirname "$0")/common.sh"
python3 -c 'import pty' 2>/dev/null || skip "python3 without pty support"
mkfifo "$WORK/in"
cat >"$WORK/hup.py" <<'PY'
import os, pty, signal, subprocess, sys, time
tt, fifo, state, err, nohup = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
master, slave = pty.openpty()
env = dict(os.environ, TERM="dumb")
pre = (lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if nohup else None
p = subprocess.Popen([tt, "-o", "tsv", "--stats", "--state", state, fifo], stdin=subprocess.DEVNULL,
                     stdout=slave, stderr=open(err, "w"), env=env, preexec_fn=pre)
os.close(slave)
w = open(fifo, "wb", buffering=0)
w.write(b'{"created_at":"Fri Jan 01 00:00:05 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
        b'"entities":{"hashtags":[{"text":"hup","indices":[0,1]}]},"timestamp_ms":"1609459205000"}\n')
for _ in range(400):  # until it has counted the line (SIGUSR1 prints the counters)
    p.send_signal(signal.SIGUSR1)
    time.sleep(0.05)
    if "counted=1 " in open(err).read():
        break
else:
    sys.exit("the line was never counted")
p.send_signal(signal.SIGHUP)
if nohup:
    time.sleep(0.3)
    if p.poll() is not None:
        sys.exit("SIGHUP ended a run that started with SIGHUP ignored (status %s)" % p.returncode)
    p.send_signal(signal.SIGTERM)
try:
    rc = p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit("still running 20 s after the signal")
w.close()
print(rc)
PY
for nohup in 0 1; do
  rm -f "$WORK/s"
  rc=$(python3 "$WORK/hup.py" "$TRENDTOP" "$WORK/in" "$WORK/s" "$WORK/err" "$nohup") || fail "nohup=$nohup: see above"
  assert_eq "nohup=$nohup: exit status" 0 "$rc"
  [ -e "$WORK/s" ] || fail "nohup=$nohup: no state saved: $(cat "$WORK/err")"
  # The state holds the open window with the tweet: a resumed run prints it.
  got=$("$TRENDTOP" -o tsv --state "$WORK/s" --flush </dev/null | cut -f4)
  assert_eq "nohup=$nohup: resumed window" "#hup" "$got"
done
