#!/usr/bin/env bash
# Accuracy gain on ChnSentiCorp test from in-domain pre-trained vectors.
#
# 1. Corpus: every text of ../shared/data except ChnSentiCorp's dev and test texts
#    (bench/pretrain_corpus.py drops corpus texts equal to any of them and says how many).
# 2. Vectors: `zhsenti embed train` on that corpus, tokenized as the default model does
#    (cleaned characters), dimension = the default --embed-dim (128).
# 3. The default ChnSentiCorp model trained twice with the same seed, with and without
#    --pretrained, and each evaluated once on test.
#
#   bench/pretrain_gain.sh                 # EXTRA="--freeze-embeddings --unfreeze-after 2" to vary
set -euo pipefail
cd "$(dirname "$0")/.."
ZHSENTI=${ZHSENTI:-build/zhsenti}
DATA=${ZHSENTI_DATA:-../shared/data}
THREADS=${THREADS:-2}
SEED=${SEED:-42}
W2V=${W2V:---model skipgram --dim 128 --window 5 --negative 5 --min-count 2 --epochs 10}
EXTRA=${EXTRA:-}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
D=$DATA/chnsenticorp

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 bench/pretrain_corpus.py --data "$DATA" --out "$OUT/corpus.txt" | tail -1
# shellcheck disable=SC2086
"$ZHSENTI" embed train --corpus "$OUT/corpus.txt" --tokens char $W2V --threads "$THREADS" \
  --seed 1 --out "$OUT/vectors.bin" --json -q | tail -1

run() {  # name, extra flags...
  local name=$1
  shift
  "$ZHSENTI" train --train "$D/train.tsv" --dev "$D/dev.tsv" --out "$OUT/$name" --threads "$THREADS" \
    --seed "$SEED" --json -q "$@" >"$OUT/$name.train.json"
  "$ZHSENTI" eval --model "$OUT/$name" --data "$D/test.tsv" --json -q >"$OUT/$name.test.json"
}
run baseline
# shellcheck disable=SC2086
run pretrained --pretrained "$OUT/vectors.bin" $EXTRA

/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
rows = {}
for name in ("baseline", "pretrained"):
    t = json.load(open(f"{out}/{name}.train.json"))
    e = json.load(open(f"{out}/{name}.test.json"))
    rows[name] = (t, e)
    cov = t.get("pretrained")
    cov = f"{cov['row_coverage']:.1%} rows / {cov['token_coverage']:.1%} tokens" if cov else "-"
    print(f"| {name} | {t['best_epoch']} | {t['dev']['accuracy']:.4f} | {e['accuracy']:.4f} | "
          f"{e['macro_avg']['f1']:.4f} | {cov} |")
gain = rows["pretrained"][1]["accuracy"] - rows["baseline"][1]["accuracy"]
print(f"test accuracy gain: {gain * 100:+.2f} points")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
