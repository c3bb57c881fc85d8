"""The silver set and the modern test: schema, the promised counts, and that no document crosses sets or splits."""
import json
from collections import Counter

import pytest

from framewatch.data.corpus import source_family
from framewatch.data.gold import GOLD_DIR, SAMPLING, read_gold
from framewatch.data.taxonomy import LABELS

DATA = GOLD_DIR.parent
NEW_SOURCES = {"wcep", "whitehouse_press", "state_press", "whitehouse_briefings", "state_hrr", "wikinews", "unsc"}
LEGACY_BEFORE_2009 = {"muc34", "szeged_wiki", "re3d"}


@pytest.fixture(scope="module")
def sets():
    return {
        "gold": {split: read_gold(GOLD_DIR / f"{split}.jsonl") for split in ("train", "dev", "test")},
        "silver": {split: read_gold(DATA / "silver" / f"{split}.jsonl") for split in ("train", "calibration", "dev")},
        "modern_test": {"test": read_gold(DATA / "modern_test" / "test.jsonl")},
    }


def documents(records):
    return {r.doc_id for r in records}


def test_schema(sets):
    for name in ("silver", "modern_test"):
        for split, records in sets[name].items():
            for record in records:
                assert record.doc_id and record.source and record.sampling in SAMPLING, (name, split, record.id)
            first = json.loads((DATA / name / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()[0])
            assert set(first) == {"id", "doc_id", "source", "context", "text", "labels", "sampling"}


def test_no_document_is_both_trained_on_and_held_out(sets):
    trained = documents(sets["gold"]["train"]) | documents(sets["silver"]["train"])
    held = {
        "gold dev": documents(sets["gold"]["dev"]), "gold test": documents(sets["gold"]["test"]),
        "silver calibration": documents(sets["silver"]["calibration"]), "silver dev": documents(sets["silver"]["dev"]),
        "modern test": documents(sets["modern_test"]["test"]),
    }
    for name, docs in held.items():
        assert not trained & docs, f"{name} shares documents with training data"
    modern = held.pop("modern test")
    for name, docs in held.items():
        assert not modern & docs, f"the modern test shares documents with {name}"
    reserved = set((DATA / "modern_test" / "documents.txt").read_text().split())
    reserved |= set((DATA / "modern_test" / "documents_enriched.txt").read_text().split())
    assert modern <= reserved
    silver_docs = {d for split in sets["silver"].values() for d in documents(split)}
    assert not silver_docs & reserved


def test_no_modern_test_sentence_is_trained_on(sets):
    key = lambda text: " ".join(text.lower().split())  # noqa: E731
    trained = {key(r.text) for name in ("gold", "silver") for r in sets[name]["train"]}
    assert not trained & {key(r.text) for r in sets["modern_test"]["test"]}


def test_modern_test_counts(sets):
    records = sets["modern_test"]["test"]
    assert len(records) >= 1200
    assert sum(source_family(r.source) in NEW_SOURCES for r in records) >= 1200
    assert sum(r.sampling == "random" for r in records) >= len(records) / 2
    positives = Counter(label for r in records for label in r.labels)
    assert all(positives[label] >= 60 for label in LABELS), positives


def test_silver_counts(sets):
    records = [r for split in sets["silver"].values() for r in split]
    assert len(records) >= 20000
    assert sum(source_family(r.source) not in LEGACY_BEFORE_2009 for r in records) >= 0.7 * len(records)
    assert sum(r.sampling == "random" for r in records) >= 0.4 * len(records)
    assert {r.sampling for r in records} >= {"random", "cue_search", "model_uncertain", "model_confident"}


def test_every_label_line_records_pass_annotator_and_batch():
    for name, passes in (("silver", ("pass_1", "pass_2")), ("modern_test", ("pass_a", "pass_b"))):
        for pass_name in passes:
            for path in sorted((DATA / name / "annotations" / pass_name).glob("*.jsonl")):
                for line in path.read_text(encoding="utf-8").splitlines():
                    row = json.loads(line)
                    assert row["pass"] == pass_name.split("_")[1] and row["annotator"].startswith("helper-")
                    assert row["batch"] == path.stem
