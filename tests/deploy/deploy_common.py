"""Helpers of the deploy tests (tests/deploy/*_test.py): a tiny model, free loopback ports,
processes that are always stopped, HTTP on 127.0.0.1. Standard library only."""

import ctypes
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def synthetic_reviews_tsv(rows, seed):
    """Two classes of short hotel reviews, separable by a phrase (as the C++ e2e tests make)."""
    pos = ["非常好", "很满意", "棒极了", "质量很好", "推荐购买"]
    neg = ["太差了", "很失望", "糟糕透了", "质量很差", "不推荐"]
    filler = ["这个酒店", "房间", "服务", "价格", "位置", "早餐", "我们", "昨天", "入住"]
    x = seed
    out = ["label\ttext_a"]
    for i in range(rows):
        x = (x * 1103515245 + 12345) % (1 << 32)
        a = filler[(x >> 16) % len(filler)]
        x = (x * 1103515245 + 12345) % (1 << 32)
        b = (pos if i % 2 == 0 else neg)[(x >> 16) % 5]
        x = (x * 1103515245 + 12345) % (1 << 32)
        c = filler[(x >> 16) % len(filler)]
        out.append(("1" if i % 2 == 0 else "0") + "\t" + a + b + "，" + c)
    return "\n".join(out) + "\n"


def train_tiny_model(zhsenti, work, name="model", seed=7, rows=240):
    """A small char model in seconds; returns its directory."""
    train = os.path.join(work, "train.tsv")
    dev = os.path.join(work, "dev.tsv")
    if not os.path.exists(train):
        with open(train, "w", encoding="utf-8") as f:
            f.write(synthetic_reviews_tsv(rows, 1))
        with open(dev, "w", encoding="utf-8") as f:
            f.write(synthetic_reviews_tsv(60, 2))
    out = os.path.join(work, name)
    r = subprocess.run([zhsenti, "-q", "train", "--train", train, "--dev", dev, "--out", out,
                    "--tokens", "char", "--embed-dim", "16", "--hidden", "16", "--epochs", "2",
                    "--batch-size", "16", "--lr", "0.01", "--threads", "1", "--seed", str(seed),
                    "--pretrain-epochs", "0"],
                   capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("training the test model failed:\n" + r.stderr[-3000:])
    return out


def free_port():
    """A port nothing listens on now (the caller retries if another process takes it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """In the child: SIGKILL when the test process dies, even killed by a CTest timeout."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Processes:
    """Starts processes in their own process group and stops every one of them on exit
    (and, through PR_SET_PDEATHSIG, when the test itself is killed)."""

    def __init__(self):
        self.procs = []

    def start(self, argv, **kw):
        p = subprocess.Popen(argv, start_new_session=True, preexec_fn=_die_with_parent, **kw)
        self.procs.append(p)
        return p

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        return False


def start_serve(procs, zhsenti, args, log_path):
    """zhsenti serve on 127.0.0.1 and a free port; returns (process, base URL)."""
    log = open(log_path, "wb")
    p = procs.start([zhsenti, "serve", "--host", "127.0.0.1", "--port", "0"] + args,
                    stdout=subprocess.PIPE, stderr=log)
    line = p.stdout.readline().decode()
    if not line.startswith("listening on http://"):
        p.wait(timeout=10)
        raise RuntimeError("zhsenti serve did not start: " + open(log_path, errors="replace").read()[-2000:])
    return p, line.strip().split(" ", 2)[2]


def http(method, url, body=None, headers=None, timeout=10):
    """(status, body bytes); never raises for an HTTP error status."""
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until(what, check, timeout):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.2)


def temp_dir(prefix):
    return tempfile.TemporaryDirectory(prefix=prefix)
