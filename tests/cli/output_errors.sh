# Output that cannot be written (a full disk) is reported once and the exit status is 1; it never loops.
. "$(dirname "$0")/common.sh"
[ -w /dev/full ] || skip "no /dev/full"
for i in $(seq 0 3000); do tweet $((1609459200000 + i * 1000)) "tag$((i % 5))"; done >"$WORK/in"
set +e
timeout 20 "$TRENDTOP" --window 1s "$WORK/in" >/dev/full 2>"$WORK/err"
rc=$?
set -e
assert_eq "exit status" 1 "$rc"
assert_eq "one error line" 1 "$(wc -l <"$WORK/err")"
grep -q '^trendtop: error: cannot write output: No space left on device$' "$WORK/err" || fail "$(cat "$WORK/err")"
