#!/usr/bin/env bash
# Runs every libFuzzer target in build-fuzz/fuzz for N seconds each (default 20), starting
# from its seed corpus in tests/fuzz/corpus/<name> when there is one. A crash fails the run
# and leaves the reproducer in build-fuzz/fuzz-artifacts/.
#   scripts/fuzz.sh [SECONDS]        e.g. scripts/fuzz.sh 600 for the longer documented run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
artifacts=build-fuzz/fuzz-artifacts
mkdir -p "$artifacts"
shopt -s nullglob
targets=(build-fuzz/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then
  echo "fuzz.sh: no fuzz targets in build-fuzz/fuzz (build with: cmake --preset fuzz)" >&2
  exit 1
fi
for target in "${targets[@]}"; do
  name=$(basename "$target")
  work=build-fuzz/corpus/$name
  mkdir -p "$work"
  seeds=()
  [[ -d tests/fuzz/corpus/$name ]] && seeds=(tests/fuzz/corpus/$name)
  echo "fuzz.sh: $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$name-" "$work" "${seeds[@]}" 2>&1 | tail -n 3
  status=${PIPESTATUS[0]}
  if ((status != 0)); then
    echo "fuzz.sh: $name FAILED (exit $status); reproducer in $artifacts" >&2
    exit 1
  fi
done
echo "fuzz.sh: ${#targets[@]} targets ran ${seconds}s each without a crash"
