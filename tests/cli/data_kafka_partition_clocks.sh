# Issue 21's Kafka case: one consumer over a 4-partition topic holding the real v1.1 minute, records
# spread round-robin (each partition in time order, the consumer reading them in turns of a fetch batch),
# without --lateness. One clock for the run dropped a partition's records behind another's newest as late
# (416 of 911 in the issue's measurement); with a clock per partition nothing is late and the windows are
# those of one run over the file. Small batches (50 messages) make the partitions' turns many.
. "$(dirname "$0")/common.sh"
need_data
[ -n "${KAFKA_MOCK:-}" ] || skip "built without Kafka (TRENDTOP_KAFKA)"
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
start_kafka_mock tweets 4
echo "produce $WORK/minute 50" >&7
wait_for "the topic produced" grep -q produced "$WORK/mock.out"
"$TRENDTOP" -k 0 -o tsv "$WORK/minute" >"$WORK/expect"
timeout 120 "$TRENDTOP" --kafka "$bs" --topic tweets --exit-at-end -k 0 -o tsv --stats >"$WORK/got" \
  2>"$WORK/err" || fail "consumer: $(cat "$WORK/err")"
s=$(grep '^trendtop: stats lines' "$WORK/err")
assert_balanced "$s"
assert_eq "lines" 3480 "$(stat_of lines "$s")"
assert_eq "late" 0 "$(stat_of late "$s")"
assert_files_eq "4 partitions vs the file" "$WORK/expect" "$WORK/got"
