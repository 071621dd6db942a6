#!/usr/bin/env bash
# Agreement of `zhsenti segment` with jieba 0.42 (python3-jieba) over ChnSentiCorp
# train+dev+test and SMP2020-EWECT usual_train (39,768 texts, ~7.2 MB): words with the HMM,
# and POS tags (jieba.posseg). jieba runs on the original texts; zhsenti on the same texts one
# per line (a line break inside a text becomes a space, which changes no token).
#   bench/segment_agreement.sh [BUILD_DIR] [OUT_DIR]     (default build/, /tmp/zhsenti-agreement)
# Takes ~1 minute for jieba's words and a few for jieba.posseg; zhsenti takes about a second.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-/tmp/zhsenti-agreement}
data=${ZHSENTI_DATA:-$root/../shared/data}
mkdir -p "$out"

echo "segment_agreement: jieba on the original texts -> $out" >&2
/usr/bin/python3 "$root/tools/jieba_corpus.py" --data-dir "$data" --out-dir "$out" --pos
echo "segment_agreement: zhsenti" >&2
"$build/zhsenti" --quiet segment "$out/texts.txt" -o "$out/ours.tok"
"$build/zhsenti" --quiet segment --pos "$out/texts.txt" -o "$out/ours.pos"
/usr/bin/python3 "$root/tools/compare_segments.py" --ref "$out/jieba.tok" --ours "$out/ours.tok" \
  --ref-pos "$out/jieba.pos" --ours-pos "$out/ours.pos" --sources "$out/sources.txt"
