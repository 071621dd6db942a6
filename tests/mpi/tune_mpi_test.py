"""`zhsenti tune` under mpirun (docs/distributed.md): trials spread over the ranks.

  usage: tune_mpi_test.py ZHSENTI_BINARY

  - 2 ranks x 1 thread make the choices of one process with the same seed and space: the
    same trials, scores, stopped and promoted trials, best_config.json and best/ model;
    rank 0 trained only its share of each rung (its log names the trials it started);
  - a bad row in rank 1's shard of the data, ranks given different flags: the job ends with
    a message naming the rank and writes nothing to --out.
"""

import json
import pathlib
import re
import shutil
import tempfile

from mpi_common import MPIRUN, ZHSENTI, check, check_job_failed, finish, reviews, run


def tune_args(work, out, *extra):
    return ["tune", "--train", str(work / "train.tsv"), "--dev", str(work / "dev.tsv"),
            "--config", str(work / "base.json"), "--space", str(work / "space.json"),
            "--out", str(out), "--trials", "6", "--eta", "2", "--epochs", "2", "--seed", "5",
            *extra]


def without_seconds(value):
    if isinstance(value, dict):
        return {k: without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [without_seconds(v) for v in value]
    return value


def started_trials(log):
    return {int(m) for m in re.findall(r"tune \[\d+/\d+\]: trial (\d+) of", log)}


def test_same_choices(work):
    one, two = work / "one", work / "two"
    r1 = run([ZHSENTI, *tune_args(work, one)])
    check(r1.returncode == 0, f"one process failed: {r1.stderr}")
    r2 = run([*MPIRUN, "-np", "2", ZHSENTI, *tune_args(work, two)])
    check(r2.returncode == 0, f"2 ranks failed: {r2.stdout}\n{r2.stderr}")
    if r1.returncode or r2.returncode:
        return
    res = json.loads((two / "results.json").read_text())
    print("2 ranks:", [(t["id"], t["status"], round(t["score"], 4)) for t in res["trials"]],
          flush=True)
    check(without_seconds(json.loads((one / "results.json").read_text())) == without_seconds(res),
          "results.json differs beyond seconds")
    check(without_seconds(json.loads((one / "tune_state.json").read_text())) ==
          without_seconds(json.loads((two / "tune_state.json").read_text())),
          "tune_state.json differs beyond seconds")
    check((one / "best_config.json").read_bytes() == (two / "best_config.json").read_bytes(),
          "best_config.json differs")
    check((one / "best" / "model.safetensors").read_bytes() ==
          (two / "best" / "model.safetensors").read_bytes(), "the best models differ")
    check(sorted(p.name for p in (one / "trials").iterdir()) ==
          sorted(p.name for p in (two / "trials").iterdir()), "different trial files kept")
    # Rank 0 alone logs progress, so its log names the trials it trained: every other one of
    # the first rung (1, 3, 5 of 6); 4 and 6, stopped after it, were rank 1's alone.
    mine, everyone = started_trials(r2.stderr), started_trials(r1.stderr)
    print(f"trials started by rank 0: {sorted(mine)}; by one process: {sorted(everyone)}", flush=True)
    check(everyone == set(range(1, 7)), f"one process started {sorted(everyone)}")
    check({1, 3, 5} <= mine and not {4, 6} & mine, f"rank 0 started trials {sorted(mine)}")


def expect_job_failure(r, out, *needles):
    check_job_failed(r, *needles)
    check(not out.exists(), f"{out} was written")


def test_failures(work):
    out = work / "failed"
    bad = work / "bad"
    bad.mkdir()
    # Data row 5 (0-based) is rank 1's (rows alternate between 2 ranks); it is line 7.
    (bad / "train.tsv").write_text(reviews(200, 1, bad_row=5), encoding="utf-8")
    for f in ("dev.tsv", "base.json", "space.json"):
        shutil.copy(work / f, bad / f)
    r = run([*MPIRUN, "-np", "2", ZHSENTI, *tune_args(bad, out)])
    expect_job_failure(r, out, "rank 1 of 2", f"{bad / 'train.tsv'}:7: empty label")
    r = run([*MPIRUN, "-np", "1", ZHSENTI, *tune_args(work, out), ":", "-np", "1", ZHSENTI,
             *tune_args(work, out, "--set", "hidden=16")])
    expect_job_failure(r, out, "different settings", "'hidden'", "rank 1")


def main():
    with tempfile.TemporaryDirectory(prefix="zhsenti_tune_mpi_") as tmp:
        work = pathlib.Path(tmp)
        (work / "train.tsv").write_text(reviews(200, 1), encoding="utf-8")
        (work / "dev.tsv").write_text(reviews(60, 2), encoding="utf-8")
        # Tiny and single-threaded: a trial's result does not depend on where it runs.
        (work / "base.json").write_text(json.dumps(
            {"embed_dim": 8, "hidden": 8, "ngram_buckets": 0, "batch_size": 16, "threads": 1,
             "early_stopping": 0, "pretrain_epochs": 0}))
        (work / "space.json").write_text(json.dumps(
            {"lr": {"min": 0.002, "max": 0.05, "log": True}, "cell": ["gru", "lstm"]}))
        test_same_choices(work)
        test_failures(work)
    finish()


if __name__ == "__main__":
    main()
