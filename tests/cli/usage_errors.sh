# Usage errors exit 2 with exactly one line on stderr naming the problem, and print nothing on stdout.
. "$(dirname "$0")/common.sh"
check() {
  local expect=$1
  shift
  set +e
  "$TRENDTOP" "$@" </dev/null >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  set -e
  assert_eq "exit status of $*" 2 "$rc"
  assert_eq "stderr lines of $*" 1 "$(wc -l <"$WORK/err")"
  grep -q "^trendtop: error: .*$expect" "$WORK/err" || fail "$*: stderr [$(cat "$WORK/err")] lacks [$expect]"
  [ ! -s "$WORK/out" ] || fail "$*: wrote to stdout"
}
check "not a multiple of --slide" --window 10s --slide 3s
check "not a duration" --window 10parsecs
check "not a duration" --slide -5s
check "longer than 0" --window 0
check "not one of" --output xml
check "not one of" --time never
check "not one of" --extract magic
check "not one of" --keys hashtags,likes
check "not one of" --keys hashtags,
check "hashtags only" --extract split --keys mentions
check "not a size" --max-line 0
check "not a size" --max-line 12TB
check "from 1 to 1024" --threads 0
check "from 1 to 1024" -j 2000
check "from 1 to 1024" --threads two
check "not a duration" --lateness soon
check "--bogus" --bogus
check "" --top many
check "" --top -3
check "" --intervals

# Plain words for CLI11's own errors (issue 17): the nearest option for a mistyped one, a repeated option, an
# option without its value, --slide alone.
check "unknown option --windw; did you mean --window?" --windw 5s
check "unknown option --colour; did you mean --color?" --colour never
check "unknown option --no-retweet; did you mean --no-retweets?" --no-retweet
check "unknown option --stat; did you mean --stats or --state?" --stat
check "unknown option --max; did you mean --max-skew, --max-source-lag, --max-keys or --max-line?" --max 3
check "unknown option -Z (see trendtop --help)" -Z
check "--window was given 2 times; it takes one value" -w 5s -w 6s
check "--top was given 3 times; it takes one value" -k 1 -k 2 --top 3
check "--window needs a value (DUR)" --window
check "--intervals needs a value (N)" -n
check "--slide 20s needs a --window that is a multiple of it (the default window, 10s, is not)" --slide 20s
check "--window 1m is not a multiple of --slide 25s" --window 1m --slide 25s
# trendtop merge: its own options, and trendtop's named as such; its own --help.
check "unknown option --tops; did you mean --top? (see trendtop merge --help)" merge --tops 3
check "--window is an option of trendtop, not of trendtop merge (see trendtop merge --help)" merge --window 5s
check "unknown option --windw (trendtop has --window, trendtop merge has not)" merge --windw 5s
check "--top was given 2 times" merge -k 1 -k 2
check "--output: 'partial' is not one of csv, json, text, tsv (see trendtop merge --help)" merge -o partial
check "--baseline needs --rank trend" merge --baseline 1h

# Options the combination leaves without effect are refused like mistyped ones (issue 17), each with one line
# saying why. Every option where that can happen, once.
check "--retry needs --connect" --retry 3
check "--retry needs --connect" --retry forever --listen 127.0.0.1:9
check "--allow needs --listen" --allow 10.0.0.0/8
check "--client-timeout needs --listen" --client-timeout 5m
check "--max-connections needs --listen" --max-connections 10
check "--max-buffered needs --listen or --connect" --max-buffered 1M
check "--output: --print-keys has a format of its own" --print-keys -o json
for opt in "-w 1m" "-s 5s" "--time event" "--lateness 1s" "--max-skew 0" "--idle-timeout 1s" "-k 3" \
  "--max-keys 10" "--min-count 2" "--rank trend" "-n 1" "--emit every=1s" "--view scroll" "--color never"; do
  read -r -a o <<<"$opt"
  check "--print-keys prints each record's keys, not windows" --print-keys "${o[@]}"
done
check "--baseline: --print-keys" --print-keys --baseline 1h
check "--flush: --print-keys" --print-keys --state "$WORK/s" --flush
for opt in "-k 3" "--min-count 2" "--rank trend"; do
  read -r -a o <<<"$opt"
  check "-o partial carries every key; give it to trendtop merge" -o partial "${o[@]}"
done
check "--chart: -o partial prints no windows to chart" -o partial --chart "$WORK/c.svg"
check "--color: only text output" -o json --color always
check "--view: only text output" -o csv --view scroll
check "--baseline needs --rank trend" --baseline 1h
check "--stopwords needs --keys words" --stopwords /dev/null
check "--case: --extract split lower-cases keys" --extract split --case keep
check "--lateness: with --time arrival no record is late" --time arrival --lateness 5s
check "--idle-timeout: with --time arrival" --time arrival --idle-timeout 0
check "--time-field: --time arrival" --time arrival --schema json --key-field a --time-field t
check "--extract: --schema json records have no entities" --schema json --key-field a --extract text
check "--extract: --schema text records have no entities" --schema text --extract entities
check "--keys: with --key-field the keys are that field's values" --schema json --key-field a --keys mentions
check "--text-field: with --key-field the text is read only for --track" --schema json --key-field a --text-field b
check "--user-field: the author is read only for --count users" --schema json --key-field a --user-field u
# ... and the same options where they do act are accepted (stdin is empty: each run ends at once).
for args in "--schema text --extract split" "--schema json --key-field a --text-field b --track x" \
  "--rank trend --baseline 2h" "--keys words --stopwords /dev/null" "--time event --lateness 5s" \
  "--print-keys -j 2" "-o partial -n 1" "--schema json --key-field a --count users --user-field u"; do
  read -r -a a <<<"$args"
  "$TRENDTOP" "${a[@]}" </dev/null >/dev/null 2>"$WORK/err" || fail "refused where the option acts: $args: $(cat "$WORK/err")"
done
echo "usage_errors: ok"
