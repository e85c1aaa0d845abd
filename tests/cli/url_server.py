#!/usr/bin/python3
"""Test servers for trendtop's --connect URLs. Run with /usr/bin/python3: python3-websockets is a Debian
package, which only Debian's own interpreter loads (another python3 first on PATH would not find it).

  url_server.py ws FILE [--cut N]... [--lose K] [--batch B] [--fragment] [--ping] [--end hold|close:CODE:REASON]
      A Jetstream-like WebSocket server replaying FILE's events (NDJSON, one event a line) as they were
      emitted live. A connection asking for cursor=C (a time_us) first gets every event emitted so far whose
      time_us >= C, in time_us order (Jetstream's replay), then the live events; one without a cursor gets
      the live events from where the stream is. --cut N: after the N-th live event, the connection is dropped
      without a close frame, and the next K events (--lose) are emitted but never sent on it (lost in
      flight: only a replay has them). --batch B: B events per message, joined by newlines. --fragment: each
      message in three fragments. --ping: a ping before every 10th message, each pong awaited. --end: after
      the last event, keep the connection open (hold, default) or send a close frame.
  url_server.py sse FILE [--token T] [--ids] [--cut N]... [--cut-lines L] [--ndjson] [--redirect]
      [--end hold|close]
      An HTTP server streaming FILE's server-sent events (blocks separated by blank lines), chunked, to
      GET /api/v1/streaming/public. --token: 401 without "Authorization: Bearer T". --ids: each event gets
      "id: N" (N from 1) and a Last-Event-ID request header resumes after event N. --cut N: after the first
      line of the N-th event (--cut-lines L: its first L lines), the connection is dropped (the event
      unfinished). --ndjson: FILE is NDJSON,
      sent as application/x-ndjson. --redirect: /old answers 302 to the stream. Other paths: 404.
  url_server.py garbage http|frames
      Junk instead of an HTTP response (http), or a valid WebSocket handshake followed by a frame with a
      reserved opcode (frames).

Common options: --port-file F (written once listening; the port is the kernel's choice), --tls CERT KEY,
--log F (one line per connection and what it was sent). Everything is bounded in time: the server exits
after --lifetime seconds (default 120) whatever happens.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import random
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import websockets

LOG = None


def log(line):
    if LOG:
        with open(LOG, "a") as f:
            f.write(line + "\n")


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, path)


def tls_context(args):
    if not args.tls:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.tls[0], args.tls[1])
    return ctx


# --- WebSocket (Jetstream-like)


def serve_ws(args):
    lines = [l for l in open(args.file, encoding="utf-8").read().split("\n") if l.strip()]
    times = [json.loads(l).get("time_us", 0) for l in lines]
    state = {"pos": 0, "cuts": sorted(args.cut), "pongs": 0}

    async def drop(ws):
        t = ws.transport
        for _ in range(500):
            if t.get_write_buffer_size() == 0:
                break
            await asyncio.sleep(0.01)
        t.close()

    async def send(ws, batch, n):
        text = "\n".join(batch)
        if args.ping and n % 10 == 0:
            pong = await ws.ping()
            await asyncio.wait_for(pong, 10)
            state["pongs"] += 1
            log(f"pongs {state['pongs']}")
        if args.fragment and len(text) >= 3:
            a, b = len(text) // 3, 2 * len(text) // 3
            await ws.send(iter([text[:a], text[a:b], text[b:]]))
        else:
            await ws.send(text)

    async def handler(ws, path=None):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(ws.path).query)
        cursor = query.get("cursor", [None])[0]
        log(f"connection cursor={cursor if cursor is not None else 'none'}")
        sent = 0
        try:
            if cursor is not None:  # replay what was emitted since the cursor, oldest first
                replay = sorted((times[i], i) for i in range(state["pos"]) if times[i] >= int(cursor))
                for k in range(0, len(replay), args.batch):
                    await send(ws, [lines[i] for _, i in replay[k:k + args.batch]], sent)
                    sent += 1
                log(f"replayed {len(replay)}")
            while state["pos"] < len(lines):
                start = state["pos"]
                end = min(start + args.batch, len(lines))
                if state["cuts"] and state["cuts"][0] < end:
                    end = max(state["cuts"][0], start + 1)
                state["pos"] = end
                await send(ws, lines[start:end], sent)
                sent += 1
                if state["cuts"] and state["pos"] >= state["cuts"][0]:
                    state["cuts"].pop(0)
                    state["pos"] = min(len(lines), state["pos"] + args.lose)  # emitted, never sent here
                    log(f"cut at {end}, lost {state['pos'] - end}")
                    await drop(ws)
                    return
            log(f"sent all {len(lines)}")
            if args.end.startswith("close:"):
                _, code, reason = args.end.split(":", 2)
                await ws.close(int(code), reason)
            else:
                await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass

    async def main():
        async with websockets.serve(handler, "127.0.0.1", 0, ssl=tls_context(args)) as server:
            write_port(args.port_file, server.sockets[0].getsockname()[1])
            await asyncio.sleep(args.lifetime)

    asyncio.run(main())


# --- HTTP: server-sent events or NDJSON, chunked


def serve_sse(args):
    text = open(args.file, encoding="utf-8").read()
    if args.ndjson:
        events = [l + "\n" for l in text.split("\n") if l]
    else:
        events = [b + "\n\n" for b in text.split("\n\n") if b]
    cuts = sorted(args.cut)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def chunk(self, data):
            b = data.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))
            self.wfile.flush()

        def do_GET(self):
            log(f"GET {self.path} authorization={'yes' if self.headers.get('Authorization') else 'no'}"
                f" last-event-id={self.headers.get('Last-Event-ID', 'none')}")
            if args.redirect and self.path == "/old":
                self.send_response(302)
                self.send_header("Location", "/api/v1/streaming/public")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path != "/api/v1/streaming/public":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if args.token and self.headers.get("Authorization") != "Bearer " + args.token:
                body = b'{"error":"The access token is invalid"}'
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson" if args.ndjson else "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            start = int(self.headers.get("Last-Event-ID", "0")) if args.ids else 0
            r = random.Random(start)
            for n in range(start, len(events)):
                event = (f"id: {n + 1}\n" if args.ids else "") + events[n]
                with lock:
                    cut = bool(cuts) and cuts[0] == n + 1
                    if cut:
                        cuts.pop(0)
                if cut:  # the event's first lines only, then the connection goes
                    self.chunk("".join(l + "\n" for l in event.split("\n")[: args.cut_lines]))
                    log(f"cut in event {n + 1}")
                    self.close_connection = True
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                # In pieces cut anywhere, so that chunks split lines and UTF-8 characters.
                raw = event.encode()
                i = 0
                while i < len(raw):
                    k = r.randint(1, max(1, len(raw) // 2))
                    piece = raw[i:i + k]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    i += k
                self.wfile.flush()
            log(f"sent all {len(events)}")
            if args.end == "close":
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
                return
            try:  # hold: until the client goes away
                self.connection.settimeout(args.lifetime)
                self.connection.recv(1)
            except OSError:
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ctx = tls_context(args)
    if ctx:
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    write_port(args.port_file, server.server_address[1])
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()


# --- Garbage


def serve_garbage(args):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    s.settimeout(args.lifetime)
    write_port(args.port_file, s.getsockname()[1])
    deadline = time.time() + args.lifetime
    while time.time() < deadline:
        try:
            c, _ = s.accept()
        except OSError:
            return
        c.settimeout(10)
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                more = c.recv(4096)
                if not more:
                    break
                request += more
            log("connection")
            if args.mode == "http":
                c.sendall(b"SSH-2.0-OpenSSH_9.2p1\r\n" + bytes(random.Random(1).getrandbits(8) for _ in range(300)))
            else:
                key = b""
                for line in request.split(b"\r\n"):
                    if line.lower().startswith(b"sec-websocket-key:"):
                        key = line.split(b":", 1)[1].strip()
                accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
                c.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
                c.sendall(b"\x8f\x05hello")  # FIN, opcode 0xF: reserved
                c.recv(4096)  # the client's answer (a close frame), then the end, without a close frame back
                c.shutdown(socket.SHUT_WR)
                while c.recv(4096):
                    pass
        except OSError:
            pass
        finally:
            c.close()


def main():
    global LOG
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["ws", "sse", "garbage"])
    p.add_argument("file", help="the events (ws, sse), or http|frames (garbage)")
    p.add_argument("--port-file", required=True)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--log")
    p.add_argument("--lifetime", type=float, default=120)
    p.add_argument("--cut", type=int, action="append", default=[])
    p.add_argument("--cut-lines", type=int, default=1)
    p.add_argument("--lose", type=int, default=0)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--fragment", action="store_true")
    p.add_argument("--ping", action="store_true")
    p.add_argument("--end", default="hold")
    p.add_argument("--token")
    p.add_argument("--ids", action="store_true")
    p.add_argument("--ndjson", action="store_true")
    p.add_argument("--redirect", action="store_true")
    args = p.parse_args()
    LOG = args.log
    if args.kind == "ws":
        serve_ws(args)
    elif args.kind == "sse":
        serve_sse(args)
    else:
        args.mode = args.file
        serve_garbage(args)


if __name__ == "__main__":
    main()
