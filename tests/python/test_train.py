"""zhsenti.train: the CLI's flags as keywords, data from files, lists and columns, progress
callbacks, Ctrl-C, and a result identical to `zhsenti train` with the same settings."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
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


def test_lists_files_and_columns_train_the_same_model(tmp_path, chnsenticorp):
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
    assert a["dev"] == b["dev"] == c["dev"]
    texts = [r["text"] for r in chnsenticorp["test"][:50]]
    pa = zhsenti.load(tmp_path / "a").predict_proba(texts)
    np.testing.assert_array_equal(pa, zhsenti.load(tmp_path / "b").predict_proba(texts))
    np.testing.assert_array_equal(pa, zhsenti.load(tmp_path / "c").predict_proba(texts))


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


def test_ctrl_c_stops_training_cleanly(tmp_path):
    # SIGINT arrives during the second batch; training must end with KeyboardInterrupt soon
    # after, without writing the model.
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT / 'python')!r})
import zhsenti
rows = [("很好很满意" * (i % 7 + 1), str(i % 2)) for i in range(2000)]
def tick(p):
    if p["batch"] == 2 and not p["epoch_done"]:
        os.kill(os.getpid(), signal.SIGINT)
try:
    zhsenti.train(rows, rows[:100], {str(tmp_path / 'm')!r}, progress=tick, epochs=3, batch_size=16,
                  embed_dim=16, hidden=16, pretrain_epochs=0, threads=1)
except KeyboardInterrupt:
    print("interrupted")
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "interrupted", r.stderr
    assert "KeyboardInterrupt" not in r.stderr
    assert not (tmp_path / "m").exists()
