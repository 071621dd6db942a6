"""Concurrent lcut and predict_proba from Python threads: the GIL is released during the C++
work (cutting, predicting, training) and results equal the single-threaded ones."""

import threading
import time

import numpy as np

import zhsenti
from conftest import TINY, corpus_texts


def run_threads(n, fn):
    errors, results = [], [None] * n

    def work(i):
        try:
            results[i] = fn(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_concurrent_lcut_matches_serial():
    texts = corpus_texts(2000)
    serial = [zhsenti.lcut(t) for t in texts]
    tok = zhsenti.Tokenizer()
    results = run_threads(8, lambda i: [tok.lcut(t) for t in texts[i::8]])
    for i, r in enumerate(results):
        assert r == serial[i::8]


def test_concurrent_edits_and_cuts_stay_consistent():
    tok = zhsenti.Tokenizer()
    text = "他是石墨烯和云计算方面的专家"
    before = tok.lcut(text)

    def work(i):
        if i == 0:
            tok.add_word("石墨烯和云计算", 100000)
            return None
        return [tok.lcut(text) for _ in range(200)]

    results = run_threads(4, work)
    after = tok.lcut(text)
    assert "石墨烯和云计算" in after
    for r in results[1:]:
        assert all(words in (before, after) for words in r)


def test_concurrent_predict_proba_matches_serial(tiny_model_dir, chnsenticorp):
    model = zhsenti.load(tiny_model_dir)
    texts = [r["text"] for r in chnsenticorp["dev"][:400]]
    serial = model.predict_proba(texts)
    results = run_threads(6, lambda i: model.predict_proba(texts[i::6]))
    for i, r in enumerate(results):
        np.testing.assert_allclose(r, serial[i::6], atol=1e-6, rtol=0)


def python_keeps_running_during(call):
    """Runs call() while a counter thread runs Python; asserts the counter advanced during the
    call by more than the one switch interval (5 ms) it would get if the call held the GIL."""
    ticks = [0]
    done = threading.Event()

    def counter():
        while not done.is_set():
            ticks[0] += 1

    t = threading.Thread(target=counter)
    t.start()
    time.sleep(0.05)  # the counter alone: its rate
    rate = ticks[0] / 0.05
    n0, t0 = ticks[0], time.perf_counter()
    call()
    elapsed = time.perf_counter() - t0
    n1 = ticks[0]
    done.set()
    t.join()
    assert elapsed > 0.05, elapsed  # long enough for the test to mean something
    assert n1 - n0 > rate * 0.02, (n1 - n0, rate, elapsed)


def test_gil_is_released_while_cutting():
    text = "".join(corpus_texts(3000)) * 4
    tok = zhsenti.Tokenizer()
    tok.initialize()
    python_keeps_running_during(lambda: tok._core.tokenize(text, "default", True))


def test_gil_is_released_while_predicting(tiny_model_dir):
    model = zhsenti.load(tiny_model_dir, threads=1)
    texts = corpus_texts(3000)
    python_keeps_running_during(lambda: model.predict_proba(texts))


def test_gil_is_released_while_training(tmp_path, chnsenticorp):
    rows = [(r["text"], r["label"]) for r in chnsenticorp["train"][:600]]
    python_keeps_running_during(lambda: zhsenti.train(rows, rows[:100], tmp_path / "m", progress=False,
                                                      **dict(TINY, epochs=1)))
