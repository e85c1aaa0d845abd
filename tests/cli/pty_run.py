"""A trendtop run in a pseudo-terminal, for the live-view tests (live_view_listen.py, live_view_messages.py,
live_view_usr1_clocks.py): the terminal is its stdout and stderr and its controlling terminal; what it
writes is collected as it comes, and the view's frames are read out of it. Plain python3 (stdlib).
(live_view.py sets up its own: it needs job control, for Ctrl-Z.)"""
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

SGR = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
LEAVE = b"\x1b[?1049l"  # the view gives the terminal back


class PtyRun:
    def __init__(self, argv, rows=24, cols=100):
        self.master, slave = os.openpty()
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def setup():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                                     preexec_fn=setup, env=dict(os.environ, TERM="xterm"))
        os.close(slave)
        self.data = bytearray()
        self.closed = False

    def pump(self, seconds, until=None):
        """Collects output for up to `seconds`, or until `until()` holds (then True), or the terminal closes."""
        end = time.time() + seconds
        while time.time() < end and not self.closed:
            r, _, _ = select.select([self.master], [], [], 0.1)
            if r:
                try:
                    self.data.extend(os.read(self.master, 65536))
                except OSError:  # EIO: every writer is gone
                    self.closed = True
            if until and until():
                return True
        return bool(until and until())

    def wait_for(self, what, until, seconds=30):
        """Collects output until `until()` holds; fails, saying `what`, if it does not within `seconds`."""
        if not self.pump(seconds, until):
            self.fail("%s (waited %d s)" % (what, seconds))

    def frames(self):
        """Every frame written so far, as lines: a frame starts at cursor-home and ends with erase-below."""
        return [SGR.sub(b"", f.replace(b"\x1b[K", b"")).decode("utf-8", "replace").replace("\r", "").split("\n")
                for f in re.findall(rb"\x1b\[H(.*?)\x1b\[J", bytes(self.data), re.S)]

    def screen(self):
        fs = self.frames()
        return fs[-1] if fs else []

    def outside_frames(self):
        """What was written outside the frames before the terminal was given back, control sequences left out."""
        data = bytes(self.data)
        leave = data.find(LEAVE)
        before = data if leave < 0 else data[:leave]
        return SGR.sub(b"", re.sub(rb"\x1b\[H.*?\x1b\[J", b"", before, flags=re.S)).strip()

    def end(self, sig, seconds=20):
        """Sends `sig`, waits for the exit, collects the rest; returns what came after the view, as text."""
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.fail("did not exit")
        self.pump(10)  # until the terminal closes: what is left in it
        data = bytes(self.data)
        leave = data.rfind(LEAVE)
        if leave < 0:
            self.fail("terminal not restored")
        return SGR.sub(b"", data[leave + len(LEAVE):]).decode().replace("\r", "")

    def fail(self, msg):
        sys.stderr.write("FAIL: %s\nscreen:\n%s\nbytes: %r\n" % (msg, "\n".join(self.screen()),
                                                                 bytes(self.data)[-800:]))
        self.proc.kill()
        sys.exit(1)

    def connect(self, port):
        """A TCP connection to trendtop's --listen port, once it listens."""
        for _ in range(400):
            try:
                return socket.create_connection(("127.0.0.1", port))
            except OSError:
                time.sleep(0.05)
        self.fail("cannot connect to port %d" % port)
