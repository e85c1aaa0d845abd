# Started with stdin, stdout or stderr closed, trendtop opens /dev/null in their place before anything else, so
# that no socket, eventfd or epoll descriptor takes fd 0-2: output to a closed stdout fails as writing to a
# closed descriptor does ("Bad file descriptor", status 1), a closed stdin as input likewise, and a --listen
# run with all three closed neither writes windows into a producer's socket nor reads one as stdin.
. "$(dirname "$0")/common.sh"
for i in 0 1 2 3; do tweet $((1609459200000 + i * 6000)) a; done >"$WORK/in"
for j in 1 2; do
  set +e
  timeout 20 "$TRENDTOP" -j "$j" "$WORK/in" >&- 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "-j $j stdout closed: exit status" 1 "$rc"
  grep -q '^trendtop: error: cannot write output: Bad file descriptor$' "$WORK/err" || fail "-j $j stdout closed: $(cat "$WORK/err")"

  set +e
  timeout 20 "$TRENDTOP" -j "$j" <&- >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "-j $j stdin closed: exit status" 1 "$rc"
  grep -q '^trendtop: error: .*stdin.*Bad file descriptor' "$WORK/err" || fail "-j $j stdin closed: $(cat "$WORK/err")"
done

# --listen with 0-2 closed: they are /dev/null while it runs, and a producer's tweet is counted.
port=$(free_port)
"$TRENDTOP" -j 2 --listen "$port" --state "$WORK/s" -o tsv <&- >&- 2>&- &
tt=$!
wait_listening "$port"
for fd in 0 1 2; do
  assert_eq "fd $fd of a run started without it" /dev/null "$(readlink "/proc/$tt/fd/$fd")"
done
tweet 1609459200000 listened >"$WORK/p"
$NET produce "$port" "whole:$WORK/p"
kill -TERM "$tt"
wait "$tt" || fail "--listen with fds 0-2 closed: exit $?"
assert_eq "the producer's tweet" "#listened" "$("$TRENDTOP" -o tsv --state "$WORK/s" --flush </dev/null | cut -f4)"
