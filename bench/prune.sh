#!/usr/bin/env bash
# Pruning (issue 18 §4): a ChnSentiCorp model trained with the default settings (seed 42),
# pruned by `zhsenti prune` to each sparsity, scored on dev and test; file size; the time of
# `zhsenti predict` over the test texts as a ratio to the unpruned model, both timed in this
# run, alternating, best of REPEATS.
#   bench/prune.sh   THREADS=1 WORK=<tmp> BASE=<model dir> SPARSITIES="0.5 0.7 0.9"
#                    SCOPES="global per-matrix" STEPS=3 EPOCHS=1 REPEATS=3
# Without BASE the model is trained first (`zhsenti train` defaults, --threads THREADS).
# Prints one markdown row per (sparsity, scope), the unpruned model first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}/chnsenticorp
threads=${THREADS:-1}
work=${WORK:-$(mktemp -d)}
base=${BASE:-$work/base}
repeats=${REPEATS:-3}
mkdir -p "$work"
[ -f "$base/config.json" ] || "$bin" --quiet train --train "$data/train.tsv" --dev "$data/dev.tsv" \
  --out "$base" --threads "$threads" > /dev/null
tail -n +2 "$data/test.tsv" | cut -f2- > "$work/test_texts.txt"

accuracy() {  # model data
  "$bin" --quiet eval --model "$1" --data "$2" --json |
    /usr/bin/python3 -c "import json,sys; print(f\"{json.load(sys.stdin)['accuracy']:.4f}\")"
}
speed_ratio() {  # model: best-of-REPEATS predict time over the test texts / the base's, alternating
  /usr/bin/python3 - "$bin" "$base" "$1" "$work/test_texts.txt" "$repeats" <<'PY'
import subprocess, sys, time
binary, base, model, texts, repeats = sys.argv[1:6]
def run(m):
    t0 = time.perf_counter()
    subprocess.run([binary, "--quiet", "predict", "--model", m, "--threads", "1", texts],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0
best = {base: 1e9, model: 1e9}
for _ in range(int(repeats)):
    for m in (base, model):
        best[m] = min(best[m], run(m))
print(f"{best[model] / best[base]:.2f} ({best[model]:.2f} s / {best[base]:.2f} s)")
PY
}
row() {  # label scope model
  local mb
  mb=$(/usr/bin/python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.1f}')" \
    "$3/model.safetensors")
  printf "| %s | %s | %s | %s | %s | %s |\n" "$1" "$2" "$(accuracy "$3" "$data/dev.tsv")" \
    "$(accuracy "$3" "$data/test.tsv")" "$mb" "$(speed_ratio "$3")"
}

echo "| sparsity | scope | dev acc | test acc | model.safetensors (MB) | predict time vs unpruned |"
echo "|---|---|---|---|---|---|"
row "0 % (unpruned)" "-" "$base"
for s in ${SPARSITIES:-0.5 0.7 0.9}; do
  for scope in ${SCOPES:-global per-matrix}; do
    out=$work/pruned_${s}_$scope
    [ -f "$out/config.json" ] || "$bin" --quiet prune --model "$base" --sparsity "$s" \
      --train "$data/train.tsv" --dev "$data/dev.tsv" --out "$out" --scope "$scope" \
      --steps "${STEPS:-3}" --epochs "${EPOCHS:-1}" --threads "$threads" --json > "$out.json"
    row "$(/usr/bin/python3 -c "print(round(100 * $s))") %" "$scope" "$out"
  done
done
