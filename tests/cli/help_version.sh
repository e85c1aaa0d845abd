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
