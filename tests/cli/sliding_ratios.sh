# Sliding windows at high window/slide ratios, kept as running totals (a pane in, a pane out, the top-k kept
# incrementally), against the independent reference recount, which counts every window on its own: a
# generated stream with disorder (records landing in panes the running window already holds), ranked top 3
# (ties by key), all keys, and --extract split (every occurrence counts).
. "$(dirname "$0")/common.sh"
"$SRC/scripts/gen-tweets" --count 3000 --tweets-per-sec 3 --vocab 300 --jitter 4000 --seed 5 >"$WORK/in"
for shape in "300000 1000 2000 3 entities 5m 1s 2s" "60000 500 0 0 entities 1m 500ms 0s" \
  "120000 1000 1000 5 split 2m 1s 1s"; do
  read -r wms sms lms top extract w s l <<<"$shape"
  $REF --window "$wms" --slide "$sms" --lateness "$lms" --top "$top" --extract "$extract" --format tsv \
    "$WORK/in" >"$WORK/expect" 2>"$WORK/ref-stats"
  "$TRENDTOP" -w "$w" -s "$s" --lateness "$l" -k "$top" --extract "$extract" -o tsv --stats "$WORK/in" \
    >"$WORK/got" 2>"$WORK/stats"
  assert_files_eq "-w $w -s $s --lateness $l -k $top --extract $extract" "$WORK/expect" "$WORK/got"
  assert_balanced "$(cat "$WORK/stats")"
  for k in lines counted late windows; do
    assert_eq "$k" "$(stat_of $k "$(cat "$WORK/ref-stats")")" "$(stat_of $k "$(cat "$WORK/stats")")"
  done
  [ "$(stat_of windows "$(cat "$WORK/stats")")" -gt 1000 ] || fail "too few windows to slide"
done
