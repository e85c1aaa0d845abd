#!/usr/bin/env python3
"""The live view of --listen in a pseudo-terminal (tests/cli/live_view_listen.sh): the title names the
listener, the header counts the producers connected now (2, then 1 after one leaves), and the open window
shows even while it is empty. usage: live_view_listen.py TRENDTOP PORT"""
import fcntl
import os
import re
import select
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


proc = subprocess.Popen([binary, "--listen", str(port), "--time", "arrival", "-w", "1h"], stdin=subprocess.DEVNULL,
                        stdout=slave, stderr=slave, preexec_fn=setup, env=dict(os.environ, TERM="xterm"))
os.close(slave)
data = bytearray()


def pump(seconds):
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                data.extend(os.read(master, 65536))
            except OSError:
                return


def screen():
    frames = re.findall(rb"\x1b\[H(.*?)\x1b\[J", bytes(data), re.S)
    if not frames:
        return []
    return re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", frames[-1]).decode().replace("\r", "").split("\n")


def fail(msg):
    sys.stderr.write("FAIL: %s\nscreen:\n%s\n" % (msg, "\n".join(screen())))
    proc.kill()
    sys.exit(1)


def connect():
    for _ in range(100):
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.05)
    fail("cannot connect")


pump(0.3)
c1, c2 = connect(), connect()
pump(1.5)
s = screen()
if not s or "listen 127.0.0.1:%d" % port not in s[0] or "arrival time" not in s[0]:
    fail("title")
if "connections 2" not in s[1]:
    fail("2 producers connected")
if not any(l.startswith("open ") and "0 records, 0 keys" in l for l in s):
    fail("the empty open window is not shown")
c1.sendall(b'{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
           b'"entities":{"hashtags":[{"text":"hi","indices":[0,1]}]}}\n')
c2.close()
pump(1.5)
s = screen()
if "connections 1" not in s[1] or "lines 1  counted 1" not in s[2]:
    fail("after one producer left")
if not any(re.match(r" 1  #hi  1  \S+\s+new", l) for l in s):
    fail("no running #hi")
proc.send_signal(2)
proc.wait(10)
if proc.returncode != 0:
    fail("exit status %d" % proc.returncode)
