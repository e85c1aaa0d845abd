# --max-keys: a flood of one-off hashtags (every record brings a new one) around ten heavy hitters. With a cap
# of 2 000 keys memory stays flat (200 000 vs 1 000 000 records; fewer in slow builds), the top 10 are exactly
# the true heavy hitters, every count is within [true, true + max_error], max_error respects the Space-Saving
# bound, and the output says it is approximate. The truth is counted by the generator, independently.
. "$(dirname "$0")/common.sh"
cat >"$WORK/flood.py" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(n)
heavy = ["#heavy%d" % i for i in range(10)]
weights = [0.05 + 0.01 * i for i in range(10)]  # 5 % .. 14 % of the records each
truth = {h: 0 for h in heavy}
T = 1609459200000
with open(path, "w") as f:
    for i in range(n):
        tags = ["once%d" % i]
        for h, w in zip(heavy, weights):
            if rnd.random() < w:
                tags.append(h[1:])
                truth[h] += 1
        ents = ",".join('{"text":"%s","indices":[0,1]}' % t for t in tags)
        f.write('{"created_at":"Fri Jan 01 00:00:00 +0000 2021","id_str":"%d","text":"x","user":{"id":1},'
                '"entities":{"hashtags":[%s]},"timestamp_ms":"%d"}\n' % (i, ents, T + i // 100))
json.dump(truth, sys.stdout)
PY
# 200 000 and 1 000 000 records; a fifth of that in slow (sanitizer, Debug) builds, to stay well inside the
# test's timeout on a busy machine.
SMALL=200000 BIG=1000000
if slow_build; then SMALL=40000 BIG=200000; fi
python3 "$WORK/flood.py" $SMALL "$WORK/small" >"$WORK/truth.small"
python3 "$WORK/flood.py" $BIG "$WORK/big" >"$WORK/truth"

# -j 1: with parsing threads the batches in flight add a bounded few MiB that a short input does not reach.
/usr/bin/time -f '%M' -o "$WORK/rss.small" "$TRENDTOP" -j 1 -w 1d --max-keys 2000 -o json "$WORK/small" >/dev/null
/usr/bin/time -f '%M' -o "$WORK/rss.big" "$TRENDTOP" -j 1 -w 1d --max-keys 2000 -o json --stats "$WORK/big" >"$WORK/out" 2>"$WORK/stats"
small=$(tail -1 "$WORK/rss.small") big=$(tail -1 "$WORK/rss.big")
echo "peak RSS: $SMALL records ${small} KB, $BIG records ${big} KB" >&2
# The bound: no growth with the input; and an absolute cap (a sanitizer build's shadow memory and quarantine
# alone take ~120 MB there).
cap=100000
slow_build && cap=250000
[ $((big - small)) -lt 2000 ] && [ "$big" -lt $cap ] || fail "memory grew with the flood: ${small} KB -> ${big} KB"
assert_eq "every record counted" $BIG "$(stat_of counted "$(cat "$WORK/stats")")"

python3 - "$WORK/out" "$WORK/truth" <<'PY' || fail "approximate top 10"
import json, sys
w = json.loads(open(sys.argv[1]).readline())
truth = json.load(open(sys.argv[2]))
assert w.get("approximate") is True, w
E = w["max_error"]
records = w["records"]
assert 0 < E <= 2 * (records + sum(truth.values())) // 2000, (E, records)  # keys counted / (max_keys / 2)
top = {t["key"]: t["count"] for t in w["top"]}
assert set(top) == set(truth), (sorted(top), sorted(truth))
for k, c in top.items():
    assert truth[k] <= c <= truth[k] + E, (k, truth[k], c, E)
order = [t["key"] for t in w["top"]]
assert order[0] == "#heavy9" and order[-1] == "#heavy0", order  # 14 % vs 5 %: far apart, despite the error
print("max_error", E, file=sys.stderr)
PY

# Text marks it too; TSV warns once on stderr (its rows cannot say so).
"$TRENDTOP" -w 1d --max-keys 2000 "$WORK/small" | head -1 | grep -q "(approximate: counts over by at most [0-9]*)" ||
  fail "text header: $("$TRENDTOP" -w 1d --max-keys 2000 "$WORK/small" | head -1)"
"$TRENDTOP" -w 1d --max-keys 2000 -o tsv "$WORK/small" 2>"$WORK/err" >/dev/null
assert_eq "one TSV warning" 1 "$(grep -c 'approximate' "$WORK/err")"

# Under the cap nothing changes: exact counts, no marks.
"$TRENDTOP" -w 1d --max-keys 0 -o json "$WORK/small" >"$WORK/exact"
python3 - "$WORK/exact" "$WORK/truth.small" $SMALL <<'PY' || fail "exact counts with --max-keys 0"
import json, sys
w = json.loads(open(sys.argv[1]).readline())
truth = json.load(open(sys.argv[2]))
assert "approximate" not in w and w["keys"] == int(sys.argv[3]) + 10, w["keys"]
assert {t["key"]: t["count"] for t in w["top"]} == truth
PY

# The summary's floor lives in the state: two runs through --state print what one run prints.
head -$((SMALL / 2)) "$WORK/small" >"$WORK/a"
tail -n +$((SMALL / 2 + 1)) "$WORK/small" >"$WORK/b"
"$TRENDTOP" -w 1d --max-keys 2000 -o json "$WORK/small" >"$WORK/one"
"$TRENDTOP" -w 1d --max-keys 2000 -o json --state "$WORK/st" "$WORK/a" >"$WORK/two"
"$TRENDTOP" -w 1d --max-keys 2000 -o json --state "$WORK/st" --flush "$WORK/b" >>"$WORK/two"
assert_files_eq "split through --state" "$WORK/one" "$WORK/two"

# Approximate windows in partial streams: two processes over halves of the flood, merged. The merge adds
# counts and errors, says the result is approximate, and the heavy hitters stay within the summed bound.
"$TRENDTOP" -w 1d --max-keys 2000 -o partial "$WORK/a" >"$WORK/a.p"
"$TRENDTOP" -w 1d --max-keys 2000 -o partial "$WORK/b" >"$WORK/b.p"
grep -q '"exact":false,"error":[1-9]' "$WORK/a.p" || fail "partial stream does not say approximate"
"$TRENDTOP" merge -o json "$WORK/a.p" "$WORK/b.p" >"$WORK/merged" 2>"$WORK/err"
python3 - "$WORK/merged" "$WORK/truth.small" "$WORK/a.p" "$WORK/b.p" <<'PY' || fail "merged approximate top 10"
import json, sys
w = json.loads(open(sys.argv[1]).readline())
truth = json.load(open(sys.argv[2]))
errors = [json.loads(l)["error"] for p in sys.argv[3:] for l in open(p) if '"t":"window"' in l]
assert w.get("approximate") is True and w["max_error"] == sum(errors), (w.get("max_error"), errors)
top = {t["key"]: t["count"] for t in w["top"]}
assert set(top) == set(truth), sorted(top)
for k, c in top.items():
    assert truth[k] <= c <= truth[k] + w["max_error"], (k, truth[k], c)
PY
grep -q "approximate" "$WORK/err" || fail "merge did not note the approximate inputs"
