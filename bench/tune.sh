#!/usr/bin/env bash
# zhsenti tune on ChnSentiCorp, a small demonstration: random search over three settings with
# successive halving, chosen on dev only; then, in the same run, the defaults trained with the
# same epoch budget, threads and seed (what the search has to beat), and both models scored
# once on test. Prints the ranked table of the search, one JSON line per system and a Markdown
# row.
#   bench/tune.sh [OUT] [TRIALS] [EPOCHS] [MIN_EPOCHS] [THREADS] [BUDGET_MINUTES]
#   (defaults: /tmp/zhsenti-tune 8 10 1 2 20)
# Every run is at nice 15 (the machine is shared); rerunning with the same OUT continues an
# interrupted search, and a finished search is not trained again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}/chnsenticorp
out=${1:-/tmp/zhsenti-tune}
trials=${2:-8}
epochs=${3:-10}
min_epochs=${4:-1}
threads=${5:-2}
budget=${6:-20}
mkdir -p "$out"
# Around the defaults (docs/BENCHMARKS.md): learning rate, dropout and width.
cat >"$out/space.json" <<'JSON'
{
  "lr": {"min": 5e-4, "max": 8e-3, "log": true},
  "dropout": {"min": 0.1, "max": 0.6},
  "hidden": [64, 128]
}
JSON
common=(--train "$data/train.tsv" --dev "$data/dev.tsv" --epochs "$epochs" --threads "$threads" --seed 1)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

t0=$(date +%s.%N)
nice -n 15 "$bin" tune "${common[@]}" --space "$out/space.json" --trials "$trials" \
  --min-epochs "$min_epochs" --eta 3 --budget-minutes "$budget" --out "$out/search" \
  >"$out/tune_table.txt" 2>"$out/tune.log"
t1=$(date +%s.%N)
cat "$out/tune_table.txt"
grep -E "^best|not complete" "$out/tune.log" || true
if grep -q "not complete" "$out/tune.log"; then
  echo "tune.sh: the search did not finish within $budget minutes; rerun to continue" >&2
  exit 1
fi
# Test is looked at once, after the choice.
nice -n 15 "$bin" eval --model "$out/search/best" --data "$data/test.tsv" --json >"$out/tuned_test.json"
t2=$(date +%s.%N)
if [ ! -s "$out/default.json" ]; then
  nice -n 15 "$bin" train "${common[@]}" --out "$out/default" --json -q >"$out/default.json" \
    2>"$out/default.log"
fi
t3=$(date +%s.%N)
nice -n 15 "$bin" eval --model "$out/default" --data "$data/test.tsv" --json >"$out/default_test.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

/usr/bin/python3 - "$out" "$t0" "$t1" "$t2" "$t3" <<'PY'
import json, sys
out, t0, t1, t2, t3 = sys.argv[1:]
tune = json.load(open(f"{out}/search/results.json"))
best = next(t for t in tune["trials"] if t["id"] == tune["best_trial"])
default = json.load(open(f"{out}/default.json"))
tuned_test = json.load(open(f"{out}/tuned_test.json"))
default_test = json.load(open(f"{out}/default_test.json"))
tune_s, default_s = float(t1) - float(t0), float(t3) - float(t2)
epochs_trained = sum(r["epochs_run"] - (t["rungs"][i - 1]["epochs_run"] if i else 0)
                     for t in tune["trials"] for i, r in enumerate(t["rungs"]))
stopped = [t["id"] for t in tune["trials"] if t["status"] == "stopped"]
rows = [
    {"system": "tuned", "trials": len(tune["trials"]), "rungs": tune["rungs"],
     "stopped_trials": stopped, "epochs_trained": epochs_trained, "best_trial": best["id"],
     "settings": best["values"], "seed": best["seed"], "dev_acc": best["rungs"][-1]["accuracy"],
     "test_acc": tuned_test["accuracy"], "test_macro_f1": tuned_test["macro_avg"]["f1"],
     "wall_s": round(tune_s, 1)},
    {"system": "defaults", "epochs_trained": default["epochs_run"],
     "dev_acc": default["dev"]["accuracy"], "test_acc": default_test["accuracy"],
     "test_macro_f1": default_test["macro_avg"]["f1"], "wall_s": round(default_s, 1)},
]
for r in rows:
    print(json.dumps(r, ensure_ascii=False))
settings = " ".join(f"{k}={v}" for k, v in best["values"].items())
print(f"| {len(tune['trials'])} trials, rungs {', '.join(map(str, tune['rungs']))} "
      f"| {len(stopped)} | {epochs_trained} | {tune_s / 60:.1f} min | `{settings}` "
      f"| {rows[0]['dev_acc']:.4f} | {rows[1]['dev_acc']:.4f} "
      f"| {rows[0]['test_acc']:.4f} / {rows[0]['test_macro_f1']:.4f} "
      f"| {rows[1]['test_acc']:.4f} / {rows[1]['test_macro_f1']:.4f} |")
PY
