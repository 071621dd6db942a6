#!/usr/bin/env bash
# The streaming commands' throughput before and after a change to their line I/O: `clean`
# and `segment` (one thread and all cores) of two zhsenti binaries on the same input, passes
# alternated so both see the same machine, best of REPEAT in MB per CPU-second (user +
# system, all threads); the outputs must be identical.
# Input: ChnSentiCorp train's texts repeated COPIES times (CRLF line ends on every other
# copy, so the CRLF path is timed too).
#   bench/line_io_speed.sh BEFORE_BINARY [AFTER_BINARY]    (default after: build/zhsenti)
#   REPEAT=5 COPIES=10
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: bench/line_io_speed.sh BEFORE_BINARY [AFTER_BINARY]}
after=${2:-$root/build/zhsenti}
repeat=${REPEAT:-5}
copies=${COPIES:-10}
data=${ZHSENTI_DATA:-$root/../shared/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tail -n +2 "$data/chnsenticorp/train.tsv" | cut -f2- > "$work/texts.txt"
for ((i = 0; i < copies; ++i)); do
  if ((i % 2)); then sed 's/$/\r/' "$work/texts.txt"; else cat "$work/texts.txt"; fi
done > "$work/in.txt"
bytes=$(stat -c %s "$work/in.txt")

seconds() {  # binary args... -> CPU seconds (user + system) of one run; output in $work/out.$tag
  # CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
  local TIMEFORMAT='%U %S' t
  t=$({ time "$@" > "$work/out.$tag" 2> /dev/null; } 2>&1)
  awk -v t="$t" 'BEGIN { split(t, p, " "); printf "%.6f", p[1] + p[2] }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }

echo "input: $bytes bytes ($copies copies of ChnSentiCorp train's texts); best of $repeat"
echo "| command | before MB per CPU-s | after MB per CPU-s | after/before |"
echo "|---|---|---|---|"
for cmd in "clean" "segment --threads 1" "segment"; do
  best_b=1e9 best_a=1e9
  for ((r = 0; r < repeat; ++r)); do
    tag=before; t=$(seconds "$before" --quiet $cmd "$work/in.txt")
    best_b=$(min "$t" "$best_b")
    tag=after; t=$(seconds "$after" --quiet $cmd "$work/in.txt")
    best_a=$(min "$t" "$best_a")
  done
  cmp -s "$work/out.before" "$work/out.after" || { echo "outputs differ for: $cmd" >&2; exit 1; }
  awk -v c="$cmd" -v n="$bytes" -v b="$best_b" -v a="$best_a" \
    'BEGIN { printf "| %s | %.1f | %.1f | %.2f |\n", c, n / b / 1e6, n / a / 1e6, b / a }'
done
