# A gzip file padded with zero bytes after its last member (written to a tape or a block device) is read as
# zcat reads it: the padding ignored, exit status 0, no error. Before, trendtop called the padding corrupt
# data and exited 1. Expected output: that of the uncompressed file.
. "$(dirname "$0")/common.sh"
command -v gzip >/dev/null || skip "gzip not installed"
for i in $(seq 0 99); do tweet $((1609459200000 + i * 100)) "k$((i % 7))"; done >"$WORK/plain"
args=(-w 1s -k 0 -o tsv --idle-timeout 0)
"$TRENDTOP" "${args[@]}" "$WORK/plain" >"$WORK/expect"
{ gzip -c "$WORK/plain"; head -c 4096 /dev/zero; } >"$WORK/padded.gz"
zcat "$WORK/padded.gz" | cmp -s - "$WORK/plain" || fail "zcat does not read the padded file back"
"$TRENDTOP" "${args[@]}" --stats "$WORK/padded.gz" >"$WORK/got" 2>"$WORK/err" || fail "exit $?: $(cat "$WORK/err")"
assert_files_eq "padded gzip" "$WORK/expect" "$WORK/got"
grep -q error "$WORK/err" && fail "an error for the padding: $(cat "$WORK/err")"
assert_eq "bytes (the padding too)" "$(stat -c %s "$WORK/padded.gz")" "$(stat_of bytes "$(grep 'stats lines' "$WORK/err")")"
# Data after the padding: as zcat, the member before it is read and the rest is an error (exit 1).
{ head -50 "$WORK/plain" | gzip -c; head -c 100 /dev/zero; tail -n +51 "$WORK/plain" | gzip -c; } >"$WORK/two.gz"
set +e
"$TRENDTOP" "${args[@]}" --stats "$WORK/two.gz" >/dev/null 2>"$WORK/err2"
rc=$?
set -e
assert_eq "data after the padding: exit status" 1 "$rc"
grep -q "data after the zero padding" "$WORK/err2" || fail "no message: $(cat "$WORK/err2")"
assert_eq "data after the padding: lines read (the first member's)" 50 "$(stat_of lines "$(grep 'stats lines' "$WORK/err2")")"
