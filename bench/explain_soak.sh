#!/usr/bin/env bash
# Explanation cost and server memory under a mixed load with explanations (issue 17): the
# default model shape (char BiGRU + hashed bigrams, trained 1 epoch without pre-training —
# cost does not depend on accuracy) served with defaults; bench/explain_soak.py drives it.
#   bench/explain_soak.sh      REQUESTS=40000 CLIENTS=8 EXPLAIN_EVERY=100 (0: none, the baseline)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
data=${ZHSENTI_DATA:-$root/../shared/data}
work=${WORK:-/tmp/zhsenti_explain_bench}
port=18767
mkdir -p "$work"
model=$work/model_default
if [[ ! -f $model/config.json ]]; then
  "$bin" -q train --train "$data/chnsenticorp/train.tsv" --dev "$data/chnsenticorp/dev.tsv" \
    --out "$model" --epochs 1 --pretrain-epochs 0 --seed 1
fi
${SERVE_PREFIX:-} "$bin" serve --model "$model" --port $port --no-access-log --max-chars 5000 > "$work/serve.out" 2> "$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break; sleep 0.2; done
/usr/bin/python3 "$root/bench/explain_soak.py" $port $pid --requests "${REQUESTS:-40000}" --clients "${CLIENTS:-8}" \
  --explain-every "${EXPLAIN_EVERY:-100}"
kill -TERM $pid
wait $pid
