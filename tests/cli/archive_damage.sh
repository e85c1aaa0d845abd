# Damaged archives: a corrupt bzip2 block is reported in one line naming the file and the block's byte offset,
# and only that block is lost (the others are what bzip2recover recovers); a truncated file gives what the
# format's own tool prints before its error, then one error line; the inputs after are still read; exit 1;
# every line read is accounted for in --stats.
. "$(dirname "$0")/common.sh"
for tool in gzip bzip2 bzip2recover zstd xz; do command -v $tool >/dev/null || skip "$tool not installed"; done
python3 "$SRC/scripts/gen-tweets" --count 1500 --seed 7 --start 2021-01-01T00:00:00Z >"$WORK/in.json"
tweet 1609459500000 after >"$WORK/after.json"
args=(-w 1m -k 5 -o tsv --idle-timeout 0)  # pipes' windows must not close on a busy machine's pauses

# One corrupt block in the middle of a bzip2 -1 file (~100 kB blocks).
bzip2 -1c "$WORK/in.json" >"$WORK/bad.bz2"
size=$(stat -c %s "$WORK/bad.bz2")
off=$((size / 2))
printf '\x55\xaa\x55\xaa' | dd of="$WORK/bad.bz2" bs=1 seek=$off conv=notrunc status=none
# What survives, independently: bzip2recover's per-block files that still decompress, in order.
(cd "$WORK" && mkdir rec && cd rec && cp ../bad.bz2 . && bzip2recover bad.bz2 >/dev/null 2>&1)
bad=0
for f in "$WORK"/rec/rec*bad.bz2; do
  if bzip2 -t "$f" 2>/dev/null; then bzip2 -dc "$f"; else bad=$((bad + 1)); fi
done >"$WORK/survived"
[ "$(ls "$WORK"/rec/rec*bad.bz2 | wc -l)" -ge 5 ] || fail "bzip2recover found too few blocks"
assert_eq "blocks bzip2recover could not recover" 1 "$bad"
cat "$WORK/survived" "$WORK/after.json" | "$TRENDTOP" "${args[@]}" >"$WORK/expect"
"$TRENDTOP" "${args[@]}" --stats "$WORK/bad.bz2" "$WORK/after.json" >"$WORK/out" 2>"$WORK/err" &&
  fail "corrupt block: exit 0"
[ $? -eq 1 ] || fail "corrupt block: exit status"
assert_files_eq "corrupt bzip2 block: the other blocks are read" "$WORK/expect" "$WORK/out"
assert_eq "one error line" 1 "$(grep -c error "$WORK/err")"
grep -q "^trendtop: error: $WORK/bad.bz2: corrupt bzip2 block at byte [0-9]* (.*); skipped$" "$WORK/err" ||
  fail "error line: $(cat "$WORK/err")"
at=$(grep -o "block at byte [0-9]*" "$WORK/err" | grep -o "[0-9]*$")
[ "$at" -le "$off" ] && [ "$at" -gt $((off - 200000)) ] || fail "offset $at is not the damaged block's (damage at $off)"
s=$(grep "stats lines" "$WORK/err")
assert_balanced "$s"
assert_eq "lines read" "$(($(wc -l <"$WORK/survived") + 1))" "$(stat_of lines "$s")"

# Truncated files: what the format's tool prints before giving up, then one error line, then the next input.
for spec in "gzip:gzip -dc" "bzip2 -1:bzip2 -dc" "zstd -q:zstd -dcq" "xz:xz -dc"; do
  comp=${spec%%:*} dec=${spec#*:} ext=${comp%% *}
  $comp -c <"$WORK/in.json" >"$WORK/full.$ext"
  head -c $(($(stat -c %s "$WORK/full.$ext") * 2 / 3)) "$WORK/full.$ext" >"$WORK/cut.$ext"
  { $dec <"$WORK/cut.$ext" 2>/dev/null || true; } >"$WORK/partial"
  [ -s "$WORK/partial" ] || fail "$ext: $dec printed nothing of the truncated file"
  { cat "$WORK/partial"; echo; cat "$WORK/after.json"; } | "$TRENDTOP" "${args[@]}" >"$WORK/expect"
  "$TRENDTOP" "${args[@]}" --stats "$WORK/cut.$ext" "$WORK/after.json" >"$WORK/out" 2>"$WORK/err" &&
    fail "$ext truncated: exit 0"
  [ $? -eq 1 ] || fail "$ext truncated: exit status"
  assert_files_eq "$ext truncated" "$WORK/expect" "$WORK/out"
  assert_eq "$ext: one error line" 1 "$(grep -c error "$WORK/err")"
  grep -q "^trendtop: error: $WORK/cut.$ext: truncated $ext data" "$WORK/err" || fail "$ext: $(cat "$WORK/err")"
  assert_balanced "$(grep "stats lines" "$WORK/err")"
done

# Corrupt gzip, zstd and xz data: one line naming the file and where; exit 1; the next input is read.
for spec in "gzip:gz" "zstd -q:zst" "xz:xz"; do
  comp=${spec%%:*} ext=${spec#*:}
  $comp -c <"$WORK/in.json" >"$WORK/bad.$ext"
  printf '\x55\xaa\x55\xaa\x55\xaa\x55\xaa' | dd of="$WORK/bad.$ext" bs=1 seek=$(($(stat -c %s "$WORK/bad.$ext") / 2)) conv=notrunc status=none
  "$TRENDTOP" "${args[@]}" --stats "$WORK/bad.$ext" "$WORK/after.json" >"$WORK/out" 2>"$WORK/err" &&
    fail "corrupt $ext: exit 0"
  assert_eq "corrupt $ext: one error line" 1 "$(grep -c error "$WORK/err")"
  grep -q "^trendtop: error: $WORK/bad.$ext: corrupt ${comp%% *} data near byte [0-9]*" "$WORK/err" ||
    fail "corrupt $ext: $(cat "$WORK/err")"
  grep -q "#after" "$WORK/out" || fail "corrupt $ext: the next file was not read"
  assert_balanced "$(grep "stats lines" "$WORK/err")"
done

# Garbage after a complete gzip member: reported, the data before it read.
{ gzip -c "$WORK/after.json"; echo "not gzip"; } >"$WORK/garbage.gz"
"$TRENDTOP" -o tsv "$WORK/garbage.gz" >"$WORK/out" 2>"$WORK/err" && fail "trailing garbage: exit 0"
grep -q "#after" "$WORK/out" || fail "trailing garbage: the member before it was not read"
grep -q "$WORK/garbage.gz: corrupt gzip data near byte" "$WORK/err" || fail "trailing garbage: $(cat "$WORK/err")"
exit 0
