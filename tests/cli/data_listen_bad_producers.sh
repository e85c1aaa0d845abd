# Misbehaving producers do not affect the others: one disconnects mid-line (its fragment is one malformed
# line, never glued to another producer's bytes), one sends a line over --max-line, one connects and sends
# nothing, one sends binary garbage. The good producers' windows are exact and every line is accounted for.
. "$(dirname "$0")/common.sh"
need_data
head -400 "$DATA/tweets_v1_stream_head1000.ndjson" >"$WORK/good1"
sed -n '401,1000p' "$DATA/tweets_v1_stream_head1000.ndjson" >"$WORK/good2"
sed -n '1,50p' "$DATA/tweets_v1_stream_head1000.ndjson" >"$WORK/cut"
{ printf '{"text":"%*s"}\n' 300000 ""; sed -n '51,60p' "$DATA/tweets_v1_stream_head1000.ndjson"; } >"$WORK/big"
port=$(free_port)
"$TRENDTOP" --listen "$port" --lateness 1m --max-line 200K -k 0 -o json --stats >"$WORK/got.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
$NET produce "$port" silent: "whole:$WORK/good1" "midline:$WORK/cut" "dribble:$WORK/big" garbage: \
  "dribble:$WORK/good2" || fail "producers failed"
wait_read "$port"
kill -TERM "$tt"
wait "$tt" || fail "trendtop exited $?: $(cat "$WORK/err")"
json_to_tsv <"$WORK/got.json" >"$WORK/got"
# Expected: good1 + good2 + the 49 whole lines before the cut + the 10 lines after the big one.
{ cat "$WORK/good1" "$WORK/good2"; head -49 "$WORK/cut"; tail -10 "$WORK/big"; } |
  $REF --window 10000 --lateness 60000 --top 0 --format tsv >"$WORK/expect" 2>/dev/null
assert_files_eq "windows" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines' "$WORK/err")
assert_eq "oversized" 1 "$(stat_of oversized "$s")"
assert_balanced "$s"
# 1000 good lines + 50 cut (the last one half) + 11 big + the garbage's lines
garbage_lines=$(($(stat_of lines "$s") - 1061))
[ "$garbage_lines" -ge 1 ] || fail "garbage produced no line: $s"
# (a garbage line of only whitespace is blank, not malformed)
assert_eq "malformed + blank: the fragment + garbage" $((1 + garbage_lines)) \
  "$(($(stat_of malformed "$s") + $(stat_of blank "$s")))"
src=$(grep '^trendtop: stats source=' "$WORK/err")
assert_eq "accepted" 6 "$(stat_of accepted "$src")"
assert_eq "closed" 6 "$(stat_of closed "$src")"
