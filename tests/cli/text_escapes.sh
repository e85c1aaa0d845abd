# Keys holding control characters (issue 17): --extract split keeps a newline or an ESC sequence from a
# tweet's text in its keys. Text output shows them escaped as the live view does (\n, \x1b, ...), so the table
# never breaks and the terminal never changes colour; TSV escapes them too, JSON as \uNNNN.
source "$(dirname "$0")/common.sh"
# One tweet whose text splits into "#red\e[31mx", "#two\nlines" (a JSON \n inside the text) and "#c1" NEL "x"
# (U+0085, a C1 control).
printf '%s\n' '{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"#red\u001b[31mx #two\nlines #c1\u0085x","user":{"id":1},"timestamp_ms":"1609486140000"}' >"$WORK/in.json"
"$TRENDTOP" --extract split "$WORK/in.json" >"$WORK/text"
cat >"$WORK/want" <<'TXT'
2021-01-01 07:29:00 .. 07:29:10 UTC  1 record, 3 keys
  1  #c1\x85x       1  +1  new
  2  #red\x1b[31mx  1  +1  new
  3  #two\nlines    1  +1  new
TXT
assert_files_eq "text output, keys escaped" "$WORK/want" "$WORK/text"
"$TRENDTOP" --extract split -o tsv "$WORK/in.json" | cut -f4 >"$WORK/tsv"
printf '%s\n' '#c1\x85x' '#red\x1b[31mx' '#two\nlines' >"$WORK/want_tsv"
assert_files_eq "TSV keys escaped" "$WORK/want_tsv" "$WORK/tsv"
"$TRENDTOP" --extract split -o json "$WORK/in.json" >"$WORK/json"
assert_eq "JSON keys, as written" '"key":"#c1\u0085x" "key":"#red\u001b[31mx" "key":"#two\nlines"' \
  "$(grep -o '"key":"[^"]*"' "$WORK/json" | tr '\n' ' ' | sed 's/ $//')"
jq -e '[.top[].key] == ["#c1\u0085x", "#red\u001b[31mx", "#two\nlines"]' "$WORK/json" >/dev/null ||
  fail "JSON keys do not read back as the keys"
# No raw ESC or C1 byte pair in any of them.
for f in text tsv json; do
  if LC_ALL=C grep -q $'\e\\|\xc2\x85' "$WORK/$f"; then fail "a raw control character in $f output"; fi
done
echo "text_escapes: ok"
