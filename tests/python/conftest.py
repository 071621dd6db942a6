"""Shared fixtures of the Python suite: the package from python/ (built in place by
`make python` or the release build), the shared data sets, the zhsenti binary and one small
model trained once per session."""

import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import zhsenti  # noqa: E402


def data_dir():
    env = os.environ.get("ZHSENTI_DATA")
    return pathlib.Path(env) if env else ROOT.parent / "shared" / "data"


def corpus_texts(limit):
    """Up to `limit` texts of the shared data sets: ChnSentiCorp, waimai_10k, SMP2020 Weibo."""
    d = data_dir()
    texts = []
    for path in [d / "chnsenticorp" / "train.tsv", d / "chnsenticorp" / "dev.tsv",
                 d / "chnsenticorp" / "test.tsv", d / "waimai_10k" / "waimai_10k.csv",
                 d / "smp2020_ewect" / "usual_train.csv"]:
        texts += [row["text"] for row in zhsenti.data.read(path)]
        if len(texts) >= limit:
            break
    return texts[:limit]


def sample(texts, n):
    """Every k-th text, so a subset spans all the data sets."""
    step = max(1, len(texts) // n)
    return texts[::step][:n]


@pytest.fixture(scope="session")
def zhsenti_bin():
    return os.environ.get("ZHSENTI_BIN") or str(ROOT / "build" / "zhsenti")


@pytest.fixture(scope="session")
def chnsenticorp():
    d = data_dir() / "chnsenticorp"
    return {split: zhsenti.data.read(d / f"{split}.tsv") for split in ("train", "dev", "test")}


# A model small enough to train in seconds; the point is the API, not the accuracy.
TINY = dict(epochs=2, embed_dim=16, hidden=16, max_len=64, pretrain_epochs=0, threads=2, seed=7)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, chnsenticorp):
    out = tmp_path_factory.mktemp("model") / "tiny"
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:800]]
    dev = [(r["text"], r["label"]) for r in chnsenticorp["dev"][:200]]
    zhsenti.train(rows, dev, out, progress=False, **TINY)
    return out
