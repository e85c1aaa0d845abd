# --progress over compressed inputs counts compressed bytes against the files' total (what is stored), for
# files and for a directory of them; --stats bytes is the same compressed count.
. "$(dirname "$0")/common.sh"
command -v script >/dev/null || skip "script (bsdutils) not installed"
python3 "$SRC/scripts/gen-tweets" --count 2000 --seed 9 >"$WORK/in.json"
mkdir "$WORK/d"
head -1000 "$WORK/in.json" | bzip2 -c >"$WORK/d/1.json.bz2"
tail -n +1001 "$WORK/in.json" | gzip -c >"$WORK/d/2.json.gz"
total=$(($(stat -c %s "$WORK/d/1.json.bz2") + $(stat -c %s "$WORK/d/2.json.gz")))
kb=$(awk -v s="$total" 'BEGIN { printf "%.1f kB", s / 1e3 }')
"$TRENDTOP" "$WORK/in.json" >"$WORK/expected"
for args in "$WORK/d" "$WORK/d/1.json.bz2 $WORK/d/2.json.gz"; do
  env -u NO_COLOR TERM=xterm script -qec "$TRENDTOP $args >$WORK/out" /dev/null </dev/null >"$WORK/tty"
  assert_files_eq "output ($args)" "$WORK/expected" "$WORK/out"
  grep -q "trendtop: .* of $kb (" "$WORK/tty" || fail "no progress line of $kb ($args): $(cat -v "$WORK/tty")"
done
"$TRENDTOP" --stats "$WORK/d" 2>&1 >/dev/null | grep -q " bytes=$total " || fail "--stats bytes is not $total"
exit 0
