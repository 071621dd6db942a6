#!/usr/bin/env python3
"""Explanation cost and memory of a running `zhsenti serve` (issue 17's soak): a mixed load
of REQUESTS predictions on keep-alive connections, 1 in 100 with ?explain=1 on a
5,000-character text, the rest one review; the server's RSS after the first 1,000 requests,
every 10,000 and at the end, and the CPU and wall time of one explanation alone. One JSON line.

  explain_soak.py PORT PID [--requests 40000] [--clients 8] [--explain-every 100]
"""
import argparse
import http.client
import json
import threading
import time

REVIEW = "房间干净，服务很好，早餐一般，下次还会再来。"
LONG = ("房间干净服务很好但是早餐一般价格偏贵下次还会再来" * 250)[:5000]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    import os
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post(conn, path, text):
    conn.request("POST", path, json.dumps({"text": text}), {"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    return r.status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("pid", type=int)
    ap.add_argument("--requests", type=int, default=40000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--explain-every", type=int, default=100, help="0: no explanations (baseline)")
    a = ap.parse_args()

    # One explanation alone: wall time and server CPU.
    conn = http.client.HTTPConnection("127.0.0.1", a.port)
    post(conn, "/v1/predict?explain=1", LONG)  # warm-up
    cpu0, t0 = cpu_seconds(a.pid), time.monotonic()
    runs = 5
    for _ in range(runs):
        assert post(conn, "/v1/predict?explain=1", LONG) == 200
    wall_ms = (time.monotonic() - t0) / runs * 1e3
    cpu_ms = (cpu_seconds(a.pid) - cpu0) / runs * 1e3

    lock = threading.Lock()
    state = {"next": 0, "errors": 0, "rss_1k": None, "rss_at": {}}

    def client():
        c = http.client.HTTPConnection("127.0.0.1", a.port)
        while True:
            with lock:
                i = state["next"]
                if i >= a.requests:
                    return
                state["next"] += 1
                if i == 1000:
                    state["rss_1k"] = rss_kib(a.pid)
                if i % 10000 == 0 and i > 0:
                    state["rss_at"][i] = rss_kib(a.pid)
            explain = a.explain_every > 0 and i % a.explain_every == a.explain_every - 1
            status = post(c, "/v1/predict?explain=1" if explain else "/v1/predict",
                          LONG if explain else REVIEW)
            # 503 busy is the explanation limit doing its job, not an error.
            if status != 200 and not (explain and status == 503):
                with lock:
                    state["errors"] += 1

    threads = [threading.Thread(target=client) for _ in range(a.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t0
    rss_end = rss_kib(a.pid)
    print(json.dumps({"name": "explain_soak", "requests": a.requests, "seconds": round(seconds, 1),
                      "errors": state["errors"], "explain_wall_ms": round(wall_ms, 1),
                      "explain_cpu_ms": round(cpu_ms, 1), "rss_1k_kib": state["rss_1k"],
                      "rss_end_kib": rss_end, "rss_every_10k_kib": state["rss_at"],
                      "rss_growth_pct": round(100 * (rss_end - state["rss_1k"]) / state["rss_1k"], 1)}))


if __name__ == "__main__":
    main()
