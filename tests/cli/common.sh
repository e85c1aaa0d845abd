# Shared by the end-to-end tests: each tests/cli/*.sh sources this, runs the real binary ($TRENDTOP) and
# exits 0 (pass), 1 (fail) or 77 (skipped). $DATA is ../shared/data when present. KEEP_WORK=1 keeps the
# scratch folder ($WORK) for a look after a failure.
set -Eeuo pipefail
# A command that fails where nothing checks it ends the test (set -e) without a word, and CI shows an empty
# failure: say which command and where. Only while errexit is in force (not between set +e and set -e, nor
# in an if, || or && list, where a failure is looked at).
trap 'rc_=$?; [[ $- == *e* ]] && echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND (exit $rc_)" >&2' ERR
: "${TRENDTOP:?set TRENDTOP to the binary under test}"
SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DATA=${DATA:-$SRC/../shared/data}
REF="python3 $SRC/tests/reference/recount.py"
WORK=$(mktemp -d)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
skip() {
  echo "SKIP: $*" >&2
  exit 77
}
need_data() { [ -d "$DATA" ] || skip "no shared data at $DATA"; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
  [ "$2" == "$3" ] || fail "$1: expected [$2], got [$3]"
}
# assert_files_eq WHAT EXPECTED_FILE ACTUAL_FILE
assert_files_eq() {
  diff -u "$2" "$3" >"$WORK/diff" || { head -40 "$WORK/diff" >&2; fail "$1: outputs differ"; }
}
# stat_of NAME STATS_LINE -> the value of NAME= in a --stats line
stat_of() { grep -o "\b$1=[0-9.]*" <<<"$2" | head -1 | cut -d= -f2; }
# A --stats line must account for every line exactly once.
assert_balanced() {
  local s=$1 sum=0 k
  for k in counted malformed skipped filtered late oversized blank skewed held discarded; do sum=$((sum + $(stat_of $k "$s"))); done
  assert_eq "lines accounted for ($s)" "$(stat_of lines "$s")" "$sum"
}
# tweet EPOCH_MS [HASHTAG...]: a minimal v1.1 status line
tweet() {
  local t=$1 tags="" sep=""
  shift
  for h in "$@"; do tags+="$sep{\"text\":\"$h\",\"indices\":[0,1]}"; sep=","; done
  printf '{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},"entities":{"hashtags":[%s]},"timestamp_ms":"%s"}\n' "$tags" "$t"
}
NET="python3 $SRC/tests/cli/net.py"
# free_port: a TCP port nobody listens on right now (the kernel picks it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_listening PORT: until a socket listens on PORT (bounded). Reads /proc rather than connecting, so the
# listener does not see an extra connection.
wait_listening() {
  local hex
  hex=$(printf ':%04X ' "$1")
  for _ in $(seq 200); do
    grep -q "$hex[0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
    sleep 0.05
  done
  fail "nothing listens on port $1"
}
# json_to_tsv: trendtop's JSON windows as its TSV rows (jq's @tsv escapes as trendtop does), for comparing
# runs ended by a signal, whose open windows only formats that mark partial results can show.
json_to_tsv() {
  jq -r '.window_start as $s | .window_end as $e | .top | to_entries[] |
    [$s, $e, .key + 1, .value.key, .value.count, .value.prev, .value.delta,
     (if .value.new then "new" else .value.rank_change end)] | @tsv'
}
# start_kafka_mock TOPIC PARTITIONS: librdkafka's mock cluster (tests/kafka_mock.cpp) in the background, taking
# commands on fd 7 and writing to $WORK/mock.out; sets $bs to its bootstrap address and stops it at exit.
start_kafka_mock() {
  mkfifo "$WORK/cmd"
  "$KAFKA_MOCK" "$1" "$2" <"$WORK/cmd" >"$WORK/mock.out" 2>"$WORK/mock.err" &
  mock=$!
  exec 7>"$WORK/cmd"
  trap 'exec 7>&-; kill $mock 2>/dev/null; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
  for _ in $(seq 100); do [ -s "$WORK/mock.out" ] && break; sleep 0.05; done
  bs=$(head -1 "$WORK/mock.out")
  [ -n "$bs" ] || fail "mock cluster: $(cat "$WORK/mock.err")"
}
# slow_build: the binary under test is built without optimisation or with sanitizers (ASan, TSan), where it
# runs several times slower: heavy tests use a smaller input there rather than skip the case.
slow_build() {
  local cache=${BUILD_DIR:-$(dirname "$TRENDTOP")}/CMakeCache.txt
  if [ -f "$cache" ]; then
    grep -Eq '^(CMAKE_BUILD_TYPE:[A-Z]*=Debug|TRENDTOP_SANITIZE:[A-Z]*=.+)$' "$cache"
  else
    ldd "$TRENDTOP" 2>/dev/null | grep -Eq 'lib(a|t|ub)san'
  fi
}
# wait_for WHAT COMMAND...: until COMMAND succeeds (polled, at most 60 s: CI may be a busy machine running
# sanitizer builds); fails the test naming WHAT. Tests wait for events this way, never for fixed sleeps.
wait_for() {
  local what=$1
  shift
  for _ in $(seq 1200); do
    "$@" && return 0
    sleep 0.05
  done
  fail "waited 60 s for $what"
}
# connections_open PORT: whether a connection to our listening PORT is still open on the listener's side:
# established, or closed by the peer but not yet by the listener (accept queue included).
connections_open() {
  awk -v port=":$(printf %04X "$1")" '$2 ~ port "$" && ($4 == "01" || $4 == "08") { open = 1 } END { exit !open }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
# wait_read PORT: after the producers closed their connections, until the listener read each one to its end
# and closed it.
wait_read() { wait_for "every connection to port $1 read and closed" eval "! connections_open $1"; }
# catches_usr1 PID: whether the process has its SIGUSR1 handler in place (before, SIGUSR1 would kill it).
catches_usr1() { [ $((16#$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0) & 0x200)) != 0 ]; }
# wait_lines PID ERRFILE N: until trendtop (stderr in ERRFILE) has taken at least N lines in: asks with
# SIGUSR1, whose stats line goes to ERRFILE (so ERRFILE gets such lines; read the last one).
wait_lines() {
  wait_for "trendtop's signal handlers" catches_usr1 "$1"
  local i got
  for i in $(seq 600); do
    kill -USR1 "$1" 2>/dev/null || fail "trendtop ended: $(cat "$2")"
    sleep 0.1
    got=$(stat_of lines "$(grep '^trendtop: stats lines=' "$2" | tail -1)" || true)
    [ "${got:-0}" -ge "$3" ] && return 0
  done
  fail "waited 60 s for $3 lines: $(tail -3 "$2")"
}
# wait_handlers PID: until PID runs trendtop (not the shell that forks it: its handlers differ) with its
# SIGUSR1 handler in place (bit 10 of SigCgt in /proc/PID/status), so that SIGUSR1 asks it for its counters
# instead of ending it. False if PID ended first.
wait_handlers() {
  local mask
  for _ in $(seq 600); do
    [ -e "/proc/$1" ] || return 1
    if [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$(basename "$TRENDTOP" | cut -c1-15)" ]; then
      mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
      [ -n "$mask" ] && (((16#$mask >> 9) & 1)) && return 0
    fi
    sleep 0.05
  done
  return 1
}
# lines_read ERRFILE: the lines= of the last "stats lines" line in a --stats stderr file (empty if none).
lines_read() { grep 'trendtop: stats lines=' "$1" 2>/dev/null | tail -1 | grep -o 'lines=[0-9]*' | cut -d= -f2; }
# wait_reading PID ERRFILE [MIN]: asks PID for its counters (SIGUSR1) until it has read at least MIN lines
# (default 1). False if PID ended first or nothing came within a minute.
wait_reading() {
  local n
  wait_handlers "$1" || return 1
  for _ in $(seq 600); do
    kill -USR1 "$1" 2>/dev/null || return 1
    sleep 0.1
    n=$(lines_read "$2")
    [ -n "$n" ] && [ "$n" -ge "${3:-1}" ] && return 0
  done
  return 1
}
# free_fd PID: the lowest descriptor number PID does not use. With its soft limit of open files set there
# (`prlimit --pid PID --nofile=N:`, util-linux), the next descriptor PID opens fails with EMFILE.
free_fd() {
  local n=0
  while [ -L "/proc/$1/fd/$n" ]; do n=$((n + 1)); done
  echo $n
}
# cpu_ticks PID: the CPU time PID has used so far (user + system), in clock ticks (getconf CLK_TCK a second).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# start_watchdog SECONDS PID...: kills the PIDs (SIGKILL) if they still run after SECONDS; sets $watchdog,
# which stop_watchdog stops (its sleep included).
start_watchdog() {
  local t=$1
  shift
  bash -c 'trap "kill \$s 2>/dev/null; exit 0" RTMIN+1; sleep "$1" </dev/null >/dev/null 2>&1 & s=$!; wait $s; shift
    kill -KILL "$@" 2>/dev/null' _ "$t" "$@" &
  watchdog=$!
}
# stop_watchdog: stops $watchdog and waits for it (so bash reports nothing, and it kills nothing later). With
# SIGRTMIN+1, which bash leaves at its default (the end), not SIGTERM: a watchdog stopped just after it
# started may still be the fork of this shell that has yet to exec bash, where SIGTERM runs this shell's EXIT
# trap: the fork removed $WORK (and stopped the Kafka mock) while the test went on, and bash printed
# "wait_for: No record of process N" for the rm it ran there.
stop_watchdog() {
  kill -s RTMIN+1 "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
}
# --connect URL tests. The servers (url_server.py) need python3-websockets, a Debian package that only
# Debian's interpreter loads: they run under /usr/bin/python3, whatever python3 is first on PATH.
URL_SERVER="/usr/bin/python3 $SRC/tests/cli/url_server.py"
need_url_sources() {
  "$TRENDTOP" --version | grep -q 'Boost.Beast' || skip "this trendtop was built without URL sources"
  /usr/bin/python3 -c 'import websockets' 2>/dev/null || skip "python3-websockets (Debian) is not installed"
}
# start_url_server NAME KIND ARG... : url_server.py in the background (stopped at exit), its log in
# $WORK/NAME.log; returns once it listens, with its port in $port.
url_pids=()
start_url_server() {
  local name=$1
  shift
  $URL_SERVER "$@" --port-file "$WORK/$name.port" --log "$WORK/$name.log" 2>"$WORK/$name.err" &
  url_pids+=($!)
  trap 'kill ${url_pids[*]} 2>/dev/null; rm -rf "$WORK"' EXIT
  for _ in $(seq 600); do
    [ -s "$WORK/$name.port" ] && break
    kill -0 "${url_pids[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$WORK/$name.port" ] || fail "url_server $name did not start: $(cat "$WORK/$name.err")"
  port=$(cat "$WORK/$name.port")
}
# make_cert NAME SUBJECT_ALT_NAMES: a self-signed certificate made now, $WORK/NAME.crt and its key NAME.key.
make_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$1" \
    -addext "subjectAltName=$2" -keyout "$WORK/$1.key" -out "$WORK/$1.crt" 2>"$WORK/openssl.err" ||
    fail "openssl: $(cat "$WORK/openssl.err")"
}
