# trendtop merge of hand-split inputs equals one run over the whole: the real v1.1 minute split three ways
# (round robin, as Kafka partitions would hold it; and in contiguous pieces, as files), each part counted
# by its own process with --output partial, merged — against the independent recount and the single run,
# tumbling and sliding, every output format, trend ranking, --count users and --case keep.
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
# Lateness 2m: the minute's out-of-order tail is counted by every process alike (a process only sees its
# part's order; with no lateness, late records would differ between one run and three).
late=(--lateness 2m)
for i in 0 1 2; do awk -v i=$i 'NR % 3 == i' "$WORK/minute" >"$WORK/rr$i"; done
sed -n '1,1000p' "$WORK/minute" >"$WORK/c0"
sed -n '1001,2600p' "$WORK/minute" >"$WORK/c1"
sed -n '2601,$p' "$WORK/minute" >"$WORK/c2"
for shape in "10000 10000 10s 10s" "60000 20000 1m 20s"; do
  read -r wms sms w s <<<"$shape"
  $REF --window "$wms" --slide "$sms" --lateness 120000 --top 0 --format tsv "$WORK/minute" >"$WORK/expect" 2>/dev/null
  [ "$(wc -l <"$WORK/expect")" -gt 100 ] || fail "reference output too small"
  for split in rr c; do
    for i in 0 1 2; do
      "$TRENDTOP" -w "$w" -s "$s" "${late[@]}" -o partial "$WORK/$split$i" >"$WORK/$split$i.partial" ||
        fail "partial run $split$i"
    done
    "$TRENDTOP" merge -k 0 -o tsv "$WORK/$split"{0,1,2}.partial >"$WORK/got" 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
    [ ! -s "$WORK/err" ] || fail "merge said: $(cat "$WORK/err")"
    assert_files_eq "merge of $split parts, window $w slide $s, vs recount" "$WORK/expect" "$WORK/got"
    # Inputs in any order, and stdin as one of them.
    "$TRENDTOP" merge -k 0 -o tsv "$WORK/${split}2.partial" - "$WORK/${split}0.partial" <"$WORK/${split}1.partial" >"$WORK/got2"
    assert_files_eq "merge in another order" "$WORK/expect" "$WORK/got2"
    for fmt in text json csv; do
      "$TRENDTOP" -w "$w" -s "$s" "${late[@]}" -k 5 -o $fmt "$WORK/minute" >"$WORK/whole.$fmt"
      "$TRENDTOP" merge -k 5 -o $fmt "$WORK/$split"{0,1,2}.partial >"$WORK/got.$fmt"
      assert_files_eq "-o $fmt of $split parts" "$WORK/whole.$fmt" "$WORK/got.$fmt"
    done
  done
done
# The partial stream itself: the counts of every window are the recount's, all of them.
"$TRENDTOP" -w 10s "${late[@]}" -o partial "$WORK/minute" |
  jq -r 'select(.t == "window") | .start as $s | .end as $e | .counts | to_entries[] |
    [($s / 1000 | todate), ($e / 1000 | todate), .key + 1, .value[0], .value[1]] | @tsv' >"$WORK/counts"
$REF --window 10000 --slide 10000 --lateness 120000 --top 0 --format tsv "$WORK/minute" 2>/dev/null | cut -f1-5 >"$WORK/expect5"
assert_files_eq "partial counts vs recount" "$WORK/expect5" "$WORK/counts"
# Settings that shape the ranking and display: trend, per-author counting, kept case, with and without spellings.
for opts in "--rank trend" "--count users" "--case keep" "--keys hashtags,mentions"; do
  read -r -a o <<<"$opts"
  # Ranking happens in the merge: -o partial refuses --rank (it carries every key).
  rank=() counted=("${o[@]}")
  [ "$opts" = "--rank trend" ] && rank=(--rank trend) counted=()
  for i in 0 1 2; do "$TRENDTOP" -w 1m -s 20s "${late[@]}" "${counted[@]}" -o partial "$WORK/rr$i" >"$WORK/o$i.partial"; done
  "$TRENDTOP" -w 1m -s 20s "${late[@]}" "${o[@]}" -k 0 -o json "$WORK/minute" >"$WORK/whole.json"
  "$TRENDTOP" merge "${rank[@]}" -k 0 -o json "$WORK"/o{0,1,2}.partial >"$WORK/got.json"
  assert_files_eq "merge with $opts" "$WORK/whole.json" "$WORK/got.json"
  [ "$(wc -l <"$WORK/got.json")" -eq 5 ] || fail "$opts: expected 5 windows"
done
# Runs with --state appending to one partial file (the cron use) merge like one run.
: >"$WORK/cron.partial"
"$TRENDTOP" -w 10s "${late[@]}" -o partial --state "$WORK/s0" "$WORK/c0" >>"$WORK/cron.partial"
"$TRENDTOP" -w 10s "${late[@]}" -o partial --state "$WORK/s0" "$WORK/c1" >>"$WORK/cron.partial"
"$TRENDTOP" -w 10s "${late[@]}" -o partial --state "$WORK/s0" --flush "$WORK/c2" >>"$WORK/cron.partial"
assert_eq "headers in the appended file" 3 "$(grep -c '"t":"header"' "$WORK/cron.partial")"
"$TRENDTOP" merge -k 0 -o tsv "$WORK/cron.partial" >"$WORK/got" 2>"$WORK/err"
[ ! -s "$WORK/err" ] || fail "merge of the appended runs said: $(cat "$WORK/err")"
"$TRENDTOP" -w 10s "${late[@]}" -k 0 -o tsv "$WORK/minute" >"$WORK/whole"
assert_files_eq "appended --state runs" "$WORK/whole" "$WORK/got"
