# The live view of --listen producers: the listener in the title, producers connected now, the empty open window.
. "$(dirname "$0")/common.sh"
python3 -c 'import pty, termios' 2>/dev/null || skip "python3 without pty support"
python3 "$SRC/tests/cli/live_view_listen.py" "$TRENDTOP" "$(free_port)" || fail "live view of --listen"
