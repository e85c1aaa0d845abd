# The cron property of --state: runs over consecutive parts of the real v1.1 minute (each with --state, the
# last with --flush) print byte for byte what one run over the whole prints — tumbling and sliding windows,
# two and three parts, wherever the splits fall (mid-window, at window edges, in the late-record tail).
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
total=$(wc -l <"$WORK/minute")
# resumed OUT ARGS... -- SPLIT...: the minute cut at the given line numbers, one run per part
resumed() {
  local out=$1 shape=$2 from=1 i=0 n
  shift 2
  rm -f "$WORK/s"
  : >"$out"
  for n in "$@" $((total + 1)); do
    i=$((i + 1))
    sed -n "${from},$((n - 1))p" "$WORK/minute" >"$WORK/part"
    flush=()
    [ "$n" -gt "$total" ] && flush=(--flush)
    # shellcheck disable=SC2086
    "$TRENDTOP" $shape -k 0 -o tsv --state "$WORK/s" "${flush[@]}" "$WORK/part" >>"$out" ||
      fail "part $i of split $*: exit $?"
    from=$n
  done
}
for shape in "-w 10s" "-w 1m -s 20s" "-w 30s -s 10s --lateness 5s"; do
  # shellcheck disable=SC2086
  "$TRENDTOP" $shape -k 0 -o tsv "$WORK/minute" >"$WORK/whole"
  [ -s "$WORK/whole" ] || fail "no output for $shape"
  for split in 2 100 1000 1737 1738 2500 3479 "500 2000" "1 1200 3000" "900 901 902"; do
    # shellcheck disable=SC2086
    resumed "$WORK/got" "$shape" $split
    assert_files_eq "$shape split at $split" "$WORK/whole" "$WORK/got"
  done
done
# Many parts: every 97 lines (36 runs), sliding.
resumed "$WORK/got" "-w 1m -s 20s" $(seq 98 97 "$total")
"$TRENDTOP" -w 1m -s 20s -k 0 -o tsv "$WORK/minute" >"$WORK/whole"
assert_files_eq "36 parts" "$WORK/whole" "$WORK/got"
# --flush leaves an empty state: the next run starts from nothing (no window of the earlier runs again).
"$TRENDTOP" -w 1m -s 20s -k 0 -o tsv --state "$WORK/s" --flush /dev/null >"$WORK/after"
[ ! -s "$WORK/after" ] || fail "state not empty after --flush: $(head -3 "$WORK/after")"
