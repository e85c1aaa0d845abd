# A producer that connects after the windows moved on joins at the watermark as it is then: its records
# behind it are late (counted as such), the rest count, and from then on it holds the windows open like any
# other source: a sends 07:29:00-07:29:29 (one a second), its first two windows close; c then connects and
# sends 07:29:15-07:29:39: 15-19 are late (their window was printed), 20-39 count — what one stream of a's
# records then c's gives (the reference recount, whose windows are compared, open ones included).
. "$(dirname "$0")/common.sh"
t0=1609486140000 # 2021-01-01T07:29:00Z
for i in $(seq 0 29); do tweet $((t0 + i * 1000)) a; done >"$WORK/a"
for i in $(seq 15 39); do tweet $((t0 + i * 1000)) c; done >"$WORK/c"
port=$(free_port)
"$TRENDTOP" --listen "$port" -k 0 -o json --stats >"$WORK/out" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
python3 "$SRC/tests/cli/producers.py" "$port" connect:a "send:a:$WORK/a" "lines:$WORK/out:2" connect:c \
  "send:c:$WORK/c" close:a close:c || fail "producers: $(cat "$WORK/err")"
wait_read "$port"
wait_lines "$tt" "$WORK/err" 55
kill -TERM "$tt"
wait "$tt" || fail "trendtop exited $?"
json_to_tsv <"$WORK/out" >"$WORK/got"
cat "$WORK/a" "$WORK/c" | $REF --top 0 --format tsv >"$WORK/expect" 2>"$WORK/ref"
assert_files_eq "a, then c joining late" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines' "$WORK/err" | tail -1)
assert_balanced "$s"
assert_eq "late: c's records before the watermark it joined at" 5 "$(stat_of late "$s")"
assert_eq "late, as the recount has it" 5 "$(stat_of late "$(cat "$WORK/ref")")"
assert_eq "counted" 50 "$(stat_of counted "$s")"
