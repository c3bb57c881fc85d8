"""The weak-supervision framework: LF definition, application, and per-label majority vote."""
from collections import Counter

import numpy as np
import pytest

from framewatch.data.taxonomy import LABELS
from framewatch.training.labelling import (
    ABSTAIN,
    NEGATIVE,
    POSITIVE,
    Example,
    LabellingFunction,
    LFApplyError,
    apply_lfs,
    labelling_function,
    weak_labels,
)


def _constant(label: str, vote: int, name: str) -> LabellingFunction:
    return LabellingFunction(name, label, lambda passage: vote)


def test_decorator_builds_named_lf_with_resources():
    @labelling_function("verification_gap", resources={"cue": "if true"})
    def vgap_probe(passage, cue):
        return POSITIVE if cue in passage.text else ABSTAIN

    assert isinstance(vgap_probe, LabellingFunction)
    assert vgap_probe.name == "vgap_probe" and vgap_probe.label == "verification_gap"
    assert vgap_probe(Example("The claim, if true, matters.")) == POSITIVE
    assert vgap_probe(Example("The claim matters.")) == ABSTAIN


def test_decorator_name_override_and_frozen_resources():
    resources = {"cue": "x"}
    lf = labelling_function("discrediting", resources=resources, name="custom")(lambda passage, cue: ABSTAIN)
    resources["cue"] = "changed"
    assert lf.name == "custom"
    assert lf.resources["cue"] == "x"
    with pytest.raises(TypeError):
        lf.resources["cue"] = "y"


def test_decorator_rejects_unknown_label():
    with pytest.raises(ValueError, match="unknown label 'emotion'.*emotional_appeal"):
        labelling_function("emotion")


def test_decorator_without_parentheses_is_a_clear_type_error():
    with pytest.raises(TypeError, match="needs a label"):
        @labelling_function
        def lf(passage):
            return ABSTAIN


def test_lf_dataclass_validates_label():
    with pytest.raises(ValueError, match="known labels"):
        LabellingFunction("x", "not_a_label", lambda passage: ABSTAIN)


def test_apply_builds_int8_matrix_in_lf_order():
    lfs = [_constant("discrediting", POSITIVE, "a"), _constant("discrediting", NEGATIVE, "b"),
           _constant("verification_gap", ABSTAIN, "c")]
    matrix = apply_lfs(lfs, [Example("one"), Example("two", context="one")])
    assert matrix.dtype == np.int8
    assert matrix.tolist() == [[1, 0, -1], [1, 0, -1]]


def test_apply_handles_no_passages():
    assert apply_lfs([_constant("discrediting", POSITIVE, "a")], []).shape == (0, 1)


def test_apply_rejects_duplicate_names():
    lfs = [_constant("discrediting", POSITIVE, "same"), _constant("verification_gap", POSITIVE, "same")]
    with pytest.raises(ValueError, match="not unique: .* same"):
        apply_lfs(lfs, [Example("x")])


def _boom(passage):
    if "bad" in passage.text:
        raise RuntimeError("boom")
    return POSITIVE


def test_apply_raises_with_lf_name_by_default():
    lfs = [LabellingFunction("fragile", "discrediting", _boom)]
    with pytest.raises(LFApplyError, match="'fragile' failed on passage #1: boom"):
        apply_lfs(lfs, [Example("good"), Example("bad")])


def test_apply_rejects_invalid_votes():
    with pytest.raises(LFApplyError, match="returned 2"):
        apply_lfs([_constant("discrediting", 2, "two")], [Example("x")])


def test_fault_tolerant_mode_counts_failures_and_abstains():
    faults: Counter[str] = Counter()
    lfs = [LabellingFunction("fragile", "discrediting", _boom), _constant("discrediting", NEGATIVE, "steady")]
    matrix = apply_lfs(lfs, [Example("good"), Example("bad"), Example("bad again")], faults=faults)
    assert matrix.tolist() == [[1, 0], [-1, 0], [-1, 0]]
    assert faults == Counter({"fragile": 2})


def _column(labels: np.ndarray, name: str) -> list[int]:
    return labels[:, LABELS.index(name)].tolist()


def test_majority_vote_per_label_including_ties_and_all_abstain():
    lfs = [_constant("emotional_appeal", POSITIVE, f"e{i}") for i in range(3)] + [
        _constant("discrediting", POSITIVE, "d0")]
    matrix = np.array([
        [1, 1, 0, -1],    # 2 vs 1: positive
        [1, 0, -1, -1],   # tie: 0 (negative LFs encode exclusions)
        [-1, -1, -1, -1],  # nobody votes: 0
        [0, 0, 1, 1],     # 1 vs 2: 0; discrediting positive on its own
        [1, -1, -1, -1],  # a lone positive wins
    ], dtype=np.int8)
    labels = weak_labels(matrix, lfs)
    assert labels.shape == (5, len(LABELS)) and labels.dtype == np.int8
    assert _column(labels, "emotional_appeal") == [1, 0, 0, 0, 1]
    assert _column(labels, "discrediting") == [0, 0, 0, 1, 0]
    other = [k for k, name in enumerate(LABELS) if name not in ("emotional_appeal", "discrediting")]
    assert not labels[:, other].any()


def test_labels_of_other_lfs_do_not_vote():
    lfs = [_constant("emotional_appeal", POSITIVE, "e"), _constant("discrediting", NEGATIVE, "d")]
    labels = weak_labels(np.array([[1, 0], [1, 0]], dtype=np.int8), lfs)
    assert _column(labels, "emotional_appeal") == [1, 1]


def test_weak_labels_checks_matrix_width():
    with pytest.raises(ValueError, match="2 columns"):
        weak_labels(np.zeros((3, 1), dtype=np.int8), [_constant("discrediting", 1, name) for name in "ab"])
