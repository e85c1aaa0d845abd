# Real signals: SIGINT/SIGTERM print the open windows marked partial and exit 0; a second SIGINT exits at once
# with 130; SIGUSR1 prints the counters without stopping; SIGHUP is ignored when stdout is not a terminal.
. "$(dirname "$0")/common.sh"
mkfifo "$WORK/in"
for sig in INT TERM; do
  "$TRENDTOP" -o json --stats <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
  tt=$!
  exec 3>"$WORK/in"
  { tweet 1609459200000 a b; tweet 1609459201000 a; tweet 1609459212000 c; } >&3
  wait_for "the first window ([0,10) closes when 12s is read)" test -s "$WORK/out"
  wait_for "the SIGUSR1 handler" catches_usr1 "$tt"
  kill -USR1 "$tt"  # counters, and the run goes on
  wait_for "the counters" grep -q '^trendtop: stats lines=3 counted=3 ' "$WORK/err"
  # SIGHUP, then SIGUSR1: pending together, the lower-numbered SIGHUP is delivered first, so a second counters
  # line proves that SIGHUP did not end the run.
  kill -HUP "$tt" # stdout is a file: ignored
  kill -USR1 "$tt"
  wait_for "counters after SIGHUP, or the end of the run" \
    eval '[ "$(grep -c "^trendtop: stats lines=3 " "$WORK/err")" = 2 ] || ! kill -0 "$tt" 2>/dev/null'
  kill -0 "$tt" || fail "SIGUSR1 or SIGHUP ended the run"
  kill -"$sig" "$tt"
  set +e
  wait "$tt"
  rc=$?
  set -e
  exec 3>&-
  assert_eq "exit status after SIG$sig" 0 "$rc"
  # [0,10) closed when 12s arrived: final. [10,20) was open: printed, partial.
  assert_eq "windows after SIG$sig" '["2021-01-01T00:00:10Z",true,2,"#a",2]
["2021-01-01T00:00:20Z",false,1,"#c",1]' "$(jq -c '[.window_end,.final,.records,.top[0].key,.top[0].count]' "$WORK/out")"
  assert_eq "stats lines (two SIGUSR1, and at exit)" 3 "$(grep -c '^trendtop: stats lines=3 ' "$WORK/err")"
done

# TSV cannot mark partial rows: they are left out, and stderr says so.
"$TRENDTOP" -o tsv <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
tt=$!
exec 3>"$WORK/in"
tweet 1609459200000 a >&3
wait_lines "$tt" "$WORK/err" 1
kill -TERM "$tt"
wait "$tt"
exec 3>&-
[ ! -s "$WORK/out" ] || fail "partial rows in TSV: $(cat "$WORK/out")"
grep -q "interrupted: 1 open window not printed" "$WORK/err" || fail "$(cat "$WORK/err")"

# A second SIGINT exits at once with 130, even when the first could not finish (a blocked writer).
mkfifo "$WORK/out-fifo"
for i in $(seq 0 3000); do tweet $((1609459200000 + i * 1000)) "k$i"; done >"$WORK/big"
exec 4<>"$WORK/out-fifo" # held open, never read: trendtop's output fills the pipe and blocks
"$TRENDTOP" --window 1s -o json "$WORK/big" >"$WORK/out-fifo" 2>/dev/null &
tt=$!
# pipe_full: trendtop's output filled the pipe (it is blocked writing); pending SIGNUM PID: not delivered yet.
pipe_full() { python3 -c 'import fcntl, struct, termios; n = struct.unpack("i", fcntl.ioctl(4, termios.FIONREAD, b"\0" * 4))[0]; exit(n < fcntl.fcntl(4, 1032))'; }
pending() {
  local mask
  for mask in $(awk '/^(SigPnd|ShdPnd):/ { print $2 }' "/proc/$2/status" 2>/dev/null); do
    [ $((16#$mask & (1 << ($1 - 1)))) = 0 ] || return 0
  done
  return 1
}
wait_for "trendtop blocked on its full output pipe" pipe_full
kill -INT "$tt"
wait_for "the first SIGINT delivered" eval '! pending 2 "$tt"'
kill -INT "$tt"
set +e
timeout 10 tail --pid="$tt" -f /dev/null
wait "$tt"
rc=$?
set -e
exec 4<&-
assert_eq "exit status after a second SIGINT" 130 "$rc"
