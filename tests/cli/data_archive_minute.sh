# The real Archive Team minute, read as it is stored (.json.bz2: 19 blocks of bzip2 -9): the same windows as
# the independent reference recount over `bzcat FILE`, and as `bzcat FILE | trendtop`, from the file, from
# stdin and from a directory, on 1 and 2 decoding threads. Facts from SOURCES.md: 3480 lines, 3173 tweets.
. "$(dirname "$0")/common.sh"
need_data
bz=$DATA/tweets_v1_stream_20210101T0729Z.json.bz2
bzcat "$bz" >"$WORK/minute"
$REF --window 60000 --slide 20000 --top 0 --format tsv "$WORK/minute" >"$WORK/expect" 2>/dev/null
bzcat "$bz" | "$TRENDTOP" -w 1m -s 20s -k 0 -o tsv --idle-timeout 0 >"$WORK/piped"
assert_files_eq "bzcat | trendtop against the reference" "$WORK/expect" "$WORK/piped"
for j in 1 2; do
  "$TRENDTOP" -w 1m -s 20s -k 0 -o tsv -j $j --stats "$bz" >"$WORK/got" 2>"$WORK/err" || fail "-j $j: exit $?"
  assert_files_eq "the .bz2 file, -j $j" "$WORK/expect" "$WORK/got"
  s=$(grep "stats lines" "$WORK/err")
  assert_balanced "$s"
  assert_eq "lines" 3480 "$(stat_of lines "$s")"
  assert_eq "counted" 3173 "$(stat_of counted "$s")"
  assert_eq "bytes: the compressed size" "$(stat -c %s "$bz")" "$(stat_of bytes "$s")"
done
"$TRENDTOP" -w 1m -s 20s -k 0 -o tsv <"$bz" >"$WORK/got"
assert_files_eq "stdin from the file" "$WORK/expect" "$WORK/got"
# --idle-timeout 0: a pipe is live (windows close after 1 s without a record) and a busy machine can pause.
cat "$bz" | "$TRENDTOP" -w 1m -s 20s -k 0 -o tsv --idle-timeout 0 >"$WORK/got"
assert_files_eq "stdin from a pipe" "$WORK/expect" "$WORK/got"
mkdir -p "$WORK/d/2021/01/01/07" && ln -s "$bz" "$WORK/d/2021/01/01/07/29.json.bz2"
"$TRENDTOP" -w 1m -s 20s -k 0 -o tsv "$WORK/d" >"$WORK/got"
assert_files_eq "a directory holding it" "$WORK/expect" "$WORK/got"
exit 0
