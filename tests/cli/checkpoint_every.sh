# --checkpoint-every: a live run saves its state while it runs, so a run killed with SIGKILL (no chance to
# save at exit) resumes from its last checkpoint: what it printed, plus what a resumed run over the rest
# prints, is what one run over everything prints.
. "$(dirname "$0")/common.sh"
for i in $(seq 0 59); do tweet $((1609459200000 + i * 700)) "k$((i % 7))" "k$((i % 3))"; done >"$WORK/part1"
for i in $(seq 60 99); do tweet $((1609459200000 + i * 700)) "k$((i % 5))"; done >"$WORK/part2"
cat "$WORK/part1" "$WORK/part2" | "$TRENDTOP" -k 0 -o tsv >"$WORK/whole"

mkfifo "$WORK/in"
"$TRENDTOP" -k 0 -o tsv --idle-timeout 0 --state "$WORK/s" --checkpoint-every 200ms <"$WORK/in" >"$WORK/out1" 2>"$WORK/err1" &
tt=$!
exec 3>"$WORK/in"
cat "$WORK/part1" >&3
wait_for "a checkpoint while running" test -s "$WORK/s"
# A checkpoint after the last line of part 1 was counted: once trendtop has the 60 lines, the state file is
# replaced again (written aside and renamed: a new inode or modification time).
wait_lines "$tt" "$WORK/err1" 60
was=$(stat -c '%i %y' "$WORK/s")
wait_for "a checkpoint after part 1" eval '[ "$(stat -c "%i %y" "$WORK/s")" != "$was" ]'
{
  kill -KILL "$tt"
  wait "$tt" || true
} 2>/dev/null
exec 3>&-
"$TRENDTOP" -k 0 -o tsv --state "$WORK/s" --flush "$WORK/part2" >"$WORK/out2"
cat "$WORK/out1" "$WORK/out2" >"$WORK/got"
assert_files_eq "killed and resumed" "$WORK/whole" "$WORK/got"
[ -s "$WORK/out1" ] || fail "the killed run printed nothing: the test proves little"
