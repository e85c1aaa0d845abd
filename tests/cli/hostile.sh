# Hostile records, one at a time between two good tweets: each lands in the counter this table names (or is
# counted, with the keys it names), the good tweets around it are never lost, and every line is accounted
# for. Then a 1 GiB line through a pipe: skipped as oversized in bounded memory.
. "$(dirname "$0")/common.sh"
cat >"$WORK/gen.py" <<'PY'
import random, sys
T = 1609459200000
U = T + 11500  # in the open window [10 s, 20 s): counted unless the case says otherwise
def tw(t, tags, text="x", extra=""):
    ents = ",".join('{"text":"%s","indices":[0,1]}' % h for h in tags)
    return ('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"1","text":"%s","user":{"id":1},'
            '"entities":{"hashtags":[%s]},"timestamp_ms":"%s"%s}' % (text, ents, t, extra)).encode("latin-1")
cases = {  # name: (line, expected counter, keys when counted)
    "utf8_in_key": (tw(U, ["bad\xff"]), "malformed", ""),
    "utf8_in_text": (tw(U, ["ok"], text="x\xfe\xff"), "malformed", ""),
    "utf8_overlong": (tw(U, ["ok"], text="\xc0\xaf"), "malformed", ""),
    "escaped_nul_in_key": (tw(U, ["a\\u0000b", "fine"]), "counted", "#fine"),
    "raw_nul_in_string": (tw(U, ["ok"], text="x\x00y"), "malformed", ""),
    "raw_nul_outside": (tw(U, ["ok"]) + b"\x00", "malformed", ""),
    "nested_100k": (b"[" * 100000 + b"]" * 100000, "malformed", ""),
    "nested_field": (tw(U, ["deep"], extra=',"x":' + "[" * 5000 + "]" * 5000), "counted", "#deep"),
    # An unreadable timestamp_ms falls back to created_at (00:00:00, a window already closed): late.
    "huge_timestamp": (tw("123456789012345678901234567890", ["hugets"]), "late", ""),
    "huge_numbers": (tw(U, ["num"], extra=',"n":1e999999,"m":123456789012345678901234567890,"k":-0.0e-99999'),
                     "counted", "#num"),
    "duplicate_entities": (tw(U, ["first"]).replace(b'"timestamp_ms"', b'"entities":{"hashtags":[{"text":"second"}]},"timestamp_ms"'),
                           "counted", "#second"),
    "binary": (bytes(random.Random(7).randrange(256) for _ in range(4000)).replace(b"\n", b"."), "malformed", ""),
    "epoch_1970": (tw(0, ["epoch"]), "late", ""),
    "negative_time": (tw(-5000, ["neg"]), "late", ""),
    "year_9999": (tw(253402300799000, ["y9999"]), "skewed", ""),
    "spaces": (b"  \t \r", "blank", ""),
    "not_json_object": (b'"just a string"', "malformed", ""),
    "array_of_tweets": (b"[" + tw(U, ["arr"]) + b"]", "malformed", ""),  # valid JSON, but not a record
}
name = sys.argv[1]
if name == "list":
    print("\n".join(cases))
    sys.exit(0)
line, counter, keys = cases[name]
with open(sys.argv[2], "wb") as out:  # the good tweet before, one that closes [0 s, 10 s), the case, one after
    out.write(tw(T + 1000, ["before"]) + b"\n" + tw(T + 11000, ["closes"]) + b"\n" + line + b"\n" +
              tw(T + 12000, ["after"]) + b"\n")
print(counter, keys)
PY
for name in $(python3 "$WORK/gen.py" list); do
  read -r want keys < <(python3 "$WORK/gen.py" "$name" "$WORK/in4")
  s=$("$TRENDTOP" -k 0 --stats -o tsv "$WORK/in4" 2>&1 >"$WORK/out") || fail "$name: exit $?"
  assert_balanced "$s"
  assert_eq "$name: lines" 4 "$(stat_of lines "$s")"
  good=3
  [ "$want" = counted ] && good=4
  assert_eq "$name: counted" "$good" "$(stat_of counted "$s")"
  [ "$want" = counted ] || assert_eq "$name: $want" 1 "$(stat_of "$want" "$s")"
  for k in '#before' '#closes' '#after' $keys; do
    grep -q $'\t'"$k"$'\t' "$WORK/out" || fail "$name: $k not counted: $(cat "$WORK/out")"
  done
  [ "$(cut -f4 "$WORK/out" | sort -u | wc -l)" = $((3 + $(wc -w <<<"$keys"))) ] || fail "$name: keys $(cut -f4 "$WORK/out" | tr '\n' ' ')"
  # And through the parsing threads, in one batch with the good lines.
  "$TRENDTOP" -j 3 -k 0 -o tsv "$WORK/in4" | cmp -s - "$WORK/out" || fail "$name: -j 3 differs"
done

# A 1 GiB line (no newline for a gigabyte) between two tweets, through a pipe: one oversized line, the tweets
# counted, memory bounded by --max-line, not by the line.
python3 "$WORK/gen.py" spaces "$WORK/in4" >/dev/null
head -1 "$WORK/in4" >"$WORK/first"
tail -1 "$WORK/in4" >"$WORK/last"
{ cat "$WORK/first"; printf '{"text":"'; head -c 1073741824 /dev/zero | tr '\0' 'a'; printf '"}\n'; cat "$WORK/last"; } |
  /usr/bin/time -f '%M' -o "$WORK/rss" "$TRENDTOP" -k 0 --stats -o tsv >"$WORK/out" 2>"$WORK/stats"
s=$(grep 'stats lines' "$WORK/stats")
assert_eq "1 GiB line: oversized" 1 "$(stat_of oversized "$s")"
assert_eq "1 GiB line: counted" 2 "$(stat_of counted "$s")"
assert_balanced "$s"
rss=$(tail -1 "$WORK/rss")
[ "$rss" -lt 250000 ] || fail "1 GiB line took ${rss} KB" # buffered whole it would take over 1 GB
