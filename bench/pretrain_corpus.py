#!/usr/bin/python3
"""Writes the word-vector pre-training corpus: every text of the shared data sets, one per
line, except the texts of the evaluated set's dev and test splits (no test leakage).

Texts are compared after removing all whitespace; a corpus text equal to any dev or test
text is dropped and counted. Prints one JSON object with the counts on the last line.

  /usr/bin/python3 bench/pretrain_corpus.py --data ../shared/data --out corpus.txt
"""
import argparse
import csv
import json
import os
import re


def read_texts(path):
    if path.endswith(".tsv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            return [r["text_a"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        key = "review" if "review" in rows[0] else "文本"
        return [r[key] for r in rows]
    with open(path, encoding="utf-8") as f:  # smp2020 virus_*.txt: one JSON array
        return [r["content"] for r in json.load(f)]


def key(text):
    return re.sub(r"\s+", "", text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--exclude", nargs="*", default=["chnsenticorp/dev.tsv", "chnsenticorp/test.tsv"])
    a = ap.parse_args()
    excluded = set()
    for rel in a.exclude:
        excluded.update(key(t) for t in read_texts(os.path.join(a.data, rel)))
    sources = ["chnsenticorp/train.tsv", "waimai_10k/waimai_10k.csv",
               "smp2020_ewect/usual_train.csv", "smp2020_ewect/usual_eval_labeled.csv",
               "smp2020_ewect/usual_test_labeled.csv", "smp2020_ewect/virus_train.txt",
               "smp2020_ewect/virus_eval_labeled.txt", "smp2020_ewect/virus_test_labeled.txt"]
    kept = removed = empty = 0
    per_source = {}
    with open(a.out, "w", encoding="utf-8") as out:
        for rel in sources:
            n_removed = 0
            for t in read_texts(os.path.join(a.data, rel)):
                k = key(t)
                if not k:
                    empty += 1
                    continue
                if k in excluded:
                    removed += 1
                    n_removed += 1
                    continue
                out.write(" ".join(t.split()) + "\n")
                kept += 1
            per_source[rel] = n_removed
    print(json.dumps({"texts": kept, "removed_dev_test": removed, "removed_by_source": per_source,
                      "empty": empty, "excluded_texts": len(excluded)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
