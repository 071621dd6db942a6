#!/usr/bin/python3
"""Texts of the shared data sets and jieba's segmentation of them, for agreement checks.

Writes into --out-dir:
  texts.txt   one text per line (a '\\n' inside a text becomes a space: whitespace only
              separates tokens in jieba, so this changes no token)
  jieba.tok   jieba.lcut(text, HMM=True) of the ORIGINAL text, whitespace tokens dropped
  jieba.pos   jieba.posseg.lcut(text) as word/tag, whitespace tokens dropped (--pos)
  sources.txt which data set each line came from

  /usr/bin/python3 tools/jieba_corpus.py --data-dir ../shared/data --out-dir /tmp/agree [--pos]
"""

import argparse
import csv
import logging
import os
import sys

SOURCES = [
    ("chnsenticorp/train.tsv", "tsv", "text_a"),
    ("chnsenticorp/dev.tsv", "tsv", "text_a"),
    ("chnsenticorp/test.tsv", "tsv", "text_a"),
    ("smp2020_ewect/usual_train.csv", "csv", "文本"),
]


def read_texts(path, kind, column):
    with open(path, encoding="utf-8-sig", newline="") as f:
        if kind == "tsv":
            header = f.readline().rstrip("\r\n").split("\t")
            col = header.index(column)
            texts = []
            for line in f:
                line = line.rstrip("\r\n")
                if not line:
                    continue
                fields = line.split("\t")
                texts.append("\t".join(fields[col:]) if col == len(header) - 1 else fields[col])
            return texts
        reader = csv.reader(f)
        header = next(reader)
        col = header.index(column)
        return [row[col] for row in reader if row]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
    ap.add_argument("--data-dir", default=os.environ.get("ZHSENTI_DATA", default_data))
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--pos", action="store_true", help="also write jieba.pos (slower)")
    ap.add_argument("--every", type=int, default=1, help="keep every N-th text (sampling)")
    args = ap.parse_args()

    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()

    os.makedirs(args.out_dir, exist_ok=True)
    files = {name: open(os.path.join(args.out_dir, name), "w", encoding="utf-8", newline="\n")
             for name in ["texts.txt", "jieba.tok", "sources.txt"] + (["jieba.pos"] if args.pos else [])}
    n = 0
    for rel, kind, column in SOURCES:
        texts = read_texts(os.path.join(args.data_dir, rel), kind, column)
        for text in texts[::args.every]:
            files["texts.txt"].write(text.replace("\n", " ") + "\n")
            files["sources.txt"].write(rel + "\n")
            files["jieba.tok"].write(" ".join(w for w in jieba.lcut(text) if not w.isspace()) + "\n")
            if args.pos:
                files["jieba.pos"].write(" ".join(f"{w}/{t}" for w, t in jieba.posseg.lcut(text)
                                                  if not w.isspace()) + "\n")
            n += 1
    for f in files.values():
        f.close()
    print(f"{n} texts written to {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
