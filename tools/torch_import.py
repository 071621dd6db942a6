#!/usr/bin/python3
"""A zhsenti model directory as a torch.nn.Module (docs/export.md, "PyTorch").

    model = load_model("models/chnsenticorp")         # config.json + model.safetensors
    encoder = Encoder("models/chnsenticorp", zhsenti="build/zhsenti")
    ids, lengths = encoder.batch(["房间很干净，服务也好", "太吵了"])
    probs = model(ids, lengths)                        # (2, classes), rows sum to 1

The network is PyTorch's own: nn.Embedding, nn.GRU/LSTM/RNN (zhsenti stores their weights
under its own names but in PyTorch's layout and gate order), nn.LayerNorm/BatchNorm1d,
nn.Linear. It takes the token ids zhsenti feeds its network (padded, batch first) and the
lengths; the hashed n-gram rows are computed from those ids inside forward(), as zhsenti
does (src/nn/layers/ngram_hash.cc).

Encoder turns texts into those ids: cleaning by `zhsenti clean` with the model's options
(the same Cleaner, so exact), then characters (split here, exactly as cut_chars) or words
(Python jieba, which zhsenti's segmenter reproduces), the vocabulary and truncation. It
refuses models with stop words or user dictionaries rather than guess.

Run with /usr/bin/python3 (Debian's python3-torch, python3-numpy, python3-jieba).
"""

import json
import logging
import os
import struct
import subprocess

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD_ID, UNK_ID = 0, 1
RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
NORM_EPS = 1e-5  # LayerNorm and BatchNorm1d (include/zhsenti/nn/layers/*_norm.h)
# What zhsenti reads for keys a config.json's architecture leaves out (omitted_keys() in
# src/nn/models/classifier_config.cc), and so does this loader.
ARCH_DEFAULTS = {"embed_dim": 128, "ngram_buckets": 0, "ngram_order": 2, "padding_id": 0,
                 "cell": "lstm", "hidden": 128, "layers": 1, "bidirectional": True,
                 "norm": "none", "pool": "last", "attention_dim": 0, "num_classes": 2}
TRAINING_ONLY = {"dropout", "embed_dropout", "init"}  # no effect at inference


# ---------------------------------------------------------------- weights


def read_safetensors(path):
    """{name: float32 tensor} of a safetensors file: 8-byte little-endian header size, JSON
    header, then the raw little-endian data. zhsenti writes F32, and a quantised model
    (`zhsenti quantize`) each matrix as I8 `name` with F32 row scales `name.scale`, returned
    here dequantised (int8 value times its row's scale, in float32 as zhsenti computes it)."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8]) if len(data) >= 8 else (len(data),)
    if 8 + size > len(data):
        raise ValueError(f"{path}: header of {size} bytes does not fit in {len(data)} bytes")
    header = json.loads(data[8:8 + size].decode("utf-8"))
    header.pop("__metadata__", None)
    base = 8 + size
    tensors = {}
    for name, info in header.items():
        widths = {"F32": (4, "<f4"), "I8": (1, "i1"), "U8": (1, "u1")}
        if info["dtype"] not in widths:
            raise ValueError(f"{path}: {name} is {info['dtype']}, this loader reads F32, I8 and U8")
        width, np_dtype = widths[info["dtype"]]
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"]))
        if count * width != end - begin or not 0 <= begin <= end <= len(data) - base:
            raise ValueError(f"{path}: {name}: shape {info['shape']} and data_offsets "
                             f"[{begin}, {end}] disagree with a {len(data) - base}-byte buffer")
        values = np.frombuffer(data, dtype=np_dtype, count=count, offset=base + begin)
        tensors[name] = values.reshape(info["shape"])
    out = {}
    for name, values in tensors.items():
        if name.endswith(".scale") and name[:-len(".scale")] in tensors:
            continue
        if values.dtype == np.uint8:  # a pruned matrix's bitmap, for densify()
            out[name] = torch.from_numpy(values.copy())
            continue
        if values.dtype == np.int8:
            scale = tensors.get(name + ".scale")
            if scale is None:
                raise ValueError(f"{path}: int8 tensor {name} has no {name}.scale")
            values = values.astype(np.float32) * scale.astype(np.float32)[:, None]
        out[name] = torch.from_numpy(values.astype(np.float32))
    return out


def densify(tensors, shapes):
    """A pruned matrix NAME is stored as NAME.sparse_bitmap (U8; bit i % 8, least significant
    first, of byte i // 8 set: element i is non-zero) and NAME.sparse_values (F32, the
    non-zero elements in row-major order); docs/model_format.md. Rebuilds the dense tensor
    with the shape the model expects."""
    for name, shape in shapes.items():
        bitmap = tensors.pop(name + ".sparse_bitmap", None)
        if bitmap is None or name in tensors:
            continue
        n = int(np.prod(shape))
        nonzero = np.unpackbits(bitmap.numpy(), bitorder="little")
        values = tensors.pop(name + ".sparse_values")
        if len(nonzero) != (n + 7) // 8 * 8 or nonzero[n:].any() or nonzero.sum() != len(values):
            raise ValueError(f"model.safetensors: sparse {name} does not fit shape {list(shape)}")
        dense = torch.zeros(n)
        dense[torch.from_numpy(nonzero[:n].astype(bool))] = values
        tensors[name] = dense.reshape(shape)


# ---------------------------------------------------------------- hashed n-gram rows

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z):
    """splitmix64's finaliser on uint64 arrays (numpy wraps multiplication modulo 2^64)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def ngram_rows(ids, buckets, order):
    """Rows of the n-gram table for (B, T) ids: position t gets the bucket of
    (id[t-1], id[t]) and, with order 3, also of (id[t-2], id[t-1], id[t]); positions before
    the start are the marker 0 (ids are shifted by one). Returns 1 or 2 (B, T) int64 tensors.
    Padding positions get rows too; the network never reads their outputs."""
    cur = ids.cpu().numpy().astype(np.uint64) + np.uint64(1)
    prev = np.zeros_like(cur)
    prev[:, 1:] = cur[:, :-1]
    with np.errstate(over="ignore"):
        rows = [_mix((prev << np.uint64(32)) ^ cur) % np.uint64(buckets)]
        if order >= 3:
            prev2 = np.zeros_like(cur)
            prev2[:, 2:] = cur[:, :-2]
            rows.append((_mix(_mix((prev2 << np.uint64(32)) ^ prev) + cur * GOLDEN))
                        % np.uint64(buckets))
    return [torch.from_numpy(r.astype(np.int64)) for r in rows]


# ---------------------------------------------------------------- the network


class ZhsentiClassifier(nn.Module):
    """zhsenti's Classifier (src/nn/models/classifier.cc) at inference: embedding (+ hashed
    n-grams) -> stacked recurrent layers -> pooling over each text's own steps -> optional
    layer/batch norm -> linear head -> softmax. Dropout is absent (inference)."""

    def __init__(self, arch, labels=None):
        super().__init__()
        unknown = set(arch) - set(ARCH_DEFAULTS) - TRAINING_ONLY - {"vocab_size"}
        if unknown:
            raise ValueError(f"architecture keys this loader does not know: {sorted(unknown)}")
        arch = self.arch = {**ARCH_DEFAULTS, **arch}
        self.labels = list(labels) if labels is not None else None
        e, h, cell = arch["embed_dim"], arch["hidden"], arch["cell"]
        features = h * (2 if arch["bidirectional"] else 1)
        padding = arch["padding_id"] if arch["padding_id"] >= 0 else None
        self.embedding = nn.Embedding(arch["vocab_size"], e, padding_idx=padding)
        self.ngram_embedding = (nn.Embedding(arch["ngram_buckets"], e)
                                if arch["ngram_buckets"] > 0 else None)
        self.encoder = RNN_CLASSES[cell](e, h, num_layers=arch["layers"], batch_first=True,
                                         bidirectional=arch["bidirectional"])
        if arch["pool"] == "attention":
            dim = arch["attention_dim"] or h
            self.attention_w = nn.Linear(features, dim)
            self.attention_v = nn.Linear(dim, 1, bias=False)
        self.norm = {"none": None, "layer": nn.LayerNorm(features, eps=NORM_EPS),
                     "batch": nn.BatchNorm1d(features, eps=NORM_EPS)}[arch["norm"]]
        self.head = nn.Linear(features, arch["num_classes"])

    def load_zhsenti_weights(self, tensors):
        """Copies every tensor by its zhsenti name; fails on a missing or extra name or a
        shape mismatch, so a silently ignored weight cannot pass."""
        own = self._zhsenti_names()
        densify(tensors, {name: tuple(t.shape) for name, t in own.items()})
        missing, extra = sorted(set(own) - set(tensors)), sorted(set(tensors) - set(own))
        if missing or extra:
            raise ValueError(f"model.safetensors: missing {missing}, unexpected {extra}")
        with torch.no_grad():
            for name, target in own.items():
                if tuple(target.shape) != tuple(tensors[name].shape):
                    raise ValueError(f"{name}: shape {list(tensors[name].shape)}, "
                                     f"expected {list(target.shape)}")
                target.copy_(tensors[name].reshape(target.shape))

    def _zhsenti_names(self):
        """zhsenti parameter name -> this module's tensor (docs/model_format.md)."""
        a = self.arch
        names = {"embedding.weight": self.embedding.weight,
                 "head.weight": self.head.weight, "head.bias": self.head.bias}
        if self.ngram_embedding is not None:
            names["ngram_embedding.weight"] = self.ngram_embedding.weight
        for layer in range(a["layers"]):
            for d, direction in enumerate(("forward", "backward")[:1 + a["bidirectional"]]):
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                prefix = f"encoder.{a['cell']}.{layer}.{direction}."
                for ours, theirs in (("w_ih", "weight_ih"), ("w_hh", "weight_hh"),
                                     ("b_ih", "bias_ih"), ("b_hh", "bias_hh")):
                    names[prefix + ours] = getattr(self.encoder, theirs + suffix)
        if a["pool"] == "attention":
            names["pool.attention.w"] = self.attention_w.weight
            names["pool.attention.b"] = self.attention_w.bias
            names["pool.attention.v"] = self.attention_v.weight[0]  # a view: (A) as stored
        if self.norm is not None:
            names["norm.weight"] = self.norm.weight
            names["norm.bias"] = self.norm.bias
            if a["norm"] == "batch":
                names["norm.running_mean"] = self.norm.running_mean
                names["norm.running_var"] = self.norm.running_var
        return names

    def logits(self, ids, lengths):
        """ids (B, T) int64 padded with anything, lengths (B) >= 1 -> logits (B, classes)."""
        lengths = torch.as_tensor(lengths, dtype=torch.int64)
        x = self.embedding(ids)
        if self.ngram_embedding is not None:
            for rows in ngram_rows(ids, self.arch["ngram_buckets"], self.arch["ngram_order"]):
                x = x + self.ngram_embedding(rows.to(ids.device))
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.encoder(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
        feat = self._pool(out, lengths.to(out.device))
        if self.norm is not None:
            feat = self.norm(feat)
        return self.head(feat)

    def forward(self, ids, lengths):
        return torch.softmax(self.logits(ids, lengths), dim=-1)

    def _pool(self, out, lengths):
        steps = torch.arange(out.shape[1], device=out.device)
        valid = steps[None, :] < lengths[:, None]  # (B, T)
        pool = self.arch["pool"]
        if pool == "last":
            # Forward direction: its state after the last token; backward: after the first.
            h = self.arch["hidden"]
            batch = torch.arange(out.shape[0], device=out.device)
            last = out[batch, lengths - 1, :h]
            if not self.arch["bidirectional"]:
                return last
            return torch.cat([last, out[:, 0, h:]], dim=1)
        if pool == "mean":
            return out.sum(dim=1) / lengths[:, None].to(out.dtype)
        if pool == "max":
            return out.masked_fill(~valid[:, :, None], float("-inf")).amax(dim=1)
        scores = self.attention_v(torch.tanh(self.attention_w(out))).squeeze(-1)
        alpha = torch.softmax(scores.masked_fill(~valid, float("-inf")), dim=1)
        return (alpha[:, :, None] * out).sum(dim=1)


def read_config(model_dir):
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        return json.load(f)


def load_model(model_dir):
    """The model of a zhsenti model directory, in eval mode; .labels gives the class names
    (label id = position)."""
    config = read_config(model_dir)
    model = ZhsentiClassifier(config["architecture"], config["labels"])
    model.load_zhsenti_weights(read_safetensors(os.path.join(model_dir, "model.safetensors")))
    return model.eval()


# ---------------------------------------------------------------- texts -> ids

# Python's str.isspace() set, as zhsenti's is_py_space (include/zhsenti/text/char_class.h):
# character mode drops these code points.
PY_SPACE = frozenset([*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680,
                      *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])

# `zhsenti clean`'s default of each on/off clean option, and the flag that flips it.
CLEAN_SWITCHES = {"html": (True, "--no-html"), "urls": (True, "--no-urls"),
                  "emails": (True, "--no-emails"), "mentions": (True, "--no-mentions"),
                  "repost_chains": (False, "--repost-chains"),
                  "fullwidth": (True, "--no-fullwidth"),
                  "squash_punct": (True, "--no-squash-punct"),
                  "whitespace": (True, "--no-whitespace"), "t2s": (True, "--no-t2s"),
                  "lowercase": (False, "--lowercase")}
CLEAN_VALUES = ("emoji", "invalid_utf8")  # options the command takes as --name VALUE


def clean_flags(options):
    """The `zhsenti clean` command line for a model's clean_options; an option it does not
    know fails rather than being dropped."""
    flags = []
    for key, value in options.items():
        if key in CLEAN_VALUES:
            flags += ["--" + key.replace("_", "-"), value]
        elif key in CLEAN_SWITCHES:
            default, flag = CLEAN_SWITCHES[key]
            if value != default:
                flags.append(flag)
        else:
            raise ValueError(f"clean option {key}={value!r}: no zhsenti clean flag known")
    return flags


class Encoder:
    """Texts -> the ids zhsenti's predictor feeds its network (Predictor::encode)."""

    def __init__(self, model_dir, zhsenti="zhsenti"):
        section = read_config(model_dir)["tokenizer"]
        self.pipeline = section["pipeline"]
        self.max_len = section["max_len"]
        self.truncation = section["truncation"]
        self.zhsenti = zhsenti
        if self.pipeline.get("stopwords") or self.pipeline.get("user_dicts"):
            raise NotImplementedError("models with stop words or user dictionaries: take the "
                                      "ids from zhsenti itself")
        self.vocab = {}
        with open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8", newline="\n") as f:
            for i, line in enumerate(f):
                self.vocab[line.rstrip("\n").rstrip("\r").split("\t", 1)[0]] = i
        self.jieba = None
        if self.pipeline["mode"] == "word":
            import jieba
            jieba.setLogLevel(logging.WARNING)
            self.jieba = jieba.dt  # the default dictionary, loaded once per process

    def clean(self, texts):
        if not self.pipeline["clean"]:
            return list(texts)
        if any("\n" in t or "\r" in t for t in texts):
            raise ValueError("texts go to `zhsenti clean` one per line: no line breaks inside")
        cmd = [self.zhsenti, "-q", "clean", *clean_flags(self.pipeline["clean_options"])]
        done = subprocess.run(cmd, input="".join(t + "\n" for t in texts).encode("utf-8"),
                              capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.decode('utf-8', 'replace')}")
        lines = done.stdout.decode("utf-8").split("\n")
        if len(lines) != len(texts) + 1 or lines[-1] != "":
            raise RuntimeError(f"zhsenti clean gave {len(lines) - 1} lines for {len(texts)} texts")
        return lines[:-1]

    def tokens(self, text):
        """Words as jieba.lcut(text, HMM=hmm) without its whitespace tokens (zhsenti's
        Segmenter::cut), or the code points that are not whitespace (cut_chars)."""
        pieces = self.jieba.cut(text, HMM=self.pipeline["hmm"]) if self.jieba else text
        return [p for p in pieces if any(ord(c) not in PY_SPACE for c in p)]

    def ids(self, tokens):
        """Vocabulary ids, truncated to max_len (vocab::Encoder); an empty text is [<pad>]."""
        n = len(tokens)
        if n == 0:
            return [PAD_ID]
        keep = n if self.max_len == 0 else min(n, self.max_len)
        head = keep
        if keep < n:
            head = {"head": keep, "tail": 0, "head_tail": (keep + 1) // 2}[self.truncation]
        kept = tokens[:head] + tokens[n - (keep - head):]
        return [self.vocab.get(t, UNK_ID) for t in kept]

    def encode(self, texts):
        """One id list per text."""
        return [self.ids(self.tokens(t)) for t in self.clean(texts)]

    def batch(self, texts):
        """(ids (B, T) int64 padded with <pad>, lengths (B)) for ZhsentiClassifier."""
        return pad(self.encode(texts))


def pad(sequences):
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    ids = torch.full((len(sequences), int(lengths.max())), PAD_ID, dtype=torch.int64)
    for i, s in enumerate(sequences):
        ids[i, :len(s)] = torch.tensor(s, dtype=torch.int64)
    return ids, lengths
