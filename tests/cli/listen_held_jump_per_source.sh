# --max-skew's held jump, per source (issue 21, "one clock per source"; man/design.md): whether a record is
# a jump is judged against its own source's clock, and only its own source's next record confirms or
# contradicts it. Two --listen producers, b connected first (a source from the start) and far behind a
# (-w 10s: a jump is more than 30 s ahead):
# 1. A lone spike in b, 70 s ahead of b's own records but 20 s behind a's newest, is held and contradicted
#    by b's next record: skewed, nothing late. Judged against the run's newest record (a's), it was counted,
#    took b's clock 70 s on and closed the windows of b's next 30 records: 30 late.
# 2. A genuine jump in a (a gap of 160 s, an archive resuming) is held and confirmed by a's next record,
#    though b sends records far behind it meanwhile: every record counted. Decided by b's record, it was
#    dropped as skewed.
# The order between the producers is made by waiting (SIGUSR1's counters) for trendtop to have read each
# part before the next is sent. Expected windows: the reference recount over the records in time order.
. "$(dirname "$0")/common.sh"
t0=1609486140000 # 2021-01-01T07:29:00Z
series() { # FROM TO TAG: one tweet a second
  for i in $(seq "$1" "$2"); do tweet $((t0 + i * 1000)) "$3"; done
}
run() { # CASE STEP... (producers.py steps; "lines:$WORK/go:N" waits for the Nth part; after each part,
  #        the total lines trendtop must have read are in $parts)
  local name=$1 port n
  shift
  port=$(free_port)
  : >"$WORK/go"
  "$TRENDTOP" --listen "$port" -w 10s -k 0 -o json --stats >"$WORK/$name.out" 2>"$WORK/$name.err" &
  tt=$!
  wait_listening "$port"
  python3 "$SRC/tests/cli/producers.py" "$port" "$@" close:a close:b &
  producers=$!
  for n in $parts; do
    wait_lines "$tt" "$WORK/$name.err" "$n"
    echo >>"$WORK/go"
  done
  wait $producers || fail "$name: producers failed"
  wait_read "$port"
  wait_lines "$tt" "$WORK/$name.err" "$total"
  kill -TERM "$tt"
  wait "$tt" || fail "$name: trendtop exited $?: $(cat "$WORK/$name.err")"
  s=$(grep '^trendtop: stats lines' "$WORK/$name.err" | tail -1)
  assert_balanced "$s"
  json_to_tsv <"$WORK/$name.out" >"$WORK/$name.got"
}

# 1. A lone spike in the lagging source.
series 0 120 a >"$WORK/a1"
{ series 0 30 b; tweet $((t0 + 100000)) spike; series 31 60 b; } >"$WORK/b1"
parts=121 total=183
run spike connect:b connect:a "send:a:$WORK/a1" "lines:$WORK/go:1" "send:b:$WORK/b1"
assert_eq "spike in b: skewed" 1 "$(stat_of skewed "$s")"
assert_eq "spike in b: late" 0 "$(stat_of late "$s")"
assert_eq "spike in b: counted" 182 "$(stat_of counted "$s")"
grep -hv spike "$WORK/a1" "$WORK/b1" | jq -c -s 'sort_by(.timestamp_ms)[]' | $REF --window 10000 --top 0 --format tsv >"$WORK/expect1" 2>/dev/null
assert_files_eq "spike in b: windows" "$WORK/expect1" "$WORK/spike.got"

# 2. A genuine jump in the leading source, records of the lagging one in between.
{ series 0 40 a; series 200 200 a; } >"$WORK/a2"
series 0 40 b >"$WORK/b2"
series 201 240 a >"$WORK/a3"
parts="42 83" total=123
run gap connect:b connect:a "send:a:$WORK/a2" "lines:$WORK/go:1" "send:b:$WORK/b2" "lines:$WORK/go:2" \
  "send:a:$WORK/a3"
assert_eq "gap in a: skewed" 0 "$(stat_of skewed "$s")"
assert_eq "gap in a: late" 0 "$(stat_of late "$s")"
assert_eq "gap in a: counted" 123 "$(stat_of counted "$s")"
cat "$WORK/a2" "$WORK/b2" "$WORK/a3" | jq -c -s 'sort_by(.timestamp_ms)[]' | $REF --window 10000 --top 0 --format tsv >"$WORK/expect2" 2>/dev/null
assert_files_eq "gap in a: windows" "$WORK/expect2" "$WORK/gap.got"
