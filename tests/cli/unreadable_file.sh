# An unreadable file is reported, the other files are still read, and the exit status is 1. (A directory is
# read recursively: archive_dirs.sh.)
. "$(dirname "$0")/common.sh"
tweet 1609459200000 a >"$WORK/one"
tweet 1609459201000 a b >"$WORK/two"
set +e
"$TRENDTOP" -o tsv "$WORK/one" "$WORK/missing" "$WORK/two" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
assert_eq "exit status" 1 "$rc"
grep -q "trendtop: error: cannot open '$WORK/missing': No such file or directory" "$WORK/err" || fail "$(cat "$WORK/err")"
printf '2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t2\t0\t2\tnew\n2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t2\t#b\t1\t0\t1\tnew\n' >"$WORK/expect"
assert_files_eq "output of the readable files" "$WORK/expect" "$WORK/out"
