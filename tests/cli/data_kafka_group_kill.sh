# A Kafka group in batch mode that loses a member: three members with --state (and --flush, so that each
# prints every window at its end), one killed with SIGKILL while it reads and restarted with its --state.
# Every record is counted at least once: each window of the merge has every key of one run over the
# records with at least its count, and the members (restart included) read at least the topic's 3480
# lines. (Exactly once per process, as tests/cli/data_kafka_state.sh checks; across the group, what the
# killed member read after its last checkpoint's commit is read again by the partition's next owner.)
. "$(dirname "$0")/common.sh"
need_data
[ -n "${KAFKA_MOCK:-}" ] || skip "built without Kafka (TRENDTOP_KAFKA)"
. "$(dirname "$0")/kafka_group.bash"
kafka_group_setup
member() { # member I: a member with its own state, its partial stream appended to m$I.p
  "$TRENDTOP" --kafka "$bs" --topic tweets --group killed --exit-at-end "${kafka_group_tuning[@]}" \
    "${kafka_group_shape[@]}" --state "$WORK/s$1" --checkpoint-every 200ms --flush -o partial --stats \
    >>"$WORK/m$1.p" 2>"$WORK/m$1.err$2" &
}
member 1 ""
p1=$!
member 2 ""
p2=$!
member 3 ""
p3=$!
start_watchdog 240 $p1 $p3
wait_reading $p2 "$WORK/m2.err" 300 || fail "member 2 did not read: $(cat "$WORK/m2.err")"
[ -s "$WORK/s2" ] || fail "member 2 has no checkpoint"
kill -KILL $p2
wait $p2 2>/dev/null || true
killed_lines=$(lines_read "$WORK/m2.err")
# Its partial stream may end in the middle of a line: the restart appends to what is whole.
sed -i '$ { /}$/!d }' "$WORK/m2.p"
member 2 .restart
p2=$!
stop_watchdog
start_watchdog 240 $p1 $p2 $p3
for p in $p1 $p2 $p3; do wait $p || fail "a member failed: $(cat "$WORK"/m*.err*)"; done
stop_watchdog
total=$(($(lines_read "$WORK/m1.err") + $(lines_read "$WORK/m2.err.restart") + $(lines_read "$WORK/m3.err")))
echo "lines: $(lines_read "$WORK/m1.err") $(lines_read "$WORK/m2.err.restart") $(lines_read "$WORK/m3.err") killed at $(lines_read "$WORK/m2.err")" >&2
[ "$total" -ge 3480 ] || fail "the members read $total lines after the kill, fewer than the topic's 3480"
"$TRENDTOP" merge -k 0 -o tsv "$WORK"/m{1,2,3}.p >"$WORK/merged" 2>"$WORK/merge.err" || fail "merge: $(cat "$WORK/merge.err")"
# At least once: every (window, key) of the single run, with at least its count.
awk -F'\t' 'NR == FNR { want[$2 "\t" $4] = $5; next } { got[$2 "\t" $4] += $5 }
  END { for (k in want) if (got[k] < want[k]) { print "window " k ": " got[k] + 0 " < " want[k]; bad++ }
        exit bad > 0 }' "$WORK/whole" "$WORK/merged" >"$WORK/short" || fail "records lost: $(head -5 "$WORK/short")"
if diff -q "$WORK/whole" "$WORK/merged" >/dev/null; then
  echo "data_kafka_group_kill: exact this time ($killed_lines lines read before the kill)" >&2
else
  echo "data_kafka_group_kill: at least once, not exact ($killed_lines lines read before the kill, $total after)" >&2
fi
