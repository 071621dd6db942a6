#!/usr/bin/python3
"""Agreement between two segmentations of the same texts (one line per text, tokens separated
by single spaces, POS as word/tag).

  compare_segments.py --ref jieba.tok --ours ours.tok [--ref-pos jieba.pos --ours-pos ours.pos]
                      [--sources sources.txt] [--examples N]

Words: a text agrees when its token lists are identical. POS: per text (identical word/tag
lists) and per token (tags of tokens whose word and position agree, over all reference tokens).
Prints a summary and, last, one JSON object.
"""

import argparse
import collections
import json


def read(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [line.rstrip("\n").split(" ") if line.strip("\n") else [] for line in f]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--ref-pos")
    ap.add_argument("--ours-pos")
    ap.add_argument("--sources")
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args()

    ref, ours = read(args.ref), read(args.ours)
    if len(ref) != len(ours):
        raise SystemExit(f"line counts differ: {len(ref)} vs {len(ours)}")
    sources = ([s.strip() for s in open(args.sources, encoding="utf-8")] if args.sources
               else ["all"] * len(ref))
    per_source = collections.defaultdict(lambda: [0, 0])
    diffs = []
    for i, (r, o) in enumerate(zip(ref, ours)):
        per_source[sources[i]][1] += 1
        if r == o:
            per_source[sources[i]][0] += 1
        elif len(diffs) < args.examples:
            diffs.append((i + 1, " ".join(r), " ".join(o)))
    same = sum(v[0] for v in per_source.values())
    result = {
        "texts": len(ref),
        "words_identical_texts": same,
        "words_identical_pct": round(100.0 * same / max(1, len(ref)), 4),
        "per_source": {k: {"identical": v[0], "texts": v[1],
                           "pct": round(100.0 * v[0] / max(1, v[1]), 4)}
                       for k, v in per_source.items()},
    }
    for line, r, o in diffs:
        print(f"line {line}:\n  ref:  {r}\n  ours: {o}")

    if args.ref_pos and args.ours_pos:
        rp, op = read(args.ref_pos), read(args.ours_pos)
        if len(rp) != len(op):
            raise SystemExit(f"POS line counts differ: {len(rp)} vs {len(op)}")
        same_texts = sum(1 for r, o in zip(rp, op) if r == o)
        ref_tokens = agree_tokens = 0
        for r, o in zip(rp, op):
            ref_tokens += len(r)
            # Align by character offset of each word: a tag agrees when the same word starts
            # at the same place in both and carries the same tag.
            def spans(toks):
                out, pos = {}, 0
                for t in toks:
                    word, _, tag = t.rpartition("/")
                    out[(pos, word)] = tag
                    pos += len(word)
                return out
            so = spans(o)
            for key, tag in spans(r).items():
                agree_tokens += so.get(key) == tag
        result.update({
            "pos_identical_texts": same_texts,
            "pos_identical_texts_pct": round(100.0 * same_texts / max(1, len(rp)), 4),
            "pos_tokens": ref_tokens,
            "pos_identical_tokens": agree_tokens,
            "pos_identical_tokens_pct": round(100.0 * agree_tokens / max(1, ref_tokens), 4),
        })

    print(f"words: {result['words_identical_texts']}/{result['texts']} texts identical "
          f"({result['words_identical_pct']}%)")
    for k, v in result["per_source"].items():
        print(f"  {k}: {v['identical']}/{v['texts']} ({v['pct']}%)")
    if "pos_identical_texts" in result:
        print(f"POS: {result['pos_identical_texts']}/{result['texts']} texts identical "
              f"({result['pos_identical_texts_pct']}%), {result['pos_identical_tokens']}/"
              f"{result['pos_tokens']} tokens ({result['pos_identical_tokens_pct']}%)")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
