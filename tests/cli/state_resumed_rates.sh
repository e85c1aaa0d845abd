# A run resumed from --state carries the counters on (lines, bytes: all runs), but what it says about
# itself is about this run: --stats' rates are this run's lines and bytes over this run's elapsed time (they
# divided every run's lines by this run's time), and the hint about unreadable input is about this run's
# lines (it read the counters restored from the state: no hint for a resumed run reading only text lines,
# and a hint about the previous run's lines for a resumed run that read nothing).
. "$(dirname "$0")/common.sh"
gen() { # FIRST_SECOND COUNT: tweets one second apart, a hashtag each
  python3 - "$@" <<'PY'
import sys
first, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    print('{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"%d","text":"x","user":{"id":1},'
          '"entities":{"hashtags":[{"text":"t%d","indices":[0,1]}]},"timestamp_ms":"%d"}'
          % (i, i % 50, (1609459200 + first + i) * 1000))
PY
}
gen 0 20000 >"$WORK/a"
gen 20000 1000 >"$WORK/b"
"$TRENDTOP" -w 1h -o tsv --stats --state "$WORK/st" "$WORK/a" >/dev/null 2>"$WORK/err1" || fail "run 1: $(cat "$WORK/err1")"
"$TRENDTOP" -w 1h -o tsv --stats --state "$WORK/st" "$WORK/b" >/dev/null 2>"$WORK/err2" || fail "run 2: $(cat "$WORK/err2")"
s=$(grep '^trendtop: stats lines' "$WORK/err2")
assert_balanced "$s"
assert_eq "lines (both runs)" 21000 "$(stat_of lines "$s")"
assert_eq "bytes (both runs)" $(($(wc -c <"$WORK/a") + $(wc -c <"$WORK/b"))) "$(stat_of bytes "$s")"
# The rate times the elapsed time is what this run read (1000 lines, 192 kB), within the rounding of the
# printed numbers; every run's lines would be 21 times that.
python3 - "$s" "$(wc -c <"$WORK/b")" <<'PY' || fail "the rates of a resumed run: $s"
import re, sys
s, size = sys.argv[1], int(sys.argv[2])
v = {k: float(x) for k, x in re.findall(r"(\w+)=([0-9.]+)", s)}
elapsed = max(v["elapsed"], 0.001)
lines, mb = v["lines_per_s"] * elapsed, v["mb_per_s"] * elapsed
assert 500 <= lines <= 2000, ("lines this run", lines)
assert size / 1e6 / 2 <= mb + 0.05 * elapsed <= 2 * size / 1e6 + 0.05 * elapsed, ("MB this run", mb, size / 1e6)
PY

# The hint: run 1 counts tweets, the resumed run reads only text lines. It is told what to try.
for i in 1 2 3 4 5 6; do echo "hello world $i"; done >"$WORK/text"
"$TRENDTOP" -w 1h -o tsv --state "$WORK/st2" "$WORK/b" >/dev/null 2>"$WORK/err3" || fail "run 1: $(cat "$WORK/err3")"
"$TRENDTOP" -w 1h -o tsv --state "$WORK/st2" "$WORK/text" >/dev/null 2>"$WORK/err4" || fail "run 2: $(cat "$WORK/err4")"
grep -qE '^trendtop: none of the (first )?6 lines read was a record \(6 not a JSON object; the first: "hello world 1"\): trendtop reads one JSON object per line \(NDJSON\); for plain text lines, --schema text$' "$WORK/err4" ||
  fail "no hint for a resumed run that read only text: $(cat "$WORK/err4")"
# Run 1 reads only text lines (and is told); the resumed run reads nothing, and is told nothing.
"$TRENDTOP" -w 1h -o tsv --state "$WORK/st3" "$WORK/text" >/dev/null 2>"$WORK/err5" || fail "run 1: $(cat "$WORK/err5")"
grep -qE "none of the (first )?6 lines read was a record" "$WORK/err5" || fail "no hint for text lines: $(cat "$WORK/err5")"
"$TRENDTOP" -w 1h -o tsv --state "$WORK/st3" /dev/null >/dev/null 2>"$WORK/err6" || fail "run 2: $(cat "$WORK/err6")"
! grep "none of" "$WORK/err6" >&2 || fail "a hint about the previous run's lines"
# Nor does it say again what the previous run did not count ("6 of 6 lines not counted"): it read nothing.
assert_eq "what the resumed run says" "" "$(cat "$WORK/err6")"
grep -q "^trendtop: 6 of 6 lines not counted: 6 malformed$" "$WORK/err5" || fail "run 1's drops: $(cat "$WORK/err5")"
