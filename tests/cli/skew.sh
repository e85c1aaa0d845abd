# --max-skew (default 1h): clocks that lie. A time ahead of the wall clock is rejected (skewed); a lone jump
# ahead of the stream is held until the next record, which contradicts it (skewed) or confirms it; runs of
# empty windows longer than the skew are skipped, not printed one by one. Expected windows: the reference
# recount over the input without the rejected lines.
. "$(dirname "$0")/common.sh"
T=1609459200000 # 2021-01-01T00:00:00Z
Y9999=253402300799000
Y2030=1893456000000 # years ahead of any wall clock this test runs on
Y2024=1704067200000 # past, but three years past this stream

# Ahead of the wall clock: rejected, and the records after it are not late.
{ tweet $T a; tweet $((T + 1000)) b; tweet $Y9999 c; tweet $Y2030 d; tweet $((T + 2000)) e; tweet $((T + 11000)) f; } >"$WORK/future"
grep -v -e "$Y9999" -e "$Y2030" "$WORK/future" | $REF --top 0 >"$WORK/expect" 2>/dev/null
s=$("$TRENDTOP" -k 0 -o tsv --stats "$WORK/future" 2>&1 >"$WORK/got")
assert_files_eq "future times" "$WORK/expect" "$WORK/got"
assert_eq "skewed" 2 "$(stat_of skewed "$s")"
assert_eq "late" 0 "$(stat_of late "$s")"
assert_balanced "$s"

# A spike three years ahead of the stream, contradicted by the next record: skewed, nothing made late.
{ tweet $T a; tweet $((T + 1000)) b; tweet $Y2024 spike; tweet $((T + 3000)) c; tweet $((T + 12000)) d; } >"$WORK/spike"
grep -v "$Y2024" "$WORK/spike" | $REF --top 0 >"$WORK/expect" 2>/dev/null
s=$("$TRENDTOP" -k 0 -o tsv --stats "$WORK/spike" 2>&1 >"$WORK/got")
assert_files_eq "spike" "$WORK/expect" "$WORK/got"
assert_eq "spike skewed" 1 "$(stat_of skewed "$s")"
assert_eq "spike: nothing late" 0 "$(stat_of late "$s")"
# Without the defence the spike makes every later record late.
s=$("$TRENDTOP" -k 0 -o tsv --stats --max-skew 0 "$WORK/spike" 2>&1 >/dev/null)
assert_eq "--max-skew 0: late" 2 "$(stat_of late "$s")"

# The same spike split across two runs through --state: the first run holds it (held=1 keeps the accounting
# balanced), the second's first record contradicts it.
head -3 "$WORK/spike" >"$WORK/spike1"
tail -n +4 "$WORK/spike" >"$WORK/spike2"
s=$("$TRENDTOP" -k 0 -o tsv --stats --state "$WORK/st" "$WORK/spike1" 2>&1 >"$WORK/split")
assert_eq "held across runs" 1 "$(stat_of held "$s")"
assert_balanced "$s"
s=$("$TRENDTOP" -k 0 -o tsv --stats --state "$WORK/st" --flush "$WORK/spike2" 2>&1 >>"$WORK/split")
assert_files_eq "split through --state" "$WORK/expect" "$WORK/split"
assert_eq "skewed after resuming" 1 "$(stat_of skewed "$s")"
assert_eq "nothing held at the end" 0 "$(stat_of held "$s")"
assert_balanced "$s"

# A jump at the very end has nothing to contradict it: counted, and the empty windows between are skipped.
{ tweet $T a; tweet $((T + 1000)) b; tweet $Y2024 last; } >"$WORK/end"
printf '%s\n' $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew' \
  $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t2\t#b\t1\t0\t1\tnew' \
  $'2024-01-01T00:00:00Z\t2024-01-01T00:00:10Z\t1\t#last\t1\t0\t1\tnew' >"$WORK/expect"
"$TRENDTOP" -k 0 -o tsv "$WORK/end" >"$WORK/got"
assert_files_eq "jump at the end" "$WORK/expect" "$WORK/got"
assert_eq "jump at the end: windows printed" 2 "$("$TRENDTOP" -o json "$WORK/end" | wc -l)"

# An archive that resumes two months later: the jump is confirmed by the records after it (nothing lost),
# and the ~86 000 empty 1-minute windows in between are skipped ( --max-skew 0 prints every one).
{
  for i in $(seq 0 199); do tweet $((T + i * 500)) "t$((i % 7))"; done
  for i in $(seq 0 199); do tweet $((T + 5184000000 + i * 500)) "u$((i % 5))"; done
} >"$WORK/gap"
$REF --window 60000 --top 0 "$WORK/gap" >"$WORK/expect" 2>"$WORK/ref-stats"
s=$("$TRENDTOP" -w 1m -k 0 -o tsv --stats "$WORK/gap" 2>&1 >"$WORK/got")
assert_files_eq "two-month gap" "$WORK/expect" "$WORK/got"
assert_eq "gap: nothing skewed" 0 "$(stat_of skewed "$s")"
assert_eq "gap: windows with records only" "$(cut -f1 "$WORK/expect" | sort -u | wc -l)" "$(stat_of windows "$s")"
s=$("$TRENDTOP" -w 1m -k 0 -o json --stats --max-skew 0 "$WORK/gap" 2>&1 >"$WORK/all.json")
assert_eq "--max-skew 0: every empty window" "$(stat_of windows "$(cat "$WORK/ref-stats")")" "$(stat_of windows "$s")"
assert_eq "--max-skew 0: one JSON line each" "$(stat_of windows "$s")" "$(wc -l <"$WORK/all.json")"

# A first record dated 1970 (or before) does not make the run print fifty years of windows.
{ tweet 0 epoch; tweet -5000 negative; tweet $T a; tweet $((T + 1000)) a; tweet $((T + 12000)) b; } >"$WORK/early"
timeout 10 "$TRENDTOP" -o json --stats "$WORK/early" >"$WORK/got" 2>"$WORK/stats" || fail "1970 first record: $?"
assert_eq "1970: windows" 4 "$(wc -l <"$WORK/got")"
assert_eq "1970: keys" "#negative #epoch #a #b" "$(jq -r '.top[].key' "$WORK/got" | tr '\n' ' ' | sed 's/ $//')"

# A live stream: a producer with its clock years ahead.
{ tweet $T a; tweet $Y2030 b; sleep 0.3; tweet $((T + 1)) c; } | "$TRENDTOP" -k 0 -o tsv --stats >"$WORK/got" 2>"$WORK/stats"
assert_eq "live: skewed" 1 "$(stat_of skewed "$(cat "$WORK/stats")")"
assert_eq "live: counted" 2 "$(stat_of counted "$(cat "$WORK/stats")")"

set +e
"$TRENDTOP" --max-skew soon </dev/null 2>"$WORK/err"
assert_eq "--max-skew soon exits" 2 $?
set -e
