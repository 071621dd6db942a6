#!/usr/bin/env bash
# zhsenti tune over MPI (issue 20, docs/distributed.md) on this machine's two cores: the same
# search (ChnSentiCorp, 6 trials of a small model, rungs at 1 and 3 epochs, eta 3, seed 1) in
# one process with 2 threads per trial, in one process with 1 thread, and on 2 ranks with 1
# thread per trial. Prints each run's wall time, the chosen trial and whether results.json
# matches the 1-thread process's (the 2-thread run trains with other float sums).
#   bench/tune_mpi.sh        WORK=<tmp>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}/chnsenticorp
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
cat >"$work/space.json" <<'JSON'
{"lr": {"min": 5e-4, "max": 8e-3, "log": true}, "hidden": [32, 64]}
JSON
args=(tune --train "$data/train.tsv" --dev "$data/dev.tsv" --space "$work/space.json"
      --set embed_dim=64 --set ngram_buckets=0 --set pretrain_epochs=0 --set early_stopping=0
      --trials 6 --eta 3 --min-epochs 1 --epochs 3 --seed 1 -q --json)

timed() {  # name, then the command
  local name=$1
  shift
  rm -rf "${work:?}/$name"
  local t0
  t0=$(date +%s.%N)
  "$@" --out "$work/$name" > "$work/$name.json"
  echo "$name $(echo "$(date +%s.%N) - $t0" | bc)" >> "$work/times"
}
rm -f "$work/times"
timed np1_t2 "$bin" "${args[@]}" --threads 2
timed np1_t1 "$bin" "${args[@]}" --threads 1
timed np2_t1 "${mpirun[@]}" -np 2 "$bin" "${args[@]}" --threads 1

/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
times = dict(l.split() for l in open(f"{work}/times"))
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k != "seconds"}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
ref = strip(json.load(open(f"{work}/np1_t1/results.json")))
base = float(times["np1_t2"])
print("| run | wall s | speed vs 1 process x 2 threads | best trial (dev acc) | results as 1 process x 1 thread |")
print("|---|---|---|---|---|")
for name in ("np1_t2", "np1_t1", "np2_t1"):
    r = json.load(open(f"{work}/{name}/results.json"))
    best = next(t for t in r["trials"] if t["id"] == r["best_trial"])
    print(f"| {name} | {float(times[name]):.1f} | {base / float(times[name]):.2f} | "
          f"{r['best_trial']} ({best['score']:.4f}) | {'identical' if strip(r) == ref else 'differ'} |")
PY
