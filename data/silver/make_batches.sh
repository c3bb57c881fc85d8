#!/usr/bin/env bash
# How the silver set's passages were chosen, round by round (run from the repository root after
# data/modern_test/make_batches.sh; writes runs/annotation/silver/).
#   ROUND=r0: random sentences of random documents (quotas per source) and cue searches per label
#   ROUND=r1: the most uncertain and most confident passages of a lexical model trained on gold train and the
#             silver labelled so far (MODEL=runs/r1-lexical: 35 batches of r0, calibrated on their calibration split)
#   ROUND=r2: after r0 and r1 (19,589 passages) five labels had fewer than 1,000 positives (official_denial 849,
#             emotional_appeal 947, verification_gap 697, social_media_sourcing 387, collapse_narrative 186): a
#             frozen-MiniLM model trained on gold train + silver so far (MODEL=runs/r2-frozen) picks its most
#             confident passages for those labels, and more cue searches for them (collapse and verification-gap
#             candidates are nearly exhausted: all that remain are taken)
#   ROUND=r3: after r2 (21,730 passages) the random slice was 38.6% (under the 40% wanted) and social-media sourcing
#             had 558 positives: 2,400 more random sentences, the loose social-media search (the strict one was
#             exhausted) and the r2 model's most confident social-media passages
# Never drawn: documents held out for the modern test (both lists), gold dev/test documents, gold train passages,
# passages whose text is in the modern test, text that is not news (szeged_wiki, re3d). The only pre-2009 text is
# muc34 (1989-91), searched for collapse narratives alone, which modern text barely has.
set -euo pipefail
round=${ROUND:?set ROUND=r0, r1 or r2}
out=runs/annotation/silver
mkdir -p "$out/$round"
modern=(--source wcep --source whitehouse --source state_ --source wikinews --source unsc --source kremlin_press
        --source zelenskyy_press --source zelensky_speeches --source euvsdisinfo --source fakes_syria)
partisan=(--source kremlin_press --source zelenskyy_press --source zelensky_speeches --source euvsdisinfo
          --source unsc --source fakes_syria)
previous() { find "$out" -name '*.jsonl' ! -name '*.sampling.jsonl' 2>/dev/null | sort | sed 's/^/--exclude-ids /'; }
common() {
  echo --exclude-docs data/modern_test/documents.txt --exclude-docs data/modern_test/documents_enriched.txt
  echo --exclude-docs data/gold/dev.jsonl --exclude-docs data/gold/test.jsonl --exclude-ids data/gold/train.jsonl
  ls runs/annotation/modern_test/batches/*.jsonl | grep -v sampling | sed 's/^/--exclude-texts /'
  previous
}
cue() { python -c "import json,sys; print(json.load(open('data/cue_searches.json'))[sys.argv[1]])" "$1"; }
seed=1000  # each export takes the next seed, plus the round's offset
# random_exports ROUND OFFSET SOURCE=N...: N random sentences of random documents of each source
random_exports() {
  local dir=$1 offset=$2 item source n; shift 2
  for item in "$@"; do
    source=${item%=*}; n=${item#*=}; seed=$((seed + 1))
    framewatch annotate export $(common) --source "$source" --strategy random -n "$n" --seed "$((seed + offset))" \
      -o "$out/$dir/random-$source.jsonl"
  done
}
# cue_exports ROUND OFFSET "SEARCH WHERE N"...: N passages of a cue search (data/cue_searches.json) in modern,
# partisan or MUC text
cue_exports() {
  local dir=$1 offset=$2 item search where n scope; shift 2
  for item in "$@"; do
    read -r search where n <<<"$item"; seed=$((seed + 1))
    case $where in partisan) scope=("${partisan[@]}");; muc) scope=(--source muc34);; *) scope=("${modern[@]}");; esac
    framewatch annotate export $(common) "${scope[@]}" --strategy cue_search --query "$(cue "$search")" \
      --query-name "$search" --max-per-doc 3 -n "$n" --seed "$((seed + offset))" -o "$out/$dir/cue-$search-$where.jsonl"
  done
}
case $round in
r0)
  random_exports r0 0 wcep=2000 state_hrr=1000 whitehouse_press=800 state_press=800 whitehouse_briefings=800 \
    kremlin_press=700 zelenskyy_press=600 zelensky_speeches=600 euvsdisinfo=400 fakes_syria=300 unsc=250 wikinews=150
  cue_exports r0 0 "unverified_casualty_claim modern 1000" "anonymous_source modern 600" "official_denial modern 1000" \
              "social_media_sourcing_strict modern 600" "social_media_sourcing modern 400" \
              "verification_gap modern 800" "emotional_appeal modern 600" "emotional_appeal partisan 600" \
              "collapse_narrative_strict modern 300" "collapse_narrative_partisan partisan 800" \
              "collapse_narrative_partisan muc 300" "discrediting modern 500" "discrediting partisan 500" ;;
r2)
  framewatch annotate export $(common) "${modern[@]}" --strategy model_confident --model "$MODEL" --pool 60000 \
    --labels official_denial,emotional_appeal,verification_gap,social_media_sourcing,collapse_narrative \
    -n 600 --seed 1201 -o "$out/r2/confident.jsonl"
  cue_exports r2 200 "social_media_sourcing_strict modern 1500" "official_denial modern 400" \
              "emotional_appeal partisan 400" "verification_gap modern 400" "collapse_narrative_partisan partisan 400" \
              "collapse_narrative_partisan muc 400" "collapse_narrative_strict modern 200" ;;
r3)
  random_exports r3 300 wcep=800 state_hrr=300 whitehouse_press=250 state_press=250 whitehouse_briefings=250 \
    kremlin_press=150 zelenskyy_press=150 zelensky_speeches=150 euvsdisinfo=100
  framewatch annotate export $(common) "${modern[@]}" --strategy cue_search --query "$(cue social_media_sourcing)" \
    --query-name social_media_sourcing --max-per-doc 3 -n 2400 --seed 1301 -o "$out/r3/cue-social_media_sourcing.jsonl"
  framewatch annotate export $(common) "${modern[@]}" --strategy model_confident --model "$MODEL" --pool 60000 \
    --labels social_media_sourcing -n 300 --seed 1302 -o "$out/r3/confident.jsonl" ;;
r1)
  model=${MODEL:-default}
  framewatch annotate export $(common) "${modern[@]}" --strategy model_uncertain --model "$model" --pool 150000 \
    -n "${UNCERTAIN:-2000}" --seed 1101 -o "$out/$round/uncertain.jsonl"
  framewatch annotate export $(common) "${modern[@]}" --strategy model_confident --model "$model" --pool 150000 \
    -n "${CONFIDENT:-1200}" --seed 1102 -o "$out/$round/confident.jsonl" ;;
esac
framewatch annotate split $(ls "$out/$round"/*.jsonl | grep -v '\.sampling\.jsonl$') --size 300 --seed 11 \
  -o "$out/batches" --prefix "s$round-"
