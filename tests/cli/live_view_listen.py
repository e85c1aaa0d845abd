#!/usr/bin/env python3
"""The live view of --listen in a pseudo-terminal (tests/cli/live_view_listen.sh): the title names the
listener, the header counts the producers connected now (2, then 1 after one leaves), and the open window
shows even while it is empty. usage: live_view_listen.py TRENDTOP PORT. Plain python3 (stdlib)."""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import PtyRun  # noqa: E402

binary, port = sys.argv[1], int(sys.argv[2])
run = PtyRun([binary, "--listen", str(port), "--time", "arrival", "-w", "1h"])
c1, c2 = run.connect(port), run.connect(port)
# The view redraws every second: wait for a frame that shows both producers.
run.wait_for("a frame with 2 producers connected", lambda: len(run.screen()) > 1 and "connections 2" in run.screen()[1])
s = run.screen()
if "listen 127.0.0.1:%d" % port not in s[0] or "arrival time" not in s[0]:
    run.fail("title")
if not any(l.startswith("open ") and "0 records, 0 keys" in l for l in s):
    run.fail("the empty open window is not shown")
c1.sendall(b'{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
           b'"entities":{"hashtags":[{"text":"hi","indices":[0,1]}]}}\n')
c2.close()


def after_one_left():
    s = run.screen()
    return len(s) > 2 and "connections 1" in s[1] and "lines 1  counted 1" in s[2]


run.wait_for("a frame with 1 producer connected and its line counted", after_one_left)
if not any(re.match(r" 1  #hi  1  \S+\s+new", l) for l in run.screen()):
    run.fail("no running #hi")
run.end(signal.SIGINT)
if run.proc.returncode != 0:
    run.fail("exit status %d" % run.proc.returncode)
