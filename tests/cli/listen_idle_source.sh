# A connected producer that sends nothing holds the windows back only until --idle-timeout: then it leaves
# the watermark's minimum and the windows the other producer's records closed come out while both are still
# connected and the other is still sending (a record every 0.1 s, so the run as a whole is never idle and
# only the silent connection's own timeout can release the windows). The windows: the reference recount's.
. "$(dirname "$0")/common.sh"
t0=1609486140000 # 2021-01-01T07:29:00Z
for i in $(seq 0 24); do tweet $((t0 + i * 1000)) a; done >"$WORK/burst"
for i in $(seq 0 575); do tweet $((t0 + 25000 + i * 100)) b; done >"$WORK/trickle"
port=$(free_port)
"$TRENDTOP" --listen "$port" --idle-timeout 1s -o json --stats >"$WORK/out" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
# silent connects first: a source before a's records are read. Both stay open until the windows are out.
python3 "$SRC/tests/cli/producers.py" "$port" connect:silent connect:a "send:a:$WORK/burst" \
  "trickle:a:$WORK/trickle:$WORK/out:2" close:a close:silent || fail "producers: $(cat "$WORK/err")"
kill -TERM "$tt"
wait "$tt" || fail "trendtop exited $?"
head -2 "$WORK/out" | json_to_tsv >"$WORK/got"
$REF --format tsv "$WORK/burst" >"$WORK/all" 2>/dev/null
head -2 "$WORK/all" >"$WORK/expect"
assert_files_eq "windows released by the silent connection's idle timeout" "$WORK/expect" "$WORK/got"
s=$(grep '^trendtop: stats lines' "$WORK/err" | tail -1)
assert_balanced "$s"
assert_eq "late" 0 "$(stat_of late "$s")"
