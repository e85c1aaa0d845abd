# --chart FILE.svg: well-formed XML with one line and one legend entry per top key (hand-counted), keys
# escaped, rendered by rsvg-convert; rewritten while the run goes on; an unwritable path fails up front.
. "$(dirname "$0")/common.sh"
T0=1609486140000
# W0: #a 3, #b 1. W1: #b 2, #a 1, #c 1. W2: #c 4. With --top 2 the ranked keys are W0 a 3 b 1; W1 b 2 a 1 (a
# before c on the tie); W2 c 4: over the chart a 4 (2 points), c 4 (1), b 3 (2); legend a, c (tie: bytewise),
# b.
{
  tweet $T0 a b
  tweet $((T0 + 1)) a
  tweet $((T0 + 2)) a
  tweet $((T0 + 10000)) b a
  tweet $((T0 + 10001)) b c
  for i in 0 1 2 3; do tweet $((T0 + 20000 + i)) c; done
} >"$WORK/in.json"
"$TRENDTOP" --top 2 --chart "$WORK/c.svg" "$WORK/in.json" >"$WORK/out" || fail "exit status"
cat >"$WORK/check.py" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
legend = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "legend"]
series = [len(g.findall("s:circle", ns)) for g in root.iter("{http://www.w3.org/2000/svg}g")
          if g.get("class") == "series"]
print(" | ".join(legend))
print(" ".join(map(str, series)))
PY
out=$(python3 "$WORK/check.py" "$WORK/c.svg") || fail "not well-formed SVG: $out"
assert_eq "legend" "#a (4) | #c (4) | #b (3)" "$(sed -n 1p <<<"$out")"
assert_eq "points per line" "2 1 2" "$(sed -n 2p <<<"$out")"
grep -q '2021-01-01 07:29:00 .. 07:29:30 UTC' "$WORK/c.svg" || fail "title lacks the time range"
grep -q '>07:29:10<' "$WORK/c.svg" || fail "no UTC time tick"
ls "$WORK" | grep -q 'c.svg.tmp' && fail "temporary file left behind"

# Keys that are markup or control characters stay text.
printf '{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"#x<y&\\"z\\u0007 #q","user":{"id":1},"timestamp_ms":"%s"}\n' $T0 >"$WORK/odd.json"
"$TRENDTOP" --extract split --chart "$WORK/odd.svg" "$WORK/odd.json" >/dev/null || fail "odd keys: exit status"
out=$(python3 "$WORK/check.py" "$WORK/odd.svg") || fail "odd keys: not well-formed: $out"
assert_eq "odd keys' legend" '#q (1) | #x<y&"z\x07 (1)' "$(sed -n 1p <<<"$out")"

if command -v rsvg-convert >/dev/null; then
  rsvg-convert "$WORK/c.svg" -o "$WORK/c.png" 2>"$WORK/err" || fail "rsvg-convert: $(cat "$WORK/err")"
  [ -s "$WORK/err" ] && fail "rsvg-convert warnings: $(cat "$WORK/err")"
  assert_eq "PNG signature" "89504e47" "$(head -c 4 "$WORK/c.png" | od -An -tx1 | tr -d ' \n')"
  rsvg-convert "$WORK/odd.svg" -o "$WORK/odd.png" || fail "rsvg-convert, odd keys"
else
  echo "rsvg-convert not installed (scripts/install-deps installs librsvg2-bin): render not checked" >&2
fi

# Rewritten while the run goes on: after the first window closes, before the input ends. The chart of an
# earlier run stays until then.
echo previous >"$WORK/live.svg"
mkfifo "$WORK/fifo"
"$TRENDTOP" --idle-timeout 0 --chart "$WORK/live.svg" <"$WORK/fifo" >/dev/null 2>"$WORK/err" &
pid=$!
exec 3>"$WORK/fifo"
tweet $T0 first >&3
wait_lines $pid "$WORK/err" 1
assert_eq "chart before the first window" previous "$(cat "$WORK/live.svg")"
tweet $((T0 + 10000)) second >&3
for _ in $(seq 50); do grep -q '#first' "$WORK/live.svg" 2>/dev/null && break; sleep 0.1; done
grep -q '#first' "$WORK/live.svg" || fail "chart not rewritten after the first window"
grep -q '#second' "$WORK/live.svg" && fail "the open window is charted"
exec 3>&-
wait $pid || fail "live run: exit status"
grep -q '#second' "$WORK/live.svg" || fail "chart not rewritten at the end"

# No window at all: still a chart, saying so.
"$TRENDTOP" --chart "$WORK/empty.svg" </dev/null >/dev/null || fail "empty input: exit status"
python3 "$WORK/check.py" "$WORK/empty.svg" >/dev/null || fail "empty chart not well-formed"
grep -q "no window closed yet" "$WORK/empty.svg" || fail "empty chart: $(cat "$WORK/empty.svg")"

# A path that cannot be written: runtime error before reading anything.
"$TRENDTOP" --chart "$WORK/no/such/dir/c.svg" "$WORK/in.json" >"$WORK/out" 2>"$WORK/err" && fail "bad path accepted"
[ $? -eq 1 ] || fail "bad path: exit status"
grep -q -- "--chart: cannot write" "$WORK/err" || fail "bad path: message $(cat "$WORK/err")"
[ -s "$WORK/out" ] && fail "bad path: output printed"
"$TRENDTOP" --print-keys --chart "$WORK/pk.svg" "$WORK/in.json" >/dev/null 2>&1 && fail "--chart --print-keys accepted"
[ $? -eq 2 ] || fail "--chart --print-keys: exit status"
exit 0
