#!/usr/bin/env python3
"""Bounded slowloris load for bench/serve.sh: SOCKETS connections to 127.0.0.1:PORT that
each send a request line and then one more header line every INTERVAL seconds, never
finishing the header block; a connection the server closes is opened again. Stops by itself
after SECONDS. Prints one JSON line: reconnects (how often the server cut a slow client off).

  slowloris.py PORT [--sockets 500] [--seconds 30] [--interval 1]
"""
import argparse
import json
import socket
import time


def opened(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    s.setblocking(False)
    s.send(b"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--sockets", type=int, default=500)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--interval", type=float, default=1.0)
    a = ap.parse_args()
    socks = [opened(a.port) for _ in range(a.sockets)]
    reconnects = 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        for i, s in enumerate(socks):
            try:
                s.send(b"X-Slow: 1\r\n")
            except OSError:
                s.close()
                socks[i] = opened(a.port)
                reconnects += 1
        time.sleep(a.interval)
    for s in socks:
        s.close()
    print(json.dumps({"name": "slowloris", "sockets": a.sockets, "seconds": a.seconds,
                      "reconnects": reconnects}))


if __name__ == "__main__":
    main()
