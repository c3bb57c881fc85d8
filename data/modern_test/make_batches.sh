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
# ROUND=2, after pass A of round 1 showed too few positives of the rare labels (collapse 17, social media 35,
# emotional appeal 47 in 1,835 passages): 147 more documents held out because a sentence matches a collapse cue
# (data/modern_test/documents_enriched.txt, made with `framewatch annotate holdout --query` as below, never used for
# the random slice), then more random sentences and more cue-search picks (batches u01.jsonl, …).
#    framewatch annotate holdout --query "$(cue collapse_narrative_partisan)" --share euvsdisinfo=0.25 \
#      --share kremlin_press=0.25 --share zelenskyy_press=0.25 --share zelensky_speeches=0.25 --share unsc=0.25 \
#      --exclude-docs data/gold/{train,dev,test}.jsonl --exclude-docs data/modern_test/documents.txt --seed 1
#    framewatch annotate holdout --query "$(cue collapse_narrative_strict)" --share wcep=0.25 \
#      --share whitehouse_briefings=0.25 --share whitehouse_press=0.25 --share state_press=0.25 \
#      --exclude-docs data/gold/{train,dev,test}.jsonl --exclude-docs data/modern_test/documents.txt --seed 2
set -euo pipefail
out=runs/annotation/modern_test
mkdir -p "$out/parts"
cue() { python -c "import json,sys; print(json.load(open('data/cue_searches.json'))[sys.argv[1]])" "$1"; }
new=(--source wcep --source whitehouse --source state_ --source wikinews --source unsc)
partisan=(--source kremlin_press --source zelenskyy_press --source zelensky_speeches --source euvsdisinfo)
if [ "${ROUND:-1}" = 3 ]; then
  # ROUND=3: pass A of rounds 1-2 still had fewer than 60 collapse narratives; the remaining loose collapse
  # candidates of the held-out documents, and random sentences to keep the random slice at half the set (v01, …)
  mkdir -p "$out/parts3"
  texts=(--exclude-texts data/gold/train.jsonl --exclude-texts data/gold/dev.jsonl --exclude-texts data/gold/test.jsonl)
  seed=400
  for item in wcep=40 whitehouse_briefings=20 state_hrr=20 state_press=10 whitehouse_press=10 euvsdisinfo=20 \
              zelenskyy_press=20 zelensky_speeches=20 kremlin_press=10 unsc=10; do
    source=${item%=*}; n=${item#*=}; seed=$((seed + 1))
    framewatch annotate export --only-docs data/modern_test/documents.txt "${texts[@]}" --source "$source" \
      --strategy random -n "$n" --seed "$seed" \
      --exclude-ids <(cat "$out"/parts*/*.jsonl 2>/dev/null) -o "$out/parts3/random-$source.jsonl"
  done
  framewatch annotate export --only-docs data/modern_test/documents.txt \
    --only-docs data/modern_test/documents_enriched.txt "${texts[@]}" --strategy cue_search \
    --query "$(cue collapse_narrative)" --query-name collapse_narrative --max-per-doc 3 -n 200 --seed 499 \
    --exclude-ids <(cat "$out"/parts*/*.jsonl) -o "$out/parts3/cue-collapse_narrative-all.jsonl"
  framewatch annotate split $(ls "$out"/parts3/*.jsonl | grep -v "\.sampling\.jsonl$") --size 250 --seed 9 \
    -o "$out/batches" --prefix v
  exit 0
fi
if [ "${ROUND:-1}" = 2 ]; then
  mkdir -p "$out/parts2"
  texts=(--exclude-texts data/gold/train.jsonl --exclude-texts data/gold/dev.jsonl --exclude-texts data/gold/test.jsonl)
  seed=300
  for item in wcep=120 whitehouse_briefings=60 whitehouse_press=50 state_press=50 state_hrr=80 unsc=20 wikinews=20 \
              euvsdisinfo=60 kremlin_press=40 zelenskyy_press=50 zelensky_speeches=50; do
    source=${item%=*}; n=${item#*=}; seed=$((seed + 1))
    framewatch annotate export --only-docs data/modern_test/documents.txt "${texts[@]}" --source "$source" \
      --strategy random -n "$n" --seed "$seed" --exclude-ids <(cat "$out"/parts/*.jsonl "$out"/parts2/*.jsonl 2>/dev/null) \
      -o "$out/parts2/random-$source.jsonl"
  done
  for item in "collapse_narrative_partisan partisan 200" "collapse_narrative_strict new 100" \
              "social_media_sourcing all 150" "emotional_appeal partisan 60" "emotional_appeal new 50" \
              "official_denial all 60" "unverified_casualty_claim all 40"; do
    read -r search where n <<<"$item"; seed=$((seed + 1))
    case $where in new) scope=("${new[@]}");; partisan) scope=("${partisan[@]}");; all) scope=();; esac
    framewatch annotate export --only-docs data/modern_test/documents.txt \
      --only-docs data/modern_test/documents_enriched.txt "${texts[@]}" "${scope[@]}" --strategy cue_search \
      --query "$(cue "$search")" --query-name "$search" --max-per-doc 3 -n "$n" --seed "$seed" \
      --exclude-ids <(cat "$out"/parts/*.jsonl "$out"/parts2/*.jsonl 2>/dev/null) -o "$out/parts2/cue-$search-$where.jsonl"
  done
  framewatch annotate split $(ls "$out"/parts2/*.jsonl | grep -v "\.sampling\.jsonl$") --size 250 --seed 8 \
    -o "$out/batches" --prefix u
  exit 0
fi
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
