#!/bin/sh
# The retraining loop (CronJob zhsenti-retrain; docs/deploy.md, "Retraining"):
#   1. collect the feedback lines no earlier promotion used (every pod appends its own
#      FEEDBACK_DIR/<pod>.jsonl; STATE remembers how many lines of each file were used);
#   2. fine-tune the current model on them into MODELS_DIR/versions/<stamp>;
#   3. evaluate the current model and the candidate on the same held-out set (HOLDOUT);
#   4. promote the candidate only if it is not worse:
#        candidate macro-F1 >= current macro-F1 - MAX_DROP  and
#        candidate accuracy >= current accuracy - MAX_DROP          (MAX_DROP default 0)
#      by replacing the symlink MODELS_DIR/current in one rename(2) (a reader sees the old
#      model or the new one, never half of one);
#   5. reload every serving pod (POST /admin/reload with the admin token), found as the
#      addresses of the headless Service RELOAD_SERVICE (or RELOAD_TARGETS, host:port list);
#      when one fails, MODELS_DIR/reload-pending makes the next run reload them all first.
# Every number behind the decision is printed. Exit 0: promoted, rejected or nothing to do;
# exit 1: an error (a failed fine-tune, evaluation or reload) -- the Job shows as failed.
# With no MODELS_DIR/current yet, the model in SEED_MODEL (if set) is installed the same way,
# and SEED_HOLDOUT as HOLDOUT (the first run, docs/deploy.md step 4).
# POSIX sh (dash in the image); needs zhsenti, curl, getent, coreutils.
set -eu

MODELS_DIR=${MODELS_DIR:-/models}
FEEDBACK_DIR=${FEEDBACK_DIR:-/feedback}
HOLDOUT=${HOLDOUT:-$MODELS_DIR/holdout.tsv}
STATE=${STATE:-$MODELS_DIR/feedback-used.txt}
MIN_ROWS=${MIN_ROWS:-200}
MAX_DROP=${MAX_DROP:-0}
KEEP_VERSIONS=${KEEP_VERSIONS:-5}
FINETUNE_ARGS=${FINETUNE_ARGS:-}
TOKEN_FILE=${TOKEN_FILE:-/secrets/admin-token}
RELOAD_SERVICE=${RELOAD_SERVICE:-zhsenti-pods}
RELOAD_PORT=${RELOAD_PORT:-8080}
RELOAD_TARGETS=${RELOAD_TARGETS:-}
SEED_MODEL=${SEED_MODEL:-}
SEED_HOLDOUT=${SEED_HOLDOUT:-}
ZHSENTI=${ZHSENTI:-zhsenti}
WORK=${WORK:-${TMPDIR:-/tmp}/zhsenti-retrain.$$}

log() { printf '%s retrain: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "error: $*"; exit 1; }

mkdir -p "$WORK" "$MODELS_DIR/versions"
trap 'rm -rf "$WORK"' EXIT

# current -> versions/<name>, replaced by one rename.
point_current_at() {
  ln -sfn "versions/$1" "$MODELS_DIR/.current.tmp"
  mv -T "$MODELS_DIR/.current.tmp" "$MODELS_DIR/current"
  sync
}

reload_pods() {
  token=$(cat "$TOKEN_FILE") || die "cannot read the admin token $TOKEN_FILE"
  targets=$RELOAD_TARGETS
  if [ -z "$targets" ]; then
    targets=$(getent ahostsv4 "$RELOAD_SERVICE" | awk -v p="$RELOAD_PORT" '{print $1 ":" p}' | sort -u) || true
  fi
  [ -n "$targets" ] || { log "no serving pods found ($RELOAD_SERVICE): they load current when they start"; return 0; }
  failed=0
  for t in $targets; do
    if out=$(curl -sS --max-time 60 -X POST -d '' -H "Authorization: Bearer $token" \
               -w ' http=%{http_code}' "http://$t/admin/reload" 2>&1) && [ "${out##* http=}" = 200 ]; then
      log "reloaded $t: $(printf '%s' "$out" | sed -n 's/.*"model":{[^}]*"version":"\([0-9a-f]*\)".*/version \1/p')"
    else
      log "reload of $t failed: $out"
      failed=1
    fi
  done
  if [ "$failed" != 0 ]; then
    touch "$MODELS_DIR/reload-pending"
    die "some pods did not reload: they serve the previous model until they restart or the next run reloads them"
  fi
  rm -f "$MODELS_DIR/reload-pending"
}

# metric NAME FILE: a number from `zhsenti eval --json` output (keys are sorted, so the first
# "accuracy" is the top-level one and macro_avg starts with f1).
metric() {
  case $1 in
    accuracy) sed -n 's/.*"accuracy":\([-0-9.eE+]*\).*/\1/p' "$2" | head -n 1 ;;
    macro_f1) sed -n 's/.*"macro_avg":{"f1":\([-0-9.eE+]*\).*/\1/p' "$2" | head -n 1 ;;
  esac
}

evaluate() {  # evaluate MODEL_DIR OUT_JSON
  "$ZHSENTI" -q eval --model "$1" --data "$HOLDOUT" --json > "$2" || die "evaluating $1 on $HOLDOUT failed"
  [ -n "$(metric accuracy "$2")" ] && [ -n "$(metric macro_f1 "$2")" ] || die "no metrics in the output of eval: $(cat "$2")"
}

stamp=$(date -u +%Y%m%dT%H%M%SZ)-$$

if [ ! -e "$MODELS_DIR/current" ]; then
  [ -n "$SEED_MODEL" ] && [ -f "$SEED_MODEL/config.json" ] || die "no $MODELS_DIR/current and no SEED_MODEL to start from"
  cp -a "$SEED_MODEL" "$MODELS_DIR/versions/.seed-$stamp"
  mv -T "$MODELS_DIR/versions/.seed-$stamp" "$MODELS_DIR/versions/seed-$stamp"
  point_current_at "seed-$stamp"
  log "installed the seed model $SEED_MODEL as versions/seed-$stamp"
  if [ ! -f "$HOLDOUT" ] && [ -n "$SEED_HOLDOUT" ] && [ -f "$SEED_HOLDOUT" ]; then
    cp "$SEED_HOLDOUT" "$HOLDOUT.tmp" && mv -f "$HOLDOUT.tmp" "$HOLDOUT"
    log "installed the held-out set $SEED_HOLDOUT as $HOLDOUT"
  fi
  reload_pods
  exit 0
fi
[ -f "$HOLDOUT" ] || die "no held-out set $HOLDOUT (a labelled data file, never part of the feedback)"
# A promotion whose reload did not reach every pod: reload them first.
if [ -e "$MODELS_DIR/reload-pending" ]; then
  log "the last promotion did not reload every pod: reloading now"
  reload_pods
fi
current=$(readlink "$MODELS_DIR/current")
current_dir="$MODELS_DIR/$current"

# 1. Feedback lines not used by an earlier promotion. Only whole lines: a line being
# appended at this moment (no newline yet) waits for the next run.
: > "$WORK/feedback.jsonl"
: > "$WORK/state"
rows=0
for f in "$FEEDBACK_DIR"/*.jsonl; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  used=$(awk -v f="$name" '$1 == f {print $2}' "$STATE" 2>/dev/null || true)
  used=${used:-0}
  total=$(wc -l < "$f")
  [ "$total" -ge "$used" ] || used=0  # the file was replaced: read it all
  new=$((total - used))
  tail -n "+$((used + 1))" "$f" | head -n "$new" >> "$WORK/feedback.jsonl"
  printf '%s %s\n' "$name" "$total" >> "$WORK/state"
  rows=$((rows + new))
  log "feedback $name: $total lines, $used used before, $new new"
done
log "current model: $current; new feedback rows: $rows (at least MIN_ROWS=$MIN_ROWS to fine-tune)"
if [ "$rows" -lt "$MIN_ROWS" ]; then
  log "decision: skip (too little new feedback)"
  exit 0
fi

# 2. Fine-tune. zhsenti writes the model directory atomically itself.
cand="cand-$stamp"
# shellcheck disable=SC2086  # FINETUNE_ARGS is a list of flags
"$ZHSENTI" -q finetune --model "$current_dir" --train "$WORK/feedback.jsonl" \
  --validation-split "${VALIDATION_SPLIT:-0.1}" $FINETUNE_ARGS --out "$MODELS_DIR/versions/$cand" \
  || { rm -rf "$MODELS_DIR/versions/$cand" "$MODELS_DIR/versions/$cand.ckpt"; die "fine-tuning failed"; }

# 3. Both models on the same held-out set.
evaluate "$current_dir" "$WORK/current.json"
evaluate "$MODELS_DIR/versions/$cand" "$WORK/candidate.json"
cur_acc=$(metric accuracy "$WORK/current.json"); cur_f1=$(metric macro_f1 "$WORK/current.json")
new_acc=$(metric accuracy "$WORK/candidate.json"); new_f1=$(metric macro_f1 "$WORK/candidate.json")
log "held-out $HOLDOUT: current $current accuracy $cur_acc macro-F1 $cur_f1; candidate $cand accuracy $new_acc macro-F1 $new_f1"

# 4. The rule: not worse on either number than the current model, by more than MAX_DROP.
verdict=$(awk -v ca="$cur_acc" -v cf="$cur_f1" -v na="$new_acc" -v nf="$new_f1" -v d="$MAX_DROP" \
  'BEGIN { if (nf + 0 >= cf - d && na + 0 >= ca - d) print "promote"; else print "reject" }')
log "rule: candidate macro-F1 $new_f1 >= $cur_f1 - $MAX_DROP and accuracy $new_acc >= $cur_acc - $MAX_DROP: $verdict"
if [ "$verdict" != promote ]; then
  mkdir -p "$MODELS_DIR/rejected"
  mv -T "$MODELS_DIR/versions/$cand" "$MODELS_DIR/rejected/$cand"
  log "decision: reject (kept in rejected/$cand; the feedback stays for the next run)"
  exit 0
fi
point_current_at "$cand"
cp "$WORK/state" "$STATE.tmp" && mv -f "$STATE.tmp" "$STATE"
log "decision: promote: current -> versions/$cand"

# The newest KEEP_VERSIONS versions stay (and always the current one), as do the newest rejected ones.
for d in $(ls -1t "$MODELS_DIR/versions" | tail -n "+$((KEEP_VERSIONS + 1))"); do
  [ "versions/$d" = "$(readlink "$MODELS_DIR/current")" ] || rm -rf "${MODELS_DIR:?}/versions/$d"
done
if [ -d "$MODELS_DIR/rejected" ]; then
  for d in $(ls -1t "$MODELS_DIR/rejected" | tail -n "+$((KEEP_VERSIONS + 1))"); do
    rm -rf "${MODELS_DIR:?}/rejected/$d"
  done
fi

# 5. Every serving pod loads the new current.
reload_pods
