#!/usr/bin/env bash
# Accuracy gain on ChnSentiCorp from in-domain pre-trained vectors.
#
# 1. Corpus: every text of ../shared/data except ChnSentiCorp's dev and test texts
#    (bench/pretrain_corpus.py drops corpus texts equal to any of them and says how many).
# 2. Vectors: `zhsenti embed train --bigrams` on that corpus, tokenized as the default model
#    does (cleaned characters), so the file holds the characters and their adjacent pairs
#    (the default model's bigram embedding); dimension = the default --embed-dim (128).
# 3. The default ChnSentiCorp model trained per seed, chosen on dev, each evaluated once on
#    test; one row per run and a mean row per arm. Arms (ARMS): baseline (random embeddings,
#    --pretrain-epochs 0), own (the defaults: vectors pre-trained on the training texts
#    alone, no vector file), pretrained (--pretrained with the vectors of step 2; the
#    defaults hold them for two epochs, EXTRA=--no-freeze-embeddings trains them at once).
#
#   bench/pretrain_gain.sh                 SEEDS="42 1 2" (default), THREADS=2
#   VECTORS=F bench/pretrain_gain.sh       reuse vectors; EXTRA="--pretrained-rescale" to vary
#   JOBS=2 THREADS=1 EMBED_THREADS=2 bench/pretrain_gain.sh    two runs at a time
#   ARMS=pretrained OUT=D2 ...             only that arm (baseline-*.json of an earlier OUT in D2)
#   ARMS="baseline own" ...                no vector file needed
set -euo pipefail
cd "$(dirname "$0")/.."
ZHSENTI=${ZHSENTI:-build/zhsenti}
DATA=${ZHSENTI_DATA:-../shared/data}
THREADS=${THREADS:-2}
JOBS=${JOBS:-1}
EMBED_THREADS=${EMBED_THREADS:-$THREADS}
read -r -a seeds <<< "${SEEDS:-42 1 2}"
W2V=${W2V:---model skipgram --dim 128 --window 5 --negative 5 --min-count 2 --epochs 10 --bigrams}
EXTRA=${EXTRA:-}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
D=$DATA/chnsenticorp

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
VECTORS=${VECTORS:-}
if [ -z "$VECTORS" ] && [[ " ${ARMS:-baseline pretrained} " == *" pretrained "* ]]; then
  VECTORS=$OUT/vectors.bin
  /usr/bin/python3 bench/pretrain_corpus.py --data "$DATA" --out "$OUT/corpus.txt" | tail -1
  # shellcheck disable=SC2086
  "$ZHSENTI" embed train --corpus "$OUT/corpus.txt" --tokens char $W2V --threads "$EMBED_THREADS" \
    --seed 1 --out "$VECTORS" --json -q | tail -1
fi

run() {  # arm seed
  local name=$1-$2 flags=()
  # shellcheck disable=SC2206
  case $1 in
    baseline) flags=(--pretrain-epochs 0) ;;  # random initialisation
    own) flags=($EXTRA) ;;                     # the defaults: vectors of the training texts
    pretrained) flags=(--pretrained "$VECTORS" $EXTRA) ;;
  esac
  "$ZHSENTI" train --train "$D/train.tsv" --dev "$D/dev.tsv" --out "$OUT/$name" --threads "$THREADS" \
    --seed "$2" --json -q "${flags[@]}" >"$OUT/$name.train.json"
  "$ZHSENTI" eval --model "$OUT/$name" --data "$D/test.tsv" --json -q >"$OUT/$name.test.json"
}
for seed in "${seeds[@]}"; do
  for arm in ${ARMS:-baseline pretrained}; do
    run "$arm" "$seed" &
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  done
done
wait

/usr/bin/python3 - "$OUT" "${seeds[@]}" <<'PY'
import json, os, sys
out, seeds = sys.argv[1], sys.argv[2:]
print("| run | seed | best epoch | dev acc | test acc | test macro-F1 | coverage |")
print("|---|---|---|---|---|---|---|")
mean = {}
# Every arm with runs in OUT: those of this run and any of an earlier run there.
arms = [a for a in ("baseline", "own", "pretrained")
        if all(os.path.exists(f"{out}/{a}-{s}.test.json") for s in seeds)]
for arm in arms:
    dev, test = [], []
    for seed in seeds:
        t = json.load(open(f"{out}/{arm}-{seed}.train.json"))
        e = json.load(open(f"{out}/{arm}-{seed}.test.json"))
        dev.append(t["dev"]["accuracy"])
        test.append(e["accuracy"])
        cov = t.get("pretrained")
        cov = (f"{cov['row_coverage']:.1%} rows, {cov['token_coverage']:.1%} tokens, "
               f"{cov['bigram_rows']} bigram rows" if cov else "")
        print(f"| {arm} | {seed} | {t['best_epoch']} | {dev[-1]:.4f} | {test[-1]:.4f} | "
              f"{e['macro_avg']['f1']:.4f} | {cov} |")
    mean[arm] = (sum(dev) / len(dev), sum(test) / len(test))
    print(f"| {arm} | mean | | {mean[arm][0]:.4f} | {mean[arm][1]:.4f} | | |")
for arm in arms:
    if arm != "baseline" and "baseline" in mean:
        print(f"{arm} gain: dev {(mean[arm][0] - mean['baseline'][0]) * 100:+.2f} points, "
              f"test {(mean[arm][1] - mean['baseline'][1]) * 100:+.2f} points")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
