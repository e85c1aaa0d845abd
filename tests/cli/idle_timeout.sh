# In event time a quiet live stream would never print its last window; --idle-timeout advances the watermark
# with the wall clock once no record came for that long. It is on by default for a pipe (the slide, at least
# 1 s) and off with 0 or for files.
. "$(dirname "$0")/common.sh"
first_line_after() {  # seconds until trendtop's first output line, input held open for 5 s
  local start
  mkfifo "$WORK/o$1"
  { tweet 1609459200000 quiet; sleep 5; } | "$TRENDTOP" "${@:2}" -o tsv >"$WORK/o$1" &
  start=$(date +%s%N)
  IFS= read -r line <"$WORK/o$1" || true
  echo "$((($(date +%s%N) - start) / 1000000)) $line"
  wait
}
read -r ms line <<<"$(first_line_after 1 --window 1s --idle-timeout 1s)"
[ "$ms" -lt 3500 ] || fail "--idle-timeout 1s: first window after ${ms}ms"
assert_eq "window" "#quiet" "$(cut -f4 <<<"$line")"
read -r ms line <<<"$(first_line_after 2 --window 1s)"
[ "$ms" -lt 3500 ] || fail "default idle timeout on a pipe: first window after ${ms}ms"
read -r ms line <<<"$(first_line_after 3 --window 1s --idle-timeout 0)"
[ "$ms" -ge 4500 ] || fail "--idle-timeout 0: window printed after ${ms}ms, before the end of input"
