# A Kafka broker that is not there, goes away or hangs: librdkafka's own log lines (`%3|...|FAIL|...`) never
# reach stderr raw — they come as trendtop's one-line messages, each once, naming the broker — and
# --duration, SIGINT and SIGTERM end the run within about two seconds whatever the broker does (no
# metadata request, commit or group leave waits for it). Against nothing listening, and against
# librdkafka's mock cluster (tests/kafka_mock.cpp) taken down or made to answer after a minute.
. "$(dirname "$0")/common.sh"
[ -n "${KAFKA_MOCK:-}" ] || skip "built without Kafka (TRENDTOP_KAFKA)"
now_ms() { date +%s%3N; }
# check_stderr WHAT FILE BROKER: trendtop's lines only, none twice, one naming BROKER.
check_stderr() {
  ! grep -q '^%' "$2" || fail "$1: raw librdkafka lines: $(grep '^%' "$2" | head -3)"
  ! grep -v '^trendtop: ' "$2" | grep -q . || fail "$1: not trendtop's lines: $(grep -v '^trendtop: ' "$2" | head -3)"
  [ -z "$(grep -v '^trendtop: stats' "$2" | sort | uniq -d)" ] || fail "$1: repeated lines: $(sort "$2" | uniq -d | head -3)"
  grep -v '^trendtop: stats' "$2" | grep -q -F "$3" || fail "$1: no line names the broker $3: $(cat "$2")"
}
# ends_within WHAT PID SINCE_MS LIMIT_MS: PID exits within LIMIT_MS of SINCE_MS (else it is killed); sets rc.
ends_within() {
  local t
  start_watchdog 30 "$2"
  set +e
  wait "$2"
  rc=$?
  set -e
  stop_watchdog
  t=$(($(now_ms) - $3))
  [ "$t" -le "$4" ] || fail "$1: ended after $t ms (limit $4 ms)"
}

# "Within about two seconds": 2.5 s is allowed, for a busy machine and the sanitizers (trendtop gives the
# broker 1.2 s at the end).
# Nothing listens: with and without a group, ended by --duration 3s, SIGINT or SIGTERM.
port=$(free_port)
broker=127.0.0.1:$port
for group in "" g; do
  what="no broker${group:+, --group $group}"
  gopt=()
  [ -z "$group" ] || gopt=(--group "$group")
  start=$(now_ms)
  "$TRENDTOP" --kafka "$broker" --topic t "${gopt[@]}" --duration 3s -o json --stats >"$WORK/out" 2>"$WORK/err" &
  ends_within "$what, --duration 3s" $! "$start" 5500
  assert_eq "$what, --duration 3s: exit status" 0 "$rc"
  check_stderr "$what, --duration 3s" "$WORK/err" "$broker"
  for sig in INT TERM; do
    "$TRENDTOP" --kafka "$broker" --topic t "${gopt[@]}" -o json >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    wait_handlers $pid || fail "$what: no signal handlers"
    sleep 1 # trying to connect, or to read the topic's partitions
    start=$(now_ms)
    kill -$sig $pid || fail "$what: trendtop ended before SIG$sig: $(cat "$WORK/err")"
    ends_within "$what, SIG$sig" $pid "$start" 2500
    assert_eq "$what, SIG$sig: exit status" 0 "$rc"
    check_stderr "$what, SIG$sig" "$WORK/err" "$broker"
  done
done

# A group member that read its records, then the broker goes down or hangs.
start_kafka_mock tweets 2
T=1609459200000
{ tweet $T a; tweet $((T + 1000)) b; tweet $((T + 2000)) a; } >"$WORK/three"
echo "produce $WORK/three" >&7
for _ in $(seq 300); do grep -q produced "$WORK/mock.out" && break; sleep 0.1; done
assert_eq "produced" "produced 3" "$(tail -1 "$WORK/mock.out")"
# A session that outlives the run: the member still holds its partitions when the run ends. The windows
# close at the end only.
tuning=(-X session.timeout.ms=30000 -X heartbeat.interval.ms=500 --idle-timeout 0)
# mock_command CMD: sends CMD to the mock cluster and waits for its answer.
mock_command() {
  echo "$1" >&7
  for _ in $(seq 100); do grep -q "^$1\$" "$WORK/mock.out" && return 0; sleep 0.05; done
  fail "mock cluster: no answer to $1"
}
for trouble in down "rtt 60000"; do
  # Ended by --duration, without --state: the windows are printed, the offsets cannot be committed, and the
  # group's next run would read the records again: an error, exit 1.
  start=$(now_ms)
  "$TRENDTOP" --kafka "$bs" --topic tweets --group "d-${trouble% *}" "${tuning[@]}" --duration 8s -o json --stats \
    >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  wait_reading $pid "$WORK/err" 3 || fail "$trouble: the member did not read: $(cat "$WORK/err")"
  mock_command "$trouble"
  ends_within "broker $trouble, --duration 8s" $pid "$start" 10500
  assert_eq "broker $trouble, --duration 8s: exit status" 1 "$rc"
  grep -q '^trendtop: error: kafka: .*commit' "$WORK/err" || fail "broker $trouble, --duration: $(cat "$WORK/err")"
  assert_eq "broker $trouble, --duration 8s: windows printed" '["#a",2]' "$(jq -c '[.top[0].key, .top[0].count]' "$WORK/out")"
  check_stderr "broker $trouble, --duration 8s" "$WORK/err" "$bs"
  mock_command "$([ "$trouble" = down ] && echo up || echo "rtt 0")"
  # SIGTERM with --state: the state holds the offsets (the next run goes on from there), the commit is
  # given up with a warning, exit 0.
  "$TRENDTOP" --kafka "$bs" --topic tweets --group "s-${trouble% *}" "${tuning[@]}" --state "$WORK/state-${trouble% *}" \
    -o json --stats >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  wait_reading $pid "$WORK/err" 3 || fail "$trouble: the member did not read: $(cat "$WORK/err")"
  mock_command "$trouble"
  sleep 1
  start=$(now_ms)
  kill -TERM $pid || fail "broker $trouble, --state: trendtop ended before SIGTERM: $(cat "$WORK/err")"
  ends_within "broker $trouble, --state, SIGTERM" $pid "$start" 2500
  assert_eq "broker $trouble, --state, SIGTERM: exit status" 0 "$rc"
  grep -q '^trendtop: warning: kafka: .*commit' "$WORK/err" || fail "broker $trouble, --state, SIGTERM: $(cat "$WORK/err")"
  [ -s "$WORK/state-${trouble% *}" ] || fail "broker $trouble: no state saved"
  check_stderr "broker $trouble, --state, SIGTERM" "$WORK/err" "$bs"
  mock_command "$([ "$trouble" = down ] && echo up || echo "rtt 0")"
done
