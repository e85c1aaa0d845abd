# Shared by the end-to-end tests: each tests/cli/*.sh sources this, runs the real binary ($TRENDTOP) and
# exits 0 (pass), 1 (fail) or 77 (skipped). $DATA is ../shared/data when present.
set -euo pipefail
: "${TRENDTOP:?set TRENDTOP to the binary under test}"
SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DATA=${DATA:-$SRC/../shared/data}
REF="python3 $SRC/tests/reference/recount.py"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

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
  trap 'exec 7>&-; kill $mock 2>/dev/null; rm -rf "$WORK"' EXIT
  for _ in $(seq 100); do [ -s "$WORK/mock.out" ] && break; sleep 0.05; done
  bs=$(head -1 "$WORK/mock.out")
  [ -n "$bs" ] || fail "mock cluster: $(cat "$WORK/mock.err")"
}
