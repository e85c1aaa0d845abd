# --rank trend on the real v1.1 stream minute, 10-second windows: every key of every window (scores,
# baselines, previous counts and rank changes) equals tests/reference/recount.py's independent
# implementation, for 1 and 4 threads, tumbling and sliding; JSON carries the same numbers.
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
$REF --window 10000 --rank trend --top 0 "$WORK/minute" >"$WORK/expect" 2>/dev/null
for j in 1 4; do
  "$TRENDTOP" -j $j --time event -w 10s --rank trend -k 0 -o tsv "$WORK/minute" >"$WORK/got"
  assert_files_eq "-j $j, 10s windows vs reference" "$WORK/expect" "$WORK/got"
done
$REF --window 20000 --slide 5000 --baseline 15000 --rank trend --top 10 "$WORK/minute" >"$WORK/expect" 2>/dev/null
"$TRENDTOP" --time event -w 20s -s 5s --baseline 15s --rank trend -o tsv "$WORK/minute" >"$WORK/got"
assert_files_eq "sliding 20s/5s, 15s baseline vs reference" "$WORK/expect" "$WORK/got"
# JSON: the same rows (score and baseline as numbers).
"$TRENDTOP" --time event -w 20s -s 5s --baseline 15s --rank trend -o json "$WORK/minute" |
  jq -r '.window_start as $s | .window_end as $e | .top | to_entries[] |
    [$s, $e, .key + 1, .value.key, .value.count, .value.prev, .value.delta,
     (if .value.new then "new" else .value.rank_change end),
     (.value.score | tostring), (.value.baseline | tostring)] | @tsv' >"$WORK/json"
awk -F'\t' -v OFS='\t' '{ $9 = $9 + 0; $10 = $10 + 0; print }' "$WORK/expect" >"$WORK/expect.num"
assert_files_eq "json vs reference" "$WORK/expect.num" "$WORK/json"
