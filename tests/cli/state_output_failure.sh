# A window counts as printed only once its bytes were written: when the output fails (a full disk, a file
# size limit) the run exits 1 and --state is left as it was, so running the same input again prints every
# window the failed run could not (and the rest of the stream after it), as one run over everything would.
# And the --stats of a --listen run whose output fails agree: the source's lines are the global lines.
# At -j 1 and -j 2.
. "$(dirname "$0")/common.sh"
[ -w /dev/full ] || skip "no /dev/full"
# 60 windows of 1 s, three parts of 20 windows; 30 keys a window, so a window's rows are ~600 bytes.
for p in 0 1 2; do
  for i in $(seq $((p * 600)) $((p * 600 + 599))); do tweet $((1609459200000 + i * 100 / 3)) "k$((i % 30))"; done >"$WORK/part$p"
done
cat "$WORK/part0" "$WORK/part1" "$WORK/part2" | "$TRENDTOP" -w 1s -k 0 -o tsv >"$WORK/whole"
assert_eq "windows in one run" 60 "$(cut -f1 "$WORK/whole" | sort -u | wc -l)"
sum() { cksum <"$1"; }

for j in 1 2; do
  tt=("$TRENDTOP" -j "$j" -w 1s -k 0 -o tsv --state "$WORK/s")
  rm -f "$WORK/s"
  "${tt[@]}" "$WORK/part0" >"$WORK/out0" || fail "-j $j part 0: exit $?"
  before=$(sum "$WORK/s")

  # Nothing can be written: exit 1, the state untouched.
  set +e
  "${tt[@]}" "$WORK/part1" >/dev/full 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "-j $j: exit status on a full disk" 1 "$rc"
  grep -q 'cannot write output: No space left on device' "$WORK/err" || fail "-j $j: $(cat "$WORK/err")"
  assert_eq "-j $j: state after a full disk" "$before" "$(sum "$WORK/s")"

  # Some of it can be written (a 4 KiB file size limit): the written bytes are the start of what one run
  # prints, and the state is untouched.
  set +e
  (
    trap '' XFSZ
    ulimit -f 4
    exec "${tt[@]}" "$WORK/part1" >"$WORK/cut" 2>"$WORK/err"
  )
  rc=$?
  set -e
  assert_eq "-j $j: exit status past the file size limit" 1 "$rc"
  assert_eq "-j $j: bytes written before the limit" 4096 "$(wc -c <"$WORK/cut")"
  cat "$WORK/out0" "$WORK/cut" | cmp -s - <(head -c $(($(wc -c <"$WORK/out0") + 4096)) "$WORK/whole") ||
    fail "-j $j: what was written is not what one run prints"
  assert_eq "-j $j: state after the file size limit" "$before" "$(sum "$WORK/s")"

  # Once the output works: part 1 again, then part 2, and nothing is missing.
  "${tt[@]}" "$WORK/part1" >"$WORK/out1" || fail "-j $j part 1 again: exit $?"
  "${tt[@]}" --flush "$WORK/part2" >"$WORK/out2" || fail "-j $j part 2: exit $?"
  cat "$WORK/out0" "$WORK/out1" "$WORK/out2" >"$WORK/got"
  assert_files_eq "-j $j: resumed after failed output" "$WORK/whole" "$WORK/got"
done

# --listen into a full disk: a jump of 20 000 windows (--max-skew 0) makes megabytes of JSON, whose first write
# fails while the lines after the jump are still to be counted; both --stats lines count the same lines.
{
  tweet 1609459200000 a
  for i in $(seq 0 99); do tweet $((1609479200000 + i)) "b$i"; done
} >"$WORK/jump"
for j in 1 2; do
  port=$(free_port)
  set +e
  "$TRENDTOP" -j "$j" -w 1s --max-skew 0 --listen "$port" -k 0 -o json --stats >/dev/full 2>"$WORK/err" &
  tt=$!
  set -e
  wait_listening "$port"
  $NET produce "$port" "whole:$WORK/jump" || true # trendtop may stop reading once the output failed
  timeout 20 tail --pid="$tt" -s 0.05 -f /dev/null || fail "-j $j: --listen run still going after its output failed"
  set +e
  wait "$tt"
  rc=$?
  set -e
  assert_eq "-j $j --listen: exit status" 1 "$rc"
  s=$(grep '^trendtop: stats lines' "$WORK/err")
  src=$(grep '^trendtop: stats source=' "$WORK/err")
  assert_balanced "$s"
  assert_eq "-j $j --listen: source lines = global lines" "$(stat_of lines "$s")" "$(stat_of lines "$src")"
done
