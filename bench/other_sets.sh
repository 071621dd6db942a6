#!/usr/bin/env bash
# zhsenti's default settings against fastText with word bigrams (the peer's settings:
# ../shared/bench/peers/fasttext_baseline.py, -wordNgrams 2 -epoch 10, jieba words) on the
# data sets the defaults were NOT tuned on: waimai_10k, SMP2020-EWECT usual and virus (6
# emotions and the 3-class view), built by tools/make_bench_sets.py. zhsenti trains with no
# per-set flag (train, early stopping on dev), and both are scored once on test.
# fastText reads `zhsenti segment` output, which is identical to jieba's (see
# segment_agreement.sh).
#   bench/other_sets.sh [SET...]     (default: all five; prints a Markdown table)
#   SEEDS="1 2 3" bench/other_sets.sh SET   one row per seed (zhsenti --seed, fastText -seed)
#                                            and a mean row: one run's spread is ~1.4 points
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ZHSENTI_BUILD:-$root/build}
threads=${THREADS:-2}
work=${WORK:-$(mktemp -d)}
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(waimai_10k smp2020_usual smp2020_usual3 smp2020_virus smp2020_virus3)
/usr/bin/python3 "$root/tools/make_bench_sets.py" --out "$work/sets" >&2

score() {  # gold predicted -> "accuracy macro_f1"
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
gold = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
pred = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8")]
assert len(gold) == len(pred), (len(gold), len(pred))
labels = sorted(set(gold))
f1 = []
for c in labels:
    tp = sum(g == c and p == c for g, p in zip(gold, pred))
    fp = sum(g != c and p == c for g, p in zip(gold, pred))
    fn = sum(g == c and p != c for g, p in zip(gold, pred))
    f1.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
print(f"{sum(g == p for g, p in zip(gold, pred)) / len(gold):.4f} {sum(f1) / len(f1):.4f}")
PY
}

read -r -a seeds <<< "${SEEDS:-default}"
echo "| data set | seed | classes | train rows | fastText acc | fastText macro-F1 | zhsenti acc | zhsenti macro-F1 | zhsenti train s |"
echo "|---|---|---|---|---|---|---|---|---|"
for set in "${sets[@]}"; do
  d="$work/sets/$set"
  for s in train dev test; do
    tail -n +2 "$d/$s.tsv" | cut -f1 > "$d/$s.gold"
    tail -n +2 "$d/$s.tsv" | cut -f2- |
      "$build/zhsenti" --quiet segment --threads "$threads" - > "$d/$s.words"
    paste -d' ' <(sed 's/^/__label__/' "$d/$s.gold") "$d/$s.words" > "$d/$s.ft"
  done
  classes=$(sort -u "$d/train.gold" | wc -l)
  rows=$(wc -l < "$d/train.gold")
  rows_out=()
  for seed in "${seeds[@]}"; do
    ft_seed=0
    seed_flag=()
    if [ "$seed" != default ]; then
      ft_seed=$seed
      seed_flag=(--seed "$seed")
    fi
    echo "other_sets: $set seed $seed fastText" >&2
    fasttext supervised -input "$d/train.ft" -output "$d/ft" -wordNgrams 2 -epoch 10 \
      -thread "$threads" -seed "$ft_seed" -verbose 0 >&2
    fasttext predict "$d/ft.bin" "$d/test.ft" | sed 's/^__label__//' > "$d/test.ft.pred"
    rm -f "$d/ft.bin" "$d/ft.vec"
    read -r ft_acc ft_f1 < <(score "$d/test.gold" "$d/test.ft.pred")

    echo "other_sets: $set seed $seed zhsenti" >&2
    start=$(date +%s)
    "$build/zhsenti" --quiet train --train "$d/train.tsv" --dev "$d/dev.tsv" --out "$d/model" \
      --threads "$threads" "${seed_flag[@]}" > /dev/null
    seconds=$(($(date +%s) - start))
    "$build/zhsenti" --quiet eval --model "$d/model" --data "$d/test.tsv" --json > "$d/eval.json"
    read -r zh_acc zh_f1 < <(/usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1])); \
print(f\"{m['accuracy']:.4f} {m['macro_avg']['f1']:.4f}\")" "$d/eval.json")
    echo "| $set | $seed | $classes | $rows | $ft_acc | $ft_f1 | $zh_acc | $zh_f1 | $seconds |"
    rows_out+=("$ft_acc $ft_f1 $zh_acc $zh_f1 $seconds")
  done
  if [ ${#rows_out[@]} -gt 1 ]; then
    printf '%s\n' "${rows_out[@]}" | awk -v set="$set" -v c="$classes" -v r="$rows" \
      '{for (i = 1; i <= 5; ++i) s[i] += $i} END {printf "| %s | mean of %d | %d | %d | %.4f | %.4f | %.4f | %.4f | %.0f |\n", set, NR, c, r, s[1]/NR, s[2]/NR, s[3]/NR, s[4]/NR, s[5]/NR}'
  fi
done
