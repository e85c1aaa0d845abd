# When the first lines are all unreadable — a producer sending plain text, pretty-printed JSON, a JSON array,
# JSON of no known format — trendtop says once on stderr what it saw and what to try, instead of a silent
# exit 0 (issue 17). One readable line among the first ones, or --quiet: no hint. From pipes and files.
. "$(dirname "$0")/common.sh"
hint() {  # hint NAME PATTERN [trendtop options]: stdin from $WORK/in, exactly one hint matching PATTERN
  local name=$1 pattern=$2
  shift 2
  set +e
  "$TRENDTOP" "$@" <"$WORK/in" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  set -e
  assert_eq "$name: status" 0 "$rc"
  assert_eq "$name: hints" 1 "$(grep -c '^trendtop: none of the .* was a record' "$WORK/err")"
  grep -q -- "$pattern" "$WORK/err" || fail "$name: no [$pattern] in: $(cat "$WORK/err")"
  [ "$(grep -c 'lines not counted' "$WORK/err")" -le 1 ] || fail "$name: the summary twice: $(cat "$WORK/err")"
}
no_hint() {
  local name=$1
  shift
  "$TRENDTOP" "$@" <"$WORK/in" >"$WORK/out" 2>"$WORK/err" || fail "$name: exit $?"
  grep -q 'was a record' "$WORK/err" && fail "$name: a hint: $(cat "$WORK/err")"
  true
}
# Plain text, as many tutorials' producers send (tweet['text'] only): through a pipe, and as a file.
printf 'RT @a: hello #world\nsecond #line\n' >"$WORK/in"
hint "two text lines" 'none of the 2 lines read was a record (2 not a JSON object; the first: "RT @a: hello #world"): .*--schema text$'
cat "$WORK/in" | "$TRENDTOP" 2>"$WORK/err" >/dev/null
assert_eq "text through a pipe" 1 "$(grep -c 'schema text' "$WORK/err")"
for i in $(seq 1 50); do echo "text line $i #tag"; done >"$WORK/in"
hint "fifty text lines" 'none of the first [0-9]* lines read was a record.*--schema text$'
# --schema text reads them: no hint, the tag counted.
no_hint "--schema text" --schema text -o tsv
grep -q "#tag	50" "$WORK/out" || fail "--schema text: $(cat "$WORK/out")"
# Pretty-printed JSON: lines of an object; a JSON array; JSON of another shape.
python3 -c 'import json; print(json.dumps({"statuses": [{"text": "a #b", "id": 1}]}, indent=2))' >"$WORK/in"
hint "pretty-printed" 'the first: "{"): .*jq -c \. FILE | trendtop$'
printf '[{"text":"a #b"},\n{"text":"c #d"}]\n' >"$WORK/in"
hint "an array" "jq -c '.\[\]' FILE | trendtop$"
printf '{"msg":"a #b","ts":1}\n{"msg":"c","ts":2}\n' >"$WORK/in"
hint "other JSON" '2 JSON of no format trendtop knows.*--schema json --key-field PATH'
# A readable line among the first five, first or last: no hint (nor when a tweet comes first).
{ for i in 1 2 3 4; do echo "junk $i"; done; tweet 1609459200000 a; } >"$WORK/in"
no_hint "four bad lines, then a tweet"
{ tweet 1609459200000 a; for i in 1 2 3 4 5 6; do echo "junk $i"; done; } >"$WORK/in"
no_hint "a tweet, then bad lines"
grep -q 'lines not counted: 6 malformed' "$WORK/err" || fail "the summary: $(cat "$WORK/err")"
# Blank lines are no evidence either way; --quiet says nothing at all.
printf '\n\nnot json\n\n' >"$WORK/in"
hint "blank lines around one bad line" 'none of the 1 line read was a record'
for i in $(seq 1 9); do echo "junk $i"; done >"$WORK/in"
"$TRENDTOP" --quiet <"$WORK/in" >/dev/null 2>"$WORK/err"
assert_eq "--quiet" "" "$(cat "$WORK/err")"
echo "unreadable_hint: ok"
