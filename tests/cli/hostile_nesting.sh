# Hostile nesting and broken structure inside a line (issue 20: the extractor walks simdjson's structural
# index itself). Each case sits between two good tweets that must be counted, with -j 1 and -j 2.
# - Posts nested in posts ({"data":{"data":...}}) 100 000 deep, a 1.4 MB line well under --max-line: the line
#   is malformed, never a crash (before the fix x-v2's "data" reader recursed once a level and the stack
#   overflowed: exit 139, on main's On-Demand pass as on the structural walk). Real streams nest posts at
#   most three deep. Retweets and quotes nested so deep are not read past their first level: not counted.
# - Arrays and objects 100 000 deep in a field nobody reads: skipped by counting brackets, the tweet counted.
# - JSON broken in an object the pass walks (the message, entities): malformed. Broken inside a value the pass
#   skips (the user object), it is counted: a skipped value is only bracket-counted, as On-Demand does (stage
#   1 has checked strings, UTF-8 and stray characters). Python's json.loads rejects every broken case (checked
#   below); On-Demand counted the first two as well-formed.
. "$(dirname "$0")/common.sh"
T=1609459200000

# check NAME WANT LINE [invalid]: good, LINE, good; LINE lands in WANT (counted, malformed, or notcounted:
# skipped or malformed); "invalid" when Python's json.loads must reject LINE.
check() {
  local name=$1 want=$2 j s
  { tweet $((T + 1000)) before; printf '%s\n' "$3"; tweet $((T + 2000)) after; } >"$WORK/case"
  if [ "${4:-}" = invalid ]; then
    python3 -c 'import json, sys
json.loads(open(sys.argv[1], "rb").read().split(b"\n")[1])' "$WORK/case" 2>/dev/null && fail "$name: valid JSON"
  fi
  for j in 1 2; do
    s=$("$TRENDTOP" -j $j -k 0 --stats -o tsv "$WORK/case" 2>&1 >"$WORK/out") || fail "$name (-j $j): exit $?"
    assert_balanced "$s"
    case $want in
      counted) assert_eq "$name (-j $j): counted" 3 "$(stat_of counted "$s")" ;;
      notcounted) assert_eq "$name (-j $j): counted" 2 "$(stat_of counted "$s")" ;;
      *)
        assert_eq "$name (-j $j): $want" 1 "$(stat_of "$want" "$s")"
        assert_eq "$name (-j $j): counted" 2 "$(stat_of counted "$s")"
        ;;
    esac
    grep -q $'\t#before\t' "$WORK/out" && grep -q $'\t#after\t' "$WORK/out" ||
      fail "$name (-j $j): the good tweets around it: $(cat "$WORK/out")"
  done
}
nest() { # nest KEY DEPTH INNER: {"KEY":{"KEY":...INNER...}}
  python3 -c 'import sys; k, n, inner = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.stdout.write(("{\"%s\":" % k) * n + inner + "}" * n)' "$1" "$2" "$3"
}
inner='{"created_at":"2021-01-01T00:00:01.000Z","id":"1","text":"#deep","entities":{"hashtags":[{"tag":"deep"}]}}'
check 'posts nested 100 000 deep in "data"' malformed "$(nest data 100000 "$inner")"
for key in retweeted_status quoted_status reblog; do
  check "posts nested 100 000 deep in \"$key\"" notcounted "$(nest $key 100000 "$inner")"
done
# An x-v2 message with its tweet one level down is read as before.
check 'a message with "data"' counted "$(nest data 1 "$inner")"

good=$(tweet $((T + 1500)) mid | tr -d '\n')
deep="$(printf '[%.0s' $(seq 100000))$(printf ']%.0s' $(seq 100000))"
check "an array 100 000 deep in a field not read" counted "${good%\}},\"junk\":$deep}"
check "objects 100 000 deep in a field not read" counted "${good%\}},\"junk\":$(nest a 100000 1)}"

# Broken structure where the pass walks: malformed.
check "a key without its object's brace" malformed "${good/\"user\":{\"id\":1\}/\"user\":\"id\":1\}}" invalid
check "two colons in entities" malformed "${good/\"hashtags\"/\"urls\"::[],\"hashtags\"}" invalid
check "a missing comma in entities" malformed "${good/\"hashtags\"/\"urls\":[] \"hashtags\"}" invalid
check "a missing value in the message" malformed "${good/\"id_str\":\"1\"/\"id_str\":}" invalid
# ...and where it skips: only the brackets are counted.
check "a missing comma in the user object" counted "${good/\"user\":{\"id\":1\}/\"user\":{\"id\":1 \"name\":\"x\"\}}" invalid
check "a trailing comma in the user object" counted "${good/\"user\":{\"id\":1\}/\"user\":{\"ids\":[1,2,]\}}" invalid
check "the good tweet itself" counted "$good"
