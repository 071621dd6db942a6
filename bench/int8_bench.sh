#!/usr/bin/env bash
# int8 quantisation (`zhsenti quantize`, issue 18 section 3) on trained models: file size,
# test accuracy of fp32, bf16 (the default precision), int8 (dynamic activations, the
# quantised model's default) and int8 weights with fp32 activations, and speed of the same
# in one process (build/bench/int8_bench: batch texts/s and single-text latency, one thread).
#   bench/int8_bench.sh NAME:MODEL_DIR:TEST_TSV ...     WORK=/tmp/zhsenti_int8_bench
# Prints one Markdown row per model for accuracy and size, then int8_bench's JSON lines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ZHSENTI_BUILD:-$root/build}
work=${WORK:-/tmp/zhsenti_int8_bench}
mkdir -p "$work"
for spec in "$@"; do
  IFS=: read -r name model test <<< "$spec"
  q=$work/$name-int8
  "$build/zhsenti" -q quantize --model "$model" --out "$q"
  tail -n +2 "$test" | cut -f1 > "$work/$name.labels"
  tail -n +2 "$test" | cut -f2- > "$work/$name.texts"
  "$build/zhsenti" -q predict --model "$model" --precision fp32 --json --threads 2 "$work/$name.texts" > "$work/$name.fp32.jsonl"
  "$build/zhsenti" -q predict --model "$model" --precision bf16 --json --threads 2 "$work/$name.texts" > "$work/$name.bf16.jsonl"
  "$build/zhsenti" -q predict --model "$q" --json --threads 2 "$work/$name.texts" > "$work/$name.int8.jsonl"
  "$build/zhsenti" -q predict --model "$q" --precision fp32 --json --threads 2 "$work/$name.texts" > "$work/$name.w8a32.jsonl"
  /usr/bin/python3 - "$name" "$work" "$model" "$q" <<'PY'
import json, os, sys
name, work, model, q = sys.argv[1:]
truth = [l.rstrip("\n").strip() for l in open(f"{work}/{name}.labels", encoding="utf-8")]
def acc(kind):
    rows = [json.loads(l) for l in open(f"{work}/{name}.{kind}.jsonl", encoding="utf-8")]
    assert len(rows) == len(truth)
    return sum(r["label"] == t for r, t in zip(rows, truth)) / len(truth), rows
a32, r32 = acc("fp32"); a16, _ = acc("bf16"); a8, r8 = acc("int8"); aw, _ = acc("w8a32")
agree = sum(x["label"] == y["label"] for x, y in zip(r32, r8))
size = lambda d: os.path.getsize(f"{d}/model.safetensors")
print(f"| {name} | {len(truth)} | {100*a32:.2f} | {100*a16:.2f} | **{100*a8:.2f}** ({100*(a8-a32):+.2f}) | "
      f"{100*aw:.2f} | {agree}/{len(truth)} | {size(model)/2**20:.1f} MiB -> {size(q)/2**20:.1f} MiB "
      f"(**{100*size(q)/size(model):.1f} %**) |")
PY
  "$build/bench/int8_bench" --fp32 "$model" --int8 "$q" --texts "$work/$name.texts" > "$work/$name.speed.jsonl"
done
for spec in "$@"; do
  IFS=: read -r name _ _ <<< "$spec"
  echo "== $name"
  cat "$work/$name.speed.jsonl"
done
