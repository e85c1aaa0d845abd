# One --state file, one run at a time: a second run on a state file another run holds exits 1 at once with one
# line naming the file and the holder's pid, and leaves the file alone; once the first run ended, the next
# one takes the file over. Temporary files a killed checkpoint left behind (STATE.tmp.PID of a process that is
# gone) are removed; one of a live process is not.
. "$(dirname "$0")/common.sh"
tweet 1609459200000 a >"$WORK/in1"
tweet 1609459201000 b >"$WORK/in2"
port=$(free_port)
"$TRENDTOP" --listen "$port" --state "$WORK/s" -o tsv 2>"$WORK/err1" &
tt=$!
wait_listening "$port"
$NET produce "$port" "whole:$WORK/in1"

set +e
"$TRENDTOP" --state "$WORK/s" -o tsv "$WORK/in2" >"$WORK/out2" 2>"$WORK/err2"
rc=$?
set -e
assert_eq "second run's exit status" 1 "$rc"
assert_eq "second run's message lines" 1 "$(wc -l <"$WORK/err2")"
grep -q "^trendtop: error: .*'$WORK/s'.* $tt\b" "$WORK/err2" || fail "no file and pid in: $(cat "$WORK/err2")"
[ ! -s "$WORK/out2" ] || fail "the second run printed: $(cat "$WORK/out2")"
kill -0 "$tt" || fail "the first run ended"

kill -TERM "$tt"
wait "$tt" || fail "first run: exit $?: $(cat "$WORK/err1")"
# The first run's state holds its tweet: the next run, over the second, prints both in one window.
"$TRENDTOP" --state "$WORK/s" --flush -k 0 -o tsv "$WORK/in2" >"$WORK/out3" || fail "after the holder ended: exit $?"
assert_eq "keys after the holder ended" "#a #b" "$(cut -f4 "$WORK/out3" | sort | xargs)"

# Leftovers of a checkpoint killed half-way: STATE.tmp.PID.
sh -c 'exit 0' &
dead=$!
wait "$dead"
echo junk >"$WORK/s.tmp.$dead"
echo junk >"$WORK/s.tmp.$$" # this shell is alive: not ours to remove
"$TRENDTOP" --state "$WORK/s" -o tsv "$WORK/in2" >/dev/null || fail "with leftovers: exit $?"
[ ! -e "$WORK/s.tmp.$dead" ] || fail "s.tmp.$dead (pid gone) was left"
[ -e "$WORK/s.tmp.$$" ] || fail "s.tmp.$$ (pid alive) was removed"
