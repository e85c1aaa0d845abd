# Every kind of bad line is counted once and skipped, never fatal: malformed JSON, a non-object, invalid
# UTF-8, an over-long line, blank lines, notices, a tweet without a timestamp, a late tweet, a last line
# without a newline; --stats accounts for each.
. "$(dirname "$0")/common.sh"
{
  tweet 1609459200000 A               # counted
  printf '{"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{\n'   # malformed: cut off
  printf 'not json at all\r\n'         # malformed
  printf '[1,2]\n'                     # malformed: not an object
  printf '{"text":"\xff","user":{}}\n' # malformed: invalid UTF-8
  printf '\n\r\n   \n'                 # 3 blank
  printf '{"delete":{"status":{"id":1}},"timestamp_ms":"1609459200000"}\n'  # skipped
  printf '{"created_at":"whenever","user":{},"text":"#a"}\n'  # skipped: no time in event mode
  tweet 1609459215000 A B              # counted; closes [0s,10s)
  tweet 1609459201000 A                # late
  printf '{"x":"%*s"}\n' 300 ""        # oversized (--max-line 300)
  tweet 1609459216000 c | tr -d '\n'   # counted: last line, no newline
} >"$WORK/in"
"$TRENDTOP" --stats --max-line 300 -o tsv "$WORK/in" >"$WORK/out" 2>"$WORK/err"
s=$(grep '^trendtop: stats ' "$WORK/err") || fail "no stats line: $(cat "$WORK/err")"
for kv in lines=14 counted=3 malformed=4 skipped=2 late=1 oversized=1 blank=3 windows=2 keys=4; do
  assert_eq "${kv%=*}" "${kv#*=}" "$(stat_of "${kv%=*}" "$s")"
done
assert_balanced "$s"
# prev, delta, rank change: #a held rank 1 with the same count; #b and #c were not in the first window.
printf '%s\n' $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew' \
  $'2021-01-01T00:00:10Z\t2021-01-01T00:00:20Z\t1\t#a\t1\t1\t0\t0' \
  $'2021-01-01T00:00:10Z\t2021-01-01T00:00:20Z\t2\t#b\t1\t0\t1\tnew' \
  $'2021-01-01T00:00:10Z\t2021-01-01T00:00:20Z\t3\t#c\t1\t0\t1\tnew' >"$WORK/expect"
assert_files_eq "windows" "$WORK/expect" "$WORK/out"
