# SIGUSR1 under the live view with several sources: the per-source clock lines of the report are held by
# the view like the rest of the report (they used to be written over its screen), and printed once the
# terminal is restored.
. "$(dirname "$0")/common.sh"
python3 -c 'import pty, termios' 2>/dev/null || skip "python3 without pty support"
python3 "$SRC/tests/cli/live_view_usr1_clocks.py" "$TRENDTOP" "$(free_port)" || fail "SIGUSR1's clock lines in the live view"
