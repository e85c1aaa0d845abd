# A state file that does not check out is refused with a clear message and exit 1, and left as it was:
# truncated, a flipped bit, another format version, a foreign file, settings that do not match. A missing
# file is a first run; an unwritable place is a runtime error.
. "$(dirname "$0")/common.sh"
{ tweet 1609459200000 a; tweet 1609459201000 a b; tweet 1609459212000 c; } >"$WORK/in"
"$TRENDTOP" -o tsv --state "$WORK/good" "$WORK/in" >"$WORK/out"
# Only [0,10) closed (the 12 s record passed it); [10,20) waits in the state.
assert_eq "first run" $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t2\t0\t2\tnew\n2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t2\t#b\t1\t0\t1\tnew' "$(cat "$WORK/out")"
head -c 8 "$WORK/good" | grep -q TRENDTOP || fail "no magic"
size=$(stat -c %s "$WORK/good")

refused() {  # refused WHAT FILE MESSAGE [ARGS...]
  local what=$1 file=$2 msg=$3
  shift 3
  cp "$file" "$WORK/before"
  set +e
  "$TRENDTOP" -o tsv --state "$file" "$@" "$WORK/in" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "$what: exit status" 1 "$rc"
  [ ! -s "$WORK/out" ] || fail "$what: printed windows: $(cat "$WORK/out")"
  assert_eq "$what: one line on stderr" 1 "$(wc -l <"$WORK/err")"
  grep -q "^trendtop: error: state file '$file' .*$msg" "$WORK/err" || fail "$what: message: $(cat "$WORK/err")"
  cmp -s "$WORK/before" "$file" || fail "$what: the file was changed"
}
head -c $((size - 1)) "$WORK/good" >"$WORK/truncated"
refused truncated "$WORK/truncated" "truncated"
head -c 20 "$WORK/good" >"$WORK/header-only"
refused "header only" "$WORK/header-only" "truncated"
for off in 30 $((size / 2)) $((size - 3)); do  # a payload byte, and the checksum itself
  cp "$WORK/good" "$WORK/flipped"
  byte=$(od -An -tu1 -j "$off" -N1 "$WORK/good" | tr -d ' ')
  printf "$(printf '\\%03o' $((byte ^ 4)))" | dd of="$WORK/flipped" bs=1 seek="$off" conv=notrunc status=none
  refused "bit flipped at $off" "$WORK/flipped" "checksum"
done
cp "$WORK/good" "$WORK/v2"
printf '\011' | dd of="$WORK/v2" bs=1 seek=8 conv=notrunc status=none
refused "version 9" "$WORK/v2" "version 9"
printf 'hello, world\n' >"$WORK/foreign"
refused "a foreign file" "$WORK/foreign" "not a trendtop state file"
: >"$WORK/empty"
refused "an empty file" "$WORK/empty" "not a trendtop state file"
refused "another window" "$WORK/good" "does not match" --window 20s
refused "another slide" "$WORK/good" "does not match" --slide 5s
refused "another extraction" "$WORK/good" "does not match" --extract split
refused "other keys" "$WORK/good" "does not match" --keys hashtags,mentions
refused "another schema" "$WORK/good" "does not match" --schema twitter
refused "another ranking" "$WORK/good" "does not match" --rank trend

# The good file still resumes: [10,20) is printed by the run that passes it (a record at 25 s), compared
# with [0,10) of the first run (#c was not in it), and [20,30) with [10,20) (#c 1, rank 1: unchanged).
tweet 1609459225000 c >"$WORK/in2"
"$TRENDTOP" -o tsv --state "$WORK/good" "$WORK/in2" >"$WORK/out"
assert_eq "resumed" $'2021-01-01T00:00:10Z\t2021-01-01T00:00:20Z\t1\t#c\t1\t0\t1\tnew' "$(cat "$WORK/out")"
# A missing file is a first run; --flush prints what is open and empties the state.
"$TRENDTOP" -o tsv --state "$WORK/good" --flush /dev/null >"$WORK/out"
assert_eq "flushed" $'2021-01-01T00:00:20Z\t2021-01-01T00:00:30Z\t1\t#c\t1\t1\t0\t0' "$(cat "$WORK/out")"
"$TRENDTOP" -o tsv --state "$WORK/good" --flush /dev/null >"$WORK/out"
[ ! -s "$WORK/out" ] || fail "state not empty after --flush"
# Nowhere to write: exit 1 with a message naming the file; the windows themselves are still printed.
set +e
"$TRENDTOP" -o tsv --state "$WORK/no/such/dir/s" --flush "$WORK/in" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
assert_eq "unwritable: exit" 1 "$rc"
grep -q "^trendtop: error: .*$WORK/no/such/dir/s" "$WORK/err" || fail "unwritable: $(cat "$WORK/err")"
assert_eq "unwritable: windows printed" 3 "$(wc -l <"$WORK/out")"
