"""Weak supervision with Snorkel: labelling functions, their label matrix, and per-label aggregation.

A labelling function (LF) is a Snorkel ``LabelingFunction`` that votes on ONE label of the taxonomy:
``POSITIVE`` (the passage carries the label), ``NEGATIVE`` (it matches a known exclusion of the label) or
``ABSTAIN``. Defining LFs (:func:`labelling_function`) is kept apart from applying them (Snorkel's ``LFApplier``,
an n × m matrix) and from turning votes into training targets (:func:`weak_labels`, an n × 8 multi-label matrix), so
each step can be tested and analysed on its own (:mod:`framewatch.eval.lf_analysis` wraps Snorkel's ``LFAnalysis``).

Votes are aggregated per label, by majority or by one Snorkel ``LabelModel`` per label (:class:`WeakLabeller`);
``framewatch lf-stats --gold data/gold/dev.jsonl`` compares the two on gold dev.
"""
from __future__ import annotations

from collections import Counter
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from snorkel.labeling import LabelingFunction as SnorkelLabelingFunction
from snorkel.labeling import LFApplier

from framewatch.data.taxonomy import LABELS

POSITIVE = 1
NEGATIVE = 0
ABSTAIN = -1
_VOTES = frozenset({POSITIVE, NEGATIVE, ABSTAIN})
AGGREGATIONS = ("majority", "label_model")


class Example:
    """A stand-in passage for tests and ad-hoc checks: LFs only read ``text`` and ``context``."""

    def __init__(self, text: str, context: str = "") -> None:
        self.text, self.context = text, context


def _check_label(label: str) -> None:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r} for a labelling function; known labels: {', '.join(LABELS)}")


class LabellingFunction(SnorkelLabelingFunction):
    """A Snorkel labelling function that votes for one ``label``; ``resources`` (cue lists, compiled patterns) reach
    the function as keywords, which keeps each LF's inputs visible and lets a test swap them."""

    def __init__(self, name: str, label: str, f: Callable[..., int], resources: Mapping[str, Any] | None = None):
        _check_label(label)
        super().__init__(name, f, resources=MappingProxyType(dict(resources or {})))
        self.label = label

    @property
    def resources(self) -> Mapping[str, Any]:
        """The keyword arguments the function is called with (read-only)."""
        return self._resources


def labelling_function(
    label: str, resources: Mapping[str, Any] | None = None, name: str | None = None
) -> Callable[[Callable[..., int]], LabellingFunction]:
    """Decorator that turns ``func(passage, **resources) -> int`` into a :class:`LabellingFunction`.

    The label is checked here, at definition time, so a typo fails on import rather than as a silently
    empty column. The LF is named after the function unless ``name`` is given.
    """
    if callable(label):
        raise TypeError(
            "labelling_function needs a label: write @labelling_function('emotional_appeal'), "
            "not a bare @labelling_function"
        )
    _check_label(label)

    def wrap(func: Callable[..., int]) -> LabellingFunction:
        return LabellingFunction(name or func.__name__, label, func, resources)

    return wrap


class LFApplyError(RuntimeError):
    """An LF raised or returned something other than -1, 0 or 1; the message names the LF and the passage."""


def apply_lfs(
    lfs: Sequence[LabellingFunction], passages: Iterable[Any], *, faults: Counter[str] | None = None
) -> np.ndarray:
    """Run every LF on every passage with Snorkel's ``LFApplier``: an int8 (n_passages, n_lfs) matrix of -1/0/1.

    Duplicate LF names are rejected (Snorkel's check). Pass a ``Counter`` as ``faults`` to run fault-tolerant: an LF
    that raises then abstains on that passage and ``faults[lf.name]`` counts it; without it the first failure raises
    :class:`LFApplyError` naming the LF and the passage.
    """
    passages = list(passages)
    applier = LFApplier(list(lfs))
    try:
        matrix, meta = applier.apply(passages, progress_bar=False, fault_tolerant=faults is not None,
                                     return_meta=True)
    except Exception as error:  # Snorkel re-raises the LF's own exception: name the LF and the passage
        lf, where = _first_failure(lfs, passages)
        raise LFApplyError(f"labelling function {lf} failed on passage {where}: {error}") from error
    if faults is not None:
        faults.update({name: count for name, count in meta.faults.items() if count})
    matrix = np.asarray(matrix).reshape(len(passages), len(lfs))
    bad = ~np.isin(matrix, list(_VOTES))
    if bad.any():
        row, column = map(int, np.argwhere(bad)[0])
        raise LFApplyError(f"labelling function {lfs[column].name!r} returned {int(matrix[row, column])} on passage "
                           f"{getattr(passages[row], 'passage_id', f'#{row}')}; expected -1, 0 or 1")
    return matrix.astype(np.int8)


def _first_failure(lfs: Sequence[LabellingFunction], passages: Sequence[Any]) -> tuple[str, str]:
    for number, passage in enumerate(passages):
        for lf in lfs:
            try:
                lf(passage)
            except Exception:  # noqa: BLE001 - looking for the one that failed
                return repr(lf.name), getattr(passage, "passage_id", f"#{number}")
    return "?", "?"


def label_columns(lfs: Sequence[LabellingFunction]) -> dict[str, list[int]]:
    """Per label, the columns of the label matrix that hold its LFs' votes."""
    return {label: [j for j, lf in enumerate(lfs) if lf.label == label] for label in LABELS}


def majority_vote(matrix: np.ndarray, lfs: Sequence[LabellingFunction]) -> np.ndarray:
    """(n, 8) int8 matrix: 1 where a label's positive votes strictly outnumber its negative votes.

    Why ties go to 0: the negative LFs encode the taxonomy's explicit exclusions (a verifier behind a toll, silence
    instead of denial, a routine designation), which are narrower and more precise than the cue lists behind
    positive LFs, and most sentences carry no label, so an even split is better read as "not shown".
    """
    matrix = _checked(matrix, lfs)
    out = np.zeros((matrix.shape[0], len(LABELS)), dtype=np.int8)
    for k, label in enumerate(LABELS):
        votes = matrix[:, label_columns(lfs)[label]]
        out[:, k] = (votes == POSITIVE).sum(axis=1) > (votes == NEGATIVE).sum(axis=1)
    return out


def _checked(matrix: np.ndarray, lfs: Sequence[LabellingFunction]) -> np.ndarray:
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[1] != len(lfs):
        raise ValueError(f"expected a matrix with {len(lfs)} columns (one per LF), found shape {matrix.shape}")
    return matrix


class WeakLabeller:
    """Turns LF votes into per-label probabilities: majority vote, or one Snorkel ``LabelModel`` per label.

    Parameters
    ----------
    lfs : the labelling functions (their order is the matrix's column order).
    aggregation : ``"majority"`` or ``"label_model"``, default="majority".
    seed : seed of the label models' fit.

    A label model learns each LF's accuracy from how the LFs agree on unlabelled passages; it assumes LFs err
    independently, which LFs sharing cue families do not, so it is checked against majority vote on gold dev.
    """

    def __init__(self, lfs: Sequence[LabellingFunction], aggregation: str = "majority", seed: int = 0) -> None:
        if aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, found {aggregation!r}")
        self.lfs, self.aggregation, self.seed = tuple(lfs), aggregation, seed

    def fit(self, matrix: np.ndarray) -> "WeakLabeller":
        """Fit the label models on an unlabelled label matrix (nothing to fit for majority vote)."""
        matrix = _checked(matrix, self.lfs)
        self.models_: dict[str, Any] = {}
        if self.aggregation == "label_model":
            from snorkel.labeling.model import LabelModel

            for label, columns in label_columns(self.lfs).items():
                if len(columns) < 3:  # Snorkel's label model needs three LFs; fewer fall back to majority
                    continue
                model = LabelModel(cardinality=2, verbose=False)
                model.fit(matrix[:, columns], n_epochs=500, seed=self.seed, log_freq=500, progress_bar=False)
                self.models_[label] = model
        return self

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        """(n, 8) probability that each label holds; a passage no LF of a label votes on gets 0."""
        matrix = _checked(matrix, self.lfs)
        proba = majority_vote(matrix, self.lfs).astype(np.float32)
        for label, model in getattr(self, "models_", {}).items():
            votes = matrix[:, label_columns(self.lfs)[label]]
            column = model.predict_proba(votes)[:, POSITIVE].astype(np.float32)
            column[(votes == ABSTAIN).all(axis=1)] = 0.0
            proba[:, LABELS.index(label)] = column
        return proba

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """(n, 8) int8 weak labels: probability over one half."""
        return (self.predict_proba(matrix) > 0.5).astype(np.int8)


def weak_labels(matrix: np.ndarray, lfs: Sequence[LabellingFunction], aggregation: str = "majority",
                seed: int = 0) -> np.ndarray:
    """An (n, 8) int8 multi-label matrix in ``LABELS`` order from an LF label matrix."""
    return WeakLabeller(lfs, aggregation, seed).fit(matrix).predict(matrix)
