# scripts/gen-tweets: same seed, same bytes; --count and --bytes exact; --crlf; every line a v1.1 status (or
# a delete notice) with consistent entities, 4-6 KB on average, with retweets and long tweets; Zipf hashtags;
# event time at the requested rate; quiet on | head and Ctrl-C. And trendtop's windows over a generated stream
# equal the reference recount's.
. "$(dirname "$0")/common.sh"
GEN=$SRC/scripts/gen-tweets
[ -x "$GEN" ] || fail "$GEN is not executable"

# Determinism: the same arguments give the same bytes, another seed other bytes; --rate only paces, and a
# shorter run is a prefix of a longer one.
"$GEN" --count 20000 >"$WORK/a"
"$GEN" --count 5000 >"$WORK/a2"
cmp -s <(head -5000 "$WORK/a") "$WORK/a2" || fail "same seed, different output"
"$GEN" --count 300 --seed 2 >"$WORK/b"
cmp -s <(head -300 "$WORK/a") "$WORK/b" && fail "seeds 1 and 2 gave the same output"
"$GEN" --count 300 --rate 5000 >"$WORK/paced"
cmp -s <(head -300 "$WORK/a") "$WORK/paced" || fail "--rate changed the content"

# --count: exactly N lines, each ending in LF.
assert_eq "--count 20000" 20000 "$(wc -l <"$WORK/a")"
assert_eq "CRs without --crlf" 0 "$(grep -c $'\r' "$WORK/a" || true)"
assert_eq "--count 0" 0 "$(wc -c < <("$GEN" --count 0))"

# --bytes: exactly SIZE bytes of whole lines (the last one padded with spaces), a prefix of the stream.
for size in 100K 1M; do
  "$GEN" --bytes $size >"$WORK/sized"
  want=$(($(numfmt --from=iec "$size")))
  assert_eq "--bytes $size" "$want" "$(wc -c <"$WORK/sized")"
  assert_eq "--bytes $size ends a line" 1 "$(tail -c1 "$WORK/sized" | grep -c '^$')"
  n=$(wc -l <"$WORK/sized")
  cmp -s <(head -$((n - 1)) "$WORK/sized") <(head -$((n - 1)) "$WORK/a") || fail "--bytes $size is not a prefix"
  tail -1 "$WORK/sized" | jq -e '.user.id' >/dev/null || fail "--bytes $size: the padded last line is not a tweet"
done
assert_eq "--count and --bytes: the first limit" 3 "$(wc -l < <("$GEN" --count 3 --bytes 1M))"
set +e
"$GEN" --bytes 100 >"$WORK/tiny" 2>"$WORK/err"
rc=$?
set -e
assert_eq "--bytes smaller than a line: status" 1 "$rc"
[ ! -s "$WORK/tiny" ] || fail "--bytes 100 wrote something"

# --crlf: every line ends in CR LF (as the streaming API sends them), and trendtop reads it the same.
"$GEN" --count 500 --crlf >"$WORK/crlf"
assert_eq "CRLF line ends" "$(wc -l <"$WORK/crlf")" "$(grep -c $'\r$' "$WORK/crlf")"
cmp -s <(tr -d '\r' <"$WORK/crlf") <(head -500 "$WORK/a") || fail "--crlf changed more than the line ends"

# The shape of every line, in one pass: valid JSON; the field set of a real v1.1 status and user; entity
# indices that point at their text; sizes; shares of retweets, long tweets and deletes; event time.
"$GEN" --count 3000 --tweets-per-sec 50 --start 2022-03-04T05:06:07.5Z --utf8 >"$WORK/rate50"
python3 - "$WORK/a" "$WORK/rate50" <<'EOF' || fail "shape check"
import json, os, sys, time

STATUS = ("created_at id id_str text source truncated in_reply_to_status_id in_reply_to_status_id_str "
          "in_reply_to_user_id in_reply_to_user_id_str in_reply_to_screen_name user geo coordinates place "
          "contributors is_quote_status quote_count reply_count retweet_count favorite_count entities "
          "favorited retweeted filter_level lang").split()
USER = ("id id_str name screen_name location url description translator_type protected verified "
        "followers_count friends_count listed_count favourites_count statuses_count created_at utc_offset "
        "time_zone geo_enabled lang contributors_enabled is_translator profile_background_color "
        "profile_image_url profile_image_url_https default_profile default_profile_image following "
        "follow_request_sent notifications").split()
problems = []

def check(cond, what):
    if not cond and len(problems) < 20:
        problems.append(what)

def created_ms(s):
    return int(time.mktime(time.strptime(s, "%a %b %d %H:%M:%S +0000 %Y")) - time.timezone) * 1000

def spans(text, ents, where):
    for h in ents["hashtags"]:
        s, e = h["indices"]
        check(text[s:e] == "#" + h["text"], "%s: hashtag %r at %d..%d of %r" % (where, h["text"], s, e, text))
    for m in ents["user_mentions"]:
        s, e = m["indices"]
        check(text[s:e] == "@" + m["screen_name"], "%s: mention %r of %r" % (where, m["screen_name"], text))
    for u in ents["urls"] + ents.get("media", []):
        s, e = u["indices"]
        check(text[s:e] == u["url"], "%s: url %r of %r" % (where, u["url"], text))

def status(o, where, top):
    for k in STATUS + (["timestamp_ms"] if top else []):
        check(k in o, "%s: no %s" % (where, k))
    for k in USER:
        check(k in o["user"], "%s: user has no %s" % (where, k))
    check(o["id_str"] == str(o["id"]), where + ": id_str")
    check(set(o["entities"]) >= {"hashtags", "urls", "user_mentions", "symbols"}, where + ": entities")
    check(len(o["text"]) <= 140, "%s: text of %d characters" % (where, len(o["text"])))
    spans(o["text"], o["entities"], where)
    if "extended_tweet" in o:
        check(o["truncated"] is True, where + ": extended_tweet but not truncated")
        spans(o["extended_tweet"]["full_text"], o["extended_tweet"]["entities"], where + " extended")
    else:
        check(o["truncated"] is False, where + ": truncated without extended_tweet")

def scan(path, start, per_sec, sized):
    n = tweets = rts = truncated = hidden = deletes = size = 0
    for i, line in enumerate(open(path, "rb")):
        n += 1
        size += len(line)
        o = json.loads(line)
        where = "%s:%d" % (os.path.basename(path), i + 1)
        if "delete" in o:
            deletes += 1
            ts = int(o["delete"]["timestamp_ms"])
        else:
            tweets += 1
            status(o, where, True)
            ts = int(o["timestamp_ms"])
            check(created_ms(o["created_at"]) == ts // 1000 * 1000, where + ": created_at and timestamp_ms")
            if "retweeted_status" in o:
                rts += 1
                rs = o["retweeted_status"]
                status(rs, where + " retweeted_status", False)
                check(o["text"].startswith("RT @" + rs["user"]["screen_name"] + ": "), where + ": RT text")
                check(created_ms(rs["created_at"]) <= ts, where + ": original newer than its retweet")
            if o["truncated"]:
                truncated += 1
                hidden += len(o["extended_tweet"]["entities"]["hashtags"]) > len(o["entities"]["hashtags"])
        check(ts == start + i * 1000 // per_sec, "%s: timestamp %d, expected %d" % (where, ts, start + i * 1000 // per_sec))
    avg = size / n
    print("%s: %d lines, %.0f bytes a line, retweets %.3f, truncated %.3f (hashtags only in extended_tweet "
          "%.3f), deletes %.3f" % (os.path.basename(path), n, avg, rts / n, truncated / n, hidden / n, deletes / n))
    check(not sized or 4000 <= avg <= 6000, "%s: %.0f bytes a line on average" % (path, avg))
    check(0.30 <= rts / n <= 0.40, "%s: retweet share %.3f" % (path, rts / n))
    check(0.10 <= truncated / n <= 0.20, "%s: truncated share %.3f" % (path, truncated / n))
    check(hidden / n >= 0.03, "%s: few tweets with hashtags only in extended_tweet: %.3f" % (path, hidden / n))
    check(0.003 <= deletes / n <= 0.02, "%s: delete share %.3f" % (path, deletes / n))

scan(sys.argv[1], 1609459200000, 300, True)  # escaped like the real stream: real sizes
scan(sys.argv[2], 1646370367500, 50, False)
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
EOF
grep -q '\\u[0-9a-f]\{4\}' "$WORK/a" || fail "no \\u escapes in the default (ASCII) output"
grep -q '[^ -~]' "$WORK/rate50" || fail "no raw UTF-8 with --utf8"

# Zipf: over all 20000 tweets (the reference's counts of every 10-second window, summed), the top hashtag is
# far more frequent than the 100th (for s=1.1, 100^1.1 = 158 times); and more tags in the vocabulary, more
# distinct tags in the stream.
$REF --window 10000 --top 0 "$WORK/a" >"$WORK/expect" 2>/dev/null
awk -F'\t' '{n[$4] += $5} END {for (k in n) print n[k]}' "$WORK/expect" | sort -rn >"$WORK/all"
first=$(sed -n 1p "$WORK/all")
hundredth=$(sed -n 100p "$WORK/all")
[ "$first" -ge $((30 * hundredth)) ] || fail "Zipf: top tag $first times, the 100th $hundredth times"
"$GEN" --count 3000 --vocab 50 | $REF --window 100000000 --top 0 >"$WORK/v50" 2>/dev/null
"$GEN" --count 3000 --vocab 100000 | $REF --window 100000000 --top 0 >"$WORK/v100k" 2>/dev/null
small=$(wc -l <"$WORK/v50")
large=$(wc -l <"$WORK/v100k")
{ [ "$small" -le 50 ] && [ "$small" -ge 40 ]; } || fail "--vocab 50: $small distinct tags"
[ "$large" -ge $((10 * small)) ] || fail "--vocab 100000: only $large distinct tags (--vocab 50: $small)"
# A large vocabulary starts fast (the CDF is one pass).
start=$(date +%s%N)
"$GEN" --count 10 --vocab 1000000 >/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 15000 ] || fail "--vocab 1000000 took ${ms}ms for 10 lines" # ~0.2 s on a quiet machine

# trendtop counts what the reference counts: default top 10, and every key; then raw UTF-8, CRLF and
# out-of-order timestamps with --lateness.
"$TRENDTOP" -o tsv --window 10s --top 0 "$WORK/a" >"$WORK/got"
assert_files_eq "trendtop vs reference, every key" "$WORK/expect" "$WORK/got"
$REF --window 10000 --top 10 "$WORK/a" >"$WORK/expect10" 2>/dev/null # rank changes within the top 10
"$TRENDTOP" -o tsv --window 10s "$WORK/a" >"$WORK/got"
assert_files_eq "trendtop vs reference, top 10" "$WORK/expect10" "$WORK/got"
assert_eq "windows in 20000 tweets at 300/s" 7 "$(cut -f1 "$WORK/got" | sort -u | wc -l)"
"$GEN" --count 10000 --seed 9 --utf8 --crlf --jitter 400 --vocab 200 >"$WORK/c"
$REF --window 5000 --lateness 250 --top 0 "$WORK/c" >"$WORK/expect" 2>/dev/null
"$TRENDTOP" -o tsv --window 5s --lateness 250ms --top 0 "$WORK/c" >"$WORK/got"
assert_files_eq "trendtop vs reference, UTF-8, CRLF, late records" "$WORK/expect" "$WORK/got"
# The tutorial's split pipeline lower-cases as Python does (final sigma, dotted capital I): regression.
"$GEN" --count 30000 --seed 3 >"$WORK/s"
$REF --window 10000 --top 0 --extract split "$WORK/s" >"$WORK/expect" 2>/dev/null
"$TRENDTOP" -o tsv --window 10s --top 0 --extract split "$WORK/s" >"$WORK/got"
assert_files_eq "trendtop vs reference, --extract split" "$WORK/expect" "$WORK/got"

# Quiet ends: the reader goes away (status 0, nothing on stderr); Ctrl-C (130, no traceback, whole lines).
set +e
"$GEN" 2>"$WORK/err" | head -c 100000 >/dev/null
rc=${PIPESTATUS[0]}
set -e
assert_eq "| head: status" 0 "$rc"
[ ! -s "$WORK/err" ] || fail "| head: stderr: $(cat "$WORK/err")"
set -m # own process group, SIGINT not ignored, as in a terminal
"$GEN" --rate 200 >"$WORK/int" 2>"$WORK/err" &
gen=$!
set +m
wait_for "100 generated lines" eval '[ "$(wc -l <"$WORK/int")" -ge 100 ]'
kill -INT "$gen"
set +e
wait "$gen"
rc=$?
set -e
assert_eq "Ctrl-C: status" 130 "$rc"
[ ! -s "$WORK/err" ] || fail "Ctrl-C: stderr: $(cat "$WORK/err")"
jq -e . "$WORK/int" >/dev/null || fail "Ctrl-C left a partial line"
"$GEN" --help | grep -q -- '--tweets-per-sec' || fail "--help"
