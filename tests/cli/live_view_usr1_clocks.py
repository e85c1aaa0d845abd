#!/usr/bin/env python3
"""SIGUSR1 under the live view with two sources (tests/cli/live_view_usr1_clocks.sh): the report's per-source
clock lines are held by the view like the rest of the report, never written over its screen, and printed
on lines of their own once the terminal is restored. usage: live_view_usr1_clocks.py TRENDTOP PORT
Plain python3 (stdlib)."""
import fcntl
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import time

binary, port = sys.argv[1], int(sys.argv[2])
master, slave = os.openpty()
fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))


def setup():
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)


proc = subprocess.Popen([binary, "--listen", str(port), "--time", "event", "-w", "1h"], stdin=subprocess.DEVNULL,
                        stdout=slave, stderr=slave, preexec_fn=setup, env=dict(os.environ, TERM="xterm"))
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
    sys.stderr.write("FAIL: %s\nscreen:\n%s\nbytes: %r\n" % (msg, "\n".join(fs[-1] if fs else []), bytes(data)[-800:]))
    proc.kill()
    sys.exit(1)


def connect():
    for _ in range(200):
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.05)
    fail("cannot connect")


def tweet(ms):
    return (b'{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
            b'"entities":{"hashtags":[{"text":"hi","indices":[0,1]}]},"timestamp_ms":"%d"}\n' % ms)


# Two producers, one a minute behind the other: two sources with clocks of their own.
c1, c2 = connect(), connect()
c1.sendall(tweet(1609486140000))
c2.sendall(tweet(1609486200000))
pump(30, lambda: any(len(f) > 2 and "lines 2  counted 2" in f[2] for f in frames()))
if not any(len(f) > 2 and "lines 2  counted 2" in f[2] for f in frames()):
    fail("the two records were not counted")
os.kill(proc.pid, signal.SIGUSR1)
# The view takes the report: its last line (the slowest clock) is shown in the frame.
pump(30, lambda: any(any("stats clock=" in l for l in f) for f in frames()))
leave = bytes(data).find(b"\x1b[?1049l")
before = bytes(data) if leave < 0 else bytes(data)[:leave]
outside = SGR.sub(b"", re.sub(rb"\x1b\[H.*?\x1b\[J", b"", before, flags=re.S)).strip()
if outside:
    fail("written outside the view's frames: %r" % outside[:300])
os.kill(proc.pid, signal.SIGINT)
try:
    proc.wait(timeout=20)
except subprocess.TimeoutExpired:
    fail("did not exit")
pump(0.5)
tail = bytes(data)
leave = tail.rfind(b"\x1b[?1049l")
if leave < 0:
    fail("terminal not restored")
after = SGR.sub(b"", tail[leave + len(b"\x1b[?1049l"):]).decode().replace("\r", "").split("\n")
# The report in order, each message a line of its own: the counters, the listener, the watermark, then one
# clock per producer, the one behind first.
report = [l for l in after if l.startswith("trendtop: stats")]
kinds = [re.match(r"trendtop: stats (\w+)=", l).group(1) for l in report]
if kinds != ["lines", "source", "watermark", "clock", "clock"]:
    fail("the report after the view: %r" % report)
if "sources=2" not in report[2] or "lag=1m" not in report[3] or "lag=0s" not in report[4]:
    fail("the clock lines: %r" % report[2:])
