# --listen with 50 producers at once, each sending a slice of the real stream minute, some in one write, some
# dribbled in many small writes, some without a final newline: the windows equal the reference recount of
# all slices (lateness covers the whole minute, so arrival order cannot matter), and every line is counted.
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
split -n l/50 -d -a 2 "$WORK/minute" "$WORK/slice."
specs=()
i=0
for f in "$WORK"/slice.*; do
  case $((i % 3)) in 0) specs+=("whole:$f") ;; 1) specs+=("dribble:$f") ;; 2) specs+=("nonewline:$f") ;; esac
  i=$((i + 1))
done
port=$(free_port)
"$TRENDTOP" --listen "$port" --lateness 10m -k 0 -o json --stats >"$WORK/got.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
$NET produce "$port" "${specs[@]}" || fail "producers failed"
wait_read "$port"
kill -TERM "$tt"
wait "$tt" || fail "trendtop exited $?: $(cat "$WORK/err")"
# SIGTERM printed the windows still open (all of them: the lateness spans the minute), marked partial.
assert_eq "partial windows" "[false]" "$(jq -c -s 'map(.final) | unique' "$WORK/got.json")"
json_to_tsv <"$WORK/got.json" >"$WORK/got"
cat "$WORK"/slice.* | $REF --window 10000 --lateness 600000 --top 0 --format tsv >"$WORK/expect" 2>/dev/null
assert_files_eq "windows over 50 producers" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines' "$WORK/err")
assert_eq "lines" 3480 "$(stat_of lines "$s")"
assert_eq "counted" 3173 "$(stat_of counted "$s")"
assert_balanced "$s"
src=$(grep '^trendtop: stats source="listen' "$WORK/err")
assert_eq "accepted" 50 "$(stat_of accepted "$src")"
assert_eq "closed" 50 "$(stat_of closed "$src")"
assert_eq "source bytes" "$(cat "$WORK"/slice.* | wc -c)" "$(($(stat_of bytes "$src") + 50 / 3 * 2))"
