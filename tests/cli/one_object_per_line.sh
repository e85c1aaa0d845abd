# A line is one JSON object followed only by whitespace (issue 15, item 2). Two objects on a line, an object
# followed by junk, or objects separated by a lone CR (which does not end a line) make the line malformed:
# counted as such, never read in part with the rest silently dropped. Each case sits between good tweets that
# must be counted; expected counters are hand-checked (Python's json.loads, the reference's parser, rejects
# every malformed case below as "Extra data").
. "$(dirname "$0")/common.sh"
T=1609459200000
one() { tweet "$1" "$2" | tr -d '\n'; }

# check NAME WANT_COUNTER FILE [trendtop flags...]: FILE holds good, the case (one line), good; the case
# lands in WANT_COUNTER (malformed, counted) and the good tweets around it are counted. With -j 1 and -j 2.
check() {
  local name=$1 want=$2 file=$3 j s
  shift 3
  for j in 1 2; do
    s=$("$TRENDTOP" -j $j -k 0 --stats -o tsv "$@" "$file" 2>&1 >"$WORK/out") || fail "$name: exit $?"
    assert_balanced "$s"
    assert_eq "$name (-j $j): lines" 3 "$(stat_of lines "$s")"
    if [ "$want" = counted ]; then
      assert_eq "$name (-j $j): counted" 3 "$(stat_of counted "$s")"
    else
      assert_eq "$name (-j $j): $want" 1 "$(stat_of "$want" "$s")"
      assert_eq "$name (-j $j): counted" 2 "$(stat_of counted "$s")"
    fi
    grep -Eq $'\t#?before\t' "$WORK/out" && grep -Eq $'\t#?after\t' "$WORK/out" ||
      fail "$name (-j $j): the good tweets around it: $(cat "$WORK/out")"
  done
}
case_file() { # case_file LINE_BYTES: good, the case, good
  { tweet $((T + 1000)) before; printf '%s\n' "$1"; tweet $((T + 2000)) after; } >"$WORK/case"
}

case_file "$(one $((T + 1500)) first)$(one $((T + 1500)) second)"
check "two objects on a line" malformed "$WORK/case"
grep -q second "$WORK/out" && fail "the second object was read"

case_file "$(one $((T + 1500)) first) junk }"
check "an object followed by junk ending in }" malformed "$WORK/case"

case_file "$(one $((T + 1500)) first),{}"
check "an object, a comma, an object" malformed "$WORK/case"

case_file "$(one $((T + 1500)) first)"$'\r'"$(one $((T + 1500)) second)"
check "objects separated by a lone CR" malformed "$WORK/case"

case_file "$(one $((T + 1500)) spaced)"$' \t  '
check "an object followed by spaces and tabs" counted "$WORK/case"
grep -q $'\t#spaced\t' "$WORK/out" || fail "trailing whitespace: not counted"

# CRLF line ends stay line ends.
{ tweet $((T + 1000)) before; tweet $((T + 1500)) crlf; tweet $((T + 2000)) after; } | sed 's/$/\r/' >"$WORK/case"
check "CRLF" counted "$WORK/case"
grep -q $'\t#crlf\t' "$WORK/out" || fail "CRLF: not counted"

# --schema json reads one object per line too.
printf '%s\n' '{"k":"before","t":1609459201000}' '{"k":"first","t":1609459201500}{"k":"second","t":1609459201500}' \
  '{"k":"after","t":1609459202000}' >"$WORK/case"
check "--schema json: two objects" malformed "$WORK/case" --schema json --key-field k --time-field t

# Mastodon: a streaming message whose payload string holds two statuses, and an SSE data line with two.
status() { printf '{"id":"%s","created_at":"2021-01-01T00:00:01.500Z","uri":"u","account":{"id":"1"},"content":"<p>x</p>","tags":[{"name":"%s"}]}' "$1" "$2"; }
payload=$(status 1 first; status 2 second)
{ status 0 before; echo; jq -cn --arg p "$payload" '{event: "update", payload: $p}'; status 3 after; echo; } >"$WORK/case"
check "a Mastodon payload with two statuses" malformed "$WORK/case"
{ status 0 before; echo; echo "data: $payload"; status 3 after; echo; } >"$WORK/case"
check "an SSE data line with two statuses" malformed "$WORK/case"

# A stream whose records end with a lone CR only: no line end at all, so the whole stream is one line, and
# that line is malformed (not one record counted and the rest dropped). Documented in trendtop-formats(5).
{ one $T a; printf '\r'; one $((T + 1)) b; printf '\r'; one $((T + 2)) c; printf '\r'; } >"$WORK/cr"
s=$("$TRENDTOP" -k 0 --stats -o tsv "$WORK/cr" 2>&1 >"$WORK/out")
assert_balanced "$s"
assert_eq "CR-only stream: lines" 1 "$(stat_of lines "$s")"
assert_eq "CR-only stream: malformed" 1 "$(stat_of malformed "$s")"
assert_eq "CR-only stream: nothing printed" "" "$(cat "$WORK/out")"
