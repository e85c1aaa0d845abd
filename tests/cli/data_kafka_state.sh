# Kafka offsets and --state together: a consumer killed (SIGKILL) while reading, after some checkpoints, and
# restarted with the same --state, counts every record of the topic exactly once — the windows and counts
# of one run over the file, and its counters add up to the file's lines. Offsets go into the checkpoint
# with the windows and to Kafka only after it, so the restart goes on from the checkpoint, not from the
# (older or newer) position of the killed process.
. "$(dirname "$0")/common.sh"
need_data
[ -n "${KAFKA_MOCK:-}" ] || skip "built without Kafka (TRENDTOP_KAFKA)"
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
head -1740 "$WORK/minute" >"$WORK/first"
tail -n +1741 "$WORK/minute" >"$WORK/second"
start_kafka_mock tweets 4
produce() {
  local n
  n=$(grep -c produced "$WORK/mock.out" || true)
  echo "produce $1" >&7
  for _ in $(seq 300); do [ "$(grep -c produced "$WORK/mock.out")" -gt "$n" ] && return 0; sleep 0.1; done
  fail "producing $1"
}
shape=(-w 1m -s 20s --lateness 2m)
# Static membership: the restarted process takes the killed one's place in the group at once, as a
# supervisor's restart would, instead of waiting for the broker to time the dead member out.
static=(-X group.instance.id=keeper -X session.timeout.ms=6000)
produce "$WORK/first"
"$TRENDTOP" --kafka "$bs" --topic tweets --group keep "${shape[@]}" -o partial --state "$WORK/state" \
  --checkpoint-every 100ms "${static[@]}" >"$WORK/out1" 2>"$WORK/err1" &
pid=$!
wait_for "a first checkpoint" test -s "$WORK/state"
# Joined, read the first half, and checkpointed after that (the state file replaced once more).
wait_lines $pid "$WORK/err1" 1740
was=$(stat -c '%i %y' "$WORK/state")
wait_for "a checkpoint after the first half" eval '[ "$(stat -c "%i %y" "$WORK/state")" != "$was" ]'
produce "$WORK/second"
sleep 0.05 # into the second half, likely past the last checkpoint
kill -KILL $pid
wait $pid 2>/dev/null || true
# The restart reads the rest, to the end, and prints every window.
timeout 120 "$TRENDTOP" --kafka "$bs" --topic tweets --group keep --exit-at-end "${static[@]}" "${shape[@]}" -o partial \
  --state "$WORK/state" --flush --stats >"$WORK/out2" 2>"$WORK/err2" || fail "restart: $(cat "$WORK/err2")"
s=$(grep 'stats lines' "$WORK/err2")
assert_balanced "$s"
assert_eq "lines counted by both runs, each once" 3480 "$(stat_of lines "$s")"
# Windows the killed run printed after its last checkpoint are printed again by the restart: one stream,
# the repeats skipped as out of order.
sed '$ { /}$/!d }' "$WORK/out1" | cat - "$WORK/out2" >"$WORK/all.p"
"$TRENDTOP" merge -k 0 -o tsv "$WORK/all.p" >"$WORK/got" 2>/dev/null
"$TRENDTOP" "${shape[@]}" -k 0 -o tsv "$WORK/minute" >"$WORK/whole"
assert_files_eq "killed and restarted consumer vs one run over the file" "$WORK/whole" "$WORK/got"
# The offsets reached Kafka after the last checkpoint: the group has nothing left to read.
timeout 120 "$TRENDTOP" --kafka "$bs" --topic tweets --group keep --exit-at-end "${static[@]}" "${shape[@]}" -o partial --stats \
  >/dev/null 2>"$WORK/err3" || fail "third run: $(cat "$WORK/err3")"
assert_eq "records left for the group" 0 "$(stat_of lines "$(grep 'stats lines' "$WORK/err3")")"
