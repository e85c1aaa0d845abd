# `trendtop ... | head -3` ends quietly: status 0, nothing on stderr, even with lots of output left.
. "$(dirname "$0")/common.sh"
for i in $(seq 0 400); do tweet $((1609459200000 + i * 1000)) "tag$((i % 7))" "other"; done >"$WORK/in"
set +e
"$TRENDTOP" --window 1s -o tsv "$WORK/in" 2>"$WORK/err" | head -3 >"$WORK/out"
rc=${PIPESTATUS[0]}
set -e
assert_eq "exit status" 0 "$rc"
assert_eq "lines through head" 3 "$(wc -l <"$WORK/out")"
[ ! -s "$WORK/err" ] || fail "stderr: $(cat "$WORK/err")"
# The same with an endless producer: trendtop must stop too, not block.
set +e
timeout 20 bash -c "yes \"\$(cat '$WORK/in' | head -1)\" | '$TRENDTOP' --time arrival --window 250ms | head -2" >/dev/null 2>"$WORK/err"
rc=$?
set -e
assert_eq "endless producer into head" 0 "$rc"
