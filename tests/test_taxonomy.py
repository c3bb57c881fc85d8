import json

import pytest

from framewatch.data.taxonomy import LABELS, TAXONOMY_PATH, load_taxonomy, parse_taxonomy


def test_eight_labels_in_documented_order():
    assert LABELS == (
        "unverified_casualty_claim", "anonymous_source", "official_denial", "social_media_sourcing",
        "verification_gap", "emotional_appeal", "collapse_narrative", "discrediting",
    )


def test_every_label_has_definition_cues_and_exclusions():
    for label in load_taxonomy().labels:
        assert label.definition and label.cues and label.exclusions, label.name


def test_decision_rules_and_worked_examples_are_loaded():
    taxonomy = load_taxonomy()
    assert [rule.id for rule in taxonomy.decision_rules] == list(range(1, 11))
    assert len(taxonomy.worked_examples) == 8
    assert taxonomy.worked_examples[-1].labels == ()


def test_round_trip_through_dict():
    taxonomy = load_taxonomy()
    assert parse_taxonomy(taxonomy.to_dict()) == taxonomy


def test_index_names_unknown_label():
    with pytest.raises(KeyError, match="known labels"):
        load_taxonomy().index("propaganda")


def test_duplicate_and_unknown_labels_are_rejected():
    raw = json.loads(TAXONOMY_PATH.read_text())
    raw["labels"].append(dict(raw["labels"][0]))
    with pytest.raises(ValueError, match="duplicate"):
        parse_taxonomy(raw)
    raw = json.loads(TAXONOMY_PATH.read_text())
    raw["worked_examples"][0]["labels"] = ["nonsense"]
    with pytest.raises(ValueError, match="unknown labels"):
        parse_taxonomy(raw)


def test_project_copy_tracks_the_shared_taxonomy():
    """When shared/taxonomy.md changes, this fails until taxonomy.json (and the gold data) are brought up to date."""
    import hashlib

    from tests.conftest import ROOT

    shared = ROOT.parent / "shared" / "taxonomy.md"
    if not shared.is_file():
        pytest.skip("shared/taxonomy.md is not beside the project (a clone without ../shared)")
    recorded = json.loads(TAXONOMY_PATH.read_text())["source_sha256"]
    assert hashlib.sha256(shared.read_bytes()).hexdigest() == recorded, (
        "shared/taxonomy.md changed: update data/taxonomy.json, its source_sha256, and relabel affected gold data"
    )
