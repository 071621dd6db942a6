#!/usr/bin/env bash
# Data-parallel training over MPI (issue 20, docs/distributed.md) on this machine's two cores:
# one process with 2 threads against 2 ranks with 1 thread each, same flags, global batch 64,
# ChnSentiCorp train/dev (9,600/1,200), default model, pre-training off (not parallel yet).
# Prints samples/s and seconds per epoch of each run, the measured time inside collectives
# per step (gradient allreduce + the rank waiting for the other), the model size, the bytes
# a rank sends a step (dense gradients and the embedding rows any rank touched) and a
# projection for 8 and 32 nodes on 10 and 25 Gb/s.
#   bench/mpi_scaling.sh        EPOCHS=2 WORK=<tmp>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}/chnsenticorp
epochs=${EPOCHS:-2}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
args=(--quiet train --train "$data/train.tsv" --dev "$data/dev.tsv" --epochs "$epochs"
      --early-stopping 0 --pretrain-epochs 0 --batch-size 64 --seed 1)

rm -rf "$work/np1" "$work/np2"
"$bin" "${args[@]}" --out "$work/np1" --threads 2 > /dev/null
"${mpirun[@]}" -np 2 "$bin" "${args[@]}" --out "$work/np2" --threads 1 > /dev/null

/usr/bin/python3 - "$work" "$data/train.tsv" <<'PY'
import json, math, struct, sys
work, train = sys.argv[1], sys.argv[2]
rows = sum(1 for _ in open(train, encoding="utf-8")) - 1
steps = math.ceil(rows / 64)

def epochs(run):
    return [json.loads(l) for l in open(f"{work}/{run}/metrics.jsonl")]

def floats(run):
    with open(f"{work}/{run}/model.safetensors", "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    return sum(math.prod(t["shape"]) for k, t in header.items() if k != "__metadata__")

def get(e, key):
    return e.get(key, e.get("extra", {}).get(key))

res = {}
for run in ("np1", "np2"):
    es = epochs(run)
    sec = sum(get(e, "seconds") for e in es) / len(es)
    comm = sum(get(e, "allreduce_seconds") or 0 for e in es) / len(es)
    res[run] = (sec, comm, es[-1])
    print(f"| {run} | {sec:.1f} s | {rows / sec:.0f} | {1000 * comm / steps:.2f} ms "
          f"| {get(es[-1], 'train_loss'):.4f} | {get(es[-1], 'dev_accuracy'):.4f} |")
n = floats("np2")
mb = 4 * n / 1e6
print(f"model: {n} floats = {mb:.2f} MB (steps/epoch {steps})")
# What a rank gave to collectives a step (dense gradients + the embedding rows the ranks
# touched + their row ids), measured since the allreduce sends touched rows only.
sent = [get(e, "allreduce_bytes") for e in epochs("np2")]
volume = sum(sent) / len(sent) / steps if all(sent) else 4 * n
print(f"sent per step by a rank: {volume / 1e6:.2f} MB ({100 * volume / (4 * n):.1f} % of the model)")
print(f"speed-up np2 / np1: {res['np1'][0] / res['np2'][0]:.2f}x")
# Projection (weak scaling: 64 rows per node per step, each node as fast as this 2-core
# machine's one process): step time = compute + ring allreduce, 2 (N-1)/N * bytes / bandwidth
# + 2 (N-1) * 50 us latency; no overlap with backward. The bytes: those measured on 2 ranks
# (with N nodes the union of touched rows grows, so this is optimistic for the embeddings).
compute = res["np1"][0] / steps
for gbps in (10, 25):
    for nodes in (8, 32):
        comm = 2 * (nodes - 1) / nodes * volume / (gbps * 1e9 / 8) + 2 * (nodes - 1) * 50e-6
        eff = compute / (compute + comm)
        print(f"| {nodes} | {gbps} Gb/s | {1000 * compute:.1f} ms | {1000 * comm:.1f} ms "
              f"| {eff:.2f} | {nodes * eff:.1f}x |")
PY
