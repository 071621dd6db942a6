#!/usr/bin/python3
"""Unit tests of tools/torch_import.py for what the parity test cannot reach: ids far
beyond a tiny model's vocabulary in the n-gram hash, truncation modes that `train` never
writes, and the loader's refusals (bad files, missing weights, tokenizers it cannot copy)."""

import json
import os
import pathlib
import struct
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import torch_import as ti  # noqa: E402

M = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def reference_rows(seq, buckets):
    """src/nn/layers/ngram_hash.cc, one sequence, in Python integers."""
    bigrams, trigrams, prev2, prev = [], [], 0, 0
    for token in seq:
        cur = token + 1
        bigrams.append(mix(((prev << 32) & M) ^ cur) % buckets)
        trigrams.append(mix((mix(((prev2 << 32) & M) ^ prev) + cur * 0x9E3779B97F4A7C15) & M)
                        % buckets)
        prev2, prev = prev, cur
    return bigrams, trigrams


def safetensors_bytes(header, payload):
    text = json.dumps(header).encode()
    text += b" " * (-(8 + len(text)) % 8)
    return struct.pack("<Q", len(text)) + text + payload


class NgramRows(unittest.TestCase):
    def test_matches_the_engine_hash_for_any_id(self):
        seqs = [[0], [5, 5, 5, 1], [2**31 - 2, 7, 2**31 - 2, 0, 123456789],
                list(range(1000, 1017))]
        for buckets in (1, 97, 100000, 2**31 - 1):
            for seq in seqs:
                ids = torch.tensor([seq], dtype=torch.int64)
                got = [r[0].tolist() for r in ti.ngram_rows(ids, buckets, 3)]
                self.assertEqual(got, list(reference_rows(seq, buckets)), (buckets, seq))


class Safetensors(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "model.safetensors")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, header, payload):
        with open(self.path, "wb") as f:
            f.write(safetensors_bytes(header, payload))

    def test_reads_values_in_row_major_order(self):
        self.write({"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                    "__metadata__": {"k": "v"}}, struct.pack("<4f", 1, 2, 3, 4))
        self.assertEqual(ti.read_safetensors(self.path)["a"].tolist(), [[1, 2], [3, 4]])

    def test_refuses_other_dtypes_and_truncation(self):
        self.write({"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}, b"\x01\x02\x03\x04")
        with self.assertRaisesRegex(ValueError, "a is F16"):
            ti.read_safetensors(self.path)
        # int8 (a quantised model) only with its row scales
        self.write({"a": {"dtype": "I8", "shape": [2, 1], "data_offsets": [0, 2]}}, b"\x01\x02")
        with self.assertRaisesRegex(ValueError, "a has no a.scale"):
            ti.read_safetensors(self.path)
        self.write({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, b"\0" * 8)
        with self.assertRaisesRegex(ValueError, "disagree"):
            ti.read_safetensors(self.path)


ARCH = {"vocab_size": 6, "embed_dim": 3, "ngram_buckets": 0, "ngram_order": 2,
        "padding_id": 0, "cell": "gru", "hidden": 2, "layers": 1, "bidirectional": False,
        "norm": "none", "pool": "mean", "attention_dim": 0, "num_classes": 2}


class Weights(unittest.TestCase):
    def test_missing_and_unexpected_names_fail(self):
        model = ti.ZhsentiClassifier(ARCH)
        names = {k: v.detach().clone() for k, v in model._zhsenti_names().items()}
        del names["head.bias"]
        names["norm.weight"] = torch.ones(2)
        with self.assertRaisesRegex(ValueError, r"missing \['head.bias'\].*\['norm.weight'\]"):
            model.load_zhsenti_weights(names)

    def test_missing_keys_take_the_engine_defaults_unknown_keys_fail(self):
        model = ti.ZhsentiClassifier({k: v for k, v in ARCH.items() if k != "pool"})
        self.assertEqual(model.arch["pool"], "last")
        with self.assertRaisesRegex(ValueError, "quantized"):
            ti.ZhsentiClassifier({**ARCH, "quantized": True})

    def test_shape_mismatch_fails(self):
        model = ti.ZhsentiClassifier(ARCH)
        names = {k: v.detach().clone() for k, v in model._zhsenti_names().items()}
        names["head.weight"] = torch.zeros(2, 3)
        with self.assertRaisesRegex(ValueError, "head.weight: shape"):
            model.load_zhsenti_weights(names)


def model_dir(root, max_len, truncation, **pipeline):
    config = {"tokenizer": {"max_len": max_len, "truncation": truncation,
                            "pipeline": {"mode": "char", "clean": False, "hmm": True,
                                         "stopwords": "", "user_dicts": [], **pipeline}}}
    pathlib.Path(root, "config.json").write_text(json.dumps(config), encoding="utf-8")
    vocab = ["<pad>", "<unk>"] + list("一二三四五六七")
    pathlib.Path(root, "vocab.txt").write_text("".join(f"{t}\t1\n" for t in vocab),
                                               encoding="utf-8")
    return root


class Encoding(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def encode(self, max_len, truncation, text):
        return ti.Encoder(model_dir(self.tmp.name, max_len, truncation)).encode([text])[0]

    def test_truncation_as_vocab_encoder(self):
        text = "一二三四五六七"  # ids 2..8
        self.assertEqual(self.encode(0, "head", text), [2, 3, 4, 5, 6, 7, 8])
        self.assertEqual(self.encode(4, "head", text), [2, 3, 4, 5])
        self.assertEqual(self.encode(4, "tail", text), [5, 6, 7, 8])
        self.assertEqual(self.encode(5, "head_tail", text), [2, 3, 4, 7, 8])

    def test_spaces_dropped_unknown_and_empty(self):
        self.assertEqual(self.encode(0, "head", " 一\u3000x\t二 "), [2, 1, 3])
        self.assertEqual(self.encode(0, "head", " \u3000 "), [ti.PAD_ID])

    def test_refuses_stop_words_and_user_dictionaries(self):
        for extra in ({"stopwords": "stop.txt"}, {"user_dicts": ["user.txt"]}):
            with self.assertRaises(NotImplementedError):
                ti.Encoder(model_dir(self.tmp.name, 0, "head", **extra))


if __name__ == "__main__":
    unittest.main()
