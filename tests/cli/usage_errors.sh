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
