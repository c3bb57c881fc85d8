#!/usr/bin/env bash
# How the modern test set's passages were chosen (run from the repository root; writes runs/annotation/modern_test/).
# 1. documents held out before anything modern was labelled (data/modern_test/documents.txt), by
#    framewatch annotate holdout --share wcep=0.1 --share whitehouse_press=0.08 --share state_press=0.08 \
#      --share whitehouse_briefings=0.12 --share state_hrr=0.15 --whole-source state_hrr --share wikinews=0.25 \
#      --share unsc=0.25 --share kremlin_press=0.1 --share zelenskyy_press=0.1 --share zelensky_speeches=0.1 \
#      --share euvsdisinfo=0.12 --exclude-docs data/gold/train.jsonl --exclude-docs data/gold/dev.jsonl \
#      --exclude-docs data/gold/test.jsonl -o data/modern_test/documents.txt
# 2. random sentences of random held-out documents, per source (half of the set or more);
# 3. cue searches (data/cue_searches.json) inside the held-out documents, per label, for positives and near misses;
# 4. everything pooled, shuffled and cut into annotator batches (t01.jsonl, …).
set -euo pipefail
out=runs/annotation/modern_test
mkdir -p "$out/parts"
common=(--only-docs data/modern_test/documents.txt --exclude-texts data/gold/train.jsonl
        --exclude-texts data/gold/dev.jsonl --exclude-texts data/gold/test.jsonl)
random_quota=(wcep=200 whitehouse_briefings=120 whitehouse_press=90 state_press=90 state_hrr=120 wikinews=25
              unsc=35 kremlin_press=70 zelenskyy_press=70 zelensky_speeches=60 euvsdisinfo=70)
seed=100
for item in "${random_quota[@]}"; do
  source=${item%=*}; n=${item#*=}; seed=$((seed + 1))
  framewatch annotate export "${common[@]}" --source "$source" --strategy random -n "$n" --seed "$seed" \
    -o "$out/parts/random-$source.jsonl"
done
cue() { python -c "import json,sys; print(json.load(open('data/cue_searches.json'))[sys.argv[1]])" "$1"; }
new=(--source wcep --source whitehouse --source state_ --source wikinews --source unsc)
partisan=(--source kremlin_press --source zelenskyy_press --source zelensky_speeches --source euvsdisinfo)
searches=(
  "unverified_casualty_claim new 100" "anonymous_source new 90" "official_denial new 100"
  "social_media_sourcing new 110" "verification_gap all 110" "emotional_appeal new 60" "collapse_narrative new 120"
  "discrediting new 60" "emotional_appeal partisan 50" "collapse_narrative partisan 50" "discrediting partisan 50"
  "unverified_casualty_claim partisan 20" "social_media_sourcing partisan 20"
)
for item in "${searches[@]}"; do
  read -r label where n <<<"$item"; seed=$((seed + 1))
  case $where in new) scope=("${new[@]}");; partisan) scope=("${partisan[@]}");; all) scope=();; esac
  framewatch annotate export "${common[@]}" "${scope[@]}" --strategy cue_search --query "$(cue "$label")" \
    --query-name "$label" --max-per-doc 3 -n "$n" --seed "$seed" \
    --exclude-ids <(cat "$out"/parts/*.jsonl) -o "$out/parts/cue-$label-$where.jsonl"
done
framewatch annotate split $(ls "$out"/parts/*.jsonl | grep -v "\.sampling\.jsonl$") --size 250 --seed 7 -o "$out/batches" --prefix t
