#!/usr/bin/env bash
# bf16 inference (nn/kernels/precision.h) against fp32:
#   1. the recurrent products alone (build/bench/bf16_gemm_bench: fp32 and every bf16
#      implementation this CPU has, 1-64 rows (one step) and 4096 rows (all steps at once),
#      k = 128 and k = 256 (the stacked [x_t, h_{t-1}] product of a bf16 step));
#   2. real data: ChnSentiCorp test predicted by `zhsenti predict --precision fp32` and
#      `--precision bf16`, per model: labels that agree, accuracy of each, largest
#      probability difference. Models (trained into $WORK if missing, seed 1, 2 threads):
#        word_bilstm  the PyTorch peer's shape (word BiLSTM 128/128, pool last, 2 epochs)
#        default      every default of `zhsenti train` (char BiGRU + bigrams, max pool)
#   MODELS="dir ..." uses existing model directories instead.
#   bench/bf16_bench.sh        WORK=/tmp/zhsenti_bf16_bench
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ZHSENTI_BUILD:-$root/build}
data=${ZHSENTI_DATA:-$root/../shared/data}/chnsenticorp
work=${WORK:-/tmp/zhsenti_bf16_bench}
mkdir -p "$work"

echo "== bf16_gemm_bench (one thread, GFLOP/s): k = 128 (x W_ih^T or h W_hh^T), 256 ([x, h] stacked)"
"$build/bench/bf16_gemm_bench"
"$build/bench/bf16_gemm_bench" --k 256

train() {  # name flags...
  local out=$work/$1
  shift
  if [[ ! -f $out/config.json ]]; then
    echo "bf16_bench: training $out" >&2
    "$build/zhsenti" -q train --train "$data/train.tsv" --dev "$data/dev.tsv" --out "$out" \
      --threads 2 --seed 1 "$@" >&2
  fi
  echo "$out"
}
if [[ -z ${MODELS:-} ]]; then
  MODELS="$(train word_bilstm --tokens word --cell lstm --bidirectional --layers 1 \
      --embed-dim 128 --hidden 128 --ngram-buckets 0 --dropout 0.5 --embed-dropout 0 \
      --pool last --norm none --min-count 2 --max-len 256 --epochs 2 --early-stopping 0) \
    $(train default)"
fi

tail -n +2 "$data/test.tsv" | cut -f1 > "$work/labels.txt"
tail -n +2 "$data/test.tsv" | cut -f2- > "$work/texts.txt"
for model in $MODELS; do
  for p in fp32 bf16; do
    "$build/zhsenti" -q predict --model "$model" --precision "$p" --json --threads 2 \
      "$work/texts.txt" > "$work/pred_$p.jsonl"
  done
  /usr/bin/python3 - "$model" "$work" <<'PY'
import json, sys
model, work = sys.argv[1:]
labels = [l.rstrip("\n") for l in open(f"{work}/labels.txt", encoding="utf-8")]
a = [json.loads(l) for l in open(f"{work}/pred_fp32.jsonl", encoding="utf-8")]
b = [json.loads(l) for l in open(f"{work}/pred_bf16.jsonl", encoding="utf-8")]
assert len(a) == len(b) == len(labels)
agree = sum(x["label"] == y["label"] for x, y in zip(a, b))
acc = lambda rows: sum(r["label"] == t for r, t in zip(rows, labels)) / len(labels)
dp = max(abs(x["probabilities"][k] - y["probabilities"][k]) for x, y in zip(a, b) for k in x["probabilities"])
out = {"bench": "bf16_agreement", "model": model, "texts": len(labels), "agree": agree,
       "agree_pct": round(100 * agree / len(labels), 2), "acc_fp32": round(acc(a), 4),
       "acc_bf16": round(acc(b), 4), "acc_delta_points": round(100 * (acc(b) - acc(a)), 2),
       "max_prob_diff": round(dp, 5)}
print(json.dumps(out))
ok = out["agree_pct"] >= 99.5 and abs(out["acc_delta_points"]) <= 0.2
print(f"{model}: {agree}/{len(labels)} labels agree ({out['agree_pct']} %), accuracy fp32 "
      f"{out['acc_fp32']:.4f} bf16 {out['acc_bf16']:.4f}, largest probability change {dp:.4f}"
      f" -> {'ok' if ok else 'OUTSIDE the targets (>= 99.5 % agreement, <= 0.2 points)'}")
PY
done
