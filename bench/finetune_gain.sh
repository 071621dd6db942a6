#!/usr/bin/env bash
# Fine-tuning against training from scratch (issue 4), default settings otherwise, one seed,
# every model chosen on its own dev set and scored once on test:
#   waimai_10k (80/10/10 split of tools/make_bench_sets.py) with 10 % (stratified, seed 1)
#     and 100 % of its training rows: from scratch vs `finetune` of a ChnSentiCorp model;
#   smp2020 virus (6 emotions): from scratch vs `finetune` of a model trained on smp2020
#     usual (same six labels, so the output layer is kept).
#   bench/finetune_gain.sh        THREADS=2 SEED=1 WORK=<tmp> PARTS="waimai smp2020"
# BASE=<model dir> uses an existing ChnSentiCorp model (e.g. the `make demo` model) and
# USUAL=<model dir> an existing smp2020 usual model instead of training them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}
threads=${THREADS:-2}
seed=${SEED:-1}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
[ -d "$work/sets" ] || /usr/bin/python3 "$root/tools/make_bench_sets.py" --out "$work/sets" >&2

train() {  # out train dev [extra...]: a model unless it exists
  local out=$1 tr=$2 dev=$3
  shift 3
  [ -f "$out/config.json" ] || "$bin" --quiet train --train "$tr" --dev "$dev" --out "$out" \
    --seed "$seed" --threads "$threads" "$@" > /dev/null
}
finetune() {  # out base train dev
  [ -f "$1/config.json" ] || "$bin" --quiet finetune --model "$2" --train "$3" --dev "$4" \
    --out "$1" --seed "$seed" --threads "$threads" > /dev/null
}
score() {  # model test -> "accuracy macro_f1"
  "$bin" --quiet eval --model "$1" --data "$2" --json |
    /usr/bin/python3 -c "import json,sys; m=json.load(sys.stdin); \
print(f\"{m['accuracy']:.4f} {m['macro_avg']['f1']:.4f}\")"
}
row() {  # name scratch-model tuned-model test
  read -r sa sf < <(score "$2" "$4")
  read -r ta tf < <(score "$3" "$4")
  echo "| $1 | $sa | $sf | $ta | $tf |"
}

parts=${PARTS:-waimai smp2020}
base=${BASE:-$work/chnsenticorp}
usual=${USUAL:-$work/usual}
w=$work/sets/waimai_10k
u=$work/sets/smp2020_usual
v=$work/sets/smp2020_virus
echo "| test set (training rows) | scratch acc | scratch macro-F1 | fine-tuned acc | fine-tuned macro-F1 |"
echo "|---|---|---|---|---|"
if [[ $parts == *waimai* ]]; then
  echo "finetune_gain: waimai_10k" >&2
  train "$base" "$data/chnsenticorp/train.tsv" "$data/chnsenticorp/dev.tsv"
  "$bin" --quiet data split "$w/train.tsv" --out "$work/waimai10" --ratios 0.1,0.9 \
    --names small rest --seed "$seed" > /dev/null
  train "$work/waimai10_scratch" "$work/waimai10/small.tsv" "$w/dev.tsv"
  finetune "$work/waimai10_tuned" "$base" "$work/waimai10/small.tsv" "$w/dev.tsv"
  train "$work/waimai_scratch" "$w/train.tsv" "$w/dev.tsv"
  finetune "$work/waimai_tuned" "$base" "$w/train.tsv" "$w/dev.tsv"
  row "waimai_10k, 10 % ($(($(wc -l < "$work/waimai10/small.tsv") - 1)))" "$work/waimai10_scratch" \
    "$work/waimai10_tuned" "$w/test.tsv"
  row "waimai_10k, 100 % ($(($(wc -l < "$w/train.tsv") - 1)))" "$work/waimai_scratch" \
    "$work/waimai_tuned" "$w/test.tsv"
fi
if [[ $parts == *smp2020* ]]; then
  echo "finetune_gain: smp2020" >&2
  train "$usual" "$u/train.tsv" "$u/dev.tsv"
  train "$work/virus_scratch" "$v/train.tsv" "$v/dev.tsv"
  finetune "$work/virus_tuned" "$usual" "$v/train.tsv" "$v/dev.tsv"
  row "smp2020 virus ($(($(wc -l < "$v/train.tsv") - 1))), base: usual" "$work/virus_scratch" \
    "$work/virus_tuned" "$v/test.tsv"
fi
