#!/usr/bin/env bash
# Training and inference speed and memory of `zhsenti train`/`predict` against the PyTorch
# peer (../shared/bench/peers/torch_rnn.py), same model, data, batch size and threads, in
# one run. Both train on ChnSentiCorp train for EPOCHS epochs with the peer's settings
# (embed 128, hidden 128, 1 layer, batch 64, Adam 1e-3, dropout 0.5, max 256 tokens,
# min count 2, last-state pooling, no embedding dropout) and both report training tokens/s
# with dev evaluation excluded.
#   bench/train_vs_torch.sh [TOKENS word|char] [CELL lstm|gru|rnn] [BIDI bi|uni] [EPOCHS] [THREADS]
# Prints one JSON line per system and a summary line with the ratios:
#   train tokens/s, peak RSS of the training process (/usr/bin/time), test accuracy, and
#   inference sentences/s: the peer's batch-64 figure on pre-tokenized ids against
#   `zhsenti predict` on raw text (cleaning and segmentation included) of the test set x10.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tokens=${1:-word}
cell=${2:-lstm}
bidi=${3:-bi}
epochs=${4:-2}
threads=${5:-2}
build=${ZHSENTI_BUILD:-$root/build}
peers=${ZHSENTI_PEERS:-$root/../shared/bench/peers}
data=${ZHSENTI_DATA:-$root/../shared/data}/chnsenticorp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$bidi" = bi ]; then torch_bidi=--bidirectional; ours_bidi=--bidirectional; else
  torch_bidi=--no-bidirectional; ours_bidi=--unidirectional; fi

echo "train_vs_torch: PyTorch peer ($tokens $cell $bidi, $epochs epochs, $threads threads)" >&2
/usr/bin/time -f "%M" -o "$work/torch.rss" /usr/bin/python3 "$peers/torch_rnn.py" \
  --tokens "$tokens" --cell "$cell" "$torch_bidi" --epochs "$epochs" --threads "$threads" \
  --data-dir "$data" 2>"$work/torch.err" | grep '^{' | tail -n 1 > "$work/torch.json" ||
  { tail -n 20 "$work/torch.err" >&2; exit 1; }

echo "train_vs_torch: zhsenti" >&2
/usr/bin/time -f "%M" -o "$work/ours.rss" "$build/zhsenti" --quiet train \
  --train "$data/train.tsv" --dev "$data/dev.tsv" --out "$work/model" \
  --tokens "$tokens" --cell "$cell" "$ours_bidi" --layers 1 --embed-dim 128 --hidden 128 \
  --ngram-buckets 0 --dropout 0.5 --embed-dropout 0 --pool last --norm none --min-count 2 \
  --max-len 256 --batch-size 64 --optimizer adam --lr 1e-3 --weight-decay 0 --clip 0 \
  --schedule constant --epochs "$epochs" --early-stopping 0 --threads "$threads" --seed 42 \
  --pretrain-epochs 0 --json > "$work/ours.json"
"$build/zhsenti" --quiet eval --model "$work/model" --data "$data/test.tsv" --json > "$work/eval.json"

cut -f2- "$data/test.tsv" | tail -n +2 > "$work/test1.txt"
for _ in $(seq 10); do cat "$work/test1.txt"; done > "$work/test10.txt"
start=$(date +%s.%N)
"$build/zhsenti" --quiet predict --model "$work/model" --threads "$threads" "$work/test10.txt" \
  > /dev/null
end=$(date +%s.%N)

/usr/bin/python3 - "$work" "$start" "$end" "$tokens" "$cell" "$bidi" "$threads" <<'PY'
import json, sys
work, start, end, tokens, cell, bidi, threads = sys.argv[1:]
torch = json.load(open(f"{work}/torch.json"))
ours = json.load(open(f"{work}/ours.json"))
ev = json.load(open(f"{work}/eval.json"))
n = sum(1 for _ in open(f"{work}/test10.txt", encoding="utf-8"))
ours_infer = n / (float(end) - float(start))
torch_rss = int(open(f"{work}/torch.rss").read().split()[-1]) / 1024
ours_rss = int(open(f"{work}/ours.rss").read().split()[-1]) / 1024
t_tps = torch["mean_tokens_per_s"]
o_tps = ours["train_tokens_per_s"]
t_inf = next(v for k, v in torch["inference"].items() if k.startswith("batch") and k.endswith("sent_per_s") and k != "batch1_sent_per_s" and "e2e" not in k)
print(json.dumps({"system": "torch", "tokens_per_s": t_tps, "test_acc": torch["test_acc"],
                  "infer_batch_sent_per_s": t_inf, "peak_rss_mb": round(torch_rss, 1)}))
print(json.dumps({"system": "zhsenti", "tokens_per_s": o_tps, "test_acc": ev["accuracy"],
                  "infer_e2e_sent_per_s": round(ours_infer, 1), "peak_rss_mb": round(ours_rss, 1)}))
print(f"{tokens} {cell} {bidi} threads={threads}: train {o_tps / t_tps:.1f}x tokens/s, "
      f"inference {ours_infer / t_inf:.1f}x sentences/s, peak RSS {ours_rss / torch_rss:.2f}x, "
      f"test acc torch {torch['test_acc']:.4f} zhsenti {ev['accuracy']:.4f}")
PY
