#!/usr/bin/env bash
# Class-imbalance options (issue 4): macro-F1 on test of the default model trained as is,
# with --class-weights auto and with --oversample, and the plain model with a prediction-time
# correction chosen on dev (`zhsenti calibrate`, fit and equal priors), on waimai_10k (about
# 1:2) and smp2020 usual (6 emotions, fear 4 %), sets from tools/make_bench_sets.py; every
# choice on dev, test read once per row.
#   bench/imbalance.sh [SET...]      THREADS=2 SEED=1 WORK=<tmp>; prints a Markdown table
#   OPTIONS="none|calibrate fit|calibrate prior|..." runs a subset (calibrate needs none).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
threads=${THREADS:-2}
seed=${SEED:-1}
work=${WORK:-$(mktemp -d)}
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(waimai_10k smp2020_usual)
mkdir -p "$work"
[ -d "$work/sets" ] || /usr/bin/python3 "$root/tools/make_bench_sets.py" --out "$work/sets" >&2

echo "| data set | option | dev macro-F1 | test acc | test macro-F1 | smallest class F1 |"
echo "|---|---|---|---|---|---|"
for set in "${sets[@]}"; do
  d=$work/sets/$set
  IFS='|' read -r -a options <<< "${OPTIONS:-none|--class-weights auto|--oversample|calibrate fit|calibrate prior}"
  for option in "${options[@]}"; do
    name=${option//[- ]/}
    out=$work/$set-$name
    echo "imbalance: $set $option" >&2
    if [[ $option == calibrate* ]]; then
      # The plain model, corrected at prediction time by offsets chosen on dev.
      rm -rf "$out" && cp -r "$work/$set-none" "$out"
      "$bin" --quiet calibrate --model "$out" --dev "$d/dev.tsv" --method "${option#calibrate }" \
        --threads "$threads" >&2
    else
      # shellcheck disable=SC2086
      [ -f "$out/config.json" ] || "$bin" --quiet train --train "$d/train.tsv" --dev "$d/dev.tsv" \
        --out "$out" --seed "$seed" --threads "$threads" ${option/none/} > /dev/null
    fi
    # Dev through eval as well: with a decision rule, the model's stored dev metrics are
    # those of its raw probabilities.
    "$bin" --quiet eval --model "$out" --data "$d/dev.tsv" --json > "$out.dev.json"
    "$bin" --quiet eval --model "$out" --data "$d/test.tsv" --json > "$out.test.json"
    /usr/bin/python3 - "$set" "$option" "$out.dev.json" "$out.test.json" "$d/train.tsv" <<'PY'
import collections, json, sys
name, option, dev, test, train = sys.argv[1:]
dev = json.load(open(dev))
m = json.load(open(test))
counts = collections.Counter(l.split("\t", 1)[0] for l in list(open(train, encoding="utf-8"))[1:])
small = min(counts, key=counts.get)
f1 = next(c["f1"] for c in m["per_class"] if c["label"] == small)
print(f"| {name} | {option} | {dev['macro_avg']['f1']:.4f} | {m['accuracy']:.4f} | "
      f"{m['macro_avg']['f1']:.4f} | {small}: {f1:.4f} |")
PY
  done
done
