# trendtop merge on hand-checked cases: counts summed per window, windows no input holds printed empty in
# between, mismatched shapes refused (exit 1), bad lines counted and skipped, a stream cut short reported,
# --output partial's own rules (closed windows only), and streaming: a window is printed as soon as every
# input has moved past it, while the inputs are still open.
. "$(dirname "$0")/common.sh"
T=1609459200000 # 2021-01-01T00:00:00Z
{ tweet $T a b; tweet $((T + 15000)) a; } >"$WORK/a.in"
{ tweet $((T + 5000)) a; tweet $((T + 45000)) c; } >"$WORK/b.in"
"$TRENDTOP" -w 10s -o partial "$WORK/a.in" >"$WORK/a.p"
"$TRENDTOP" -w 10s -o partial "$WORK/b.in" >"$WORK/b.p"
# The format, by hand (the run id is random: RUN stands for it).
cat >"$WORK/expect" <<X
{"t":"header","format":"trendtop-partial","version":2,"run":"RUN","segment":0,"source":"$WORK/a.in","window_ms":10000,"slide_ms":10000,"lateness_ms":0,"max_skew_ms":3600000,"time":"event","keys":"hashtags","extract":"auto","count":"records","case":"fold","schema":"auto","key_field":"","text_field":"","time_field":"","user_field":"","max_line":16777216,"max_keys":1000000,"track":[],"lang":[],"no_retweets":false,"exclude":"","stopwords":""}
{"t":"window","start":$T,"end":$((T + 10000)),"records":1,"keys":2,"exact":true,"counts":[["#a",1],["#b",1]]}
{"t":"window","start":$((T + 10000)),"end":$((T + 20000)),"records":1,"keys":1,"exact":true,"counts":[["#a",1]]}
{"t":"end","windows":2,"open":0}
X
grep -q '^{"t":"header",.*"run":"[0-9a-f]\{32\}"' "$WORK/a.p" || fail "run id: $(head -1 "$WORK/a.p")"
sed -E 's/"run":"[0-9a-f]{32}"/"run":"RUN"/' "$WORK/a.p" >"$WORK/a.shown"
assert_files_eq "partial stream of a" "$WORK/expect" "$WORK/a.shown"
[ "$(grep -o '"run":"[0-9a-f]*"' "$WORK/a.p")" != "$(grep -o '"run":"[0-9a-f]*"' "$WORK/b.p")" ] || fail "two runs, one id"
# Summed: [0,10) #a 2 #b 1; [10,20) #a 1; [20,30) and [30,40) empty (only b's stream has them); [40,50) #c 1.
"$TRENDTOP" merge -o json "$WORK/a.p" "$WORK/b.p" | jq -c '[.window_start[11:19], .records, .keys, [.top[] | [.key, .count]]]' >"$WORK/got"
cat >"$WORK/expect" <<X
["00:00:00",2,2,[["#a",2],["#b",1]]]
["00:00:10",1,1,[["#a",1]]]
["00:00:20",0,0,[]]
["00:00:30",0,0,[]]
["00:00:40",1,1,[["#c",1]]]
X
assert_files_eq "merged windows" "$WORK/expect" "$WORK/got"
# Gaps no input covers are printed empty too: a holds only [0,10), c only [40,50).
tweet $((T + 41000)) c | "$TRENDTOP" -w 10s -o partial >"$WORK/c.p"
tweet $T a | "$TRENDTOP" -w 10s -o partial >"$WORK/a1.p"
assert_eq "windows across a gap" "5" "$("$TRENDTOP" merge -o json "$WORK/c.p" "$WORK/a1.p" | wc -l)"
# --top, --min-count, tsv and csv.
"$TRENDTOP" merge -k 1 --min-count 2 -o tsv "$WORK/a.p" "$WORK/b.p" >"$WORK/got"
printf '2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t2\t0\t2\tnew\n' >"$WORK/expect"
assert_files_eq "-k 1 --min-count 2" "$WORK/expect" "$WORK/got"
assert_eq "csv header" "window_start,window_end,rank,key,count,prev,delta,rank_change" \
  "$("$TRENDTOP" merge -o csv "$WORK/a.p" | head -1 | tr -d '\r')"
# Other window shapes: refused, exit 1, one line naming both.
"$TRENDTOP" -w 20s -o partial "$WORK/b.in" >"$WORK/b20.p"
set +e
"$TRENDTOP" merge "$WORK/a.p" "$WORK/b20.p" >/dev/null 2>"$WORK/err"
rc=$?
set -e
assert_eq "exit status on other shapes" 1 "$rc"
grep -q "error: '$WORK/b20.p' was counted with --window 20s, .*'$WORK/a.p' with --window 10s" "$WORK/err" || fail "$(cat "$WORK/err")"
# Bad lines: counted, the first one shown, never fatal.
{ echo 'not json'; head -2 "$WORK/b.p"; echo '{"t":"window","start":1,"end":5,"counts":[]}'; echo '{"t":"bogus"}'; tail -n +3 "$WORK/b.p"; } >"$WORK/bad.p"
"$TRENDTOP" merge -o json --stats "$WORK/a.p" "$WORK/bad.p" >"$WORK/got.json" 2>"$WORK/err"
assert_eq "windows despite bad lines" 5 "$(wc -l <"$WORK/got.json")"
grep -q "merge: '$WORK/bad.p' line 1: not a JSON object; skipped" "$WORK/err" || fail "$(cat "$WORK/err")"
grep -q "merge: 3 bad lines skipped" "$WORK/err" || fail "$(cat "$WORK/err")"
grep -q "stats inputs=2 lines=14 windows_in=7 bad=3 windows=5" "$WORK/err" || fail "$(cat "$WORK/err")"
# A window out of order in its input is bad; a version from the future is refused, and so is version 1
# (it lacks the settings and the identity merge checks).
{ head -1 "$WORK/a.p"; sed -n 3p "$WORK/a.p"; sed -n 2p "$WORK/a.p"; } | "$TRENDTOP" merge -o json 2>"$WORK/err" >"$WORK/got"
grep -q "window out of order" "$WORK/err" || fail "$(cat "$WORK/err")"
sed 's/"version":2/"version":3/' "$WORK/a.p" | { "$TRENDTOP" merge 2>"$WORK/err" && fail "version 3 read"; } || true
grep -q "of version 3; this trendtop reads version 2" "$WORK/err" || fail "$(cat "$WORK/err")"
printf '{"t":"header","format":"trendtop-partial","version":1,"window_ms":10000,"slide_ms":10000,"lateness_ms":0,"max_skew_ms":3600000,"time":"event","keys":"hashtags","count":"records","case":"fold","extract":"auto"}\n' |
  { "$TRENDTOP" merge 2>"$WORK/err" && fail "version 1 read"; } || true
grep -q "^trendtop: error: '-' is a partial stream of version 1, from an older trendtop: .*--output partial$" "$WORK/err" || fail "$(cat "$WORK/err")"
# A stream without its end line (its process died): merged, and said.
head -2 "$WORK/a.p" | "$TRENDTOP" merge -o json - "$WORK/b.p" >"$WORK/got" 2>"$WORK/err"
grep -q "warning: merge: '-' ended without its end line" "$WORK/err" || fail "$(cat "$WORK/err")"
# An unreadable input: reported, the others merged, exit 1.
set +e
"$TRENDTOP" merge -o json "$WORK/a.p" "$WORK/missing" >"$WORK/got" 2>"$WORK/err"
rc=$?
set -e
assert_eq "exit status with a missing input" 1 "$rc"
assert_eq "windows of the readable input" 2 "$(wc -l <"$WORK/got")"
# Usage errors exit 2.
for bad in "merge -o partial" "merge --rank up" "merge --bogus" "-o partial --emit every=1s"; do
  set +e
  # shellcheck disable=SC2086
  "$TRENDTOP" $bad </dev/null >/dev/null 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "exit status of '$bad'" 2 "$rc"
  [ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "'$bad': $(cat "$WORK/err")"
done
"$TRENDTOP" merge --help | grep -q -- "--min-count" || fail "merge --help"
# --output partial and a signal: the open window is not written (the end line counts it).
mkfifo "$WORK/in"
"$TRENDTOP" -w 10s -o partial --idle-timeout 0 <"$WORK/in" >"$WORK/sig.p" 2>"$WORK/err" &
pid=$!
exec 3>"$WORK/in"
tweet $T a >&3
tweet $((T + 12000)) b >&3
wait_for "the closed window [0,10)" grep -q '"t":"window"' "$WORK/sig.p"
kill -TERM $pid
wait $pid || fail "exit status after SIGTERM"
exec 3>&-
assert_eq "closed windows written" 1 "$(grep -c '"t":"window"' "$WORK/sig.p")"
grep -q '"t":"end","windows":1,"open":1' "$WORK/sig.p" || fail "$(cat "$WORK/sig.p")"
# Streaming: with both inputs still open, a window is printed once both moved past it.
mkfifo "$WORK/f1" "$WORK/f2"
"$TRENDTOP" merge -o json "$WORK/f1" "$WORK/f2" >"$WORK/live" &
pid=$!
exec 4>"$WORK/f1" 5>"$WORK/f2"
cat "$WORK/a.p" >&4     # a: [0,10) and [10,20), and its end line, but the pipe stays open
head -2 "$WORK/b.p" >&5 # b: header, [0,10): only [0,10) is complete
for _ in $(seq 100); do [ -s "$WORK/live" ] && break; sleep 0.05; done
sleep 0.2
assert_eq "first window while the inputs are open" '"00:00:00",2' "$(jq -c '[.window_start[11:19], .records]' "$WORK/live" | head -1 | tr -d '[]')"
assert_eq "only the complete window" 1 "$(wc -l <"$WORK/live")"
tail -n +3 "$WORK/b.p" >&5
exec 4>&- 5>&-
wait $pid
assert_eq "all windows at the end" 5 "$(wc -l <"$WORK/live")"
