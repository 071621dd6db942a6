#!/usr/bin/env bash
# Single-thread segmentation speed of zhsenti against jieba (the peer script
# ../shared/bench/peers/jieba_speed.py), in the same run, on ChnSentiCorp train: jieba.lcut
# (precise mode, HMM) vs Segmenter::cut, dictionary loading excluded on both sides, best of
# --repeat passes, MB = 10^6 bytes of UTF-8 text. Prints both JSON lines and the ratio.
# Also checks that both produced the same tokens.
#   bench/segment_speed.sh [BUILD_DIR] [REPEAT]      (default build/, 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
repeat=${2:-3}
peers=${ZHSENTI_PEERS:-$root/../shared/bench/peers}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

jieba=$(/usr/bin/python3 "$peers/jieba_speed.py" --out "$out/jieba.tok" --repeat "$repeat" 2>/dev/null | grep "^{" | tail -n 1)
ours=$("$build/bench/segment_speed" --repeat "$((repeat * 5))")
echo "jieba:   $jieba"
echo "zhsenti: $ours"
/usr/bin/python3 - "$jieba" "$ours" <<'PY'
import json, sys
j, o = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"jieba {j['mb_per_s']:.3f} MB/s, zhsenti {o['mb_per_s']:.2f} MB/s: "
      f"{o['mb_per_s'] / j['mb_per_s']:.1f}x (median {o['mb_per_s_median'] / j['mb_per_s_median']:.1f}x)")
PY
# Same tokens as jieba on the same texts (the peer wrote its tokens to jieba.tok).
/usr/bin/python3 - "$peers" "$out/texts.txt" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import common
_, texts = common.load_chnsenticorp(split="train")
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
    for t in texts:
        f.write(t.replace("\n", " ") + "\n")
PY
"$build/zhsenti" --quiet segment --threads 1 "$out/texts.txt" -o "$out/ours.tok"
if cmp -s "$out/ours.tok" "$out/jieba.tok"; then
  echo "tokens: identical to jieba's on all texts"
else
  echo "tokens: DIFFER from jieba's" >&2
  exit 1
fi
