# Lines that were read but not counted leave a trace without --stats (issue 15, item 7): at the end of the
# run (and in live runs at most once a minute) one stderr line says how many and why, with the option that
# governs each reason; --quiet silences it, and a run that dropped nothing says nothing. The counts are
# hand-checked from the input below.
. "$(dirname "$0")/common.sh"
T=1609459200000
Y2030=1893456000000 # ahead of any wall clock this test runs on: skewed
{
  tweet $T a
  tweet $((T + 15000)) b     # closes [0 s, 10 s)
  tweet $((T + 1000)) late1  # late
  echo '{"not json'          # malformed
  tweet $((T + 2000)) late2  # late
  tweet $Y2030 future        # skewed
  tweet $((T + 3000)) late3  # late
  printf '{"text":"%0400d"}\n' 0 # over --max-line 300: oversized
  echo '{}{}'                # malformed: two objects
  tweet $((T + 16000)) c
} >"$WORK/in"
want="trendtop: 7 of 10 lines not counted: 2 malformed, 3 late (see --lateness), 1 oversized (see --max-line), 1 skewed (see --max-skew)"
"$TRENDTOP" --max-line 300 -o tsv "$WORK/in" >"$WORK/out" 2>"$WORK/err" || fail "exit $?"
assert_eq "summary at exit" "$want" "$(cat "$WORK/err")"
"$TRENDTOP" --max-line 300 -j 2 -o tsv "$WORK/in" >/dev/null 2>"$WORK/err" || fail "exit $?"
assert_eq "summary at exit (-j 2)" "$want" "$(cat "$WORK/err")"
# The same numbers as --stats (which, when asked for, says it all instead).
s=$("$TRENDTOP" --max-line 300 --stats -o tsv "$WORK/in" 2>&1 >/dev/null)
assert_eq "with --stats: only the stats line" 1 "$(wc -l <<<"$s")"
assert_eq "--stats late" 3 "$(stat_of late "$s")"
assert_eq "--stats malformed" 2 "$(stat_of malformed "$s")"

"$TRENDTOP" --quiet --max-line 300 -o tsv "$WORK/in" >"$WORK/quiet" 2>"$WORK/err" || fail "--quiet: exit $?"
assert_eq "--quiet: nothing on stderr" "" "$(cat "$WORK/err")"
assert_files_eq "--quiet: the same windows" "$WORK/out" "$WORK/quiet"

# Nothing dropped (blank lines and notices are not drops): nothing said.
{ tweet $T a; echo; echo '{"delete":{"status":{"id":1}}}'; tweet $((T + 1000)) b; } >"$WORK/clean"
"$TRENDTOP" -o tsv "$WORK/clean" >/dev/null 2>"$WORK/err" || fail "clean: exit $?"
assert_eq "nothing dropped: nothing said" "" "$(cat "$WORK/err")"

# A live run reports while it runs: the first drop is reported at once, later ones at most a minute after,
# and the end of the run reports the totals.
mkfifo "$WORK/fifo"
"$TRENDTOP" -o tsv <"$WORK/fifo" >"$WORK/live" 2>"$WORK/err" &
pid=$!
exec 3>"$WORK/fifo"
{ tweet $T a; tweet $((T + 15000)) b; tweet $((T + 1000)) late1; } >&3
for _ in $(seq 600); do grep -q 'not counted' "$WORK/err" && break; sleep 0.05; done
assert_eq "live: reported while running" "trendtop: 1 of 3 lines not counted: 1 late (see --lateness)" "$(cat "$WORK/err")"
kill -0 $pid 2>/dev/null || fail "live: trendtop ended early"
{ tweet $((T + 2000)) late2; echo 'garbage'; tweet $((T + 16000)) c; } >&3
exec 3>&-
wait $pid || fail "live: exit $?"
assert_eq "live: the first report, then the totals at the end" \
  "trendtop: 1 of 3 lines not counted: 1 late (see --lateness)
trendtop: 3 of 6 lines not counted: 1 malformed, 2 late (see --lateness)" "$(cat "$WORK/err")"
