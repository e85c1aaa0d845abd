# --extract text finds in the full text what Twitter's own servers marked as entities: on every real v1.1
# file, hashtags, mentions and cashtags from the text equal those from the entities (Twitter computes its
# entities with twitter-text; an independent source for ours). One known exception, checked by hand: in the
# stream minute Twitter's entities leave out @loonaverseaa, a reply-prefix mention the text plainly holds.
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
keys_of() {  # keys_of MODE KINDS FILE: "key<TAB>count" over the whole file, sorted
  "$TRENDTOP" --extract "$1" --keys "$2" -w 3650d -k 0 -o tsv "$3" | cut -f4,5 | sort
}
for f in "$WORK/minute" "$DATA"/tweets_v1_sample.ndjson "$DATA"/tweets_v1_stream_extended_72.ndjson \
  "$DATA"/tweets_v1_tweet_types_25.ndjson "$DATA"/tweets_v1_stream_head1000.ndjson; do
  for kind in hashtags cashtags mentions; do
    keys_of entities "$kind" "$f" >"$WORK/entities"
    keys_of text "$kind" "$f" >"$WORK/text"
    if [ "$f" = "$WORK/minute" ] && [ "$kind" = mentions ]; then
      printf '@loonaverseaa\t1\n' | sort -m - "$WORK/entities" >"$WORK/e2" && mv "$WORK/e2" "$WORK/entities"
    fi
    assert_files_eq "$(basename "$f") $kind: text vs entities" "$WORK/entities" "$WORK/text"
  done
done
# The minute has plenty of each, so the comparison means something.
assert_eq "distinct hashtags in the minute" 793 "$(keys_of text hashtags "$WORK/minute" | wc -l)"
[ "$(keys_of text mentions "$WORK/minute" | wc -l)" -gt 1000 ] || fail "few mentions"
# auto is entities on v1.1 (every status has them): byte-identical output.
"$TRENDTOP" -w 10s -k 0 -o tsv "$WORK/minute" >"$WORK/auto"
"$TRENDTOP" --extract entities -w 10s -k 0 -o tsv "$WORK/minute" >"$WORK/ent"
assert_files_eq "auto = entities on v1.1" "$WORK/ent" "$WORK/auto"
# Several kinds at once are the union of each alone.
keys_of entities hashtags,mentions,cashtags "$WORK/minute" >"$WORK/union"
{ keys_of entities hashtags "$WORK/minute"; keys_of entities mentions "$WORK/minute"; keys_of entities cashtags "$WORK/minute"; } | sort >"$WORK/each"
assert_files_eq "--keys union" "$WORK/each" "$WORK/union"
# Words on the real minute: plenty of them, none a stop word, none a tag, mention or link.
"$TRENDTOP" --keys words -w 3650d -k 0 -o tsv "$WORK/minute" | cut -f4 >"$WORK/words"
[ "$(wc -l <"$WORK/words")" -gt 2000 ] || fail "few words: $(wc -l <"$WORK/words")"
! grep -qxE 'the|and|rt|you|https?' "$WORK/words" || fail "a stop word was counted: $(grep -xE 'the|and|rt|you|https?' "$WORK/words" | head -3)"
! grep -qE '^[#@$]|://' "$WORK/words" || fail "a tag or link counted as a word: $(grep -E '^[#@$]|://' "$WORK/words" | head -3)"
# Scripts written without spaces (issue 17): no word of one Han, Hiragana, Katakana or Thai character (the
# minute is full of Japanese, whose particles were its top "words"), and no word of marks alone (U+FE0F).
python3 - "$WORK/words" <<'PY' || fail "one-character words of unspaced scripts, or marks alone, were counted"
import sys, unicodedata
bad = []
for w in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if not w:
        continue
    bases = [c for c in w if not unicodedata.category(c).startswith("M")]
    if not bases:
        bad.append(w)
    elif len(bases) == 1 and any(n in unicodedata.name(bases[0], "")
                                 for n in ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")):
        bad.append(w)
if bad:
    print("e.g.", bad[:5], file=sys.stderr)
    sys.exit(1)
PY
assert_eq "the minute's top three words (of Happy New Year)" "year new happy" "$(head -3 "$WORK/words" | paste -sd' ')"
