# With parsing threads a regular file is read by byte ranges, each read and framed on the thread that parses
# it (src/input/range.h). That changes nothing but speed: -j 2 and -j 3 give byte-identical output and
# counters to -j 1 (which reads the file on one thread) for ranges of any size, down to 1 byte, on every
# uncompressed real file in ../shared/data and on hand-made edge cases; on generated input the windows equal
# the brute-force recount's. A file truncated or grown while it is read, a stop signal and `| head` behave
# as on one thread; the progress line moves. TRENDTOP_READ_RANGE (bytes) sets the range size: it exists for
# this test (man/trendtop.1, ENVIRONMENT).
. "$(dirname "$0")/common.sh"
need_data
# stderr_of FILE: trendtop's stderr but the timings, and but how many lines the hint about unreadable input
# had seen when it was said (that depends on how far parsing had got: it differs between runs at -j 2).
stderr_of() { sed -E 's/ elapsed=.*//; s/none of the (first )?[0-9]+ lines? read was a record \([0-9]+ /none of the lines read was a record (/' "$1"; }
# same_as_one WHAT RANGES ARGS...: -j 1, then -j 2 and -j 3 reading by RANGES-byte ranges: the same output,
# the same counters and messages, every line accounted for.
same_as_one() {
  local what=$1 range=$2 j
  shift 2
  "$TRENDTOP" -j 1 --stats "$@" >"$WORK/one" 2>"$WORK/one.err"
  for j in 2 3; do
    TRENDTOP_READ_RANGE=$range "$TRENDTOP" -j $j --stats "$@" >"$WORK/many" 2>"$WORK/many.err"
    assert_files_eq "$what: -j $j, $range-byte ranges" "$WORK/one" "$WORK/many"
    assert_eq "$what: -j $j, $range-byte ranges: stderr" "$(stderr_of "$WORK/one.err")" "$(stderr_of "$WORK/many.err")"
  done
  assert_balanced "$(grep '^trendtop: stats lines=' "$WORK/many.err")"
}

# Hand-made edge cases, ranges of every size from 1 byte up: a line starting exactly at a range's start or
# end, "\r\n" split across ranges, blank lines, a lone CR, a line over --max-line spanning several ranges, no
# final newline; and an empty file.
{
  tweet 1609459200000 a b
  printf '\n\r\n  \n'
  tweet 1609459201000 a | sed 's/$/\r/'
  printf '{"x":"%*s"}\r\n' 700 ""  # oversized with --max-line 300: over two ranges of 256 bytes
  printf 'not json\rstill the same line\n'
  tweet 1609459202000 c
  tweet 1609459203000 a | tr -d '\n'
} >"$WORK/edges"
: >"$WORK/empty"
for range in 1 2 3 5 64 255 256 257 100000; do
  same_as_one "edge cases" $range --max-line 300 -w 1s -k 0 -o json "$WORK/edges"
  same_as_one "edge cases, --print-keys" $range --max-line 300 --print-keys "$WORK/edges"
done
same_as_one "an empty file" 1 -o json "$WORK/empty"
for bad in 0 1x 300MiB; do
  set +e
  TRENDTOP_READ_RANGE=$bad "$TRENDTOP" "$WORK/edges" >/dev/null 2>"$WORK/err"
  rc=$?
  set -e
  assert_eq "TRENDTOP_READ_RANGE=$bad: a usage error" "2 1" "$rc $(wc -l <"$WORK/err")"
done
same_as_one "two files and an empty one" 7 -w 1s -k 0 -o json "$WORK/edges" "$WORK/empty" "$WORK/edges"

# Every uncompressed real file: small ones with 1-byte ranges too (every byte a boundary), every one with
# ranges that cut most lines, and the stream minute (CRLF) with ranges smaller and larger than its lines.
# (Sanitizer builds run several times slower: fewer sizes there.)
many="997 65536" tiny=40000 minute_ranges="1000 4096 100000 1048576"
slow_build && many=997 tiny=5000 minute_ranges="1000 1048576"
for f in "$DATA"/*.ndjson "$DATA"/*.jsonl "$DATA"/*.json; do
  ranges=$many
  [ "$(stat -c %s "$f")" -gt $tiny ] || ranges="1 $ranges"
  for range in $ranges; do
    same_as_one "$(basename "$f")" $range --print-keys "$f"
    same_as_one "$(basename "$f") windows" $range -w 1h --lateness 1000d -k 0 -o json "$f"
  done
done
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
cat "$WORK/minute" "$WORK/minute" >"$WORK/minute2"  # the second copy all late: decided in input order
for range in $minute_ranges; do
  same_as_one "the stream minute" $range -w 10s -s 5s -k 0 -o json "$WORK/minute"
done
same_as_one "the stream minute twice" 3333 -w 10s -k 0 -o json "$WORK/minute2"
same_as_one "the stream minute, users" 5000 -w 10s --count users -k 20 -o tsv "$WORK/minute"

# Generated input (CRLF), against the brute-force recount.
python3 "$SRC/scripts/gen-tweets" --count 1500 --tweets-per-sec 40 --seed 20 --crlf >"$WORK/gen"
$REF --window 10000 --top 0 --format tsv "$WORK/gen" >"$WORK/expect" 2>"$WORK/ref-stats"
for range in 100 4097 65536; do
  for j in 2 3; do
    TRENDTOP_READ_RANGE=$range "$TRENDTOP" -j $j -w 10s -k 0 -o tsv --stats "$WORK/gen" >"$WORK/got" 2>"$WORK/err"
    assert_files_eq "generated, -j $j, $range-byte ranges, against the recount" "$WORK/expect" "$WORK/got"
    s=$(grep '^trendtop: stats lines=' "$WORK/err")
    for k in lines counted malformed skipped late; do
      assert_eq "generated, -j $j, $range-byte ranges: $k" "$(stat_of $k "$(cat "$WORK/ref-stats")")" "$(stat_of $k "$s")"
    done
    assert_eq "generated: bytes" "$(stat -c %s "$WORK/gen")" "$(stat_of bytes "$s")"
    assert_balanced "$s"
  done
done

# `| head`: quiet, status 0.
set +e
TRENDTOP_READ_RANGE=4096 "$TRENDTOP" -j 2 -w 1s -o tsv "$WORK/minute2" 2>"$WORK/err" | head -3 >"$WORK/out"
rc=${PIPESTATUS[0]}
set -e
assert_eq "| head: exit status" 0 "$rc"
assert_eq "| head: lines" 3 "$(wc -l <"$WORK/out")"
[ ! -s "$WORK/err" ] || fail "| head: stderr: $(cat "$WORK/err")"

# While it is read: trendtop's output goes into a pipe nobody reads, so it blocks writing after the first
# windows, a few ranges into the file; then the file changes (or a signal comes), then the pipe is read.
python3 "$SRC/scripts/gen-tweets" --count 4000 --tweets-per-sec 10 --seed 21 >"$WORK/big"
size=$(stat -c %s "$WORK/big")
mkfifo "$WORK/fifo"
# blocked: trendtop (its main thread, which reads and writes) sleeps writing into the pipe (held open on fd 4),
# or the pipe is full. (A pipe takes whole pages: it can refuse a write with less than its size queued.)
blocked() {
  grep -q pipe_write "/proc/$tt/wchan" 2>/dev/null ||
    python3 -c 'import fcntl, struct, termios; n = struct.unpack("i", fcntl.ioctl(4, termios.FIONREAD, b"\0" * 4))[0]; exit(n < fcntl.fcntl(4, 1032))'
}
# blocked_run CHANGE: runs trendtop -j 2 on $WORK/input, does CHANGE once it is blocked, then reads its output
# into $WORK/out (stderr: $WORK/err); sets rc.
blocked_run() {
  exec 4<>"$WORK/fifo"
  TRENDTOP_READ_RANGE=65536 "$TRENDTOP" -j 2 -w 1s -k 10 -o json --stats --progress "$WORK/input" \
    >"$WORK/fifo" 2>"$WORK/err" 4>&- &
  tt=$!
  wait_for "trendtop blocked on its full output pipe" blocked
  eval "$1"
  cat "$WORK/fifo" >"$WORK/out" 4>&- & # (without fd 4, a write end too: cat would never see the end)
  reader=$!
  set +e
  wait "$tt"
  rc=$?
  set -e
  exec 4>&-
  wait "$reader" || true
}
# stats_line: the counters in $WORK/err, whose progress line was erased with "\r ESC[K" before them.
stats_line() { tr '\r' '\n' <"$WORK/err" | sed 's/\x1b\[K//g' | grep '^trendtop: stats lines='; }
# Truncated in the middle of a line, well past what was read: no crash (nothing is mapped), and what is read
# is the truncated file, exactly as one thread reads it.
cp "$WORK/big" "$WORK/input"
cut=$((size * 3 / 4 + 17))
sleep_a_little() { sleep 0.3; } # longer than the progress line's 250 ms: it is drawn again when reading goes on
blocked_run 'truncate -s $cut "$WORK/input"; sleep_a_little'
assert_eq "truncated: exit status" 0 "$rc"
head -c $cut "$WORK/big" >"$WORK/cut"
"$TRENDTOP" -j 1 -w 1s -k 10 -o json --stats "$WORK/cut" >"$WORK/expect" 2>"$WORK/expect.err"
assert_files_eq "truncated while read" "$WORK/expect" "$WORK/out"
s=$(stats_line)
assert_eq "truncated: counters" "$(sed 's/ elapsed=.*//' "$WORK/expect.err")" "$(sed 's/ elapsed=.*//' <<<"$s")"
assert_eq "truncated: bytes" "$cut" "$(stat_of bytes "$s")"
assert_balanced "$s"
# The progress line moved: drawn at the start (0 B), then while reading went on, before the end.
tr '\r' '\n' <"$WORK/err" | grep -q "^trendtop: [1-9][0-9.]* [kM]B of $(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }')" ||
  fail "the progress line did not move: $(tr '\r' '\n' <"$WORK/err" | cat -v)"
# Grown while read: read to the end seen last, as one thread reads it.
cp "$WORK/big" "$WORK/input"
python3 "$SRC/scripts/gen-tweets" --count 500 --tweets-per-sec 10 --seed 22 --start 2021-01-01T00:06:40Z >"$WORK/more"
blocked_run 'cat "$WORK/more" >>"$WORK/input"'
assert_eq "grown: exit status" 0 "$rc"
"$TRENDTOP" -j 1 -w 1s -k 10 -o json --stats "$WORK/input" >"$WORK/expect" 2>"$WORK/expect.err"
assert_files_eq "grown while read" "$WORK/expect" "$WORK/out"
assert_eq "grown: counters" "$(sed 's/ elapsed=.*//' "$WORK/expect.err")" \
  "$(stats_line | sed 's/ elapsed=.*//')"
# A stop signal: reading stops (a regular file is not read on), what was handed out is counted, the open
# window is printed marked partial, status 0.
cp "$WORK/big" "$WORK/input"
blocked_run 'kill -TERM $tt'
assert_eq "SIGTERM: exit status" 0 "$rc"
s=$(stats_line)
assert_balanced "$s"
[ "$(stat_of lines "$s")" -lt 4000 ] || fail "SIGTERM: the whole file was read: $s"
assert_eq "SIGTERM: the last window is partial" false "$(tail -1 "$WORK/out" | jq -c .final)"
