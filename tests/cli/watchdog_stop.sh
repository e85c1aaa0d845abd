# A watchdog stopped at once leaves the test alone. ends_within (kafka_unreachable.sh) stops its watchdog
# as soon as the process it guards has ended, which can be before the watchdog's fork of the test's shell
# has exec'd bash; SIGTERM there ran the test's EXIT trap in the fork, which removed $WORK while the test
# went on (on a busy machine: "wait_for: No record of process N", then files missing from $WORK). Here
# 500 watchdogs are each stopped at once (several of them before their exec, on an idle machine too).
. "$(dirname "$0")/common.sh"
: >"$WORK/still-here"
for _ in $(seq 500); do
  start_watchdog 60 # guards nothing: it is stopped long before it would fire
  stop_watchdog
done
wait # a fork that ran the EXIT trap has finished it
[ -e "$WORK/still-here" ] || fail "stopping a watchdog ran this shell's EXIT trap: \$WORK was removed"
# A watchdog that runs kills what it guards when its time is up; stopped, it ends with its sleep and kills
# nothing.
sleep 60 &
guarded=$!
start_watchdog 1 $guarded
set +e
wait $guarded 2>/dev/null # (bash would say "Killed")
rc=$?
set -e
assert_eq "the guarded process, killed by its watchdog" 137 "$rc"
stop_watchdog
sleep 60 &
guarded=$!
start_watchdog 60 $guarded
wait_for "the watchdog's sleep" pgrep -P "$watchdog" -x sleep >/dev/null
s=$(pgrep -P "$watchdog" -x sleep)
stop_watchdog
wait_for "the watchdog's sleep to end with it" eval "! kill -0 $s 2>/dev/null"
kill -0 $guarded || fail "a stopped watchdog killed what it guarded"
kill $guarded
