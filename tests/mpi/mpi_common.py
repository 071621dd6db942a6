"""What the tests under mpirun share: the launcher line, failure bookkeeping, the synthetic
reviews train and tune learn from, and the checks on a job that must fail."""

import subprocess
import sys

import numpy as np

ZHSENTI = sys.argv[1]
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def reviews(rows, seed, bad_row=None):
    """Like tests/e2e's synthetic_reviews_tsv: filler around one praise or complaint."""
    pos = ["非常好", "很满意", "棒极了", "质量很好", "推荐购买"]
    neg = ["太差了", "很失望", "糟糕透了", "质量很差", "不推荐"]
    filler = ["这个酒店", "房间", "服务", "价格", "位置", "早餐", "我们", "昨天", "入住"]
    rng = np.random.default_rng(seed)
    lines = ["label\ttext_a"]
    for i in range(rows):
        positive = i % 2 == 0
        words = [filler[rng.integers(len(filler))] for _ in range(rng.integers(1, 6))]
        words.insert(rng.integers(len(words) + 1), (pos if positive else neg)[rng.integers(5)])
        label = "" if i == bad_row else ("1" if positive else "0")
        lines.append(f"{label}\t{'，'.join(words)}")
    return "\n".join(lines) + "\n"


def check_job_failed(r, *needles):
    """The job ended with an error whose output names each needle."""
    text = r.stdout + r.stderr
    check(r.returncode != 0, f"the job succeeded: {text}")
    for n in needles:
        check(n in text, f"'{n}' not in the job's output:\n{text}")


def finish():
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("ok")
