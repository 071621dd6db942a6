"""Quality of word vectors against a reference run (bench/embed_mpi.sh).

  usage: embed_mpi_quality.py WORK REFERENCE [RUN...]

Reads WORK/NAME.txt (word2vec text) and WORK/NAME.json (`embed train --json`) per run and
prints a Markdown row each: speed, the sentiment-group cosines of bench/embed_clusters.sh and
the share of the 10 nearest neighbours of the 1,000 most frequent words that a run has in
common with REFERENCE.
"""
import json, sys
import numpy as np
work, runs = sys.argv[1], sys.argv[2:]
pos, neg = "好 棒 满意 不错 喜欢".split(), "差 糟糕 失望 垃圾 后悔".split()

def load(name):
    with open(f"{work}/{name}.txt", encoding="utf-8") as f:
        next(f)
        words, rows = [], []
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows.append(np.array(parts[1:], dtype=np.float32))
    v = np.stack(rows)
    return words, v / np.linalg.norm(v, axis=1, keepdims=True)

def neighbours(unit, k=10, top=1000):
    sims = unit[:top] @ unit.T
    np.fill_diagonal(sims[:, :top], -np.inf)
    return [set(np.argsort(-row)[:k]) for row in sims]

base_words, base = load(runs[0])
base_nn = neighbours(base)
print("| run | words/s | train s | ratio to np1 | within | across | within - across | top-10 shared with np1 |")
print("|---|---|---|---|---|---|---|---|")
base_speed = None
for name in runs:
    words, unit = load(name)
    assert words == base_words, f"{name}: another vocabulary"
    index = {w: i for i, w in enumerate(words)}
    cos = lambda a, b: float(unit[index[a]] @ unit[index[b]])
    mean = lambda pairs: sum(cos(a, b) for a, b in pairs if a != b) / sum(a != b for a, b in pairs)
    within = (mean([(a, b) for a in pos for b in pos]) + mean([(a, b) for a in neg for b in neg])) / 2
    across = mean([(a, b) for a in pos for b in neg])
    shared = np.mean([len(a & b) / 10 for a, b in zip(base_nn, neighbours(unit))])
    s = json.load(open(f"{work}/{name}.json"))
    base_speed = base_speed or s["raw_words_per_s"]
    print(f"| {name} | {s['raw_words_per_s']:,.0f} | {s['train_seconds']:.1f} | "
          f"{s['raw_words_per_s'] / base_speed:.2f} | {within:.3f} | {across:.3f} | "
          f"{within - across:.3f} | {shared:.3f} |")
