#!/usr/bin/env bash
# Skewed classes (issue 23): today's plain defaults against the skewed-data defaults on the
# SMP2020 sets, each candidate scored on dev (where it is chosen) and once on test.
# Per set and seed two trainings; the other candidates are read from the same models:
#   plain          --no-skew-defaults (the plain defaults, which train also uses without a flag
#                  since the skew defaults became opt-in)
#   plain+fit      plain with `zhsenti calibrate --method fit` (decision rule fitted on dev)
#   plain+prior    plain with `zhsenti calibrate --method prior` (logit adjustment at
#                  prediction time; written only when it raises dev macro-F1)
#   defaults       the skew defaults (--skew-defaults): --logit-adjust 1 in the loss, model
#                  choice on dev macro-F1 (trained with --calibrate, read with --no-decision-rule)
#   defaults+cal   the same model with the decision rule --calibrate stored (fitted on dev,
#                  so its dev macro-F1 is in-sample)
#   NAME           any candidate of EXTRA="NAME=FLAGS;NAME=FLAGS" (e.g. "focal2=--no-skew-defaults
#                  --metric macro_f1 --focal-gamma 2"), one more training each
# KINDS="plain defaults" names which of the two trainings above run (KINDS= runs only EXTRA).
# Columns: macro-F1 on dev and test, test accuracy, each label's test recall, and the test
# precision of the largest training class. Sets come from tools/make_bench_sets.py.
#   bench/skew.sh [SET...]     default smp2020_virus3 smp2020_usual; SEEDS="1 2 3" THREADS=1
#                              KINDS="plain defaults" EXTRA=
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ZHSENTI:-$root/build/zhsenti}
threads=${THREADS:-1}
work=${WORK:-$(mktemp -d)}
read -r -a seeds <<< "${SEEDS:-1 2 3}"
read -r -a kinds <<< "${KINDS-plain defaults}"
IFS=';' read -r -a extras <<< "${EXTRA:-}"
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(smp2020_virus3 smp2020_usual)
mkdir -p "$work"
[ -d "$work/sets" ] || /usr/bin/python3 "$root/tools/make_bench_sets.py" --out "$work/sets" >&2

row() {  # set seed candidate model [eval flag]
  local d=$work/sets/$1 j=$4.$3
  "$bin" --quiet eval --model "$4" --data "$d/dev.tsv" --json --threads "$threads" ${5:-} > "$j.dev.json"
  "$bin" --quiet eval --model "$4" --data "$d/test.tsv" --json --threads "$threads" ${5:-} > "$j.test.json"
  /usr/bin/python3 - "$1" "$2" "$3" "$j.dev.json" "$j.test.json" "$d/train.tsv" <<'PY'
import collections, json, sys
name, seed, candidate, dev, test, train = sys.argv[1:]
dev, m = json.load(open(dev)), json.load(open(test))
counts = collections.Counter(l.split("\t", 1)[0] for l in list(open(train, encoding="utf-8"))[1:])
major = max(counts, key=counts.get)
recall = ", ".join(f"{c['label']} {c['recall']:.3f}" for c in m["per_class"])
precision = next(c["precision"] for c in m["per_class"] if c["label"] == major)
print(f"| {name} | {seed} | {candidate} | {dev['macro_avg']['f1']:.4f} | {m['macro_avg']['f1']:.4f} | "
      f"{m['accuracy']:.4f} | {recall} | {major} {precision:.3f} |", flush=True)
PY
}

train() {  # candidate flags...: one training of $set with $seed into $base-candidate
  local name=$1
  shift
  echo "skew: $set seed $seed $name" >&2
  [ -f "$base-$name/config.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/dev.tsv" \
    --out "$base-$name" --seed "$seed" --threads "$threads" "$@" > /dev/null 2> "$base-$name.log"
}

echo "| set | seed | candidate | dev macro-F1 | test macro-F1 | test acc | test recall per label | majority precision |"
echo "|---|---|---|---|---|---|---|---|"
for set in "${sets[@]}"; do
  d=$work/sets/$set
  for seed in "${seeds[@]}"; do
    base=$work/$set-s$seed
    for kind in "${kinds[@]}"; do
      if [ "$kind" = plain ]; then
        train plain --no-skew-defaults
        row "$set" "$seed" plain "$base-plain"
        for method in fit prior; do
          rm -rf "$base-plain-$method" && cp -r "$base-plain" "$base-plain-$method"
          "$bin" --quiet calibrate --model "$base-plain-$method" --dev "$d/dev.tsv" --method "$method" \
            --threads "$threads" > /dev/null
          row "$set" "$seed" "plain+$method" "$base-plain-$method"
        done
      elif [ "$kind" = defaults ]; then
        train defaults --skew-defaults --calibrate
        row "$set" "$seed" defaults "$base-defaults" --no-decision-rule
        row "$set" "$seed" defaults+cal "$base-defaults"
      else
        echo "skew.sh: unknown KINDS entry '$kind' (plain, defaults)" >&2
        exit 2
      fi
    done
    for extra in "${extras[@]}"; do
      read -r -a flags <<< "${extra#*=}"
      train "${extra%%=*}" "${flags[@]}"
      row "$set" "$seed" "${extra%%=*}" "$base-${extra%%=*}"
    done
  done
done
