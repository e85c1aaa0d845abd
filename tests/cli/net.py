#!/usr/bin/env python3
"""Test peers for trendtop's network sources: producers that connect and send, and a server that serves.

  net.py produce PORT SPEC...   one producer per SPEC, all at once; SPEC is MODE:FILE where MODE is
                                whole (one sendall), dribble (random writes of 1-200 bytes),
                                nonewline (whole, last newline stripped), midline (stop halfway through
                                the last line), silent (connect, send nothing, hold until the others end),
                                or garbage (random bytes, then close)
  net.py serve PORT FILE...     listen; serve FILE i to the i-th connection, close it; exit after the last

Bounded: every socket has a timeout, so a broken trendtop fails the test instead of hanging it.
"""
import random
import socket
import sys
import threading
import time

TIMEOUT = 30


def produce(port, specs):
    rng = random.Random(7)
    done = threading.Event()
    errors = []

    def one(mode, path):
        try:
            data = open(path, "rb").read() if path else b""
            s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            if mode == "whole":
                s.sendall(data)
            elif mode == "dribble":
                r = random.Random(hash(path) & 0xFFFF)
                i = 0
                while i < len(data):
                    n = r.randint(1, 200)
                    s.sendall(data[i:i + n])
                    i += n
            elif mode == "nonewline":
                s.sendall(data.rstrip(b"\r\n"))
            elif mode == "midline":
                body = data.rstrip(b"\r\n")
                cut = body.rfind(b"\n") + 1
                s.sendall(body[: cut + (len(body) - cut) // 2])
            elif mode == "silent":
                done.wait(TIMEOUT)
            elif mode == "garbage":
                s.sendall(bytes(rng.getrandbits(8) for _ in range(5000)))
            else:
                raise ValueError(mode)
            s.close()
        except Exception as e:  # reported below: the test fails
            errors.append(f"{mode}:{path}: {e}")

    talkers = []
    silent = []
    for spec in specs:
        mode, _, path = spec.partition(":")
        t = threading.Thread(target=one, args=(mode, path))
        (silent if mode == "silent" else talkers).append(t)
        t.start()
    for t in talkers:
        t.join()
    done.set()
    for t in silent:
        t.join()
    if errors:
        sys.exit("\n".join(errors))


def serve(port, paths):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)
    srv.settimeout(TIMEOUT)
    for path in paths:
        conn, _ = srv.accept()
        conn.sendall(open(path, "rb").read())
        conn.close()
    srv.close()


def main():
    cmd, port, *rest = sys.argv[1:]
    (produce if cmd == "produce" else serve)(int(port), rest)


if __name__ == "__main__":
    main()
