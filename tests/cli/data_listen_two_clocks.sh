# Issue 21's measured case: two --listen producers, each sending half of the real v1.1 minute in time order
# (odd and even lines), the second starting 0.3 s after the first has sent all of its half. One clock for
# the run dropped the second half's records behind the first's newest as late (1334 of 3173 here); with a
# clock per connection the slowest holds the windows open: 0 late, and the windows of one run over the file.
# (The second producer connects first, sending nothing yet: trendtop accepts in connection order, so it is
# a source before the first's records are read. One that connects later joins at the watermark as it is
# then: listen_late_join.sh.) --max-source-lag 0 brings the one clock back.
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
awk 'NR % 2 == 1' "$WORK/minute" >"$WORK/first"
awk 'NR % 2 == 0' "$WORK/minute" >"$WORK/second"
"$TRENDTOP" -k 0 -o tsv "$WORK/minute" >"$WORK/expect"
run() { # OUT ERR [OPTION...]
  local out=$1 err=$2 port
  shift 2
  port=$(free_port)
  "$TRENDTOP" --listen "$port" -k 0 -o json --stats "$@" >"$out" 2>"$err" &
  tt=$!
  wait_listening "$port"
  python3 "$SRC/tests/cli/producers.py" "$port" connect:b connect:a "send:a:$WORK/first" pause:0.3 \
    "send:b:$WORK/second" close:a close:b || fail "producers failed"
  wait_read "$port"
  kill -TERM "$tt"
  wait "$tt" || fail "trendtop exited $?: $(cat "$err")"
}
run "$WORK/got.json" "$WORK/err"
s=$(grep '^trendtop: stats lines' "$WORK/err")
assert_balanced "$s"
assert_eq "lines" 3480 "$(stat_of lines "$s")"
assert_eq "late" 0 "$(stat_of late "$s")"
assert_eq "counted" 3173 "$(stat_of counted "$s")"
json_to_tsv <"$WORK/got.json" >"$WORK/got"
assert_files_eq "two producers out of step vs the file" "$WORK/expect" "$WORK/got"
# One clock for the run: the first half's newest record closed the windows the second half belongs in.
run "$WORK/one.json" "$WORK/one.err" --max-source-lag 0
late=$(stat_of late "$(grep '^trendtop: stats lines' "$WORK/one.err")")
[ "$late" -gt 1000 ] || fail "one clock: expected most of the second half late, got late=$late"
