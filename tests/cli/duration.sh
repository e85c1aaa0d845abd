# --duration ends a run cleanly after that much wall time, like the end of input: the open windows are
# printed as final, status 0, even while the input is still open.
. "$(dirname "$0")/common.sh"
start=$(date +%s%N)
set +e
{ tweet 1609459200000 a; tweet 1609459203000 b; sleep 10; } | "$TRENDTOP" --duration 1s -o json >"$WORK/out"
rc=${PIPESTATUS[1]}
set -e
ms=$((($(date +%s%N) - start) / 1000000))
assert_eq "exit status" 0 "$rc"
assert_eq "final window" '[true,2]' "$(jq -c '[.final,.records]' "$WORK/out")"
