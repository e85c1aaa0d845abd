# The planner opens inputs ahead of the reader; under a low descriptor limit (ulimit -n) that look-ahead
# must never turn into an error on a readable file: 100 small files, plain or .gz (in ten directories, which
# the walk opens too), under `ulimit -n 40` are all read, none "Too many open files" (plain files were
# opened up to 64 ahead, and .gz files as many as the decoding threads' queue: 36 with --threads 8). Every
# file holds one tweet with a hashtag of its own, so the expected windows are known without trendtop.
. "$(dirname "$0")/common.sh"
d=$WORK/grab
for dir in $(seq -w 0 9); do
  mkdir -p "$d/plain/$dir" "$d/gz/$dir"
  for f in $(seq -w 0 9); do
    tweet $((1609459200000 + 10#$dir$f * 1000)) "t$dir$f" >"$d/plain/$dir/$f.json"
    gzip -c "$d/plain/$dir/$f.json" >"$d/gz/$dir/$f.json.gz"
  done
done
for i in $(seq -w 0 99); do printf '1\t#t%s\n' "$i"; done | sort >"$WORK/expect"
run() { # WHAT INPUT... (under ulimit -n 40)
  local what=$1
  shift
  (
    ulimit -n 40
    exec timeout 60 "$TRENDTOP" -w 1d -k 0 -o tsv --stats "$@"
  ) >"$WORK/out" 2>"$WORK/err" || fail "$what: status $?: $(head -3 "$WORK/err")"
  ! grep -v '^trendtop: stats' "$WORK/err" | grep . >&2 || fail "$what: messages"
  cut -f4,5 "$WORK/out" | awk -F'\t' '{ print $2 "\t" $1 }' | sort >"$WORK/got"
  assert_files_eq "$what: every file read" "$WORK/expect" "$WORK/got"
  s=$(grep '^trendtop: stats lines' "$WORK/err")
  assert_eq "$what: lines" 100 "$(stat_of lines "$s")"
  assert_eq "$what: counted" 100 "$(stat_of counted "$s")"
}
run "plain files" --threads 1 "$d"/plain/*/*.json
run "plain files in directories" --threads 1 "$d/plain"
run ".gz files" --threads 1 "$d"/gz/*/*.json.gz
run ".gz files in directories, 8 decoding threads" --threads 8 "$d/gz"
