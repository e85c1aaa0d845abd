#!/usr/bin/env python3
"""Several producers on one trendtop --listen port, in a given choreography (plain python3, stdlib only).

  producers.py PORT STEP...

Steps run in order; NAME is any word naming a connection:
  connect:NAME              open a connection (trendtop accepts connections in the order they were made)
  send:NAME:FILE            send FILE's bytes on it, in one go
  trickle:NAME:FILE:OUT:N   send FILE a line at a time, one every 0.1 s, until OUT (a file trendtop writes)
                            has at least N lines; fails if FILE runs out first
  pause:SECONDS             wait (a step of the scenario, such as "the second producer starts 0.3 s later")
  lines:OUT:N               wait until OUT has at least N lines
  close:NAME                close it
Bounded: every wait gives up after 60 s, and the script fails.
"""
import socket
import sys
import time

TIMEOUT = 60


def lines(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def main():
    port = int(sys.argv[1])
    conns = {}
    for step in sys.argv[2:]:
        what, _, rest = step.partition(":")
        if what == "connect":
            conns[rest] = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        elif what == "send":
            name, path = rest.split(":", 1)
            conns[name].sendall(open(path, "rb").read())
        elif what == "trickle":
            name, path, out, n = rest.split(":")
            deadline = time.monotonic() + TIMEOUT
            data = open(path, "rb").read().splitlines(keepends=True)
            for line in data:
                if lines(out) >= int(n):
                    break
                if time.monotonic() > deadline:
                    sys.exit(f"trickle: {out} did not reach {n} lines")
                conns[name].sendall(line)
                time.sleep(0.1)
            else:
                if lines(out) < int(n):
                    sys.exit(f"trickle: {path} ran out before {out} had {n} lines")
        elif what == "pause":
            time.sleep(float(rest))
        elif what == "lines":
            out, n = rest.split(":")
            deadline = time.monotonic() + TIMEOUT
            while lines(out) < int(n):
                if time.monotonic() > deadline:
                    sys.exit(f"lines: {out} did not reach {n} lines")
                time.sleep(0.05)
        elif what == "close":
            conns.pop(rest).close()
        else:
            sys.exit(f"unknown step {step}")
    for s in conns.values():
        s.close()


if __name__ == "__main__":
    main()
