# Out of file descriptors when --state saves (EMFILE at the open of its temporary file). At a checkpoint: a
# warning naming the state file, the reason and the limit (at most one per 10 s); the state file keeps the
# last checkpoint (not replaced, no temporary left beside it), the next checkpoint once a descriptor is free
# saves, and the run exits 0, its save at the end being good. At the end: an error naming the file and the
# limit, exit 1, and the state file as the last checkpoint left it, from which the next run goes on. The
# limit is lowered on the running trendtop (prlimit) to what it has open. Main said "error: cannot write
# state file 'S.tmp.PID': Too many open files" and exited 1 once a checkpoint had failed.
. "$(dirname "$0")/common.sh"
command -v prlimit >/dev/null || skip "no prlimit (util-linux)"
T=1609459200000
{ tweet $T a; tweet $((T + 1000)) b; tweet $((T + 2000)) a; } >"$WORK/part1"
{ tweet $((T + 3000)) b; tweet $((T + 4000)) c; } >"$WORK/part2"
S=$WORK/s
opts=(-w 1d -k 0 -o tsv --idle-timeout 0 --state "$S")
same_state() { [ "$(stat -c '%i %y' "$S")" == "$1" ]; }
no_temporary() { ! ls "$S".tmp.* >/dev/null 2>&1 || fail "$1: a temporary file is left: $(ls "$S".tmp.*)"; }
mkfifo "$WORK/in1" "$WORK/in2"

# At a checkpoint (every 200 ms).
"$TRENDTOP" "${opts[@]}" --checkpoint-every 200ms <"$WORK/in1" >"$WORK/out1" 2>"$WORK/err1" &
tt=$!
exec 3>"$WORK/in1"
cat "$WORK/part1" >&3
wait_lines $tt "$WORK/err1" 3
wait_for "a checkpoint" test -s "$S"
was=$(stat -c '%i %y' "$S")
wait_for "a checkpoint after the 3 lines" eval '! same_state "$was"'
limit=$(free_fd $tt)
prlimit --pid $tt --nofile="$limit": || fail "prlimit"
wait_for "the warning" grep -q 'cannot write state file' "$WORK/err1"
warned=$(date +%s)
was=$(stat -c '%i %y' "$S")
sleep 1 # five checkpoints, all out of descriptors
same_state "$was" || fail "out of descriptors, the state file was replaced"
no_temporary "out of descriptors"
prlimit --pid $tt --nofile="$(ulimit -Sn)": || fail "prlimit"
wait_for "a checkpoint once a descriptor is free" eval '! same_state "$was"'
kill -TERM $tt
set +e
wait $tt
rc=$?
set -e
exec 3>&-
assert_eq "a checkpoint failed, the save at the end did not: exit status ($(cat "$WORK/err1"))" 0 "$rc"
n=$(grep -c 'cannot write state file' "$WORK/err1")
[ "$n" -le $((1 + ($(date +%s) - warned) / 10)) ] || fail "$n warnings: $(grep 'state file' "$WORK/err1" | head -3)"
grep 'cannot write state file' "$WORK/err1" | head -1 | grep -qF "trendtop: warning: cannot write state file '$S': cannot create '$S.tmp.$tt': Too many open files (the limit is $limit descriptors per process, ulimit -n); it keeps the last checkpoint" ||
  fail "the warning: $(grep 'state file' "$WORK/err1" | head -1)"
! grep -q 'error' "$WORK/err1" || fail "errors: $(grep error "$WORK/err1")"
no_temporary "at the end"

# At the end: the state file stays as the run above left it (part 1), and says so. Not under UBSan: it checks
# a vptr it has not seen yet by writing it into a pipe (IsAccessibleMemoryRange), and out of descriptors it
# takes the first virtual call after the stop (Pipeline::interrupt) for an invalid vptr, and halts.
if ! ldd "$TRENDTOP" 2>/dev/null | grep -q libubsan; then
  "$TRENDTOP" "${opts[@]}" <"$WORK/in2" >"$WORK/out2" 2>"$WORK/err2" &
  tt=$!
  exec 3>"$WORK/in2"
  cat "$WORK/part2" >&3
  wait_lines $tt "$WORK/err2" 5 # counted since the first run: 3 + 2
  was=$(stat -c '%i %y' "$S")
  limit=$(free_fd $tt)
  prlimit --pid $tt --nofile="$limit": || fail "prlimit"
  kill -TERM $tt
  set +e
  wait $tt
  rc=$?
  set -e
  exec 3>&-
  assert_eq "the save at the end failed: exit status ($(cat "$WORK/err2"))" 1 "$rc"
  grep -qxF "trendtop: error: cannot write state file '$S': cannot create '$S.tmp.$tt': Too many open files (the limit is $limit descriptors per process, ulimit -n)" "$WORK/err2" ||
    fail "the error: $(grep -v stats "$WORK/err2")"
  same_state "$was" || fail "the state file was replaced"
  no_temporary "a failed save at the end"
fi
# The next run goes on from the first run's state: part 1 counted once, part 2 (if run) not at all.
"$TRENDTOP" "${opts[@]}" --flush </dev/null >"$WORK/out3" 2>"$WORK/err3" || fail "resume: $(cat "$WORK/err3")"
assert_eq "resumed from the last good state" "#a 2 #b 1" "$(cut -f4,5 "$WORK/out3" | xargs)"
