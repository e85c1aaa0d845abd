#!/usr/bin/env python3
"""Messages while the live view holds the terminal (tests/cli/live_view_messages.sh; issue 17): a --connect
server that refuses is said in the view (its last message on a line of its own), never written over the
view's lines, and every message is printed on lines of its own once the terminal is restored; the header
lines of a 60-column screen end at a whole word. usage: live_view_messages.py TRENDTOP PORT (nobody listens)
Plain python3 (stdlib)."""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import PtyRun  # noqa: E402

binary, port = sys.argv[1], int(sys.argv[2])
run = PtyRun([binary, "--connect", "127.0.0.1:%d" % port, "--time", "arrival", "-w", "1h"], rows=24, cols=60)
fail = run.fail
refused = "trendtop: cannot connect to 127.0.0.1:%d: Connection refused; retrying in 100ms" % port
# In the view: the message without "trendtop: ", clipped to the screen.
def shown(f):
    return any(len(l.strip()) > 30 and refused[10:].startswith(l.strip()) for l in f)


run.wait_for("the refusal shown in the view on a line of its own", lambda: any(shown(f) for f in run.frames()))
screen = next(f for f in run.frames() if shown(f))
# Never written over the view: outside the frames, before the terminal is given back, nothing but control
# sequences.
outside = run.outside_frames()
if outside:
    fail("written outside the view's frames: %r" % outside[:300])
# 60 columns: each header line fits and ends at a whole word (a counter's value, not half a word).
for line in screen[:3]:
    if len(line) > 60:
        fail("a line wider than 60 columns: %r" % line)
words = {"records/s", "MB/s", "MB", "windows", "connections", "lines", "counted", "malformed", "late",
         "filtered", "skipped", "arrival", "time", "1h", "window", "·"}
for line in screen[:3]:
    last = line.split()[-1] if line.split() else ""
    if not (re.fullmatch(r"[\d.]+[kMG%]?", last) or last in words or last.startswith("127.0.0.1")):
        fail("a header line cut mid-word: %r" % line)
# The end: every message on lines of its own after the terminal is restored.
after = run.end(signal.SIGINT)
if not after.startswith(refused + "\n"):
    fail("the messages are not on lines of their own after the view: %r" % after[:300])
