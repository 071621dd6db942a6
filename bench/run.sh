#!/usr/bin/env bash
# Every benchmark behind docs/BENCHMARKS.md, one after another (long: about two hours on
# the 2-core project machine). Each prints its own figures; results go to stdout and to
# $OUT (default /tmp/zhsenti-bench), one log per benchmark.
#   make bench          (installs the peers' packages first: scripts/install-deps.sh --bench)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/tmp/zhsenti-bench}
mkdir -p "$out"
status=0
run() {
  local name=$1
  shift
  echo "== $name: $*"
  if ! "$@" 2>"$out/$name.err" | tee "$out/$name.log"; then
    echo "!! $name failed (see $out/$name.err)"
    status=1
  fi
}
run segment_speed "$root/bench/segment_speed.sh"
run segment_cold_start "$root/bench/segment_cold_start.sh"
run segment_agreement "$root/bench/segment_agreement.sh"
run clean_speed "$root/build/bench/clean_speed"
run train_vs_torch "$root/bench/train_vs_torch.sh" word lstm bi 2 2
run nn_lstm_bench "$root/build/bench/nn_lstm_bench" --threads 2
run torch_step_bench /usr/bin/python3 "$root/tools/torch_step_bench.py" --threads 2
run other_sets "$root/bench/other_sets.sh"
for extra in "$root"/bench/*_bench.sh; do
  [ -e "$extra" ] && run "$(basename "$extra" .sh)" "$extra"
done
exit $status
