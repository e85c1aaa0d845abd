# Event times outside 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z (what RFC 3339 can write) are
# counted as skewed, with or without --max-skew, and window arithmetic never overflows (issue 15, item 8):
# before, an INT64_MIN timestamp_ms was counted but never printed and made the next record open ~10^11
# empty windows. A stop signal ends a run in the middle of a long run of windows. Expected windows: the
# hand-written rows of the good records, which are the same with or without the bad ones.
. "$(dirname "$0")/common.sh"
T=1609459200000
bsky() { # bsky TIME_US TAG: a Bluesky Jetstream post with this relay time
  printf '{"did":"did:plc:x","time_us":%s,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","record":{"text":"#%s","createdAt":"2021-01-01T00:00:00Z","facets":[{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"%s"}]}]}}}\n' "$1" "$2" "$2"
}
# The good records: one in [0 s, 10 s), one in [10 s, 20 s).
printf '%s\n' $'2021-01-01T00:00:00Z\t2021-01-01T00:00:10Z\t1\t#a\t1\t0\t1\tnew' \
  $'2021-01-01T00:00:10Z\t2021-01-01T00:00:20Z\t1\t#b\t1\t0\t1\tnew' >"$WORK/expect"

# bad NAME LINE: the bad line first (it would set the watermark or open the first window), then the good.
bad() {
  local name=$1 line=$2 skew s
  for skew in 1h 0; do
    { printf '%s\n' "$line"; tweet $((T + 1000)) a; tweet $((T + 11000)) b; } >"$WORK/in"
    s=$(timeout -k 1 20 "$TRENDTOP" --max-skew $skew -k 0 -o tsv --stats "$WORK/in" 2>&1 >"$WORK/got") ||
      fail "$name (--max-skew $skew): exit $?"
    assert_files_eq "$name (--max-skew $skew)" "$WORK/expect" "$WORK/got"
    assert_eq "$name (--max-skew $skew): skewed" 1 "$(stat_of skewed "$s")"
    assert_eq "$name (--max-skew $skew): windows" 2 "$(stat_of windows "$s")"
    assert_balanced "$s"
  done
}
num_ts() { tweet 0 "$2" | sed "s/\"timestamp_ms\":\"0\"/\"timestamp_ms\":$1/"; }
bad "timestamp_ms INT64_MIN (a number)" "$(num_ts -9223372036854775808 min)"
bad "timestamp_ms INT64_MAX (a number)" "$(num_ts 9223372036854775807 max)"
bad "timestamp_ms -10^18+1 (a string)" "$(tweet -999999999999999999 neg18)"
bad "timestamp_ms 10^18-1 (a string)" "$(tweet 999999999999999999 pos18)"
bad "timestamp_ms just before year 0" "$(tweet -62167219200001 y0)"
bad "timestamp_ms just after year 9999" "$(tweet 253402300800000 y10000)"
bad "Bluesky time_us INT64_MAX" "$(bsky 9223372036854775807 bmax)"
bad "Bluesky time_us INT64_MIN" "$(bsky -9223372036854775808 bmin)"
bad "timestamp_ms INT64_MIN+1 (a number)" "$(num_ts -9223372036854775807 min1)"

# --schema json: epoch times in nanoseconds (by their magnitude) of +-5*10^21, some 160 000 years from 1970.
for t in 5e21 -5e21; do
  printf '%s\n' "{\"k\":\"a\",\"t\":$((T + 1000))}" "{\"k\":\"x\",\"t\":$t}" "{\"k\":\"b\",\"t\":$((T + 11000))}" >"$WORK/in"
  s=$(timeout -k 1 20 "$TRENDTOP" --schema json --key-field k --time-field t --max-skew 0 -k 0 -o tsv --stats "$WORK/in" 2>&1 >"$WORK/got") ||
    fail "--schema json $t: exit $?"
  assert_eq "--schema json $t: skewed" 1 "$(stat_of skewed "$s")"
  assert_eq "--schema json $t: rows" "$(sed 's/#//' "$WORK/expect")" "$(cat "$WORK/got")"
done

# The ends of the range are times like any other: with --max-skew 0 (the wall clock does not judge them)
# each is counted and printed; with the default 1h, 9999 is ahead of the wall clock.
for t in -62167219200000 253402300799999; do
  tweet $t end >"$WORK/in"
  s=$(timeout -k 1 20 "$TRENDTOP" -k 0 -o tsv --stats --max-skew 0 "$WORK/in" 2>&1 >"$WORK/got") || fail "range end $t: exit $?"
  assert_eq "range end $t: counted" 1 "$(stat_of counted "$s")"
  assert_eq "range end $t: window" "$([ $t -lt 0 ] && echo 0000-01-01T00:00:00Z || echo 9999-12-31T23:59:50Z)"$'\t#end' "$(cut -f1,4 "$WORK/got")"
done
s=$("$TRENDTOP" -k 0 -o tsv --stats "$WORK/in" 2>&1 >"$WORK/got")
assert_eq "year 9999 with --max-skew 1h: skewed" 1 "$(stat_of skewed "$s")"

# A stop signal in the middle of a long run of windows: year 1 then year 9999 with --max-skew 0 (every empty
# window printed: some 3*10^10 of them). Once trendtop is busy in that run (a second of CPU time: reading two
# lines takes microseconds), SIGTERM must end it promptly with status 0. Into /dev/null, so that no write
# is interrupted by the signal (that alone would stop the run, as an output error).
{ tweet -62135596800000 one; tweet 253402300799000 nine; } >"$WORK/in"
"$TRENDTOP" --max-skew 0 -o json --stats "$WORK/in" >/dev/null 2>"$WORK/err" &
pid=$!
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
for _ in $(seq 600); do [ "$(cpu $pid)" -ge "$(getconf CLK_TCK)" ] && break; sleep 0.05; done
kill -0 $pid 2>/dev/null || fail "the run of windows ended by itself: $(cat "$WORK/err")"
kill -TERM $pid
set +e
timeout 20 tail --pid=$pid -f /dev/null
ended=$?
kill -KILL $pid 2>/dev/null
wait $pid
rc=$?
set -e
assert_eq "SIGTERM in a long run of windows: ended within 20 s" 0 "$ended"
assert_eq "SIGTERM in a long run of windows: exit status" 0 "$rc"
s=$(grep 'stats lines' "$WORK/err")
assert_eq "SIGTERM: both records counted" 2 "$(stat_of counted "$s")"
assert_balanced "$s"
