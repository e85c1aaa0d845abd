# No FILE reads stdin; '-' among files reads stdin in its place; files are one stream, in order.
. "$(dirname "$0")/common.sh"
tweet 1609459200000 first >"$WORK/a"
tweet 1609459230000 third >"$WORK/c"
tweet 1609459215000 second | "$TRENDTOP" -o tsv -k 1 "$WORK/a" - "$WORK/c" | cut -f2,4 >"$WORK/out"
printf '2021-01-01T00:00:10Z\t#first\n2021-01-01T00:00:20Z\t#second\n2021-01-01T00:00:40Z\t#third\n' >"$WORK/expect"
assert_files_eq "order" "$WORK/expect" "$WORK/out"
cat "$WORK/a" | "$TRENDTOP" -o tsv | cut -f4 >"$WORK/out2"
assert_eq "stdin" "#first" "$(cat "$WORK/out2")"
# Regression: /dev/null (a character device epoll refuses) as a file or as stdin ends at once, empty.
assert_eq "/dev/null as a file" "" "$(timeout 5 "$TRENDTOP" /dev/null)"
assert_eq "/dev/null as stdin" "" "$(timeout 5 "$TRENDTOP" </dev/null)"
