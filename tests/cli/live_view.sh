# The live view in a real pseudo-terminal: screen contents after a few refreshes, a resize, and a clean exit
# (end of input, then SIGINT) restoring the terminal with the last window left in the scrollback.
. "$(dirname "$0")/common.sh"
python3 -c 'import pty, termios' 2>/dev/null || skip "python3 without pty support"
python3 "$SRC/tests/cli/live_view.py" "$TRENDTOP" end || fail "live view, end of input"
python3 "$SRC/tests/cli/live_view.py" "$TRENDTOP" sigint || fail "live view, SIGINT"
