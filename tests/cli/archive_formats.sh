# Compressed inputs (gzip, bzip2, zstd, xz) are recognised by their first bytes, from files and from stdin,
# with concatenated members/streams/frames, and give exactly what `zcat|bzcat|zstd -dc|xzcat FILE | trendtop`
# gives. Every line is accounted for in --stats; the bytes counted are the compressed ones.
. "$(dirname "$0")/common.sh"
for tool in gzip bzip2 zstd xz; do command -v $tool >/dev/null || skip "$tool not installed"; done
GEN="python3 $SRC/scripts/gen-tweets"
# Two parts, so concatenations have a seam; ~5 MB, dozens of bzip2 -1 blocks (100 kB each).
$GEN --count 500 --seed 3 --start 2021-01-01T00:00:00Z >"$WORK/a.json"
$GEN --count 500 --seed 4 --start 2021-01-01T00:00:05Z >"$WORK/b.json"
cat "$WORK/a.json" "$WORK/b.json" >"$WORK/ab.json"
# --idle-timeout 0: a pipe is a live source, whose windows close after 1 s without a record; on a busy
# machine a decompressor can pause that long, so the pipes' results would depend on the machine's load.
args=(-w 1s -k 5 -o tsv -j 2 --idle-timeout 0)
"$TRENDTOP" "${args[@]}" "$WORK/ab.json" >"$WORK/expect"
[ "$(wc -l <"$WORK/expect")" -ge 15 ] || fail "too little output to compare: $(wc -l <"$WORK/expect") rows"

check() {  # check NAME DECOMPRESSOR FILE
  local name=$1 dec=$2 file=$3
  $dec <"$file" | "$TRENDTOP" "${args[@]}" >"$WORK/piped"
  assert_files_eq "$name: $dec | trendtop" "$WORK/expect" "$WORK/piped"
  "$TRENDTOP" "${args[@]}" --stats "$file" >"$WORK/out" 2>"$WORK/err" || fail "$name: exit $? ($(cat "$WORK/err"))"
  assert_files_eq "$name: file" "$WORK/expect" "$WORK/out"
  s=$(grep "stats lines" "$WORK/err") || fail "$name: no stats: $(cat "$WORK/err")"
  assert_eq "$name: lines" 1000 "$(stat_of lines "$s")"
  assert_balanced "$s"
  assert_eq "$name: bytes (compressed)" "$(stat -c %s "$file")" "$(stat_of bytes "$s")"
  grep -q error "$WORK/err" && fail "$name: $(cat "$WORK/err")"
  "$TRENDTOP" "${args[@]}" <"$file" >"$WORK/out" || fail "$name: stdin redirected: exit $?"
  assert_files_eq "$name: stdin from the file" "$WORK/expect" "$WORK/out"
  cat "$file" | "$TRENDTOP" "${args[@]}" - >"$WORK/out" || fail "$name: stdin pipe: exit $?"
  assert_files_eq "$name: stdin from a pipe" "$WORK/expect" "$WORK/out"
  # -j 1: one decoding thread, the same bytes.
  "$TRENDTOP" -w 1s -k 5 -o tsv -j 1 --idle-timeout 0 "$file" >"$WORK/out"
  assert_files_eq "$name: -j 1" "$WORK/expect" "$WORK/out"
}
for spec in "gzip:gzip -dc" "bzip2 -1:bzip2 -dc" "zstd -q:zstd -dcq" "xz:xz -dc"; do
  comp=${spec%%:*} dec=${spec#*:} ext=${comp%% *}
  $comp -c <"$WORK/ab.json" >"$WORK/whole.$ext"
  check "$ext whole" "$dec" "$WORK/whole.$ext"
  { $comp -c <"$WORK/a.json"; $comp -c <"$WORK/b.json"; } >"$WORK/cat.$ext"
  check "$ext concatenated" "$dec" "$WORK/cat.$ext"
done
# zstd with many frames, as pzstd/zstd --rsyncable-like tools write, and bzip2 -9 with one big block.
split -l 100 "$WORK/ab.json" "$WORK/part."
for p in "$WORK"/part.*; do zstd -qc "$p"; done >"$WORK/frames.zst"
check "zstd many frames" "zstd -dcq" "$WORK/frames.zst"
bzip2 -9c "$WORK/ab.json" >"$WORK/nine.bz2"
check "bzip2 -9" "bzip2 -dc" "$WORK/nine.bz2"
for p in "$WORK"/part.*; do gzip -c "$p"; done >"$WORK/members.gz"
check "gzip many members" "gzip -dc" "$WORK/members.gz"

# Mixed with plain files, in the order given, each its own stream.
"$TRENDTOP" "${args[@]}" "$WORK/a.json" "$WORK/cat.bzip2" "$WORK/b.json" >"$WORK/out"
cat "$WORK/a.json" "$WORK/ab.json" "$WORK/b.json" | "$TRENDTOP" "${args[@]}" >"$WORK/expect_mixed"
assert_files_eq "plain and compressed in order" "$WORK/expect_mixed" "$WORK/out"
# An empty compressed file is an empty input; a file too short to tell is plain text (one malformed line).
: | gzip -c >"$WORK/empty.gz"
printf 'BZ' >"$WORK/short"
"$TRENDTOP" --stats "$WORK/empty.gz" "$WORK/short" >/dev/null 2>"$WORK/err" || fail "empty/short: exit $?"
s=$(grep "stats lines" "$WORK/err")
assert_eq "empty.gz and a 2-byte file" "1 1" "$(stat_of lines "$s") $(stat_of malformed "$s")"
exit 0
