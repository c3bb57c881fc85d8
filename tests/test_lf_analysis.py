"""LF diagnostics on a tiny matrix whose statistics are worked out by hand."""
import math

import numpy as np
import pytest

from framewatch.data.taxonomy import LABELS
from framewatch.eval.lf_analysis import format_table, label_summary, lf_summary
from framewatch.training.labelling import ABSTAIN, LabellingFunction

LFS = [
    LabellingFunction("emo_a", "emotional_appeal", lambda p: ABSTAIN),
    LabellingFunction("emo_b", "emotional_appeal", lambda p: ABSTAIN),
    LabellingFunction("disc_a", "discrediting", lambda p: ABSTAIN),
]
MATRIX = np.array([
    [1, 1, -1],
    [1, 0, 1],
    [-1, 0, -1],
    [-1, -1, -1],
], dtype=np.int8)
EMO, DISC = LABELS.index("emotional_appeal"), LABELS.index("discrediting")


def _gold() -> np.ndarray:
    gold = np.zeros((4, len(LABELS)), dtype=np.int8)
    gold[[0, 2], EMO] = 1
    gold[1, DISC] = 1
    return gold


def test_lf_summary_coverage_overlap_conflict():
    rows = {row["name"]: row for row in lf_summary(MATRIX, LFS)}
    emo_a, emo_b, disc_a = rows["emo_a"], rows["emo_b"], rows["disc_a"]
    assert emo_a["polarity"] == [1] and emo_b["polarity"] == [0, 1]
    assert emo_a["coverage"] == 0.5 and emo_b["coverage"] == 0.75 and disc_a["coverage"] == 0.25
    assert emo_a["overlap"] == 0.5 and emo_b["overlap"] == 0.5
    assert emo_a["conflict"] == 0.25 and emo_b["conflict"] == 0.25
    # disc_a shares passage 1 with the emotional LFs, but they answer a different question
    assert disc_a["overlap"] == 0.0 and disc_a["conflict"] == 0.0
    assert "accuracy" not in emo_a


def test_lf_summary_accuracy_against_gold():
    rows = {row["name"]: row for row in lf_summary(MATRIX, LFS, gold=_gold())}
    assert (rows["emo_a"]["correct"], rows["emo_a"]["incorrect"], rows["emo_a"]["accuracy"]) == (1, 1, 0.5)
    assert (rows["emo_b"]["correct"], rows["emo_b"]["incorrect"]) == (2, 1)
    assert rows["emo_b"]["accuracy"] == pytest.approx(2 / 3)
    assert rows["disc_a"]["accuracy"] == 1.0


def test_accuracy_is_nan_for_silent_lf():
    silent = np.full((2, 3), -1, dtype=np.int8)
    rows = lf_summary(silent, LFS, gold=np.zeros((2, len(LABELS)), dtype=np.int8))
    assert all(math.isnan(row["accuracy"]) for row in rows)
    assert rows[0]["polarity"] == []


def test_label_summary():
    rows = {row["label"]: row for row in label_summary(MATRIX, LFS)}
    emo = rows["emotional_appeal"]
    assert emo["lfs"] == 2 and emo["coverage"] == 0.75
    assert emo["positive_rate"] == 0.25  # passage 0 (2:0); passage 1 is a 1:1 tie
    assert emo["conflict"] == 0.25
    assert rows["discrediting"]["positive_rate"] == 0.25
    assert rows["anonymous_source"] == {
        "label": "anonymous_source", "lfs": 0, "coverage": 0.0, "positive_rate": 0.0, "conflict": 0.0}


def test_shape_checks():
    with pytest.raises(ValueError, match="3 columns"):
        lf_summary(np.zeros((2, 2), dtype=np.int8), LFS)
    with pytest.raises(ValueError, match="gold of shape"):
        lf_summary(MATRIX, LFS, gold=np.zeros((4, 2)))


def test_format_table_aligns_columns():
    table = format_table([
        {"name": "emo_a", "coverage": 0.5, "polarity": [0, 1]},
        {"name": "disc_long_name", "coverage": float("nan"), "polarity": [1]},
    ])
    lines = table.splitlines()
    assert lines[0].split() == ["name", "coverage", "polarity"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].startswith("emo_a          ") and " 0.5 " in lines[2] and lines[2].endswith("0,1")
    assert "nan" in lines[3]
    # numbers are right-aligned: both values end in the same column
    assert lines[2].index("0.5 ") + 3 == lines[3].index("nan") + 3
    assert format_table([]) == ""
