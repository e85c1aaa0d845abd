# --print-keys: the map/flatMap stages made visible. One output line per non-blank input line, in input
# order: the record's keys tab-separated, an empty line for anything without keys (malformed, notices,
# filtered records, tweets without tags); nothing for blank lines. No windows. Same with any --threads.
. "$(dirname "$0")/common.sh"
st() {  # st TEXT [ENTITIES_JSON] [EXTRA]: a status
  printf '{"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id_str":"%s"},"lang":"%s","text":"%s"%s}\n' \
    "${U:-1}" "${L:-en}" "$1" "${2:+,\"entities\":$2}"
}
{
  st "#Go #go #Rust" '{"hashtags":[{"text":"Go"},{"text":"go"},{"text":"Rust"}]}'
  echo ''
  st "no tags here" '{"hashtags":[]}'
  echo 'not json'
  echo '{"delete":{"status":{"id":1}}}'
  st "@Ann and \$TSLA, #russia's"
  printf '   \r\n'
  st "#x" '{"hashtags":[{"text":"x"}]}'
} >"$WORK/in"
expected=$'#go\t#rust\n\n\n\n#russia\n#x'
for j in 1 3; do
  assert_eq "--print-keys -j $j" "$expected" "$("$TRENDTOP" -j "$j" --print-keys "$WORK/in")"
done
# Other kinds, text extraction where there are no entities, every occurrence.
assert_eq "--keys (hashtags, then mentions, then cashtags)" $'#go\t#rust\n\n\n\n#russia\t@ann\t$tsla\n#x' \
  "$("$TRENDTOP" --print-keys --keys mentions,cashtags,hashtags "$WORK/in")"
assert_eq "--count occurrences" $'#go\t#go\t#rust\n\n\n\n#russia\n#x' \
  "$("$TRENDTOP" --print-keys --count occurrences "$WORK/in")"
assert_eq "--extract split" $'#go\t#go\t#rust\n\n\n\n#russia\'s\n#x' \
  "$("$TRENDTOP" --print-keys --extract split "$WORK/in")"
# Filtered records are empty lines, and counted as filtered.
# (A FILE after a repeatable option is still a FILE.)
assert_eq "--track" $'#go\t#rust\n\n\n\n\n\nEND' "$("$TRENDTOP" --print-keys --track '#GO' "$WORK/in"; echo END)"
s=$("$TRENDTOP" --print-keys --track '#GO' --stats "$WORK/in" 2>&1 >/dev/null)
assert_balanced "$s"
for k in lines:8 counted:1 filtered:3 malformed:1 skipped:1 blank:2; do
  assert_eq "${k%%:*}" "${k#*:}" "$(stat_of "${k%%:*}" "$s")"
done
# Words: of the full text, folded, without stop words (built-in and --stopwords), tags or links.
st "The U.S. Economy &amp; the FED: don't panic! #Econ @Ann https://t.co/abc 2021" '{"hashtags":[{"text":"Econ"}]}' >"$WORK/w"
assert_eq "--keys words" $'u.s\teconomy\tfed\tpanic' "$("$TRENDTOP" --print-keys --keys words "$WORK/w")"
printf 'FED\npanic\n' >"$WORK/stop"
assert_eq "--stopwords" $'#econ\tu.s\teconomy' "$("$TRENDTOP" --print-keys --keys hashtags,words --stopwords "$WORK/stop" "$WORK/w")"
