# trendtop merge refuses what it cannot sum, with one line and exit 1, rather than printing wrong totals:
# partial streams counted with other settings (the line names the setting and both files), the same
# partial stream given twice (or copied), counts whose sum does not fit in 64 bits, and inputs that are
# no partial streams at all (empty, or the tweets themselves). What it can sum still merges: the same
# settings spelled otherwise, and the appended or separate outputs of runs resumed with --state.
. "$(dirname "$0")/common.sh"
T=1609459200000 # 2021-01-01T00:00:00Z
cat >"$WORK/in" <<X
{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"1","text":"hello #a @bob #B","lang":"en","user":{"id":1,"id_str":"1","screen_name":"u1"},"entities":{"hashtags":[{"text":"a","indices":[6,8]},{"text":"B","indices":[14,16]}],"user_mentions":[{"screen_name":"bob","indices":[9,13]}]},"timestamp_ms":"$T"}
{"created_at":"Fri Jan 01 00:00:02 +0000 2021","id_str":"2","text":"RT @u1: hello #a","lang":"ja","user":{"id":2,"id_str":"2","screen_name":"u2"},"retweeted_status":{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"1","text":"hello #a","user":{"id":1,"id_str":"1","screen_name":"u1"},"entities":{"hashtags":[{"text":"a","indices":[6,8]}]}},"entities":{"hashtags":[{"text":"a","indices":[14,16]}]},"timestamp_ms":"$((T + 2000))"}
{"created_at":"Fri Jan 01 00:00:12 +0000 2021","id_str":"3","text":"world words #b #b","lang":"en","user":{"id":1,"id_str":"1","screen_name":"u1"},"entities":{"hashtags":[{"text":"b","indices":[12,14]},{"text":"b","indices":[15,17]}]},"timestamp_ms":"$((T + 12000))"}
X
printf '#b\n' >"$WORK/excluded"
printf 'world\n' >"$WORK/stopwords"
# partial NAME OPTION...: the input counted with -w 10s and OPTIONS, as a partial stream $WORK/NAME.p.
partial() {
  local name=$1
  shift
  "$TRENDTOP" -w 10s "$@" -o partial "$WORK/in" >"$WORK/$name.p" 2>"$WORK/err" || fail "partial $name: $(cat "$WORK/err")"
}
# refused WHAT NEEDLE INPUT...: merge exits 1 with one line on stderr that contains NEEDLE.
refused() {
  local what=$1 needle=$2 rc
  shift 2
  set +e
  "$TRENDTOP" merge "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "$what: exit status" 1 "$rc"
  assert_eq "$what: lines on stderr ($(cat "$WORK/err"))" 1 "$(wc -l <"$WORK/err")"
  grep -q '^trendtop: error: ' "$WORK/err" || fail "$what: $(cat "$WORK/err")"
  grep -q -F -- "$needle" "$WORK/err" || fail "$what: [$(cat "$WORK/err")] does not say [$needle]"
}
merged() { # merged WHAT INPUT...: merge exits 0 and says nothing; the windows, all keys, in $WORK/out as TSV
  local what=$1
  shift
  "$TRENDTOP" merge -k 0 -o tsv "$@" >"$WORK/out" 2>"$WORK/err" || fail "$what: merge failed: $(cat "$WORK/err")"
  [ ! -s "$WORK/err" ] || fail "$what: merge said: $(cat "$WORK/err")"
}

# Every setting that changes what is counted: refused, naming it and both files.
partial base
partial base2
merged "the same settings" "$WORK/base.p" "$WORK/base2.p"
for opts in "--keys hashtags,mentions" "--extract text" "--count occurrences" "--case keep" "--time arrival" \
  "--lateness 5s" "--max-skew 0" "--max-line 100K" "--schema twitter" "--track hello" "--lang en" \
  "--no-retweets" "--exclude #b" "--exclude-file $WORK/excluded"; do
  read -r -a o <<<"$opts"
  partial other "${o[@]}"
  refused "$opts" "${o[0]}" "$WORK/base.p" "$WORK/other.p"
  grep -q -F "'$WORK/base.p'" "$WORK/err" && grep -q -F "'$WORK/other.p'" "$WORK/err" || fail "$opts: $(cat "$WORK/err")"
done
partial words --keys words
partial words_stop --keys words --stopwords "$WORK/stopwords"
refused "--stopwords" "--stopwords" "$WORK/words.p" "$WORK/words_stop.p"
# --schema json and its field paths.
json=(--schema json --key-field /lang)
partial json "${json[@]}"
for opts in "--key-field /user/screen_name" "--time-field /timestamp_ms"; do
  read -r -a o <<<"$opts"
  if [ "${o[0]}" = --key-field ]; then partial other --schema json "${o[@]}"; else partial other "${json[@]}" "${o[@]}"; fi
  refused "--schema json $opts" "${o[0]}" "$WORK/json.p" "$WORK/other.p"
done
# With --key-field the text is read only for --track (trendtop refuses --text-field without it).
partial json_track "${json[@]}" --track e
partial other "${json[@]}" --track e --text-field /user/name
refused "--schema json --text-field /user/name" --text-field "$WORK/json_track.p" "$WORK/other.p"
partial users1 "${json[@]}" --count users --user-field /user/id_str
partial users2 "${json[@]}" --count users --user-field /user/screen_name
refused "--user-field" "--user-field" "$WORK/users1.p" "$WORK/users2.p"
refused "--schema json vs auto" "--schema" "$WORK/base.p" "$WORK/json.p"
# The same settings spelled otherwise merge.
partial l1 --lang en --lang ja --exclude '#B' --track hello --track world
partial l2 --lang ja --lang en --exclude '#b' --track world --track hello
merged "the same settings in another order" "$WORK/l1.p" "$WORK/l2.p"
# A run that read no record never decided its time base (--time auto): it goes with any, first or not.
"$TRENDTOP" -w 10s -o partial </dev/null >"$WORK/none.p"
grep -q '"time":"auto"' "$WORK/none.p" || fail "no records: $(cat "$WORK/none.p")"
"$TRENDTOP" -w 10s -k 0 -o tsv "$WORK/in" >"$WORK/alone"
merged "a stream that counted nothing, first" "$WORK/none.p" "$WORK/base.p"
assert_files_eq "a stream that counted nothing, first" "$WORK/alone" "$WORK/out"
merged "a stream that counted nothing, last" "$WORK/base.p" "$WORK/none.p"
assert_files_eq "a stream that counted nothing, last" "$WORK/alone" "$WORK/out"
partial arrival --time arrival
refused "counted nothing, then event and arrival" "--time" "$WORK/none.p" "$WORK/base.p" "$WORK/arrival.p"

# The same partial stream twice: as two inputs, copied, or twice in one input.
refused "the same file twice" "$WORK/base.p" "$WORK/base.p" "$WORK/base.p"
cp "$WORK/base.p" "$WORK/copy.p"
refused "a copy" "$WORK/copy.p" "$WORK/base.p" "$WORK/copy.p"
cat "$WORK/base.p" "$WORK/base.p" >"$WORK/twice.p"
refused "one stream twice in one input" "$WORK/twice.p" "$WORK/twice.p"
# A run resumed with --state keeps its identity: its outputs merge, appended to one file or apart.
head -2 "$WORK/in" >"$WORK/part1"
tail -1 "$WORK/in" >"$WORK/part2"
"$TRENDTOP" -w 10s -o partial --state "$WORK/state" "$WORK/part1" >"$WORK/run1.p"
"$TRENDTOP" -w 10s -o partial --state "$WORK/state" --flush "$WORK/part2" >"$WORK/run2.p"
"$TRENDTOP" -w 10s -k 0 -o tsv "$WORK/in" >"$WORK/whole"
merged "a resumed run, two files" "$WORK/run1.p" "$WORK/run2.p"
assert_files_eq "a resumed run, two files" "$WORK/whole" "$WORK/out"
cat "$WORK/run1.p" "$WORK/run2.p" >"$WORK/runs.p"
merged "a resumed run, one file" "$WORK/runs.p"
assert_files_eq "a resumed run, one file" "$WORK/whole" "$WORK/out"
refused "a resumed run's file and a part of it" "$WORK/run1.p" "$WORK/runs.p" "$WORK/run1.p"

# Counts are summed with checked 64-bit arithmetic: 2^63 + (2^63 - 1) fits, 2^63 + 2^63 does not.
tweet $T a | "$TRENDTOP" -w 10s -o partial >"$WORK/one.p"
tweet $T a | "$TRENDTOP" -w 10s -o partial >"$WORK/two.p"
sed -i 's/"records":1,/"records":9223372036854775808,/; s/\["#a",1\]/["#a",9223372036854775808]/' "$WORK/one.p"
sed 's/"records":1,/"records":9223372036854775807,/; s/\["#a",1\]/["#a",9223372036854775807]/' "$WORK/two.p" >"$WORK/max.p"
sed -i 's/"records":1,/"records":9223372036854775808,/; s/\["#a",1\]/["#a",9223372036854775808]/' "$WORK/two.p"
grep -q 9223372036854775808 "$WORK/one.p" || fail "the big counts are not in: $(cat "$WORK/one.p")"
merged "2^63 + 2^63 - 1" "$WORK/one.p" "$WORK/max.p"
assert_eq "the largest count" "18446744073709551615" "$(cut -f5 "$WORK/out")"
refused "2^63 + 2^63" "64" "$WORK/one.p" "$WORK/two.p"

# Not partial streams: said what they are.
: >"$WORK/empty"
refused "an empty file" "empty" "$WORK/empty"
refused "an empty file and a partial stream" "'$WORK/empty'" "$WORK/base.p" "$WORK/empty"
refused "empty stdin" "empty" - </dev/null
refused "tweets" "not a partial stream" "$WORK/in"
grep -q -F "'$WORK/in'" "$WORK/err" || fail "tweets: $(cat "$WORK/err")"
refused "tweets and a partial stream" "'$WORK/in'" "$WORK/base.p" "$WORK/in"
printf 'hello\nworld\n' >"$WORK/text"
refused "text" "not a partial stream" "$WORK/text"
