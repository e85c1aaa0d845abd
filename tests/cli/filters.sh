# Filters and exclusions on hand-made statuses: --track (any phrase, case-insensitive, in the full text of
# the status that counts), --lang (any), --no-retweets, --exclude and --exclude-file (keys normalised as
# counted keys are); what is left out is counted as filtered, never lost.
. "$(dirname "$0")/common.sh"
st() {  # st LANG TEXT TAGS_JSON [EXTRA]
  printf '{"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id_str":"1"},"lang":"%s","text":"%s","entities":{"hashtags":%s}%s,"timestamp_ms":"1609459200000"}\n' "$1" "$2" "$3" "${4:+,$4}"
}
{
  st en "Flights to the U.S. #Travel" '[{"text":"Travel"}]'
  st ja "東京 #旅行" '[{"text":"旅行"}]'
  st en "RT @a: about the u.s. economy" '[]' '"retweeted_status":{"created_at":"Fri Jan 01 07:28:00 +0000 2021","user":{"id":2},"lang":"en","text":"about the U.S. economy #Econ","entities":{"hashtags":[{"text":"Econ"}]}}'
  st fr "Le RT #Paris #RT" '[{"text":"Paris"},{"text":"RT"}]'
} >"$WORK/in"
keys() { "$TRENDTOP" -k 0 -o tsv "$@" "$WORK/in" | cut -f4 | sort | tr '\n' ' '; }
assert_eq "no filter" "#econ #paris #rt #travel #旅行 " "$(keys)"
# The tutorial's tweepy filter(track=['u.s.']): the retweet matches through its original's text.
assert_eq "--track u.s." "#econ #travel " "$(keys --track u.s.)"
assert_eq "--track any of two" "#econ #travel #旅行 " "$(keys --track U.S. --track 東京)"
assert_eq "--lang" "#paris #rt #旅行 " "$(keys --lang ja --lang FR)"
assert_eq "--no-retweets" "#paris #rt #travel #旅行 " "$(keys --no-retweets)"
assert_eq "all three" "#travel " "$(keys --no-retweets --lang en --track u.s.)"
assert_eq "--exclude (folded)" "#econ #paris #旅行 " "$(keys --exclude '#RT' --exclude '#TRAVEL')"
printf '#Paris\r\n\n#旅行\n' >"$WORK/stop"
assert_eq "--exclude-file" "#econ #rt #travel " "$(keys --exclude-file "$WORK/stop")"
s=$("$TRENDTOP" --lang en --stats -o tsv "$WORK/in" 2>&1 >/dev/null)
assert_balanced "$s"
assert_eq "filtered" 2 "$(stat_of filtered "$s")"
assert_eq "counted" 2 "$(stat_of counted "$s")"
# Usage errors: exit 2, one line.
for args in "--count likes" "--exclude-file $WORK/missing" "--keys mentions --extract split"; do
  set +e
  # shellcheck disable=SC2086
  "$TRENDTOP" $args "$WORK/in" >/dev/null 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "$args: exit" 2 "$rc"
  assert_eq "$args: one line" 1 "$(wc -l <"$WORK/err")"
done
set +e
"$TRENDTOP" --track '' "$WORK/in" >/dev/null 2>"$WORK/err"
rc=$?
set -e
assert_eq "--track '': exit" 2 "$rc"
grep -q "empty phrase" "$WORK/err" || fail "--track '': $(cat "$WORK/err")"
