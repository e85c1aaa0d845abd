# The Kafka options' usage errors (exit 2, one line), in builds with and without librdkafka, and a broker
# that is not there is not fatal while nothing depends on it (the run ends with --duration).
. "$(dirname "$0")/common.sh"
usage() {
  local rc
  set +e
  "$TRENDTOP" "$@" </dev/null >/dev/null 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "exit status of '$*'" 2 "$rc"
  assert_eq "one line for '$*'" 1 "$(wc -l <"$WORK/err")"
}
usage --topic t
usage --group g
usage -X a=b
usage --exit-at-end
usage --kafka 127.0.0.1:1
usage --kafka 127.0.0.1:1 --topic t -X novalue
usage --kafka 127.0.0.1:1 --topic t -X no.such.property=1
if "$TRENDTOP" --version | grep -q librdkafka; then
  grep -q "no.such.property" "$WORK/err" || fail "$(cat "$WORK/err")"
  # What would make the counts wrong is refused up front.
  usage --kafka 127.0.0.1:1 --topic t -X group.id=g
  grep -q -- "-X group.id: give the consumer group with --group" "$WORK/err" || fail "$(cat "$WORK/err")"
  usage --kafka 127.0.0.1:1 --topic t --group g -X enable.auto.commit=true
  grep -q -- "-X enable.auto.commit=true: trendtop commits the offsets itself" "$WORK/err" || fail "$(cat "$WORK/err")"
  usage --kafka 127.0.0.1:1 --topic t --exit-at-end -X enable.partition.eof=false
  grep -q -- "--exit-at-end needs librdkafka's partition ends" "$WORK/err" || fail "$(cat "$WORK/err")"
  # No broker at all: librdkafka retries (and says so); the run ends cleanly at --duration, nothing read.
  timeout 20 "$TRENDTOP" --kafka 127.0.0.1:1 --topic t --group g --duration 1s -X log_level=0 -o json --stats \
    >"$WORK/out" 2>"$WORK/err" || fail "exit status $?: $(cat "$WORK/err")"
  assert_eq "lines" 0 "$(stat_of lines "$(grep 'stats lines' "$WORK/err")")"
else
  grep -q "built without Kafka" "$WORK/err" || fail "$(cat "$WORK/err")"
fi
