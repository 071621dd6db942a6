"""Data-parallel `zhsenti train` under mpirun (docs/distributed.md) against one process.

  usage: train_mpi_test.py ZHSENTI_BINARY

Proves, on a small synthetic set:
  - equivalence: 2 ranks x 1 thread with global batch 64 build the same vocabulary, the same
    loss curve and, after each epoch, weights within 1e-5 of one process with batch 64; the
    model directories are identical apart from timing fields;
  - --resume continues a one-process checkpoint on two ranks and lands on the same weights;
  - failures end the whole job with a message naming the rank and leave the previous model
    intact: ranks given different flags, a bad row in rank 1's shard, rank 1 killed mid-epoch;
  - commands other than train, tune and embed train refuse to run as several ranks.
"""

import hashlib
import json
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import tempfile
import time

import numpy as np

from mpi_common import MPIRUN, ZHSENTI, check, check_job_failed, finish, reviews, run


def train_args(work, out, *extra):
    """`extra` flag-value pairs replace the defaults' values or are added."""
    flags = {"--tokens": "char", "--embed-dim": "16", "--hidden": "16", "--ngram-buckets": "64",
             "--epochs": "2", "--batch-size": "64", "--threads": "1", "--dropout": "0",
             "--embed-dropout": "0", "--pretrain-epochs": "0", "--early-stopping": "0",
             "--seed": "7"}
    switches = []
    it = iter(extra)
    for flag in it:
        if flag in ("--keep-checkpoint", "--resume"):
            switches.append(flag)
        else:
            flags[flag] = next(it)
    args = ["train", "--train", str(work / "train.tsv"), "--dev", str(work / "dev.tsv"),
            "--out", str(out), "-q", *switches]
    for k, v in flags.items():
        args += [k, v]
    return args


def safetensors(path):
    data = pathlib.Path(path).read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(body[a:b], dtype=np.float32).reshape(t["shape"])
    return out


def max_weight_diff(a, b):
    wa, wb = safetensors(a / "model.safetensors"), safetensors(b / "model.safetensors")
    check(wa.keys() == wb.keys(), f"different tensors: {wa.keys()} vs {wb.keys()}")
    return max(float(np.max(np.abs(wa[k] - wb[k]))) for k in wa)


TIMING = {"seconds", "tokens_per_s", "allreduce_seconds", "allreduce_bytes", "ranks", "created", "created_at",
          "train_seconds", "seconds_per_epoch"}


def same_values(a, b, where=""):
    """Equal JSON apart from floats within 1e-6 (losses computed from weights within 1e-5)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_values(a[k], b[k], f"{where}.{k}") for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_values(x, y, where) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        ok = abs(a - b) <= 1e-6 * max(1.0, abs(a))
    else:
        ok = a == b
    if not ok:
        print(f"  {where}: {a!r} vs {b!r}")
    return ok


def strip_timing(value):
    if isinstance(value, dict):
        return {k: strip_timing(v) for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [strip_timing(v) for v in value]
    return value


def epochs_of(model):
    return [json.loads(line) for line in (model / "metrics.jsonl").read_text().splitlines()]


def tree_digest(path):
    h = hashlib.sha256()
    for p in sorted(pathlib.Path(path).rglob("*")):
        h.update(str(p.relative_to(path)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def test_equivalence(work):
    one, two = work / "one", work / "two"
    r1 = run([ZHSENTI, *train_args(work, one)])
    check(r1.returncode == 0, f"one process failed: {r1.stderr}")
    r2 = run([*MPIRUN, "-np", "2", ZHSENTI, *train_args(work, two)])
    check(r2.returncode == 0, f"2 ranks failed: {r2.stdout}\n{r2.stderr}")
    if r1.returncode or r2.returncode:
        return
    check((one / "vocab.txt").read_bytes() == (two / "vocab.txt").read_bytes(),
          "the vocabularies differ")
    e1, e2 = epochs_of(one), epochs_of(two)
    check(len(e1) == len(e2) == 2, f"epochs: {len(e1)} vs {len(e2)}")
    for a, b in zip(e1, e2):
        for key in ("train_loss", "dev_loss", "dev_accuracy", "train_accuracy"):
            va, vb = a.get(key, a.get("extra", {}).get(key)), b.get(key, b.get("extra", {}).get(key))
            check(va is not None and abs(va - vb) <= 1e-5,
                  f"epoch {a['epoch']} {key}: {va} (1 process) vs {vb} (2 ranks)")
    diff = max_weight_diff(one, two)
    print(f"equivalence: max |w1 - w2| = {diff:.3g} after 2 epochs", flush=True)
    check(diff <= 1e-5, f"weights differ by {diff} > 1e-5")
    for f in sorted(one.iterdir()):
        if f.name == "model.safetensors":
            continue
        if f.suffix in (".json", ".jsonl"):
            parse = (lambda t: [json.loads(l) for l in t.splitlines()]) if f.suffix == ".jsonl" \
                else json.loads
            a, b = strip_timing(parse(f.read_text())), strip_timing(parse((two / f.name).read_text()))
            check(same_values(a, b, f.name), f"{f.name} differs beyond timing fields")
        elif f.suffix != ".html":  # the report shows seconds per epoch
            check(f.read_bytes() == (two / f.name).read_bytes(), f"{f.name} differs")


def test_resume_on_more_ranks(work):
    const = ["--schedule", "constant"]
    straight, resumed = work / "straight", work / "resumed"
    r = run([ZHSENTI, *train_args(work, straight, *const)])
    check(r.returncode == 0, r.stderr)
    r = run([ZHSENTI, *train_args(work, resumed, *const, "--epochs", "1", "--keep-checkpoint")])
    check(r.returncode == 0, r.stderr)
    r = run([*MPIRUN, "-np", "2", ZHSENTI, *train_args(work, resumed, *const, "--resume")])
    check(r.returncode == 0, f"resume on 2 ranks failed: {r.stderr}")
    if r.returncode == 0:
        diff = max_weight_diff(straight, resumed)
        print(f"resume 1 -> 2 ranks: max |w| diff = {diff:.3g}", flush=True)
        check(diff <= 1e-5, f"resumed on 2 ranks differs by {diff}")
        check(not (work / "resumed.ckpt").exists(), "the checkpoint is left behind")


def expect_job_failure(r, out, before, *needles):
    check_job_failed(r, *needles)
    check(tree_digest(out) == before, f"{out} changed")


def test_mismatched_flags(work, out, before):
    args = train_args(work, out)
    r = run([*MPIRUN, "-np", "1", ZHSENTI, *args, ":", "-np", "1", ZHSENTI,
             *train_args(work, out, "--hidden", "8")])
    expect_job_failure(r, out, before, "different settings", "'hidden'", "rank 1")


def test_bad_row_in_one_shard(work, out, before):
    bad = work / "bad"
    bad.mkdir()
    # Data row 5 (0-based) is rank 1's (rows alternate between 2 ranks); it is line 7.
    (bad / "train.tsv").write_text(reviews(600, 1, bad_row=5), encoding="utf-8")
    shutil.copy(work / "dev.tsv", bad / "dev.tsv")
    r = run([*MPIRUN, "-np", "2", ZHSENTI, *train_args(bad, out)])
    expect_job_failure(r, out, before, "rank 1 of 2", f"{bad / 'train.tsv'}:7: empty label")


def test_other_commands_refused(work):
    r = run([*MPIRUN, "-np", "2", ZHSENTI, "data", "stats", str(work / "dev.tsv")])
    text = r.stdout + r.stderr
    check(r.returncode != 0 and "`zhsenti data stats` does not run over MPI ranks" in text,
          f"data stats under mpirun: {text}")


def test_killed_rank(work, out, before):
    big = work / "big"
    big.mkdir()
    (big / "train.tsv").write_text(reviews(6000, 3), encoding="utf-8")
    shutil.copy(work / "dev.tsv", big / "dev.tsv")
    job = subprocess.Popen([*MPIRUN, "-np", "2", ZHSENTI, *train_args(big, out, "--epochs", "50")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True)
    # Mid-training: once rank 0 has checkpointed an epoch.
    ckpt = out.parent / (out.name + ".ckpt")
    deadline = time.time() + 60
    while not ckpt.exists() and time.time() < deadline and job.poll() is None:
        time.sleep(0.2)
    victim = None
    for proc in pathlib.Path("/proc").iterdir():
        try:
            if not proc.name.isdigit() or os.getsid(int(proc.name)) != job.pid:
                continue
            if b"OMPI_COMM_WORLD_RANK=1" in (proc / "environ").read_bytes().split(b"\0"):
                victim = int(proc.name)
        except OSError:
            continue
    check(victim is not None, "rank 1 never started")
    if victim:
        os.kill(victim, signal.SIGKILL)
    try:
        output, _ = job.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, signal.SIGKILL)
        output, _ = job.communicate()
        check(False, "the job did not end after rank 1 was killed")
    result = subprocess.CompletedProcess(job.args, job.returncode, output, "")
    expect_job_failure(result, out, before, "rank 1")


def main():
    with tempfile.TemporaryDirectory(prefix="zhsenti_mpi_") as tmp:
        work = pathlib.Path(tmp)
        (work / "train.tsv").write_text(reviews(700, 1), encoding="utf-8")
        (work / "dev.tsv").write_text(reviews(150, 2), encoding="utf-8")
        test_equivalence(work)
        test_resume_on_more_ranks(work)
        # The failing jobs write to a directory that holds an earlier model.
        previous = work / "previous"
        shutil.copytree(work / "one", previous)
        before = tree_digest(previous)
        test_mismatched_flags(work, previous, before)
        test_bad_row_in_one_shard(work, previous, before)
        test_killed_rank(work, previous, before)
        test_other_commands_refused(work)
    finish()


if __name__ == "__main__":
    main()
