#!/usr/bin/env python3
"""Messages while the live view holds the terminal (tests/cli/live_view_messages.sh; issue 17): a --connect
server that refuses is said in the view (its last message on a line of its own), never written over the
view's lines, and every message is printed on lines of its own once the terminal is restored; the header
lines of a 60-column screen end at a whole word. usage: live_view_messages.py TRENDTOP PORT (nobody listens)
Plain python3 (stdlib)."""
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

binary, port = sys.argv[1], int(sys.argv[2])
master, slave = os.openpty()
fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))


def setup():
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)


proc = subprocess.Popen([binary, "--connect", "127.0.0.1:%d" % port, "--time", "arrival", "-w", "1h"],
                        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, preexec_fn=setup,
                        env=dict(os.environ, TERM="xterm"))
os.close(slave)
data = bytearray()
SGR = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def pump(seconds, until=None):
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                data.extend(os.read(master, 65536))
            except OSError:
                return
        if until and until():
            return


def frames():
    return [SGR.sub(b"", f.replace(b"\x1b[K", b"")).decode().replace("\r", "").split("\n")
            for f in re.findall(rb"\x1b\[H(.*?)\x1b\[J", bytes(data), re.S)]


def fail(msg):
    fs = frames()
    sys.stderr.write("FAIL: %s\nscreen:\n%s\nbytes: %r\n" % (msg, "\n".join(fs[-1] if fs else []), bytes(data)[-600:]))
    proc.kill()
    sys.exit(1)


refused = "trendtop: cannot connect to 127.0.0.1:%d: Connection refused; retrying in 100ms" % port
# In the view: the message without "trendtop: ", clipped to the screen.
def shown(f):
    return any(len(l.strip()) > 30 and refused[10:].startswith(l.strip()) for l in f)


pump(20, lambda: any(shown(f) for f in frames()))
fs = frames()
if not fs:
    fail("no frame")
screen = next((f for f in fs if shown(f)), None)
if screen is None:
    fail("the refusal is not shown in the view on a line of its own")
# Never written over the view: outside the frames, before the terminal is given back, nothing but control
# sequences.
leave = bytes(data).find(b"\x1b[?1049l")
before = bytes(data) if leave < 0 else bytes(data)[:leave]
outside = SGR.sub(b"", re.sub(rb"\x1b\[H.*?\x1b\[J", b"", before, flags=re.S)).strip()
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
os.kill(proc.pid, signal.SIGINT)
try:
    proc.wait(timeout=10)
except subprocess.TimeoutExpired:
    fail("did not exit")
pump(0.5)
tail = bytes(data)
leave = tail.rfind(b"\x1b[?1049l")
if leave < 0:
    fail("terminal not restored")
after = SGR.sub(b"", tail[leave + len(b"\x1b[?1049l"):]).decode().replace("\r", "")
if not after.startswith(refused + "\n"):
    fail("the messages are not on lines of their own after the view: %r" % after[:300])
