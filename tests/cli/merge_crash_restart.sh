# A resumed run that dies before its first checkpoint leaves the state file as it found it; the restart from
# it must still be a new segment of the partial stream, or merge refuses the outputs as "the same partial
# stream twice". The outputs of the three runs merge (appended to one file, or each in its own) and the
# window both the crashed run and its restart printed is summed once. Expected counts by hand.
. "$(dirname "$0")/common.sh"
t0=1609459200000
flags=(-w 1s --idle-timeout 0 -o partial --state "$WORK/state")
# Run 1: #a twice in window 0, then the end of input: the window stays open in the state (segment 0).
{ tweet $t0 a; tweet $((t0 + 100)) a; } | "$TRENDTOP" "${flags[@]}" >"$WORK/p1" 2>"$WORK/err1" ||
  fail "run 1: $(cat "$WORK/err1")"
# Run 2, resumed: a record of window 1 closes window 0, which it prints; then it is killed (no checkpoint).
mkfifo "$WORK/in"
"$TRENDTOP" "${flags[@]}" --checkpoint-every 1h <"$WORK/in" >"$WORK/p2" 2>"$WORK/err2" &
pid=$!
exec 3>"$WORK/in"
tweet $((t0 + 1000)) b >&3
for _ in $(seq 600); do grep -q '"t":"window"' "$WORK/p2" && break; sleep 0.05; done
grep -q '"t":"window"' "$WORK/p2" || fail "run 2 printed no window: $(cat "$WORK/err2")"
kill -KILL $pid
wait $pid 2>/dev/null || true
exec 3>&-
# Run 3, resumed from the same state: reads again what run 2 read, and more, to the end.
{ tweet $((t0 + 1000)) b; tweet $((t0 + 2000)) c; } | "$TRENDTOP" "${flags[@]}" --flush >"$WORK/p3" 2>"$WORK/err3" ||
  fail "run 3: $(cat "$WORK/err3")"
segments=$(grep -ho '"segment":[0-9]*' "$WORK/p1" "$WORK/p2" "$WORK/p3" | cut -d: -f2 | tr '\n' ' ')
[ "$(tr ' ' '\n' <<<"$segments" | sed '/^$/d' | sort | uniq -d)" == "" ] || fail "segments repeat: $segments"
expect=$'#a\t2\n#b\t1\n#c\t1'
cat "$WORK/p1" "$WORK/p2" "$WORK/p3" >"$WORK/all"
"$TRENDTOP" merge -k 0 -o tsv "$WORK/all" >"$WORK/m1" 2>"$WORK/merr1" || fail "merge of one file: $(cat "$WORK/merr1")"
assert_eq "merge of the appended outputs" "$expect" "$(cut -f4,5 "$WORK/m1")"
"$TRENDTOP" merge -k 0 -o tsv "$WORK/p1" "$WORK/p2" "$WORK/p3" >"$WORK/m2" 2>"$WORK/merr2" ||
  fail "merge of three files: $(cat "$WORK/merr2")"
assert_eq "merge of the outputs as three files" "$expect" "$(cut -f4,5 "$WORK/m2")"
