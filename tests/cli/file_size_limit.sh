# A file size limit (`ulimit -f`, RLIMIT_FSIZE) is a write error like a full disk, not a death by signal:
# the kernel sends SIGXFSZ to a process that writes past it, whose default action kills it without a word
# (exit 153), leaving a half-written state temporary behind and the windows already printed unflushed.
# trendtop ignores SIGXFSZ (as PostgreSQL does), so the write fails with EFBIG and takes the documented
# path: one clear line, exit 1, the previous state file as it was and no temporary left; the same for
# `trendtop merge`. The shell here does not ignore SIGXFSZ itself: each case runs in a subshell with the
# signal's default action, as from a login shell or cron.
. "$(dirname "$0")/common.sh"
# 3 000 tweets over 50 minutes of event time, 700 keys: the state of a 10-minute window holds hundreds of
# keys (tens of KB), the printed windows a few KB.
for i in $(seq 0 2999); do tweet $((1609459200000 + i * 1000)) "k$((i % 700))"; done >"$WORK/in"
head -n 100 "$WORK/in" >"$WORK/first"

for j in 1 2; do
  rm -f "$WORK"/s*
  tt=("$TRENDTOP" -j "$j" -w 10m -o tsv --state "$WORK/s")
  "${tt[@]}" "$WORK/first" >/dev/null || fail "-j $j: first run: exit $?"
  [ "$(wc -c <"$WORK/s")" -lt 8192 ] || fail "-j $j: the first state is over the limit used below"
  before=$(cksum <"$WORK/s")

  # The state outgrows an 8 KiB limit; the output goes to a pipe (no limit there).
  set +e
  (
    trap - XFSZ
    ulimit -f 8
    exec "${tt[@]}" "$WORK/in" 2>"$WORK/err" | cat >"$WORK/out"
  )
  rc=$?
  set -e
  assert_eq "-j $j: exit status when the state passes the file size limit" 1 "$rc"
  grep -q "^trendtop: error: cannot write state file '$WORK/s': File too large$" "$WORK/err" ||
    fail "-j $j: the message: $(cat "$WORK/err")"
  assert_eq "-j $j: the state after a failed save" "$before" "$(cksum <"$WORK/s")"
  assert_eq "-j $j: temporaries left" "" "$(cd "$WORK" && ls | grep '^s\.tmp\.' || true)"

  # The output outgrows a 1 KiB limit: exit 1 with a message, 1 KiB written, the state untouched.
  set +e
  (
    trap - XFSZ
    ulimit -f 1
    exec "${tt[@]}" "$WORK/in" >"$WORK/cut" 2>"$WORK/err"
  )
  rc=$?
  set -e
  assert_eq "-j $j: exit status when the output passes the file size limit" 1 "$rc"
  grep -q "cannot write output: File too large" "$WORK/err" || fail "-j $j: the message: $(cat "$WORK/err")"
  assert_eq "-j $j: bytes written before the limit" 1024 "$(wc -c <"$WORK/cut")"
  assert_eq "-j $j: the state after failed output" "$before" "$(cksum <"$WORK/s")"
done

# trendtop merge: its output past the limit.
head -n 1500 "$WORK/in" | "$TRENDTOP" -w 10m -o partial >"$WORK/p1" || fail "partial 1: exit $?"
tail -n 1500 "$WORK/in" | "$TRENDTOP" -w 10m -o partial >"$WORK/p2" || fail "partial 2: exit $?"
set +e
(
  trap - XFSZ
  ulimit -f 1
  exec "$TRENDTOP" merge -o tsv "$WORK/p1" "$WORK/p2" >"$WORK/cut" 2>"$WORK/err"
)
rc=$?
set -e
assert_eq "merge: exit status past the file size limit" 1 "$rc"
grep -q "cannot write output: File too large" "$WORK/err" || fail "merge: the message: $(cat "$WORK/err")"
assert_eq "merge: bytes written before the limit" 1024 "$(wc -c <"$WORK/cut")"
