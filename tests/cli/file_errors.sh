# Errors about files name the file the user gave, with the reason (issue 17): --chart in a missing
# directory names FILE, not the temporary file beside it; --stopwords and --exclude-file name the file that
# cannot be read; trendtop merge of raw tweets says what it got.
. "$(dirname "$0")/common.sh"
one_error() {  # one_error STATUS LINE ARGS...: exactly LINE on stderr
  local want=$1 line=$2
  shift 2
  set +e
  "$TRENDTOP" "$@" </dev/null >/dev/null 2>"$WORK/err"
  local rc=$?
  set -e
  assert_eq "status of $*" "$want" "$rc"
  assert_eq "stderr of $*" "$line" "$(cat "$WORK/err")"
}
one_error 1 "trendtop: error: --chart: cannot write '$WORK/none/x.svg': No such file or directory" \
  --chart "$WORK/none/x.svg"
one_error 2 "trendtop: error: --stopwords: cannot read '$WORK/none/sw': No such file or directory (see trendtop --help)" \
  --keys words --stopwords "$WORK/none/sw"
one_error 2 "trendtop: error: --exclude-file: cannot read '$WORK/none/ex': No such file or directory (see trendtop --help)" \
  --exclude-file "$WORK/none/ex"
tweet 1609459200000 a >"$WORK/tweets.ndjson"
set +e
"$TRENDTOP" merge "$WORK/tweets.ndjson" >/dev/null 2>"$WORK/err"
rc=$?
set -e
assert_eq "merge of tweets: status" 1 "$rc"
grep -q "^trendtop: error: '$WORK/tweets.ndjson' is not a partial stream: .*a tweet" "$WORK/err" ||
  fail "merge of tweets: $(cat "$WORK/err")"
echo "file_errors: ok"
