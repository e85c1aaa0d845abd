# Keys are counted case folded but shown, in text output and JSON's "display", in their most frequent
# spelling in the window; TSV/CSV keep the folded key (stable for scripts). Checked against Python on the
# real minute: for each key of each 1-minute window, the spelling most tweets used (ties: bytewise first).
# --case keep counts spellings apart.
. "$(dirname "$0")/common.sh"
need_data
f=$DATA/tweets_v1_stream_head1000.ndjson
"$TRENDTOP" -w 1m -k 0 -o json "$f" | jq -r '.top[] | [.key, (.display // .key)] | @tsv' | sort >"$WORK/got"
python3 - "$f" >"$WORK/expect" <<'PY'
import json, sys, unicodedata, collections
spellings = collections.defaultdict(collections.Counter)
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        t = json.loads(line)
    except ValueError:
        continue
    if "created_at" not in t or "user" not in t:
        continue
    s = t.get("retweeted_status") or t
    s = s.get("extended_tweet") or s
    seen = {}
    for h in s.get("entities", {}).get("hashtags", []):
        orig = unicodedata.normalize("NFC", "#" + h["text"])
        key = unicodedata.normalize("NFC", orig.casefold())
        seen.setdefault(key, set()).add(orig)
    for key, origs in seen.items():
        for o in origs:
            spellings[key][o] += 1
for key, c in spellings.items():
    best = sorted(c.items(), key=lambda kv: (-kv[1], kv[0].encode()))[0][0]
    print(f"{key}\t{best}")
PY
sort -o "$WORK/expect" "$WORK/expect"
assert_files_eq "display spellings" "$WORK/expect" "$WORK/got"
grep -q $'^#smtown_live\t#SMTOWN_LIVE$' "$WORK/got" || fail "no #SMTOWN_LIVE"
# Text output shows the spelling; TSV keeps the folded key.
"$TRENDTOP" -w 1m -k 1 "$f" | grep -q '#SMTOWN_LIVE  *36' || fail "text output: $("$TRENDTOP" -w 1m -k 1 "$f")"
assert_eq "tsv" "#smtown_live" "$("$TRENDTOP" -w 1m -k 1 -o tsv "$f" | cut -f4)"
# --case keep: spellings are keys of their own; no display field.
"$TRENDTOP" -w 1m -k 0 -o json --case keep "$f" | jq -r '.top[] | .key' >"$WORK/keep"
grep -qx '#SMTOWN_LIVE' "$WORK/keep" || fail "--case keep: no #SMTOWN_LIVE"
! grep -qx '#smtown_live' "$WORK/keep" || fail "--case keep folded a key"
"$TRENDTOP" -w 1m -o json --case keep "$f" | jq -e 'all(.top[]; has("display") | not)' >/dev/null || fail "--case keep: display"
# --count users (issue 17): counts are authors, and a key is still shown in the spelling most records used;
# through partial streams and a merge too (the spellings are per record, so they add up exactly).
"$TRENDTOP" -w 1m -k 0 -o json --count users "$f" | jq -r '.top[] | [.key, (.display // .key)] | @tsv' |
  sort >"$WORK/users"
assert_files_eq "display spellings with --count users" "$WORK/expect" "$WORK/users"
"$TRENDTOP" -w 1m -k 1 --count users "$f" | grep -q '#SMTOWN_LIVE  ' ||
  fail "--count users, text output: $("$TRENDTOP" -w 1m -k 1 --count users "$f")"
head -500 "$f" >"$WORK/a.ndjson"
tail -n +501 "$f" >"$WORK/b.ndjson"
for p in a b; do "$TRENDTOP" -w 1m --count users -o partial "$WORK/$p.ndjson" >"$WORK/$p.partial"; done
"$TRENDTOP" merge -k 0 -o json "$WORK/a.partial" "$WORK/b.partial" |
  jq -r '.top[] | [.key, (.display // .key)] | @tsv' | sort >"$WORK/merged"
assert_files_eq "display spellings with --count users, merged" "$WORK/expect" "$WORK/merged"
