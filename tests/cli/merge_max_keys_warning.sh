# A merge of approximate partial streams into TSV or CSV (whose rows cannot say so) warns once, naming the
# --max-keys that made them approximate: the limit of the runs that wrote the streams, which the header
# records, not merge's own default (it said "a window passed --max-keys 1000000" for streams written with
# --max-keys 50), and how to raise it. A stream whose header does not record it (an earlier trendtop) is
# named without a number. A run's own TSV warning names its limit and how to raise it too.
. "$(dirname "$0")/common.sh"
# 300 one-off hashtags in one day: past --max-keys 50, the window is a heavy-hitter summary.
python3 - "$WORK/tweets" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(300):
        f.write('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"%d","text":"x","user":{"id":1},'
                '"entities":{"hashtags":[{"text":"once%d","indices":[0,1]},{"text":"heavy","indices":[0,1]}]},'
                '"timestamp_ms":"%d"}\n' % (i, i, 1609459200000 + i))
PY
head -150 "$WORK/tweets" >"$WORK/a"
tail -n +151 "$WORK/tweets" >"$WORK/b"
"$TRENDTOP" -w 1d --max-keys 50 -o partial "$WORK/a" >"$WORK/a.p"
"$TRENDTOP" -w 1d --max-keys 60 -o partial "$WORK/b" >"$WORK/b.p"
grep -q '"exact":false' "$WORK/a.p" && grep -q '"exact":false' "$WORK/b.p" || fail "the streams are not approximate"
"$TRENDTOP" merge -o tsv "$WORK/a.p" "$WORK/b.p" >"$WORK/out" 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
grep "warning" "$WORK/err" >"$WORK/warning" || fail "no warning: $(cat "$WORK/err")"
assert_eq "one warning" 1 "$(wc -l <"$WORK/warning")"
! grep -q "1000000" "$WORK/warning" || fail "merge's own default named: $(cat "$WORK/warning")"
assert_eq "the merge's warning" "trendtop: warning: merged windows are approximate (over by at most the error JSON and text output report), which TSV and CSV rows cannot show: '$WORK/a.p' was counted with --max-keys 50, '$WORK/b.p' with --max-keys 60; count them again with a higher --max-keys (0: no limit) for exact windows" \
  "$(cat "$WORK/warning")"
# A header without max_keys: its limit is not known.
sed '1s/,"max_keys":[0-9]*//' "$WORK/b.p" >"$WORK/old.p"
grep -q max_keys "$WORK/old.p" && fail "sed left max_keys in the header"
"$TRENDTOP" merge -o csv "$WORK/a.p" "$WORK/old.p" >/dev/null 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
grep -qF ": '$WORK/a.p' was counted with --max-keys 50, '$WORK/old.p' with a --max-keys its header does not record; count them again" "$WORK/err" ||
  fail "a header without max_keys: $(cat "$WORK/err")"
# One run's TSV: its own limit, and how to raise it.
"$TRENDTOP" -w 1d --max-keys 50 -o tsv "$WORK/tweets" >/dev/null 2>"$WORK/err"
assert_eq "a run's warning" "trendtop: warning: a window passed --max-keys 50: its counts are approximate (over by at most the error JSON and text output report), which TSV and CSV rows cannot show; a higher --max-keys (0: no limit) keeps them exact" \
  "$(cat "$WORK/err")"

# An input whose first approximate window comes after the warning was printed is named in a warning of its
# own (the warning used to name only the inputs found approximate by then): c's is its third day.
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
def tweet(f, i, t, tags):
    hs = ",".join('{"text":"%s","indices":[0,1]}' % h for h in tags)
    f.write('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"%d","text":"x","user":{"id":1},'
            '"entities":{"hashtags":[%s]},"timestamp_ms":"%d"}\n' % (i, hs, t))
day, t0 = 86400000, 1609459200000
with open(w + "/d1", "w") as f:  # day 1 past --max-keys 50, days 2 and 3 one tag each
    for i in range(300):
        tweet(f, i, t0 + i, ["once%d" % i, "heavy"])
    for d in (1, 2):
        tweet(f, 1000 + d, t0 + d * day, ["x"])
with open(w + "/d3", "w") as f:  # days 1 and 2 one tag each, day 3 past --max-keys 70
    for d in (0, 1):
        tweet(f, 2000 + d, t0 + d * day, ["y"])
    for i in range(300):
        tweet(f, 3000 + i, t0 + 2 * day + i, ["late%d" % i, "heavy"])
PY
"$TRENDTOP" -w 1d --max-keys 50 -o partial "$WORK/d1" >"$WORK/d1.p"
"$TRENDTOP" -w 1d --max-keys 70 -o partial "$WORK/d3" >"$WORK/d3.p"
assert_eq "approximate windows of d1, d3" "1 1" \
  "$(grep -c '"exact":false' "$WORK/d1.p") $(grep -c '"exact":false' "$WORK/d3.p")"
"$TRENDTOP" merge -o tsv "$WORK/d1.p" "$WORK/d3.p" >/dev/null 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
grep "warning" "$WORK/err" >"$WORK/warning" || fail "no warning: $(cat "$WORK/err")"
assert_eq "warnings, one per input found approximate" 2 "$(wc -l <"$WORK/warning")"
grep -qF ": '$WORK/d1.p' was counted with --max-keys 50; count it again" "$WORK/warning" ||
  fail "the first warning: $(cat "$WORK/warning")"
assert_eq "the later input's warning" "trendtop: warning: merged windows are approximate from '$WORK/d3.p' too, counted with --max-keys 70: count it again with a higher --max-keys (0: no limit) for exact windows" \
  "$(sed -n 2p "$WORK/warning")"
