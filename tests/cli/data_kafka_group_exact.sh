# A Kafka consumer group in batch mode counts every record exactly once, whatever the number of members
# and however they start: 2, 3 and 4 members (no static membership), started together and one after the
# other, each with --group G --exit-at-end -o partial, merged — the windows and counts of one run over the
# real v1.1 minute, and the members' lines add up to the topic's 3480 records. One run of each case here
# (the six run at once, each in its own group on one mock cluster); scripts/kafka-group-repeat runs each
# case many times and counts the exact runs. See tests/cli/kafka_group.bash.
. "$(dirname "$0")/common.sh"
need_data
[ -n "${KAFKA_MOCK:-}" ] || skip "built without Kafka (TRENDTOP_KAFKA)"
. "$(dirname "$0")/kafka_group.bash"
kafka_group_setup
cases=(2:simultaneous 2:staggered 3:simultaneous 3:staggered 4:simultaneous 4:staggered)
pids=()
for c in "${cases[@]}"; do
  kafka_group_case "g${c%%:*}-${c#*:}" "${c%%:*}" "${c#*:}" &
  pids+=($!)
done
failed=0
for i in "${!cases[@]}"; do
  if wait "${pids[$i]}"; then
    echo "kafka group: ${cases[$i]%%:*} members, ${cases[$i]#*:}: exact" >&2
  else
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ] || fail "$failed of ${#cases[@]} group cases were not exact"
