#!/usr/bin/env bash
# rnn/lstm/gru x uni/bi x word/char on ChnSentiCorp, zhsenti beside the PyTorch peer trained
# with the same settings (bench/train_vs_torch.sh for each of the 12 models), as one
# Markdown table: test accuracy of both, training tokens/s of both and the ratio.
#   bench/variants.sh [EPOCHS] [THREADS]       (default 2 epochs, 2 threads; ~1 hour)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
epochs=${1:-2}
threads=${2:-2}
echo "| tokens | cell | dir | torch acc | zhsenti acc | torch tokens/s | zhsenti tokens/s | train speed-up | inference speed-up | RSS ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for tokens in word char; do
  for cell in rnn lstm gru; do
    for dir in uni bi; do
      out=$("$root/bench/train_vs_torch.sh" "$tokens" "$cell" "$dir" "$epochs" "$threads")
      /usr/bin/python3 - "$tokens" "$cell" "$dir" "$out" <<'PY'
import json, sys
tokens, cell, d, out = sys.argv[1:]
rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
t = next(r for r in rows if r["system"] == "torch")
z = next(r for r in rows if r["system"] == "zhsenti")
print(f"| {tokens} | {cell} | {d} | {t['test_acc']:.4f} | {z['test_acc']:.4f} | "
      f"{t['tokens_per_s']:.0f} | {z['tokens_per_s']:.0f} | {z['tokens_per_s'] / t['tokens_per_s']:.1f}x | "
      f"{z['infer_e2e_sent_per_s'] / t['infer_batch_sent_per_s']:.1f}x | "
      f"{z['peak_rss_mb'] / t['peak_rss_mb']:.2f} |")
PY
    done
  done
done
