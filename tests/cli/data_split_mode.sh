# --extract split reproduces the tutorial's pipeline (text.split(' '), '#' words, lower(), every occurrence),
# checked against the reference recount on the real stream minute.
. "$(dirname "$0")/common.sh"
need_data
bzcat "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" >"$WORK/minute"
$REF --extract split --window 10000 --top 0 --format tsv "$WORK/minute" >"$WORK/expect" 2>/dev/null
"$TRENDTOP" --extract split --window 10s --top 0 -o tsv "$WORK/minute" >"$WORK/got"
assert_files_eq "split mode" "$WORK/expect" "$WORK/got"
# The tutorial's flaws are reproduced, e.g. a word that is only "#" or a URL fragment counts.
[ "$(wc -l <"$WORK/got")" -gt 0 ] || fail "no keys"
