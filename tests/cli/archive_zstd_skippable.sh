# A zstd file that starts with a skippable frame (magic 0x184D2A50..5F, RFC 8878 3.1.2) is zstd: pzstd writes
# one before every frame, and `zstd -dc` skips them. Before, such a file was read as plain text: every line
# malformed. The frames are made here by hand (the RFC's layout: magic, 4-byte size, that many bytes), and
# with pzstd when it is installed; the expected output is that of the decompressed bytes.
. "$(dirname "$0")/common.sh"
command -v zstd >/dev/null || skip "zstd not installed"
for i in $(seq 0 99); do tweet $((1609459200000 + i * 100)) "k$((i % 7))"; done >"$WORK/plain"
args=(-w 1s -k 0 -o tsv --idle-timeout 0)
"$TRENDTOP" "${args[@]}" "$WORK/plain" >"$WORK/expect"
[ "$(wc -l <"$WORK/expect")" -ge 10 ] || fail "too little output to compare"
skippable() { printf "\\x$1\\x2a\\x4d\\x18\\x04\\x00\\x00\\x00abcd"; }
zstd -q -c "$WORK/plain" >"$WORK/frame.zst"
{ skippable 50; cat "$WORK/frame.zst"; } >"$WORK/lead.zst"
{ skippable 5f; cat "$WORK/frame.zst"; skippable 53; } >"$WORK/both.zst"
files=("$WORK/lead.zst" "$WORK/both.zst")
if command -v pzstd >/dev/null; then
  pzstd -q -p 2 -c "$WORK/plain" >"$WORK/pzstd.zst"
  files+=("$WORK/pzstd.zst")
fi
for f in "${files[@]}"; do
  name=$(basename "$f")
  zstd -dc "$f" | cmp -s - "$WORK/plain" || fail "$name: zstd itself does not read it back"
  "$TRENDTOP" "${args[@]}" --stats "$f" >"$WORK/got" 2>"$WORK/err" || fail "$name: exit $?: $(cat "$WORK/err")"
  assert_files_eq "$name: file" "$WORK/expect" "$WORK/got"
  s=$(grep "stats lines" "$WORK/err")
  assert_eq "$name: lines" 100 "$(stat_of lines "$s")"
  assert_eq "$name: malformed" 0 "$(stat_of malformed "$s")"
  cat "$f" | "$TRENDTOP" "${args[@]}" >"$WORK/got" || fail "$name: stdin: exit $?"
  assert_files_eq "$name: stdin" "$WORK/expect" "$WORK/got"
done
