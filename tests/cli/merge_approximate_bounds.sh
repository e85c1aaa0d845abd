# The merge of heavy-hitter summaries keeps their promise (man trendtop, --max-keys): every count printed is
# at least the true count and at most max_error above it, and a key left out occurred at most max_error
# times. A key evicted from one process's summary but counted by another was summed as if the first had
# never seen it: #k, once in a.partial (evicted there) and three times in b.partial, came out 3, under its
# true 4. A key an approximate input does not list may have occurred there up to that input's error, so the
# merge credits it that much. Then a seeded property over several processes with floods of one-off keys.
# Truths are counted by the generators, independently. Uses plain python3 (stdlib only).
. "$(dirname "$0")/common.sh"
b=1609459200000
# a: #h1 five times, #k once, six one-off keys: past --max-keys 3 the window is a summary that drops #k.
{
  for _ in 1 2 3 4 5; do tweet $((b + 100)) h1; done
  tweet $((b + 200)) k
  for i in 1 2 3 4 5 6; do tweet $((b + 300)) "u$i"; done
} >"$WORK/a"
for _ in 1 2 3; do tweet $((b + 100)) k; done >"$WORK/b"
"$TRENDTOP" -w 10s --max-keys 3 -o partial "$WORK/a" >"$WORK/a.p"
"$TRENDTOP" -w 10s -o partial "$WORK/b" >"$WORK/b.p"
grep -q '"exact":false' "$WORK/a.p" || fail "a.partial is not approximate"
grep '"t":"window"' "$WORK/a.p" | grep -q '"#k"' && fail "a.partial kept #k: the case needs it evicted"
"$TRENDTOP" merge -k 0 -o json "$WORK/a.p" "$WORK/b.p" >"$WORK/m.json" 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
err=$(jq '.max_error' "$WORK/m.json")
k=$(jq '[.top[] | select(.key == "#k") | .count] | first // 0' "$WORK/m.json")
# #k: 1 in a + 3 in b = 4.
[ "$k" -ge 4 ] && [ "$k" -le $((4 + err)) ] || fail "#k: count $k is not within [4, 4 + $err]"

# Property: N processes, each a flood of one-off keys around a few keys of every size, some of them in only
# some processes; tumbling windows of 10 s over a minute.
python3 - "$WORK" <<'PY'
import json, random, sys
work = sys.argv[1]
r = random.Random(28)
b = 1609459200000
truth = {}
for p in range(4):
    with open(f"{work}/s{p}", "w") as f:
        for i in range(3000):
            t = b + i * 20
            tags = [f"once{p}_{i}"]
            for j in range(12):
                if r.random() < (j + 1) / (30 if j % 4 != p else 6):
                    tags.append(f"k{j}")
            for tag in tags:
                w = (t // 10000) * 10000
                truth.setdefault(str(w), {}).setdefault("#" + tag, 0)
                truth[str(w)]["#" + tag] += 1
            ents = ",".join('{"text":"%s","indices":[0,1]}' % h for h in tags)
            f.write('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"%d","text":"x","user":{"id":1},'
                    '"entities":{"hashtags":[%s]},"timestamp_ms":"%d"}\n' % (i, ents, t))
json.dump(truth, open(f"{work}/truth.json", "w"))
PY
for p in 0 1 2 3; do
  "$TRENDTOP" -w 10s --max-keys 40 -o partial "$WORK/s$p" >"$WORK/s$p.p" || fail "partial run $p"
done
grep -q '"exact":false' "$WORK/s0.p" || fail "the streams are not approximate"
"$TRENDTOP" merge -k 0 -o json "$WORK"/s{0,1,2,3}.p >"$WORK/merged.json" 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
python3 - "$WORK/truth.json" "$WORK/merged.json" <<'PY' || fail "the merged counts break the bound"
import calendar, json, sys, time
truth = json.load(open(sys.argv[1]))
bad = windows = 0
for line in open(sys.argv[2]):
    w = json.loads(line)
    windows += 1
    start = str(calendar.timegm(time.strptime(w["window_start"], "%Y-%m-%dT%H:%M:%SZ")) * 1000)
    e = w.get("max_error", 0)
    true = truth.get(start, {})
    shown = {k["key"]: k["count"] for k in w["top"]}
    for key, c in shown.items():
        t = true.get(key, 0)
        if not t <= c <= t + e:
            bad += 1
            if bad <= 5: print(f"window {w['window_start']}: {key} counted {c}, true {t}, max_error {e}")
    for key, t in true.items():
        if key not in shown and t > e:
            bad += 1
            if bad <= 5: print(f"window {w['window_start']}: {key} left out, true {t} > max_error {e}")
if windows != 6 or bad:
    print(f"{windows} windows, {bad} counts out of bounds")
    sys.exit(1)
PY
