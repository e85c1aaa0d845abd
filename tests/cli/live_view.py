#!/usr/bin/env python3
"""Drives trendtop's live view in a real pseudo-terminal (tests/cli/live_view.sh).

usage: live_view.py TRENDTOP end|sigint

Feeds two 10 s windows of hand-counted tweets on stdin (a pipe; the terminal is stdout and stderr), reads the
frames the view writes, resizes the terminal, stops and continues it (Ctrl-Z, fg), and ends the run by closing stdin (end) or with SIGINT. Checks
the screen after a few refreshes, after the resize, and that the terminal is restored with the last window
left in the scrollback. Exit status 0 when every check passes; otherwise a message on stderr and 1.
"""
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

T0 = 1609486140000  # 2021-01-01T07:29:00Z, a window boundary for 10 s windows


def tweet(ms, *tags):
    ents = ",".join('{"text":"%s","indices":[0,1]}' % t for t in tags)
    return ('{"created_at":"Fri Jan 01 07:29:00 +0000 2021","id_str":"1","text":"x","user":{"id":1},'
            '"entities":{"hashtags":[%s]},"timestamp_ms":"%d"}\n' % (ents, ms)).encode()


def fail(msg, screen=None):
    sys.stderr.write("FAIL: %s\n" % msg)
    if screen is not None:
        sys.stderr.write("screen:\n" + "\n".join(screen) + "\n")
    sys.exit(1)


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


SGR = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def frames(data):
    """The frames written so far: each starts at cursor-home and ends with erase-below."""
    out = []
    for m in re.finditer(rb"\x1b\[H(.*?)\x1b\[J", data, re.S):
        text = SGR.sub(b"", m.group(1).replace(b"\x1b[K", b"")).decode("utf-8", "replace")
        out.append(text.replace("\r", "").split("\n"))  # the tty turns \n into \r\n
    return out


# trendtop runs as a job of this session leader, in its own foreground process group, as under a shell: a
# group whose parent is in the same session is not orphaned, so Ctrl-Z can stop it.
WRAPPER = r"""
import os, signal, sys
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    os.tcsetpgrp(1, os.getpid())
    signal.signal(signal.SIGTTOU, signal.SIG_DFL)
    os.execv(sys.argv[1], sys.argv[1:])
while True:
    _, st = os.waitpid(pid, os.WUNTRACED)
    if os.WIFEXITED(st):
        sys.exit(os.WEXITSTATUS(st))
    if os.WIFSIGNALED(st):
        sys.exit(128 + os.WTERMSIG(st))
"""


def main():
    binary, mode = sys.argv[1], sys.argv[2]
    master, slave = os.openpty()
    set_size(master, 30, 100)
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)

    def child_setup():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, binary, "--idle-timeout", "0", "--window", "10s"],
                            stdin=subprocess.PIPE, stdout=slave, stderr=slave, preexec_fn=child_setup, env=env)
    os.close(slave)
    pid = None
    for _ in range(100):
        try:
            with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
                pid = int(f.read().split()[0])
            break
        except (OSError, IndexError, ValueError):
            time.sleep(0.05)
    if pid is None:
        fail("trendtop did not start")
    data = bytearray()

    def pump(seconds):
        end = time.time() + seconds
        while True:
            left = end - time.time()
            if left <= 0:
                return
            r, _, _ = select.select([master], [], [], left)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    return
                if not chunk:
                    return
                data.extend(chunk)

    def send(b):
        proc.stdin.write(b)
        proc.stdin.flush()

    # Window A [T0, T0+10s): alpha 5, beta 3, gamma 1. Window B: beta 4, delta 2, alpha 1; two malformed lines.
    for i in range(5):
        send(tweet(T0 + 100 * i, "alpha", *(["beta"] if i < 3 else []), *(["gamma"] if i == 0 else [])))
    send(b"{not json\n")
    send(b"nor this\n")
    for i in range(4):
        send(tweet(T0 + 10_000 + 100 * i, "beta", *(["delta"] if i < 2 else []), *(["alpha"] if i == 0 else [])))
    pump(2.5)  # a few refreshes
    fs = frames(bytes(data))
    if len(fs) < 2:
        fail("fewer than 2 frames in 2.5 s: %r" % bytes(data[:400]))
    if not data.startswith(b"\x1b[?1049h"):
        fail("the view does not start on the alternate screen: %r" % bytes(data[:40]))
    screen = fs[-1]
    if len(screen) > 30 or any(len(l) > 100 for l in screen):
        fail("frame larger than 100x30: %r" % [len(l) for l in screen], screen)
    text = "\n".join(screen)
    if "stdin" not in screen[0] or "window 10s" not in screen[0]:
        fail("title line lacks the source and window", screen)
    if "windows 1" not in screen[1] or "lines 11  counted 9  malformed 2  late 0  filtered 0" not in screen[2]:
        fail("counters line", screen)
    opened = next((i for i, l in enumerate(screen) if l.startswith("open")), None)
    closed = next((i for i, l in enumerate(screen) if l.startswith("closed")), None)
    if opened is None or closed is None or closed < opened:
        fail("no open and closed sections", screen)
    if "07:29:10 .. 07:29:20 UTC  4 records, 3 keys" not in screen[opened]:
        fail("open section header", screen)
    if "07:29:00 .. 07:29:10 UTC  5 records, 3 keys" not in screen[closed]:
        fail("closed section header", screen)

    def rows(at):
        out = []
        for l in screen[at + 1:]:
            m = re.match(r"\s+(\d+)\s+(#?\w+)\s+(\d+)\s+([█▉▊▋▌▍▎▏]*)\s+(↑\d+|↓\d+|=|new)\s*(\S*)", l)
            if not m:
                break
            out.append((int(m.group(1)), m.group(2), int(m.group(3)), len(m.group(4)), m.group(5)))
        return out

    got_open = [(r[1], r[2], r[4]) for r in rows(opened)]
    want_open = [("#beta", 4, "↑1"), ("#delta", 2, "new"), ("#alpha", 1, "↓2")]
    if got_open != want_open:
        fail("open rows %r, expected %r" % (got_open, want_open), screen)
    got_closed = [(r[1], r[2], r[4]) for r in rows(closed)]
    want_closed = [("#alpha", 5, "new"), ("#beta", 3, "new"), ("#gamma", 1, "new")]
    if got_closed != want_closed:
        fail("closed rows %r, expected %r" % (got_closed, want_closed), screen)
    bars = [r[3] for r in rows(closed)]
    if not bars[0] > bars[1] > bars[2] >= 1:
        fail("bars not proportional: %r" % bars, screen)
    if b"\x1b[3" not in data:
        fail("no colour on a terminal without NO_COLOR")

    # Resize: the next frame fits the new size.
    before = len(frames(bytes(data)))
    set_size(master, 12, 50)
    os.kill(pid, signal.SIGWINCH)
    pump(1.5)
    fs = frames(bytes(data))
    if len(fs) <= before:
        fail("no frame after the resize")
    screen = fs[-1]
    if len(screen) > 12 or any(len(l) > 50 for l in screen):
        fail("frame after resize larger than 50x12", screen)
    if not any(l.startswith("open") for l in screen):
        fail("no open section after resize", screen)

    # Ctrl-Z gives the terminal back before stopping; fg takes it again and redraws at once.
    mark = len(data)
    os.kill(pid, signal.SIGTSTP)
    pump(0.5)
    with open("/proc/%d/stat" % pid) as f:
        state = f.read().rsplit(")", 1)[1].split()[0]
    if state != "T":
        fail("not stopped by SIGTSTP (state %s): %r" % (state, bytes(data[mark:])[-300:]))
    if not bytes(data[mark:]).endswith(b"\x1b[?1049l"):
        fail("terminal not given back on SIGTSTP: %r" % bytes(data[mark:]))
    mark = len(data)
    os.kill(pid, signal.SIGCONT)
    pump(0.5)
    back = bytes(data[mark:])
    if not back.startswith(b"\x1b[?1049h") or b"\x1b[J" not in back:
        fail("no alternate screen and frame after SIGCONT: %r" % back[:200])

    # The end: terminal restored, last window in the scrollback.
    if mode == "end":
        proc.stdin.close()
    else:
        os.kill(pid, signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("did not exit")
    pump(0.5)
    if proc.returncode != 0:
        fail("exit status %d" % proc.returncode)
    tail = bytes(data)
    leave = tail.rfind(b"\x1b[?1049l")
    if leave < 0 or tail.rfind(b"\x1b[?25h") < 0 or tail.rfind(b"\x1b[?25h") > leave:
        fail("terminal not restored (main screen, cursor shown): %r" % tail[-300:])
    after = SGR.sub(b"", tail[leave + len(b"\x1b[?1049l"):]).decode().replace("\r", "")
    if mode == "end":
        want = ("07:29:10 .. 07:29:20 UTC  4 records, 3 keys\n"
                "  1  #beta   4  +1  \u21911\n"
                "  2  #delta  2  +2  new\n"
                "  3  #alpha  1  -4  \u21932\n")
    else:
        want = ("07:29:00 .. 07:29:10 UTC  5 records, 3 keys\n"
                "  1  #alpha  5  +5  new\n"
                "  2  #beta   3  +3  new\n"
                "  3  #gamma  1  +1  new\n"
                "\n"
                "2021-01-01 07:29:10 .. 07:29:20 UTC  4 records, 3 keys  (partial)\n"
                "  1  #beta   4  +1  \u21911\n"
                "  2  #delta  2  +2  new\n"
                "  3  #alpha  1  -4  \u21932\n")
    # Then, on stderr (the same terminal), what was not counted: the two malformed lines.
    want += "trendtop: 2 of 11 lines not counted: 2 malformed\n"
    if not after.endswith(want):
        fail("scrollback after the view:\n%s\nexpected to end with:\n%s" % (after, want))
    if "\x1b[32m\u2191".encode() not in tail[leave:]:  # a rise in green, as --view scroll prints it here
        fail("scrollback not in colour on a colour terminal: %r" % tail[leave:])
    if b"\x1b[H" in tail[leave:]:
        fail("a frame drawn after the terminal was restored")


main()
