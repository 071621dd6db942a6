"""zhsenti.train: the CLI's flags as keywords, data from files, lists, columns and DataFrames,
progress callbacks and bars, Ctrl-C and resume, and a result identical to `zhsenti train` with
the same settings."""

import json
import os
import re
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import zhsenti
from conftest import ROOT, TINY, data_dir


def test_keywords_are_the_cli_flags():
    flags = zhsenti.TRAIN_FLAGS
    for key in ("epochs", "max_len", "tokens", "no_hmm", "user_dict", "freeze_embeddings",
                "no_freeze_embeddings", "validation_split", "cell", "seed"):
        assert key in flags
    assert flags["epochs"][3] == "10" and flags["tokens"][3] == "char"
    assert flags["user_dict"][2]  # repeatable
    assert not flags["no_hmm"][1]  # a flag


def test_unknown_keyword_suggests_the_flag(tmp_path):
    with pytest.raises(TypeError, match="did you mean 'max_len'"):
        zhsenti.train([("好", "1")], out=tmp_path / "m", max_lenn=3)


@pytest.mark.parametrize("flags, message", [
    ({"cell": "transformer"}, "cell"),
    ({"epochs": "many"}, "epochs"),
    ({"dropout": 1.5}, "dropout"),
    ({"validation_split": 0.0}, "validation"),
])
def test_bad_values_raise_the_cli_message(flags, message, tmp_path, zhsenti_bin):
    train = data_dir() / "chnsenticorp" / "dev.tsv"
    with pytest.raises(ValueError) as info:
        zhsenti.train(train, out=tmp_path / "m", progress=False, **flags)
    assert message in str(info.value)
    args = [f"--{k.replace('_', '-')}={v}" for k, v in flags.items()]
    cli = subprocess.run([zhsenti_bin, "train", "--train", str(train), "--out", str(tmp_path / "c")] + args,
                         capture_output=True, text=True)
    assert cli.returncode != 0
    # The CLI prints the same message (after its "error: " prefix).
    assert str(info.value).splitlines()[0].split(": ", 1)[-1][:40] in cli.stderr


def test_files_lists_columns_and_frames_train_the_same_model(tmp_path, chnsenticorp):
    rows = chnsenticorp["train"][:300]
    dev = chnsenticorp["dev"][:100]
    settings = dict(TINY, epochs=1, threads=1)
    train_file = tmp_path / "train.jsonl"
    train_file.write_text("".join(json.dumps({"text": r["text"], "label": r["label"]}, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    dev_file = tmp_path / "dev.jsonl"
    dev_file.write_text("".join(json.dumps({"text": r["text"], "label": r["label"]}, ensure_ascii=False) + "\n" for r in dev), encoding="utf-8")
    a = zhsenti.train(train_file, dev_file, tmp_path / "a", progress=False, **settings)
    b = zhsenti.train([(r["text"], r["label"]) for r in rows], [(r["text"], r["label"]) for r in dev],
                      tmp_path / "b", progress=False, **settings)
    c = zhsenti.train({"text": [r["text"] for r in rows], "label": [r["label"] for r in rows]},
                      ([r["text"] for r in dev], [r["label"] for r in dev]), tmp_path / "c", progress=False, **settings)
    d = zhsenti.train(pd.DataFrame(rows).drop(columns="line"), pd.DataFrame(dev)[["label", "text"]],
                      tmp_path / "d", progress=False, **settings)
    assert a["dev"] == b["dev"] == c["dev"] == d["dev"]
    weights = (tmp_path / "a" / "model.safetensors").read_bytes()
    for other in "bcd":
        assert (tmp_path / other / "model.safetensors").read_bytes() == weights, other
        assert not (tmp_path / f"{other}.rows").exists()  # the in-memory rows are removed
    texts = [r["text"] for r in chnsenticorp["test"][:50]]
    pa = zhsenti.load(tmp_path / "a").predict_proba(texts)
    for other in "bcd":
        np.testing.assert_array_equal(pa, zhsenti.load(tmp_path / other).predict_proba(texts))


def test_same_model_as_the_cli(tmp_path, zhsenti_bin, chnsenticorp):
    d = data_dir() / "chnsenticorp"
    settings = dict(TINY, epochs=1, threads=1)
    ours = zhsenti.train(d / "dev.tsv", d / "test.tsv", tmp_path / "py", progress=False, **settings)
    args = [f"--{k.replace('_', '-')}={v}" for k, v in settings.items()]
    subprocess.run([zhsenti_bin, "-q", "train", "--train", str(d / "dev.tsv"), "--dev", str(d / "test.tsv"),
                    "--out", str(tmp_path / "cli")] + args, check=True, capture_output=True)
    texts = [r["text"] for r in chnsenticorp["train"][:100]]
    np.testing.assert_array_equal(zhsenti.load(tmp_path / "py").predict_proba(texts),
                                  zhsenti.load(tmp_path / "cli").predict_proba(texts))
    assert ours["best_epoch"] == 1


def test_progress_callback_sees_every_batch_and_epoch(tmp_path, chnsenticorp):
    events = []
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:256]]
    zhsenti.train(rows, rows[:64], tmp_path / "m", progress=events.append, **dict(TINY, batch_size=64))
    batches = [e for e in events if not e["epoch_done"]]
    epochs = [e for e in events if e["epoch_done"]]
    assert [e["epoch"] for e in epochs] == [1, 2]
    assert len(batches) == 2 * batches[0]["batches"] and batches[0]["batches"] == 4
    assert 0 <= epochs[-1]["dev_accuracy"] <= 1 and epochs[-1]["train_loss"] > 0


def test_an_exception_in_the_callback_stops_training_and_keeps_the_old_model(tmp_path, tiny_model_dir, chnsenticorp):
    out = tmp_path / "m"
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:256]]
    zhsenti.train(rows, rows[:64], out, progress=False, **dict(TINY, epochs=1))
    before = (out / "model.safetensors").read_bytes()

    def stop(p):
        if p["batch"] == 2:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        zhsenti.train(rows, rows[:64], out, progress=stop, **dict(TINY, seed=8))
    assert (out / "model.safetensors").read_bytes() == before


CTRL_C_CHILD = """
import os, sys
sys.path.insert(0, sys.argv[2])
import zhsenti
rows = [("很好很满意" * (i % 7 + 1) + str(i), str(i % 2)) for i in range(3000)]
flags = dict(epochs=3, batch_size=16, embed_dim=16, hidden=16, pretrain_epochs=0, threads=1, seed=3)
out = sys.argv[1]
def tick(p):
    if p["epoch"] == 2 and p["batch"] == 1 and not p["epoch_done"]:
        print("epoch 2", flush=True)
try:
    zhsenti.train(rows, rows[:200], out, progress=tick, **flags)
    print("finished")
except KeyboardInterrupt:
    print("interrupted", sorted(os.listdir(os.path.dirname(out))), flush=True)
s = zhsenti.train(rows, rows[:200], out, progress=False, resume=True, **flags)
print("resumed", s["epochs_run"], sorted(os.listdir(os.path.dirname(out))))
zhsenti.train(rows, rows[:200], out + "-whole", progress=False, **flags)
same = open(out + "/model.safetensors", "rb").read() == open(out + "-whole/model.safetensors", "rb").read()
print("same as uninterrupted", same)
"""


def test_ctrl_c_stops_training_cleanly_and_resume_finishes_it(tmp_path):
    # SIGINT arrives from outside while the child trains epoch 2 in C++ with the GIL released
    # (as Ctrl-C in a terminal or a notebook's interrupt): KeyboardInterrupt after that batch,
    # no model written, the checkpoint of epoch 1 and the in-memory rows kept; resume=True then
    # finishes the run with the weights an uninterrupted run gets, and tidies up.
    child = subprocess.Popen([sys.executable, "-c", CTRL_C_CHILD, str(tmp_path / "m"), str(ROOT / "python")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "epoch 2"
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert out.splitlines() == ["interrupted ['m.ckpt', 'm.rows']", "resumed 3 ['m']",
                                "same as uninterrupted True"], err
    assert "Traceback" not in err


def test_tqdm_bar_per_epoch_replaces_the_cli_bar(tmp_path, chnsenticorp, capfd):
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:256]]
    zhsenti.train(rows, rows[:64], tmp_path / "m", **dict(TINY, batch_size=64))  # progress=None
    err = capfd.readouterr().err
    for epoch in (1, 2):  # tqdm's format: "epoch 1/2: 100%|####| 4/4 [00:00<00:00, ...batch/s, loss=..., dev_acc=...]"
        assert re.search(rf"epoch {epoch}/2: 100%\|.*\| 4/4 \[.*batch/s.*dev_acc=", err), err
    assert "batches" not in err  # the C++ bar's unit: it is off while tqdm shows progress


def test_without_tqdm_the_cli_bar_shows_progress(tmp_path, chnsenticorp, capfd, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm fails as if not installed
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:256]]
    zhsenti.train(rows, rows[:64], tmp_path / "m", **dict(TINY, batch_size=64))
    err = capfd.readouterr().err
    assert re.search(r"epoch 2/2 100\.0% 4/4 batches", err), err
    assert "100%|" not in err


def test_progress_false_shows_no_bar(tmp_path, chnsenticorp, capfd):
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:256]]
    zhsenti.train(rows, rows[:64], tmp_path / "m", progress=False, **dict(TINY, batch_size=64))
    err = capfd.readouterr().err
    assert "batches" not in err and "100%|" not in err
    assert "epoch 2: train loss" in err  # the log line stays (zhsenti.setLogLevel)
