"""zhsenti.load / Model against `zhsenti predict` and `zhsenti encode` on the same model."""

import json
import subprocess
import threading

import numpy as np
import pytest

import zhsenti
from conftest import TINY


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return zhsenti.load(tiny_model_dir)


@pytest.fixture(scope="module")
def texts(chnsenticorp):
    return [r["text"] for r in chnsenticorp["test"][:300]] + ["", "好", "  \t ", "質量很好！！！"]


def cli_probabilities(zhsenti_bin, model_dir, texts, tmp_path, labels):
    path = tmp_path / "texts.txt"
    path.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf-8")
    out = subprocess.run([zhsenti_bin, "predict", "--model", str(model_dir), "--json", str(path)],
                         check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    return np.array([[r["probabilities"][label] for label in labels] for r in rows])


def test_predict_proba_equals_the_cli(model, tiny_model_dir, texts, zhsenti_bin, tmp_path):
    ours = model.predict_proba(texts)
    assert ours.shape == (len(texts), len(model.labels)) and ours.dtype == np.float32
    theirs = cli_probabilities(zhsenti_bin, tiny_model_dir, texts, tmp_path, model.labels)
    np.testing.assert_allclose(ours, theirs, atol=1e-6, rtol=0)
    np.testing.assert_allclose(ours.sum(axis=1), 1.0, atol=1e-5)
    # Above the parallel threshold the pool gives the same numbers.
    many = texts * 2
    np.testing.assert_allclose(model.predict_proba(many)[: len(texts)], ours, atol=1e-6, rtol=0)


def test_predict_returns_the_arg_max_label(model, texts):
    probs = model.predict_proba(texts)
    labels = model.predict(texts)
    assert labels == [model.labels[i] for i in probs.argmax(axis=1)]
    assert model.predict(texts[0]) == labels[0]
    np.testing.assert_array_equal(model.predict_proba(texts[0]), probs[0])


def test_encode_equals_the_cli(model, tiny_model_dir, texts, zhsenti_bin, tmp_path):
    path = tmp_path / "texts.txt"
    path.write_text("".join(t + "\n" for t in texts[:50]), encoding="utf-8")
    out = subprocess.run([zhsenti_bin, "encode", "--model", str(tiny_model_dir), str(path)],
                         check=True, capture_output=True, text=True).stdout
    theirs = [json.loads(line) for line in out.splitlines()]
    ours = model.encode(texts[:50])
    assert [o for o in ours] == [t["ids"] if isinstance(t, dict) else t for t in theirs]


def test_explain_attributions_are_real_occlusions(model):
    text = "房间很干净，服务也很好"
    e = model.explain(text)
    assert e["label"] == model.predict(text)
    assert e["probability"] == pytest.approx(model.predict_proba(text).max(), abs=1e-6)
    tokens = [t for t, _ in e["tokens"]]
    assert tokens == list(zhsenti.clean(text))  # a character model reads every character
    other = [l for l in model.labels if l != e["label"]][0]
    e2 = model.explain(text, label=other)
    # Towards the other class every weight flips sign (two classes: p_other = 1 - p_label).
    for (t1, w1), (t2, w2) in zip(e["tokens"], e2["tokens"]):
        assert t1 == t2 and w1 == pytest.approx(-w2, abs=1e-5)
    with pytest.raises(ValueError, match="not one of the model's labels"):
        model.explain(text, label="no such label")


def test_labels_and_config(model, tiny_model_dir):
    assert model.labels == ["0", "1"]
    assert model.config["labels"] == ["0", "1"]
    assert model.config["architecture"]["hidden"] == 16
    assert str(tiny_model_dir) in repr(model)


def test_a_model_loaded_where_a_dropped_one_was_predicts_with_its_own_weights(tmp_path, tiny_model_dir, chnsenticorp):
    # zhsenti.load(...) as a temporary: the next model loaded often lands in the memory of the
    # one just freed, and each thread keeps its inference cache (packed weights) across calls;
    # the cache must tell the models apart (it once took the freed one's weights).
    other = tmp_path / "other"
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:800]]
    dev = [(r["text"], r["label"]) for r in chnsenticorp["dev"][:200]]
    zhsenti.train(rows, dev, other, progress=False, **dict(TINY, seed=8))  # the fixture's data, another seed
    texts = [r["text"] for r in chnsenticorp["test"][:50]]

    def in_new_thread(path):  # a thread of its own has an empty cache
        out = []
        t = threading.Thread(target=lambda: out.append(zhsenti.load(path).predict_proba(texts)))
        t.start()
        t.join()
        return out[0]

    expected = {path: in_new_thread(path) for path in (tiny_model_dir, other)}
    assert not np.array_equal(expected[tiny_model_dir], expected[other])
    for _ in range(4):
        for path in (tiny_model_dir, other):
            np.testing.assert_array_equal(zhsenti.load(path).predict_proba(texts), expected[path])
