# A lone record far ahead of the stream, though inside --max-skew of the wall clock, must not shut the stream
# out (issue 15, item 6): it is held until the records after it confirm or contradict it. Lone jumps of 5, 30
# and 50 minutes into a live stream (stamped around the wall clock, read from a pipe, default 1h skew) are
# contradicted by the next record: skewed, and nothing after them late. A genuine jump (an archive's gap of
# 30 minutes) is confirmed by the records that follow: nothing lost. Expected windows: the reference recount
# over the input without the spike.
. "$(dirname "$0")/common.sh"
now=$(date +%s%3N)
T0=$((now / 1000 * 1000 - 5 * 60000)) # five minutes ago, on a whole second

for jump_min in 5 30 50; do
  spike=$((T0 + 40000 + jump_min * 60000))
  {
    for i in $(seq 0 39); do tweet $((T0 + i * 1000)) "a$((i % 3))"; done
    tweet $spike spike
    for i in $(seq 40 79); do tweet $((T0 + i * 1000)) "b$((i % 4))"; done
  } >"$WORK/in"
  grep -v "\"$spike\"" "$WORK/in" | $REF --top 0 >"$WORK/expect" 2>/dev/null
  [ "$(wc -l <"$WORK/expect")" -gt 20 ] || fail "reference: $(cat "$WORK/expect")"
  for j in 1 2; do
    s=$(cat "$WORK/in" | "$TRENDTOP" -j $j -k 0 -o tsv --stats 2>&1 >"$WORK/got")
    assert_files_eq "lone jump of $jump_min min (-j $j)" "$WORK/expect" "$WORK/got"
    assert_eq "lone jump of $jump_min min (-j $j): skewed" 1 "$(stat_of skewed "$s")"
    assert_eq "lone jump of $jump_min min (-j $j): late" 0 "$(stat_of late "$s")"
    assert_eq "lone jump of $jump_min min (-j $j): counted" 80 "$(stat_of counted "$s")"
    assert_balanced "$s"
  done
done

# A genuine jump: a live archive that resumes 30 minutes later. The first record after the gap is held, the
# next confirms it: every record counted, the windows are the recount's.
G0=$((T0 - 35 * 60000))
{
  for i in $(seq 0 39); do tweet $((G0 + i * 1000)) "a$((i % 3))"; done
  for i in $(seq 0 39); do tweet $((G0 + 30 * 60000 + i * 1000)) "b$((i % 4))"; done
} >"$WORK/in"
$REF --top 0 "$WORK/in" >"$WORK/expect" 2>/dev/null
for j in 1 2; do
  s=$(cat "$WORK/in" | "$TRENDTOP" -j $j -k 0 -o tsv --stats 2>&1 >"$WORK/got")
  assert_files_eq "archive gap of 30 min (-j $j)" "$WORK/expect" "$WORK/got"
  assert_eq "archive gap (-j $j): skewed" 0 "$(stat_of skewed "$s")"
  assert_eq "archive gap (-j $j): counted" 80 "$(stat_of counted "$s")"
  assert_balanced "$s"
done
