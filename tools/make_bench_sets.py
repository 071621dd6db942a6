#!/usr/bin/python3
"""Writes the benchmark views of the shared data sets as train/dev/test TSV files
(header `label<TAB>text`, tabs and line breaks in texts replaced by spaces), so zhsenti and
the fastText peer read exactly the same rows:

  waimai_10k         binary, about 1:2; no official split: stratified 80/10/10 by --seed,
                     exact duplicate texts kept in one split only
  smp2020_usual      6 emotions, official train / eval (dev) / test
  smp2020_usual3     the 3-class view of ../shared/data/README.md: happy -> positive,
                     neutral, angry/sad/fear -> negative (surprise rows dropped)
  smp2020_virus      6 emotions, official train / eval / test (fear ~4 %, surprise rarer)
  smp2020_virus3     its 3-class view

Empty texts are dropped (SOURCE.md lists them). Prints one line per set with row counts.
  /usr/bin/python3 tools/make_bench_sets.py --out DIR [--data-dir ../shared/data] [--seed 1]
"""

import argparse
import csv
import json
import os
import random

THREE = {"happy": "positive", "neutral": "neutral", "angry": "negative", "sad": "negative",
         "fear": "negative"}


def read_usual(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    ti, li = head.index("文本"), head.index("情绪标签")
    return [(r[li].strip(), r[ti]) for r in rows[1:] if r]


def read_virus(path):
    with open(path, encoding="utf-8-sig") as f:
        return [(str(o["label"]).strip(), o["content"]) for o in json.load(f)]


def read_waimai(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(r["label"].strip(), r["review"]) for r in rows]


def clean(rows):
    out = []
    for label, text in rows:
        text = " ".join(text.replace("\t", " ").split())
        if text:
            out.append((label, text))
    return out


def three(rows):
    return [(THREE[l], t) for l, t in rows if l in THREE]


def split(rows, seed, ratios=(0.8, 0.1, 0.1)):
    # Group identical texts so a text never lands in two splits; stratify by label.
    groups = {}
    for label, text in rows:
        groups.setdefault(text, []).append((label, text))
    by_label = {}
    for text, g in groups.items():
        by_label.setdefault(g[0][0], []).append(g)
    rng = random.Random(seed)
    parts = ([], [], [])
    for label in sorted(by_label):
        gs = by_label[label]
        rng.shuffle(gs)
        n = len(gs)
        a, b = int(n * ratios[0]), int(n * (ratios[0] + ratios[1]))
        for i, g in enumerate(gs):
            parts[0 if i < a else 1 if i < b else 2].extend(g)
    for p in parts:
        rng.shuffle(p)
    return parts


def write(out, name, parts):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    for split_name, rows in zip(("train", "dev", "test"), parts):
        with open(os.path.join(d, f"{split_name}.tsv"), "w", encoding="utf-8") as f:
            f.write("label\ttext\n")
            for label, text in rows:
                f.write(f"{label}\t{text}\n")
    print(name, " ".join(f"{s}={len(p)}" for s, p in zip(("train", "dev", "test"), parts)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--data-dir", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                       "shared", "data"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    d = args.data_dir
    write(args.out, "waimai_10k",
          split(clean(read_waimai(f"{d}/waimai_10k/waimai_10k.csv")), args.seed))
    usual = [clean(read_usual(f"{d}/smp2020_ewect/usual_{s}.csv"))
             for s in ("train", "eval_labeled", "test_labeled")]
    virus = [clean(read_virus(f"{d}/smp2020_ewect/virus_{s}.txt"))
             for s in ("train", "eval_labeled", "test_labeled")]
    write(args.out, "smp2020_usual", usual)
    write(args.out, "smp2020_usual3", [three(p) for p in usual])
    write(args.out, "smp2020_virus", virus)
    write(args.out, "smp2020_virus3", [three(p) for p in virus])


if __name__ == "__main__":
    main()
