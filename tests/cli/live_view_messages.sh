# Messages while the live view holds the terminal stay off its lines and are printed at the end (issue 17).
. "$(dirname "$0")/common.sh"
python3 -c 'import pty, termios' 2>/dev/null || skip "python3 without pty support"
python3 "$SRC/tests/cli/live_view_messages.py" "$TRENDTOP" "$(free_port)" || fail "messages in the live view"
