#!/usr/bin/env bash
# Cold start of `zhsenti segment` on one line: a new process that maps the cached dictionary
# image, validates it (checksum over the whole file, array bounds) and cuts the line.
# Compared with `zhsenti --version` (process start and shared libraries only) and with a
# cache miss (parsing jieba's dictionary and HMM tables, writing the cache).
#   bench/segment_cold_start.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin="$build/zhsenti"
echo 好 > "$work/line.txt"
"$bin" --quiet segment --cache-dir "$work/cache" "$work/line.txt" > /dev/null  # warm the cache
hyperfine --warmup 3 --runs 40 -N \
  "$bin --version" \
  "$bin --quiet segment --cache-dir $work/cache $work/line.txt"
hyperfine --runs 3 -N --prepare "rm -rf $work/miss" \
  "$bin --quiet segment --cache-dir $work/miss $work/line.txt"
