#!/usr/bin/env bash
# Sanity check of word vectors trained on the shared corpora: do sentiment words cluster?
# Trains word-level skip-gram vectors on every text of ../shared/data (ChnSentiCorp dev and
# test excluded, as for pre-training), then compares the mean cosine similarity within the
# positive group (好 棒 满意 不错 喜欢) and the negative group (差 糟糕 失望 垃圾 后悔) with
# the mean across the groups, and prints each word's nearest neighbours. Exits 1 when the
# groups do not separate (within <= across).
#
#   bench/embed_clusters.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ZHSENTI=${ZHSENTI:-build/zhsenti}
DATA=${ZHSENTI_DATA:-../shared/data}
THREADS=${THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 bench/pretrain_corpus.py --data "$DATA" --out "$work/corpus.txt" | tail -1
"$ZHSENTI" embed train --corpus "$work/corpus.txt" --tokens word --dim 100 --epochs 5 \
  --min-count 5 --threads "$THREADS" --seed 1 --out "$work/words.bin" --json -q | tail -1
pos=(好 棒 满意 不错 喜欢)
neg=(差 糟糕 失望 垃圾 后悔)
"$ZHSENTI" embed neighbors --vectors "$work/words.bin" --k 1000000 --json "${pos[@]}" "${neg[@]}" \
  >"$work/all.jsonl"
/usr/bin/python3 - "$work/all.jsonl" "${#pos[@]}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
npos = int(sys.argv[2])
words = [r["word"] for r in rows]
sim = {r["word"]: {n["word"]: n["similarity"] for n in r["neighbors"]} for r in rows}
pos, neg = words[:npos], words[npos:]
def mean(pairs):
    vals = [sim[a][b] for a, b in pairs if a != b]
    return sum(vals) / len(vals)
within = (mean([(a, b) for a in pos for b in pos]) + mean([(a, b) for a in neg for b in neg])) / 2
across = mean([(a, b) for a in pos for b in neg])
for r in rows:
    print(r["word"], " ".join(f"{n['word']}:{n['similarity']:.2f}" for n in r["neighbors"][:8]))
print(json.dumps({"within_group_cosine": round(within, 4), "across_group_cosine": round(across, 4)}))
sys.exit(0 if within > across else 1)
PY
