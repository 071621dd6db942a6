#!/usr/bin/env bash
# The main job on the default data set (ChnSentiCorp): look at the data, clean and segment a
# few reviews, train the default model (train split, early stopping on dev), evaluate it on
# the test split with an HTML report, and classify a few sentences.
#   ZHSENTI_DATA  where the public data sets are (default: ../shared/data, else the cache;
#                 `zhsenti data fetch chnsenticorp` downloads them)
#   DEMO_OUT      output folder (default: build/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/zhsenti
out=${DEMO_OUT:-build/demo}

data_dir=${ZHSENTI_DATA:-}
if [[ -z $data_dir ]]; then
  for d in ../shared/data "$HOME/.cache/zhsenti/data"; do
    [[ -f $d/chnsenticorp/train.tsv ]] && { data_dir=$d; break; }
  done
fi
if [[ -z $data_dir ]]; then
  echo "demo: ChnSentiCorp not found; downloading it"
  $bin data fetch chnsenticorp
  data_dir=$HOME/.cache/zhsenti/data
fi
set_dir=$data_dir/chnsenticorp
mkdir -p "$out"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "data stats $set_dir/train.tsv"
$bin data stats "$set_dir/train.tsv"

step "clean + segment three test reviews"
# sed reads the file itself: `tail | head` under pipefail fails when head closes the pipe
# before tail has written everything (SIGPIPE, exit 141).
sed -n '2,4p' "$set_dir/test.tsv" | cut -f2 | $bin clean | $bin segment

step "train the default model (ChnSentiCorp train, early stopping on dev)"
$bin train --train "$set_dir/train.tsv" --dev "$set_dir/dev.tsv" --out "$out/model"

step "evaluate on the test split"
$bin eval --model "$out/model" --data "$set_dir/test.tsv" --report "$out/report.html"

step "predict"
$bin predict --model "$out/model" --top-k 2 \
  --text "房间干净，服务热情，下次还会再来" \
  --text "等了一个小时才上菜，味道也很一般，不会再来了" \
  --text "电池续航不错，但是屏幕有点暗" \
  --text "這本書寫得真好，值得推薦"

echo
echo "demo: model in $out/model, report in $out/report.html"
