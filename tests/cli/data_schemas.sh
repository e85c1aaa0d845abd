# Every stream format in ../shared/data read with --schema auto gives the hashtags computed independently from
# the JSON (Python below: each format's structured hashtags, folded, once per record; a retweet/reblog counts
# its original), with every line accounted for; --schema X on its own file gives the same as auto; --schema
# json with a field path and --schema text against the same independent reading.
. "$(dirname "$0")/common.sh"
need_data
cat >"$WORK/ref.py" <<'PY'
import json, sys, unicodedata
from collections import Counter

def fold(s):
    return unicodedata.normalize("NFC", s.casefold())

def v2_tags(t):
    ents = (t.get("note_tweet") or {}).get("entities") or t.get("entities") or {}
    return [h["tag"] for h in ents.get("hashtags", [])]

def v2(d, includes):
    t = d
    for r in d.get("referenced_tweets", []):
        if r.get("type") == "retweeted":
            if "text" in r or "entities" in r:  # twarc-flattened: inlined
                t = r
            else:
                t = next((i for i in includes if i.get("id") == r.get("id")), d)
    return v2_tags(t)

def mastodon(s):
    s = s.get("reblog") or s
    return [t["name"] for t in s.get("tags", [])]

def tags_of(line):
    if line.startswith("data:"):  # Mastodon SSE
        body = line[5:].strip()
        if not body.startswith("{"):
            return None
        s = json.loads(body)
        if "account" not in s or "content" not in s or s.get("edited_at"):
            return None
        return mastodon(s)
    if not line.startswith("{"):
        return None
    try:
        d = json.loads(line)
    except ValueError:
        return None
    if "data" in d:
        return v2(d["data"], d.get("includes", {}).get("tweets", []))
    if "kind" in d:
        c = d.get("commit", {})
        if d["kind"] != "commit" or c.get("operation") != "create" or c.get("collection") != "app.bsky.feed.post":
            return None
        rec = c["record"]
        tags = [f["tag"] for fa in rec.get("facets", []) for f in fa.get("features", [])
                if f.get("$type") == "app.bsky.richtext.facet#tag"]
        return tags + rec.get("tags", [])
    if "event" in d:
        if d["event"] != "update" or "payload" not in d:
            return None
        return mastodon(json.loads(d["payload"]))
    if "account" in d:
        return mastodon(d)
    if "author_id" in d:
        return v2(d, [])
    return None

counts = Counter()
for raw in open(sys.argv[1], encoding="utf-8"):
    tags = tags_of(raw.rstrip("\r\n"))
    for k in set("#" + fold(t) for t in tags or []):
        counts[k] += 1
for k, n in counts.items():
    print(f"{k}\t{n}")
PY
keys_of() {  # keys_of FILE [OPTIONS...]: "key<TAB>count" over one big window, sorted
  local f=$1
  shift
  "$TRENDTOP" "$@" -w 3650d -k 0 -o tsv "$f" | cut -f4,5 | LC_ALL=C sort
}
for spec in x-v2:v2_sample.ndjson x-v2:v2_search_as_stream.ndjson x-v2:v2_twarc_flat_100.jsonl \
  x-v2:v2_stream_with_truncated_line.jsonl bluesky:jetstream_sample.ndjson bluesky:jetstream_golden_10.ndjson \
  mastodon:mastodon_sample.ndjson mastodon:mastodon_ws_sample.ndjson mastodon:mastodon_py_statuses.ndjson \
  mastodon:mastodon_sse_sample.txt; do
  schema=${spec%%:*} f=$DATA/${spec#*:}
  python3 "$WORK/ref.py" "$f" | LC_ALL=C sort >"$WORK/expected"
  keys_of "$f" >"$WORK/auto"
  assert_files_eq "$(basename "$f") --schema auto vs the JSON" "$WORK/expected" "$WORK/auto"
  keys_of "$f" --schema "$schema" >"$WORK/explicit"
  assert_files_eq "$(basename "$f") --schema $schema vs auto" "$WORK/auto" "$WORK/explicit"
  s=$("$TRENDTOP" --stats -w 3650d "$f" 2>&1 >/dev/null)
  assert_balanced "$s"
  [ "$(stat_of counted "$s")" -gt 0 ] || fail "$(basename "$f"): nothing counted"
done
# The samples hold what SOURCES.md says they hold.
assert_eq "jetstream posts" 17 "$(stat_of counted "$("$TRENDTOP" --stats "$DATA/jetstream_sample.ndjson" 2>&1 >/dev/null)")"
assert_eq "jetstream tags" "#balanwonderworldoc #howtotellaitoshutup #indierebellion #talesatwonderworld" \
  "$(keys_of "$DATA/jetstream_sample.ndjson" | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
s=$("$TRENDTOP" --stats "$DATA/v2_stream_with_truncated_line.jsonl" 2>&1 >/dev/null)
assert_eq "v2 truncated line" "7 1" "$(stat_of counted "$s") $(stat_of malformed "$s")"
s=$("$TRENDTOP" --stats "$DATA/mastodon_sse_sample.txt" 2>&1 >/dev/null)
assert_eq "SSE: the two update statuses count; status.update, notifications, delete, framing skipped" \
  "2 12 6" "$(stat_of counted "$s") $(stat_of skipped "$s") $(stat_of blank "$s")"

# Mixed formats in one stream (years apart, so in arrival time): the union.
cat "$DATA/v2_sample.ndjson" "$DATA/jetstream_sample.ndjson" "$DATA/mastodon_sample.ndjson" \
  "$DATA/tweets_v1_sample.ndjson" >"$WORK/mixed"
python3 - "$WORK/mixed" "$WORK/ref.py" >"$WORK/expected" <<'PY'
import json, sys, unicodedata
from collections import Counter
ns = {}
src = open(sys.argv[2]).read()
exec(src[:src.index("counts = Counter()")], ns)
counts = Counter()
for raw in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(raw)
    if "user" in d and "created_at" in d:  # v1.1
        s = d.get("retweeted_status") or d
        ents = (s.get("extended_tweet") or {}).get("entities") or s["entities"]
        tags = [h["text"] for h in ents["hashtags"]]
    else:
        tags = ns["tags_of"](raw.rstrip("\n")) or []
    for k in set("#" + ns["fold"](t) for t in tags):
        counts[k] += 1
for k, n in counts.items():
    print(f"{k}\t{n}")
PY
LC_ALL=C sort -o "$WORK/expected" "$WORK/expected"
keys_of "$WORK/mixed" --time arrival >"$WORK/auto"
assert_files_eq "mixed formats" "$WORK/expected" "$WORK/auto"
keys_of "$WORK/mixed" --time arrival -j 4 >"$WORK/auto4"
assert_files_eq "mixed formats -j 4" "$WORK/auto" "$WORK/auto4"
# An explicit schema reads only its own records.
s=$("$TRENDTOP" --schema bluesky --stats "$WORK/mixed" 2>&1 >/dev/null)
assert_eq "--schema bluesky on mixed: counted" 17 "$(stat_of counted "$s")"
assert_balanced "$s"

# --schema json: the language of every v1.1 status (deletes have none: skipped), vs python.
f=$DATA/tweets_v1_sample.ndjson
python3 -c '
import json, sys, unicodedata
from collections import Counter
c = Counter(unicodedata.normalize("NFC", json.loads(l)["lang"].casefold()) for l in open(sys.argv[1]) if "lang" in json.loads(l))
for k, n in c.items(): print(f"{k}\t{n}")' "$f" | LC_ALL=C sort >"$WORK/expected"
keys_of "$f" --schema json --key-field /lang >"$WORK/json"
assert_files_eq "--schema json --key-field /lang" "$WORK/expected" "$WORK/json"
keys_of "$f" --schema json --key-field lang --time-field /created_at >"$WORK/json2"
assert_files_eq "--key-field as a dotted path, with a time field" "$WORK/expected" "$WORK/json2"
head -300 "$DATA/tweets_v1_stream_head1000.ndjson" >"$WORK/head"
s=$("$TRENDTOP" --schema json --key-field /lang --time-field /timestamp_ms --user-field /user/id_str --count users \
  --stats -w 3650d "$WORK/head" 2>&1 >/dev/null)
assert_balanced "$s"
assert_eq "deletes have no lang: skipped" "$(grep -c '^{"delete"' "$WORK/head")" "$(stat_of skipped "$s")"
# event time from the time field: the same windows as the v1.1 reading of the stream.
"$TRENDTOP" --schema json --text-field /text --time-field /timestamp_ms -w 5s -o json "$WORK/head" |
  jq -r '[.window_start, .window_end, .records] | @tsv' >"$WORK/w1"
"$TRENDTOP" -w 5s -o json "$WORK/head" | jq -r '[.window_start, .window_end, .records] | @tsv' >"$WORK/w2"
assert_files_eq "json time field = v1.1 time" "$WORK/w2" "$WORK/w1"

# --schema text: the full texts of v1.1 statuses, one per line, give what --extract text gives on the JSON.
f=$DATA/tweets_v1_stream_head1000.ndjson
python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(l)
    if "user" not in d: continue
    s = d.get("retweeted_status") or d
    t = (s.get("extended_tweet") or {}).get("full_text") or s.get("full_text") or s["text"]
    print(t.replace("\r", " ").replace("\n", " "))' "$f" >"$WORK/texts"
for kinds in hashtags mentions,cashtags; do
  keys_of "$f" --extract text --keys "$kinds" >"$WORK/from_json"
  keys_of "$WORK/texts" --schema text --keys "$kinds" >"$WORK/from_text"
  assert_files_eq "--schema text $kinds" "$WORK/from_json" "$WORK/from_text"
done
s=$("$TRENDTOP" --schema text --stats "$WORK/texts" 2>&1 >/dev/null)
assert_eq "text lines all counted" "$(grep -c . "$WORK/texts")" "$(stat_of counted "$s")"
assert_balanced "$s"

# Usage errors: one line, exit 2.
for args in "--schema json" "--key-field /a" "--schema x-v2 --text-field /t" "--schema nope" \
  "--schema json --key-field a..b" "--schema text --lang en" "--schema json --text-field /t --count users"; do
  # shellcheck disable=SC2086
  if "$TRENDTOP" $args /dev/null 2>"$WORK/err"; then fail "$args accepted"; else rc=$?; fi
  assert_eq "$args: exit" 2 "$rc"
  assert_eq "$args: one line" 1 "$(wc -l <"$WORK/err")"
done
