# Sliding windows over heavy-hitter summaries keep --max-keys's promise (man trendtop): every count printed
# is at least the true count and at most max_error above it, and a key left out occurred at most max_error
# times. The window's counts are the running totals of its panes; a key evicted from one pane's summary but
# counted in another pane of the window missed its evicted occurrences and came out under its true count
# (10 counts of this flood were). A pane that does not list a key may have seen it up to its floor, so the
# window credits it that much, as merge credits an input its error. The same for a sliding window written
# as a partial stream and merged with another process's. Truths are counted by the generator,
# independently. Uses plain python3 (stdlib only).
. "$(dirname "$0")/common.sh"
python3 - "$WORK" <<'PY'
import json, random, sys
work = sys.argv[1]
r = random.Random(5)
b = 1609459200000
W, S = 20000, 5000
for p in range(2):
    truth = {}
    with open(f"{work}/s{p}", "w") as f:
        for i in range(3000):
            t = b + i * 20
            tags = [f"once{p}_{i}"]
            for j in range(12):
                # Each key's rate changes from pane to pane, so it is kept in some panes and evicted in others.
                pane = t // S
                if r.random() < (j + 1) / (30 if (j + pane + p) % 4 else 6):
                    tags.append(f"k{j}")
            for tag in tags:
                end = (t // S) * S + S
                while end - W <= t:  # every window [end - W, end) holding t
                    c = truth.setdefault(str(end - W), {})
                    c["#" + tag] = c.get("#" + tag, 0) + 1
                    end += S
            ents = ",".join('{"text":"%s","indices":[0,1]}' % h for h in tags)
            f.write('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"%d","text":"x","user":{"id":1},'
                    '"entities":{"hashtags":[%s]},"timestamp_ms":"%d"}\n' % (i, ents, t))
    json.dump(truth, open(f"{work}/truth{p}.json", "w"))
# Both processes' windows summed: what merging their partial streams should give.
t0, t1 = (json.load(open(f"{work}/truth{p}.json")) for p in (0, 1))
both = {w: dict(t0.get(w, {})) for w in set(t0) | set(t1)}
for w, c in t1.items():
    for k, n in c.items():
        both[w][k] = both[w].get(k, 0) + n
json.dump(both, open(f"{work}/truth.json", "w"))
PY
check() {  # check TRUTH OUTPUT WINDOWS: every window's counts within the bounds
  python3 - "$1" "$2" "$3" <<'PY'
import calendar, json, sys, time
truth = json.load(open(sys.argv[1]))
bad = windows = approximate = 0
for line in open(sys.argv[2]):
    w = json.loads(line)
    windows += 1
    start = str(calendar.timegm(time.strptime(w["window_start"], "%Y-%m-%dT%H:%M:%SZ")) * 1000)
    e = w.get("max_error", 0)
    approximate += e > 0
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
if windows != int(sys.argv[3]) or approximate < windows - 6 or bad:
    print(f"{windows} windows ({approximate} approximate), {bad} counts out of bounds")
    sys.exit(1)
PY
}
# 60 s of records: windows ending at 5 s, 10 s, ..., 75 s.
"$TRENDTOP" -w 20s -s 5s --max-keys 40 -k 0 -o json "$WORK/s0" >"$WORK/out.json" || fail "run"
check "$WORK/truth0.json" "$WORK/out.json" 15 || fail "sliding counts break the bound"
# Ranked by trend, the counts shown are the window's too.
"$TRENDTOP" -w 20s -s 5s --max-keys 40 -k 0 --rank trend -o json "$WORK/s0" >"$WORK/trend.json" || fail "trend run"
check "$WORK/truth0.json" "$WORK/trend.json" 15 || fail "sliding counts ranked by trend break the bound"
for p in 0 1; do
  "$TRENDTOP" -w 20s -s 5s --max-keys 40 -o partial "$WORK/s$p" >"$WORK/s$p.p" || fail "partial run $p"
done
grep -q '"exact":false' "$WORK/s0.p" || fail "the partial stream is not approximate"
"$TRENDTOP" merge -k 0 -o json "$WORK"/s{0,1}.p >"$WORK/merged.json" 2>"$WORK/err" || fail "merge: $(cat "$WORK/err")"
check "$WORK/truth.json" "$WORK/merged.json" 15 || fail "merged sliding counts break the bound"
# A key's previous count (CSV's prev) is its count in the previous window as printed (the -k 0 run above),
# 0 where that did not list it: the totals' journal and the credit of the window before agree.
"$TRENDTOP" -w 20s -s 5s --max-keys 40 -k 5 -o csv "$WORK/s0" >"$WORK/out.csv" 2>"$WORK/err" || fail "csv run"
python3 - "$WORK/out.json" "$WORK/out.csv" <<'PY' || fail "prev is not the previous window's count"
import csv, json, sys
windows = {}
for line in open(sys.argv[1]):
    w = json.loads(line)
    windows[w["window_start"]] = {k["key"]: k["count"] for k in w["top"]}
starts = sorted(windows)
rows = list(csv.DictReader(open(sys.argv[2])))
bad = 0
for row in rows:
    i = starts.index(row["window_start"])
    want = windows[starts[i - 1]].get(row["key"], 0) if i > 0 else 0
    if int(row["count"]) != windows[row["window_start"]][row["key"]] or int(row["prev"]) != want:
        bad += 1
        if bad <= 5: print(f"{row['window_start']} {row['key']}: count {row['count']} prev {row['prev']}, want prev {want}")
if bad or len(rows) != 75:
    print(f"{len(rows)} rows, {bad} wrong")
    sys.exit(1)
PY
