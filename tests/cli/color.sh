# --color: never into a pipe unless asked (always); on a terminal only when NO_COLOR is unset and TERM is not
# dumb; --view auto is live only on a capable terminal, for a stream. The terminal is a pseudo-terminal from script(1).
. "$(dirname "$0")/common.sh"
command -v script >/dev/null || skip "script (bsdutils) not installed"
for i in 0 1 2; do
  tweet $((1609486140000 + i * 10000)) a b
  tweet $((1609486140000 + i * 10000)) b
done >"$WORK/in.json"
esc=$'\e'
has_esc() { grep -q "$esc" "$1"; }
# Into a pipe (a file here): no colour unless asked for.
"$TRENDTOP" "$WORK/in.json" >"$WORK/pipe"
has_esc "$WORK/pipe" && fail "colour into a pipe by default"
"$TRENDTOP" --color never "$WORK/in.json" >"$WORK/never"
assert_files_eq "--color never" "$WORK/pipe" "$WORK/never"
"$TRENDTOP" --color always "$WORK/in.json" >"$WORK/always"
has_esc "$WORK/always" || fail "--color always into a pipe has no colour"
NO_COLOR=1 "$TRENDTOP" --color always "$WORK/in.json" >"$WORK/always_nc"
has_esc "$WORK/always_nc" || fail "--color always is overridden by NO_COLOR (it should win)"
# Without the escapes, always is the plain text exactly.
sed "s/$esc\[[0-9;]*m//g" "$WORK/always" >"$WORK/always_stripped"
assert_files_eq "--color always, stripped" "$WORK/pipe" "$WORK/always_stripped"
grep -qx "${esc}\[1m2021-01-01 07:29:00 .. 07:29:10 UTC  2 records, 2 keys${esc}\[0m" "$WORK/always" ||
  fail "window line not bold, or its bold not ended on the line: $(cat -v "$WORK/always")"
grep -qx "  1  #b  2  +2  ${esc}\[33mnew${esc}\[0m" "$WORK/always" ||
  fail "key line: $(cat -v "$WORK/always")"
# Every coloured line ends its colour on the line (issue 17): `--color always | head -1` leaves the terminal
# as it was.
unreset=$(grep "$esc" "$WORK/always" | grep -vc "${esc}\[0m\$" || true)
assert_eq "coloured lines without a reset at their end" 0 "$unreset"
"$TRENDTOP" --color always "$WORK/in.json" | head -1 >"$WORK/head1"
grep -q "${esc}\[0m\$" "$WORK/head1" || fail "--color always | head -1 leaves the colour on: $(cat -v "$WORK/head1")"
grep -q "${esc}\[33mnew${esc}\[0m" "$WORK/always" || fail "new not yellow: $(cat -v "$WORK/always")"
"$TRENDTOP" --color sometimes "$WORK/in.json" 2>"$WORK/err" && fail "--color sometimes accepted"
[ $? -eq 2 ] || fail "--color sometimes: exit status"

# On a terminal: scroll view in colour; NO_COLOR and TERM=dumb turn it off.
env -u NO_COLOR TERM=xterm script -qec "$TRENDTOP --view scroll $WORK/in.json" /dev/null </dev/null >"$WORK/tty"
grep -q "${esc}\[1m2021-01-01 07:29:00" "$WORK/tty" || fail "no colour on a terminal: $(cat -v "$WORK/tty")"
env TERM=xterm NO_COLOR=1 script -qec "$TRENDTOP --view scroll $WORK/in.json" /dev/null </dev/null >"$WORK/nc"
has_esc "$WORK/nc" && fail "colour with NO_COLOR set: $(cat -v "$WORK/nc")"
env -u NO_COLOR TERM=dumb script -qec "cat $WORK/in.json | $TRENDTOP" /dev/null </dev/null >"$WORK/dumb"
has_esc "$WORK/dumb" && fail "escapes with TERM=dumb (colour or the live view): $(cat -v "$WORK/dumb")"
tr -d '\r' <"$WORK/dumb" >"$WORK/dumb_lf"
assert_files_eq "TERM=dumb: the scroll text" "$WORK/pipe" "$WORK/dumb_lf"
# --view auto on a capable terminal: files are a report (every window, scrolling); a stream gets the live
# view: alternate screen in, out, then the last window.
env -u NO_COLOR TERM=xterm script -qec "$TRENDTOP --color never $WORK/in.json" /dev/null </dev/null >"$WORK/files"
tr -d '\r' <"$WORK/files" >"$WORK/files_lf"
assert_files_eq "files on a terminal: the scroll text" "$WORK/pipe" "$WORK/files_lf"
env -u NO_COLOR TERM=xterm script -qec "cat $WORK/in.json | $TRENDTOP" /dev/null </dev/null >"$WORK/live"
grep -q "${esc}\[?1049h" "$WORK/live" || fail "no live view on a terminal: $(cat -v "$WORK/live")"
tail -3 "$WORK/pipe" >"$WORK/last"
sed -n "/${esc}\[?1049l/,\$p" "$WORK/live" | sed "1s/.*${esc}\[?1049l//" | tr -d '\r' | sed "s/$esc\[[0-9;]*m//g" >"$WORK/live_last"
assert_files_eq "live view leaves the last window" "$WORK/last" "$WORK/live_last"
# The live view's own colours go off with NO_COLOR.
env TERM=xterm NO_COLOR=1 script -qec "cat $WORK/in.json | $TRENDTOP" /dev/null </dev/null >"$WORK/live_nc"
grep -q "${esc}\[?1049h" "$WORK/live_nc" || fail "no live view with NO_COLOR"
sgr=$(grep -o "${esc}\[[0-9;]*m" "$WORK/live_nc" | grep -vc "${esc}\[0m" || true)
assert_eq "live view colours with NO_COLOR" 0 "$sgr"
# --view live with a machine format is a usage error.
"$TRENDTOP" --view live -o json "$WORK/in.json" 2>/dev/null && fail "--view live -o json accepted"
[ $? -eq 2 ] || fail "--view live -o json: exit status"
"$TRENDTOP" --view sideways "$WORK/in.json" 2>/dev/null && fail "--view sideways accepted"
[ $? -eq 2 ] || fail "--view sideways: exit status"
exit 0
