#!/usr/bin/env bash
# word2vec training speed: `zhsenti embed train` against gensim (../shared/bench/peers/
# gensim_w2v.py) on the same pre-segmented corpus (every text of ../shared/data cut by
# `zhsenti segment`), with the same parameters and threads, one after the other in one run.
# Speed is raw words per second of training (corpus tokens x epochs / training seconds, the
# figure gensim reports; reading the corpus and building the vocabulary are excluded on
# both sides).
#
#   bench/embed_speed.sh                     # skip-gram and CBOW, 2 threads
#   THREADS=1 MODELS=skipgram bench/embed_speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ZHSENTI=${ZHSENTI:-build/zhsenti}
DATA=${ZHSENTI_DATA:-../shared/data}
PEERS=${PEERS:-../shared/bench/peers}
THREADS=${THREADS:-2}
MODELS=${MODELS:-skipgram cbow}
DIM=${DIM:-128} WINDOW=${WINDOW:-5} NEGATIVE=${NEGATIVE:-5} MIN_COUNT=${MIN_COUNT:-5}
SAMPLE=${SAMPLE:-1e-3} EPOCHS=${EPOCHS:-5} SEED=${SEED:-1}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/pretrain_corpus.py --data "$DATA" --out "$work/texts.txt" --exclude >/dev/null
"$ZHSENTI" segment -q "$work/texts.txt" -o "$work/tokens.txt"
echo "corpus: $(wc -l <"$work/tokens.txt") texts, $(wc -w <"$work/tokens.txt") words; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '| model | threads | zhsenti words/s | gensim words/s | ratio | zhsenti s | gensim s |\n|---|---|---|---|---|---|---|\n'
for model in $MODELS; do
  sg=1
  [[ $model == cbow ]] && sg=0
  ours=$("$ZHSENTI" embed train --corpus "$work/tokens.txt" --pre-segmented --out "$work/ours.bin" \
    --model "$model" --dim "$DIM" --window "$WINDOW" --negative "$NEGATIVE" --min-count "$MIN_COUNT" \
    --sample "$SAMPLE" --epochs "$EPOCHS" --threads "$THREADS" --seed "$SEED" --alpha 0.025 --json -q | tail -1)
  peer=$(/usr/bin/python3 "$PEERS/gensim_w2v.py" --corpus "$work/tokens.txt" --dim "$DIM" \
    --window "$WINDOW" --negative "$NEGATIVE" --min-count "$MIN_COUNT" --sample "$SAMPLE" \
    --epochs "$EPOCHS" --sg "$sg" --threads "$THREADS" --seed "$SEED" | tail -1)
  /usr/bin/python3 - "$model" "$THREADS" "$ours" "$peer" <<'PY'
import json, sys
model, threads, ours, peer = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
assert ours["vocab"] == peer["vocab"], (ours["vocab"], peer["vocab"])
a, b = ours["raw_words_per_s"], peer["raw_words_per_s"]
print(f"| {model} | {threads} | {a:,.0f} | {b:,.0f} | {a / b:.2f}x | {ours['train_seconds']:.1f} | {peer['train_seconds']:.1f} |")
PY
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
