# A Kafka partition that stays quiet does not hold the windows back: a live consumer (no --exit-at-end)
# over a 4-partition topic whose partition 3 never gets a record sees that partition leave the watermark's
# minimum after --idle-timeout (SIGUSR1's stats say it is idle) while the other three, each a third of the
# first 2400 records of the real v1.1 minute in time order, close the windows: 0 late, the windows of one
# run over the file. (The mock keeps about 5 MB per partition: a third of the whole minute would not fit.)
. "$(dirname "$0")/common.sh"
need_data
[ -n "${KAFKA_MOCK:-}" ] || skip "built without Kafka (TRENDTOP_KAFKA)"
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/all"
head -2400 "$WORK/all" >"$WORK/minute"
for p in 0 1 2; do awk -v p=$p 'NR % 3 == p' "$WORK/minute" >"$WORK/part$p"; done
start_kafka_mock tweets 4
for p in 0 1 2; do echo "produce $WORK/part$p 50 $p" >&7; done
wait_for "the topic produced" eval '[ "$(grep -c produced "$WORK/mock.out")" -eq 3 ]'
"$TRENDTOP" -k 0 -o tsv "$WORK/minute" >"$WORK/expect"
"$TRENDTOP" --kafka "$bs" --topic tweets --idle-timeout 1s -k 0 -o json --stats >"$WORK/got.json" \
  2>"$WORK/err" &
tt=$!
wait_lines "$tt" "$WORK/err" 2400
idle3() {
  kill -USR1 "$tt"
  sleep 0.1
  grep -q 'stats clock="kafka tweets\[3\]" state=idle' "$WORK/err"
}
wait_for "partition 3 idle" idle3
# The windows close on the three partitions' records (the last one on the wall clock, once every partition
# is quiet: --idle-timeout as before).
wait_for "every window" eval '[ "$(wc -l <"$WORK/got.json")" -ge "$(cut -f1 "$WORK/expect" | uniq | wc -l)" ]'
kill -TERM "$tt"
wait "$tt" || fail "trendtop exited $?: $(cat "$WORK/err")"
s=$(grep '^trendtop: stats lines' "$WORK/err" | tail -1)
assert_balanced "$s"
assert_eq "late" 0 "$(stat_of late "$s")"
json_to_tsv <"$WORK/got.json" >"$WORK/got"
assert_files_eq "3 partitions and a quiet one vs the file" "$WORK/expect" "$WORK/got"
