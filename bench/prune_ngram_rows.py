#!/usr/bin/python3
"""How much of the hashed n-gram table (issue 18 §4) the training data uses, and what
dropping the rest does: writes a copy of a model whose n-gram rows that no training text
hits are zero (stored as the sparse pair of docs/model_format.md, like a pruned model), for
`zhsenti eval` to score. No fine-tuning: the unused rows never received a gradient.

Usage: prune_ngram_rows.py ZHSENTI MODEL TRAIN_TSV OUT
Prints rows used / rows, and the file sizes, as JSON on stdout.
"""
import json
import os
import shutil
import struct
import subprocess
import sys

import numpy as np


def read(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = {"F32": "<f4", "U8": "u1"}[info["dtype"]]
        out[name] = (info["dtype"], np.frombuffer(data[base + begin:base + end], dtype=dtype)
                     .reshape(info["shape"]))
    return out


def write(path, tensors):
    header, chunks, offset = {}, [], 0
    # Largest element size first, as zhsenti writes them, so every tensor stays aligned.
    for name, (dtype, values) in sorted(tensors.items(), key=lambda t: t[1][0] != "F32"):
        raw = values.tobytes()
        header[name] = {"dtype": dtype, "shape": list(values.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def main(zhsenti, model, train, out):
    texts = [line.split("\t", 1)[1].rstrip("\n") for line in open(train, encoding="utf-8")][1:]
    encoded = subprocess.run([zhsenti, "-q", "encode", "--model", model], input="\n".join(texts),
                             capture_output=True, text=True, check=True).stdout
    used = set()
    for line in encoded.splitlines():
        row = json.loads(line)
        used.update(row.get("bigram_ids", []))
        used.update(row.get("trigram_ids", []))
    tensors = read(os.path.join(model, "model.safetensors"))
    dtype, table = tensors.pop("ngram_embedding.weight")
    assert dtype == "F32", "the table is already stored sparse"
    table = table.copy()
    keep = np.zeros(table.shape[0], dtype=bool)
    keep[list(used)] = True
    table[~keep] = 0
    flat = table.reshape(-1)
    nonzero = flat != 0
    tensors["ngram_embedding.weight.sparse_bitmap"] = (
        "U8", np.packbits(nonzero, bitorder="little"))
    tensors["ngram_embedding.weight.sparse_values"] = ("F32", flat[nonzero])
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(model, out)
    write(os.path.join(out, "model.safetensors"), tensors)
    print(json.dumps({"rows": int(table.shape[0]), "rows_used": int(keep.sum()),
                      "bytes": os.path.getsize(os.path.join(out, "model.safetensors")),
                      "base_bytes": os.path.getsize(os.path.join(model, "model.safetensors"))}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
