#!/usr/bin/env bash
# word2vec over MPI (issue 20, docs/distributed.md): `embed train` in one process with 2
# threads against 2 ranks with 1 thread each, replicas merged once or SYNCS times an epoch,
# on the corpus and settings of bench/embed_clusters.sh (every text of ../shared/data but
# ChnSentiCorp dev/test, words, skip-gram, dim 100, 5 epochs, min-count 5). Quality: the
# sentiment-group check of embed_clusters.sh (mean cosine within {好 棒 满意 不错 喜欢} and
# within {差 糟糕 失望 垃圾 后悔} against across the groups) and how many of the 10 nearest
# neighbours of the 1,000 most frequent words each run shares with the one-process run; a
# second one-process run with another seed gives the spread that seed alone causes.
#   bench/embed_mpi.sh        SYNCS=32 WORK=<tmp> (runs already in WORK are kept)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}
syncs=${SYNCS:-32}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
[ -s "$work/corpus.txt" ] || /usr/bin/python3 "$root/bench/pretrain_corpus.py" --data "$data" \
  --out "$work/corpus.txt" | tail -1
args=(embed train --corpus "$work/corpus.txt" --tokens word --dim 100 --epochs 5 --min-count 5
      --json -q)

run() {  # name, then the command's prefix and flags; a run already in WORK is kept
  local name=$1
  shift
  [ -s "$work/$name.json" ] || "$@" --out "$work/$name.txt" > "$work/$name.json"
  echo "$name: $(cat "$work/$name.json")"
}
run np1 "$bin" "${args[@]}" --threads 2 --seed 1
run np1_seed2 "$bin" "${args[@]}" --threads 2 --seed 2
run np2_sync1 "${mpirun[@]}" -np 2 "$bin" "${args[@]}" --threads 1 --seed 1 --syncs-per-epoch 1
run "np2_sync$syncs" "${mpirun[@]}" -np 2 "$bin" "${args[@]}" --threads 1 --seed 1 \
  --syncs-per-epoch "$syncs"

/usr/bin/python3 "$root/bench/embed_mpi_quality.py" "$work" np1 np1_seed2 np2_sync1 "np2_sync$syncs"
