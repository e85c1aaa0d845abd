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
