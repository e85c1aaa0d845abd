# Kafka consumer groups in batch mode (--group + --exit-at-end), shared by tests/cli/data_kafka_group_exact.sh
# and scripts/kafka-group-repeat. Source it after common.sh; needs $DATA and $KAFKA_MOCK.
#
# kafka_group_setup: librdkafka's mock cluster (tests/kafka_mock.cpp) with a 4-partition topic holding the
# real v1.1 minute (line i in partition i % 4, 870 records each) behind a 10 ms round trip. The mock serves
# one produced batch per partition per fetch: partitions 0 and 1 hold one message per batch and read at
# about 100 records a second, 2 and 3 two and three per batch, so that members that start one after the
# other join while others read, and members end at different times and leave while others still read.
# And what one run over the file prints ($WORK/whole), checked against the independent recount.
#
# kafka_group_case NAME MEMBERS MODE: MEMBERS processes in group NAME, each
#   trendtop --kafka B --topic tweets --group NAME --exit-at-end -w 1m -s 20s --lateness 2m -o partial
# started together (MODE simultaneous) or one after the other, each once the one before has read
# something (MODE staggered); then `trendtop merge` of their partial streams. Exact when every member
# exits 0, the members read 3480 lines between them (each record once) and the merge prints what one run
# over the file prints (and says nothing). Returns 0 when exact, else 1 with the reason on stderr; leaves
# the members' files in $WORK/NAME.
#
# KAFKA_GROUP_STATE=1: each member also keeps a --state (with --flush, so that it prints every window at its
# end), for measuring that mode (scripts/kafka-group-repeat -s).
#
# No static membership (group.instance.id): members come and go as a cron job's would. The mock cluster
# waits session.timeout.ms - 1 s for members to (re)join at every rebalance (45 s by default), so the
# members are given a short session timeout.

kafka_group_shape=(-w 1m -s 20s --lateness 2m)
# KAFKA_GROUP_DEBUG: more -X for the members (e.g. "-X debug=cgrp").
read -r -a kafka_group_tuning <<<"-X session.timeout.ms=4000 -X heartbeat.interval.ms=500 ${KAFKA_GROUP_DEBUG:-}"

kafka_group_setup() {
  bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
  start_kafka_mock tweets 4
  # (A mock partition keeps 5 MB: the minute's quarter, 4.4 MB, fits.)
  for p in 0 1 2 3; do
    awk -v p=$p 'NR % 4 == (p + 1) % 4' "$WORK/minute" >"$WORK/part$p"
    echo "produce $WORK/part$p $((p < 2 ? 1 : p)) $p" >&7
  done
  for _ in $(seq 600); do [ "$(grep -c produced "$WORK/mock.out")" -eq 4 ] && break; sleep 0.1; done
  assert_eq "produced" "produced 870 produced 870 produced 870 produced 870" "$(grep produced "$WORK/mock.out" | paste -sd' ')"
  echo "rtt 10" >&7
  for _ in $(seq 100); do grep -q '^rtt 10$' "$WORK/mock.out" && break; sleep 0.05; done
  grep -q '^rtt 10$' "$WORK/mock.out" || fail "mock cluster: no rtt"
  "$TRENDTOP" "${kafka_group_shape[@]}" -k 0 -o tsv "$WORK/minute" >"$WORK/whole"
  $REF --window 60000 --slide 20000 --lateness 120000 --top 0 --format tsv "$WORK/minute" >"$WORK/recount" 2>/dev/null
  assert_files_eq "single run vs recount" "$WORK/recount" "$WORK/whole"
  [ "$(wc -l <"$WORK/whole")" -gt 100 ] || fail "single run output too small"
}

kafka_group_case() {
  local name=$1 members=$2 mode=$3 dir="$WORK/$1" i pids=() rc bad="" total=0 n watchdog state=()
  mkdir -p "$dir"
  for i in $(seq "$members"); do
    [ -z "${KAFKA_GROUP_STATE:-}" ] || state=(--state "$dir/s$i" --flush)
    "$TRENDTOP" --kafka "$bs" --topic tweets --group "$name" --exit-at-end "${kafka_group_tuning[@]}" \
      "${kafka_group_shape[@]}" "${state[@]}" -o partial --stats >"$dir/m$i.p" 2>"$dir/m$i.err" &
    pids+=($!)
    # Staggered: the next member joins while this one reads (or once it is done, if it was quicker).
    if [ "$mode" = staggered ] && [ "$i" -lt "$members" ]; then wait_reading $! "$dir/m$i.err" || true; fi
  done
  # A member that hangs is killed after 4 minutes (and the case is not exact).
  start_watchdog 240 "${pids[@]}"
  for i in $(seq "$members"); do
    set +e
    wait "${pids[$((i - 1))]}"
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || bad+="member $i exited with $rc; "
    n=$(lines_read "$dir/m$i.err")
    total=$((total + ${n:-0}))
    echo "${n:-?}" >>"$dir/lines"
  done
  stop_watchdog
  [ "$total" -eq 3480 ] || bad+="the members read $(paste -sd+ "$dir/lines") = $total lines, not 3480; "
  if "$TRENDTOP" merge -k 0 -o tsv "$dir"/m*.p >"$dir/merged" 2>"$dir/merge.err"; then
    [ ! -s "$dir/merge.err" ] || bad+="merge said: $(head -3 "$dir/merge.err" | tr '\n' ' '); "
    diff -q "$WORK/whole" "$dir/merged" >/dev/null || bad+="merged windows differ from the single run; "
  else
    bad+="merge failed: $(head -3 "$dir/merge.err" | tr '\n' ' '); "
  fi
  if [ -n "$bad" ]; then
    echo "kafka group $name ($members members, $mode): NOT exact: $bad" >&2
    for i in $(seq "$members"); do grep -v '^trendtop: stats' "$dir/m$i.err" | sed "s/^/  member $i: /" | head -5 >&2 || true; done
    return 1
  fi
  return 0
}
