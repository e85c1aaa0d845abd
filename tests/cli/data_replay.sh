# scripts/replay, the tutorial's producer: into a pipe and into `trendtop --listen` it delivers every line
# (the windows equal the reference recount of the file), and --rate paces it.
. "$(dirname "$0")/common.sh"
need_data
f=$DATA/tweets_v1_stream_head1000.ndjson
$REF --window 10000 --top 0 --format tsv "$f" >"$WORK/expect" 2>/dev/null
"$SRC/scripts/replay" --rate 0 "$f" | "$TRENDTOP" -k 0 -o tsv >"$WORK/piped"
assert_files_eq "replay | trendtop" "$WORK/expect" "$WORK/piped"
# Compressed input and --loop --keep-times: twice the file with its own times, so every count doubles.
"$SRC/scripts/replay" --rate 0 --loop --keep-times -n 6960 "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" |
  "$TRENDTOP" --lateness 2m -k 1 -o tsv | cut -f4,5 | head -1 >"$WORK/loop"
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" | "$TRENDTOP" -k 1 -o tsv | cut -f4,5 | head -1 |
  awk -F'\t' '{print $1 "\t" $2 * 2}' >"$WORK/once2"
assert_files_eq "looped twice" "$WORK/once2" "$WORK/loop"
# --loop alone (issue 17, the README's example): the second pass follows the first a minute later (the
# file spans 07:29:00-07:29:59), nothing late, and its 10 s windows are the first pass's, a minute on.
"$SRC/scripts/replay" --rate 0 --loop -n 6960 "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" |
  "$TRENDTOP" -w 10s -k 0 -o tsv --stats >"$WORK/looped" 2>"$WORK/looped-stats"
assert_eq "late records of a retimed loop" 0 "$(stat_of late "$(cat "$WORK/looped-stats")")"
assert_eq "counted in two retimed passes" 6346 "$(stat_of counted "$(cat "$WORK/looped-stats")")"
$REF --window 10000 --top 0 --format tsv <(bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2") \
  >"$WORK/pass" 2>/dev/null
grep '^2021-01-01T07:29' "$WORK/looped" >"$WORK/pass1"
grep '^2021-01-01T07:30' "$WORK/looped" | sed 's/T07:30:\([0-9]\)/T07:29:\1/; s/T07:30:\([0-9]\)/T07:29:\1/; s/T07:31:00Z/T07:30:00Z/' >"$WORK/pass2"
assert_files_eq "first pass" "$WORK/pass" "$WORK/pass1"
cut -f1-5 "$WORK/pass" >"$WORK/pass-counts"  # the previous window's counts differ at the seam
cut -f1-5 "$WORK/pass2" >"$WORK/pass2-counts"
assert_files_eq "second pass, a minute on" "$WORK/pass-counts" "$WORK/pass2-counts"

port=$(free_port)
"$TRENDTOP" --listen "$port" -k 0 -o json >"$WORK/net.json" &
tt=$!
wait_listening "$port"
"$SRC/scripts/replay" --rate 0 --to "$port" "$f"
wait_read "$port"
kill -TERM "$tt"
wait "$tt"
json_to_tsv <"$WORK/net.json" >"$WORK/net"
assert_files_eq "replay --to | trendtop --listen" "$WORK/expect" "$WORK/net"

start=$(date +%s%N)
"$SRC/scripts/replay" --rate 40 -n 21 "$f" >/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -ge 450 ] || fail "21 lines at 40/s took only ${ms}ms"
