# The progress line: on stderr only when it is a terminal (and stdout is not) and the input is regular files;
# erased at the end; --progress forces it, --no-progress turns it off. Terminals come from script(1).
. "$(dirname "$0")/common.sh"
command -v script >/dev/null || skip "script (bsdutils) not installed"
for i in $(seq 0 199); do tweet $((1609486140000 + i * 1000)) a b; done >"$WORK/in.json"
size=$(stat -c %s "$WORK/in.json")
esc=$'\e'
# tty_err ARGS...: trendtop with stdout to a file and stderr on a terminal; prints what the terminal got.
tty_err() {
  env -u NO_COLOR TERM=xterm script -qec "$TRENDTOP $* >$WORK/out" /dev/null </dev/null
}

"$TRENDTOP" "$WORK/in.json" >"$WORK/expected" 2>"$WORK/err"
[ -s "$WORK/err" ] && fail "progress on stderr that is not a terminal: $(cat -v "$WORK/err")"

tty_err "$WORK/in.json" >"$WORK/tty"
assert_files_eq "output with progress" "$WORK/expected" "$WORK/out"
grep -q "trendtop: .* of $(awk -v s="$size" 'BEGIN { printf "%.1f kB", s / 1e3 }') (" "$WORK/tty" ||
  fail "no progress line with the total on a terminal: $(cat -v "$WORK/tty")"
grep -q "/s" "$WORK/tty" || fail "no rate: $(cat -v "$WORK/tty")"
# Erased at the end: the terminal's last bytes are a return and erase-line.
assert_eq "progress erased at the end" "$(printf '\r%s[K' "$esc" | od -An -c)" "$(tail -c 4 "$WORK/tty" | od -An -c)"

tty_err --no-progress "$WORK/in.json" >"$WORK/tty_off"
[ -s "$WORK/tty_off" ] && fail "--no-progress still shows: $(cat -v "$WORK/tty_off")"
# stdin from a pipe: no total, no progress by default.
env -u NO_COLOR TERM=xterm script -qec "cat $WORK/in.json | $TRENDTOP >$WORK/out" /dev/null </dev/null >"$WORK/tty_pipe"
[ -s "$WORK/tty_pipe" ] && fail "progress for a pipe: $(cat -v "$WORK/tty_pipe")"
# stdin redirected from a regular file has a size: progress.
env -u NO_COLOR TERM=xterm script -qec "$TRENDTOP <$WORK/in.json >$WORK/out" /dev/null </dev/null >"$WORK/tty_redir"
grep -q "trendtop: .* of " "$WORK/tty_redir" || fail "no progress for stdin from a file: $(cat -v "$WORK/tty_redir")"

# --progress forces it, even into a file.
"$TRENDTOP" --progress "$WORK/in.json" >"$WORK/out" 2>"$WORK/forced"
assert_files_eq "output with --progress" "$WORK/expected" "$WORK/out"
grep -q "trendtop: " "$WORK/forced" || fail "--progress shows nothing: $(cat -v "$WORK/forced")"
"$TRENDTOP" --progress --no-progress "$WORK/in.json" >/dev/null 2>&1 && fail "--progress --no-progress accepted"
[ $? -eq 2 ] || fail "--progress --no-progress: exit status"
exit 0
