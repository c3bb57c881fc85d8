"""The shipped gold files: schema, labels, document-disjoint splits and the minimum counts the project promises."""
import json
from collections import Counter

import pytest

from framewatch.data.corpus import CORPUS_DIR, LEGACY_SHARD, read_documents, source_family
from framewatch.data.gold import GOLD_DIR, SAMPLING, SPLITS, GoldFormatError, load_split, parse_gold_line, read_gold
from framewatch.data.taxonomy import LABELS

MIN_PASSAGES = 2500
MIN_POSITIVES = 150
MIN_NEAR_MISS = 300


@pytest.fixture(scope="module")
def gold():
    return {split: load_split(split) for split in SPLITS}


def test_every_record_has_the_full_schema(gold):
    for split, records in gold.items():
        for record in records:
            assert record.doc_id and record.source and record.sampling in SAMPLING, (split, record.id)
            assert record.text.strip() and set(record.labels) <= set(LABELS)
        lines = (GOLD_DIR / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        assert set(json.loads(lines[0])) == {"id", "doc_id", "source", "context", "text", "labels", "sampling"}


def test_splits_are_disjoint_by_document_and_id(gold):
    docs = {split: {r.doc_id for r in records} for split, records in gold.items()}
    ids = {split: {r.id for r in records} for split, records in gold.items()}
    for a in SPLITS:
        for b in SPLITS:
            if a < b:
                assert not docs[a] & docs[b], f"documents shared by {a} and {b}"
                assert not ids[a] & ids[b]


def test_minimum_counts(gold):
    records = [r for split in gold.values() for r in split]
    assert len(records) >= MIN_PASSAGES
    positives = Counter(label for r in records for label in r.labels)
    for label in LABELS:
        assert positives[label] >= MIN_POSITIVES, f"{label}: {positives[label]} positives"
    assert sum(r.sampling == "near_miss" for r in records) >= MIN_NEAR_MISS
    assert sum(r.sampling == "random" for r in records) >= 500


def test_every_split_has_positives_of_every_label(gold):
    for split, records in gold.items():
        present = {label for r in records for label in r.labels}
        assert present == set(LABELS), f"{split} lacks {set(LABELS) - present}"


def test_every_source_of_the_legacy_shard_is_represented(gold):
    families = {source_family(r.source) for split in gold.values() for r in split}
    assert families == {source_family(d.source) for d in read_documents(CORPUS_DIR / LEGACY_SHARD)}


def test_gold_passages_are_sentences_of_the_shipped_corpus(gold):
    texts = {d.doc_id: d.text for d in read_documents()}
    for records in gold.values():
        for record in records[:200]:
            assert record.text in texts[record.doc_id], record.id


def test_parser_errors_name_the_line(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "text": "x", "labels": []}\n{"id": "a", "text": "y", "labels": []}\n')
    with pytest.raises(GoldFormatError, match=r"g.jsonl:2: duplicate id 'a' \(first on line 1\)"):
        read_gold(path)
    with pytest.raises(GoldFormatError, match="f:3: unknown labels"):
        parse_gold_line('{"id": 1, "text": "x", "labels": ["spin"]}', "f:3")
    assert parse_gold_line('{"id": 1, "text": "x", "labels": ["spin"]}', "f:3", ignore_unknown=True).labels == ()
    with pytest.raises(GoldFormatError, match="sampling"):
        parse_gold_line('{"id": 1, "text": "x", "labels": [], "sampling": "lucky"}', "f:4")


def test_random_sampling_is_seeded_per_source_and_skips_fragments():
    from framewatch.data.corpus import Passage
    from framewatch.training.annotation import MIN_WORDS, sample_random
    from framewatch.training.selection import annotation_record

    passages = [Passage(f"{source}:{i}:0", f"{source}:{i}", source, 0, 0, 10,
                        "Thank you." if i % 3 == 0 else f"Sentence number {i} of {source}.", "before")
                for source in ("muc34", "fakes_syria/sana") for i in range(30)]
    quotas = {"muc34": 5, "fakes_syria": 7}
    drawn = sample_random(passages, quotas, seed=13)
    assert drawn == sample_random(passages, quotas, seed=13) != sample_random(passages, quotas, seed=14)
    assert Counter(source_family(p.source) for p in drawn) == quotas
    assert all(len(p.text.split()) >= MIN_WORDS for p in drawn)
    assert set(annotation_record(drawn[0])) == {"id", "doc_id", "source", "context", "text"}  # no votes, no labels
    with pytest.raises(ValueError, match="fewer than the quota"):
        sample_random(passages, {"muc34": 25}, seed=0)
