# Network set-up errors: a bad address is a usage error (2); a port in use or nobody to connect to with
# --retry 0 is a runtime error (1); each with one clear line.
. "$(dirname "$0")/common.sh"
expect_rc() {
  local want=$1 msg=$2
  shift 2
  set +e
  timeout 20 "$TRENDTOP" "$@" </dev/null >/dev/null 2>"$WORK/err"
  local rc=$?
  set -e
  assert_eq "exit status of $*" "$want" "$rc"
  grep -q "^trendtop: error: .*$msg" "$WORK/err" || fail "$*: [$(cat "$WORK/err")] lacks [$msg]"
}
expect_rc 2 "port must be a number from 1 to 65535" --listen 0
expect_rc 2 "port must be a number from 1 to 65535" --listen 127.0.0.1:70000
expect_rc 2 "cannot resolve '1.2.3.999'" --listen 1.2.3.999:9999
expect_rc 2 "in brackets" --listen ::1:9999
expect_rc 2 "is not HOST:PORT" --connect 9999
expect_rc 2 "not a whole number >= 0 or 'forever'" --connect 127.0.0.1:9 --retry -1
port=$(free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(5)' "$port" &
holder=$!
wait_listening "$port"
expect_rc 1 "cannot listen on 127.0.0.1:$port: Address already in use" --listen "$port"
kill "$holder"
wait "$holder" 2>/dev/null || true
port=$(free_port)
expect_rc 1 "cannot connect to 127.0.0.1:$port: Connection refused; giving up$" --connect "127.0.0.1:$port" --retry 0
# A --connect name that does not resolve is retried like a refused connection, then status 1, as the man
# page says (issue 17: it said 2). 1.2.3.999 is no address and no name anywhere.
expect_rc 1 "cannot resolve '1.2.3.999'.*; giving up after 1 retry$" --connect 1.2.3.999:9999 --retry 1
grep -q "^trendtop: cannot resolve '1.2.3.999'.*; retrying in 100ms$" "$WORK/err" || fail "no retry: $(cat "$WORK/err")"
grep -q -F 'does not resolve is
retried' "$SRC/man/trendtop.1" || grep -q 'resolved again at each attempt' "$SRC/man/trendtop.1" ||
  fail "the man page does not say an unresolvable --connect name is retried"
