# The progress line of a run resumed from --state measures this run's files: the bytes the state's earlier
# runs read are in its counters (--stats), not in this run's "read of total". Before, a resumed run over a
# small file after a big one showed e.g. "10.2 MB of 1.0 MB (100%)".
. "$(dirname "$0")/common.sh"
for i in $(seq 0 999); do tweet $((1609459200000 + i * 100)) "k$((i % 9))"; done >"$WORK/big"
for i in $(seq 1000 1099); do tweet $((1609459200000 + i * 100)) "k$((i % 9))"; done >"$WORK/small"
"$TRENDTOP" -w 1s -o tsv --state "$WORK/state" "$WORK/big" >/dev/null 2>"$WORK/err1" || fail "run 1: $(cat "$WORK/err1")"
"$TRENDTOP" -w 1s -o tsv --state "$WORK/state" --progress "$WORK/small" >/dev/null 2>"$WORK/err2" ||
  fail "run 2: $(cat "$WORK/err2")"
size=$(awk -v s="$(stat -c %s "$WORK/small")" 'BEGIN { printf "%.1f kB", s / 1e3 }')
tr '\r' '\n' <"$WORK/err2" | grep -a "^trendtop: .* of " >"$WORK/lines" || fail "no progress: $(cat -v "$WORK/err2")"
grep -q " of $size (" "$WORK/lines" || fail "no progress line with the file's size $size: $(cat -v "$WORK/lines")"
# No line says more was read than the file holds (units as the progress line prints them).
awk '{ v = $2; u = $3; if (u == "kB") v *= 1e3; else if (u == "MB") v *= 1e6; else if (u == "GB") v *= 1e9
       t = $5; w = $6; if (w == "kB") t *= 1e3; else if (w == "MB") t *= 1e6; else if (w == "GB") t *= 1e9
       if (v > t) { print; bad = 1 } } END { exit bad }' "$WORK/lines" >"$WORK/bad" ||
  fail "more read than the file holds: $(cat -v "$WORK/bad")"
