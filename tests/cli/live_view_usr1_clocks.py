#!/usr/bin/env python3
"""SIGUSR1 under the live view with two sources (tests/cli/live_view_usr1_clocks.sh): the report's per-source
clock lines are held by the view like the rest of the report, never written over its screen, and printed
on lines of their own once the terminal is restored. usage: live_view_usr1_clocks.py TRENDTOP PORT
Plain python3 (stdlib)."""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import PtyRun  # noqa: E402

binary, port = sys.argv[1], int(sys.argv[2])
run = PtyRun([binary, "--listen", str(port), "--time", "event", "-w", "1h"])
fail = run.fail


def tweet(ms):
    return (b'{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
            b'"entities":{"hashtags":[{"text":"hi","indices":[0,1]}]},"timestamp_ms":"%d"}\n' % ms)


# Two producers, one a minute behind the other: two sources with clocks of their own.
c1, c2 = run.connect(port), run.connect(port)
c1.sendall(tweet(1609486140000))
c2.sendall(tweet(1609486200000))
run.wait_for("the two records counted", lambda: any(len(f) > 2 and "lines 2  counted 2" in f[2] for f in run.frames()))
run.proc.send_signal(signal.SIGUSR1)
# The view takes the report: its last line (the slowest clock) is shown in the frame.
run.wait_for("the report's clock line in the view",
             lambda: any(any("stats clock=" in l for l in f) for f in run.frames()))
outside = run.outside_frames()
if outside:
    fail("written outside the view's frames: %r" % outside[:300])
after = run.end(signal.SIGINT).split("\n")
# The report in order, each message a line of its own: the counters, the listener, the watermark, then one
# clock per producer, the one behind first.
report = [l for l in after if l.startswith("trendtop: stats")]
kinds = [re.match(r"trendtop: stats (\w+)=", l).group(1) for l in report]
if kinds != ["lines", "source", "watermark", "clock", "clock"]:
    fail("the report after the view: %r" % report)
if "sources=2" not in report[2] or "lag=1m" not in report[3] or "lag=0s" not in report[4]:
    fail("the clock lines: %r" % report[2:])
