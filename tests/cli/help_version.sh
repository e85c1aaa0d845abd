# --help lists every option and exits 0; --version names the build and its libraries.
. "$(dirname "$0")/common.sh"
"$TRENDTOP" --help >"$WORK/help"
for opt in --window --slide --top --min-count --time --lateness --extract --output --intervals --stats \
  --max-line --help --version; do
  grep -q -- "$opt" "$WORK/help" || fail "--help does not mention $opt"
done
"$TRENDTOP" -h | cmp -s - "$WORK/help" || fail "-h differs from --help"
v=$("$TRENDTOP" --version)
grep -q '^trendtop [0-9]' <<<"$v" || fail "--version: $v"
grep -q 'simdjson 3' <<<"$v" || fail "--version lacks simdjson: $v"
assert_eq "-V" "$v" "$("$TRENDTOP" -V)"

# --help fits the terminal (issue 17): wrapped to $COLUMNS, else the terminal's width, else 80 columns; never
# wider than 100; one blank line between groups, never two. trendtop merge --help too.
widest() { awk '{ if (length($0) > m) m = length($0) } END { print m }'; }
for cmd in "" merge; do
  # shellcheck disable=SC2086
  env -u COLUMNS "$TRENDTOP" $cmd --help >"$WORK/h80"
  [ "$(widest <"$WORK/h80")" -le 80 ] || fail "$cmd --help into a pipe: $(widest <"$WORK/h80") columns wide"
  COLUMNS=80 "$TRENDTOP" $cmd --help >"$WORK/c80"
  assert_files_eq "$cmd --help, COLUMNS=80 and a pipe" "$WORK/h80" "$WORK/c80"
  COLUMNS=100 "$TRENDTOP" $cmd --help >"$WORK/c100"
  w=$(widest <"$WORK/c100")
  [ "$w" -le 100 ] && [ "$w" -gt 80 ] || fail "$cmd --help, COLUMNS=100: $w columns wide"
  COLUMNS=250 "$TRENDTOP" $cmd --help >"$WORK/c250"
  assert_files_eq "$cmd --help, COLUMNS=250 (at most 100)" "$WORK/c100" "$WORK/c250"
  COLUMNS=60 "$TRENDTOP" $cmd --help >"$WORK/c60"
  [ "$(widest <"$WORK/c60")" -le 60 ] || fail "$cmd --help, COLUMNS=60: $(widest <"$WORK/c60") columns wide"
  for f in h80 c100 c60; do
    if grep -qzP '\n\n\n' "$WORK/$f"; then fail "$cmd --help ($f) has two blank lines in a row"; fi
  done
  # Wrapping loses no word: the same words at every width.
  for f in c100 c60; do
    assert_eq "$cmd --help's words at $f" "$(tr -s ' \n' '\n\n' <"$WORK/h80" | md5sum)" "$(tr -s ' \n' '\n\n' <"$WORK/$f" | md5sum)"
  done
done
# On a terminal without COLUMNS: the terminal's width.
if command -v script >/dev/null; then
  env -u COLUMNS script -qec "stty cols 70; $TRENDTOP --help" /dev/null </dev/null | tr -d '\r' >"$WORK/tty70"
  [ "$(widest <"$WORK/tty70")" -le 70 ] || fail "--help on a 70-column terminal: $(widest <"$WORK/tty70") columns wide"
  grep -q -- '--window' "$WORK/tty70" || fail "--help on a terminal: $(head -3 "$WORK/tty70")"
fi
echo "help_version: ok"
