"""Snorkel-style weak supervision: labelling functions, their label matrix, and per-label majority vote.

A labelling function (LF) looks at one passage and votes for ONE label of the taxonomy: ``POSITIVE`` (the
passage carries the label), ``NEGATIVE`` (it matches a known exclusion of the label) or ``ABSTAIN``. Defining
LFs (:func:`labelling_function`) is kept apart from applying them (:func:`apply_lfs`, an n × m matrix) and
from turning votes into training targets (:func:`weak_labels`, an n × 8 multi-label matrix), so each step can
be tested and analysed on its own (see :mod:`framewatch.eval.lf_analysis`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS

POSITIVE = 1
NEGATIVE = 0
ABSTAIN = -1
_VOTES = frozenset({POSITIVE, NEGATIVE, ABSTAIN})


@dataclass(frozen=True)
class Example:
    """A stand-in passage for tests and ad-hoc checks: LFs only read ``text`` and ``context``."""

    text: str
    context: str = ""


def _check_label(label: str) -> None:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r} for a labelling function; known labels: {', '.join(LABELS)}")


@dataclass(frozen=True)
class LabellingFunction:
    """A named vote for one label; ``resources`` (cue lists, compiled patterns) are passed in as keywords.

    Passing cues in, rather than reading module globals inside the body, keeps each LF's inputs visible
    and lets a test swap them.
    """

    name: str
    label: str
    func: Callable[..., int]
    resources: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        _check_label(self.label)

    def __call__(self, passage: Any) -> int:
        """Vote on ``passage`` (anything with ``.text`` and ``.context``)."""
        return self.func(passage, **self.resources)


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
    frozen = MappingProxyType(dict(resources or {}))

    def wrap(func: Callable[..., int]) -> LabellingFunction:
        return LabellingFunction(name or func.__name__, label, func, frozen)

    return wrap


class LFApplyError(RuntimeError):
    """An LF raised or returned something other than -1, 0 or 1; the message names the LF and the passage."""


def apply_lfs(
    lfs: Sequence[LabellingFunction], passages: Iterable[Any], *, faults: Counter[str] | None = None
) -> np.ndarray:
    """Run every LF on every passage: an int8 matrix of shape (n_passages, n_lfs) holding -1, 0 or 1.

    Parameters
    ----------
    lfs
        The labelling functions; their order is the column order. Duplicate names are rejected, since
        analysis and reports identify columns by name.
    passages
        Objects with ``.text`` and ``.context``. They are visited one at a time with all LFs in turn, so
        per-passage memoised preprocessing (case folding, shared cue searches) is computed once.
    faults
        Pass a ``Counter`` to run fault-tolerant: an LF that raises (or returns an invalid vote) then
        abstains on that passage and ``faults[lf.name]`` is incremented, so one bad LF on one odd passage
        does not waste a whole corpus pass. Without it, the first failure raises :class:`LFApplyError`.
    """
    names = [lf.name for lf in lfs]
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise ValueError(f"labelling function names must be unique; duplicated: {', '.join(duplicates)}")
    rows: list[list[int]] = []
    for number, passage in enumerate(passages):
        row = []
        for lf in lfs:
            try:
                vote = lf(passage)
                if vote not in _VOTES:
                    raise LFApplyError(f"returned {vote!r}; expected -1, 0 or 1")
            except Exception as error:
                if faults is None:
                    where = getattr(passage, "passage_id", f"#{number}")
                    raise LFApplyError(f"labelling function {lf.name!r} failed on passage {where}: {error}") from error
                faults[lf.name] += 1
                vote = ABSTAIN
            row.append(vote)
        rows.append(row)
    return np.array(rows, dtype=np.int8).reshape(len(rows), len(lfs))


def weak_labels(matrix: np.ndarray, lfs: Sequence[LabellingFunction]) -> np.ndarray:
    """Aggregate LF votes into an (n, 8) int8 multi-label matrix in ``LABELS`` order, by per-label majority vote.

    For each label only the LFs of that label count. A passage gets 1 when its positive votes strictly
    outnumber its negative votes, else 0; a label with no votes (or no LFs) is 0.

    Why ties go to 0: the negative LFs encode the taxonomy's explicit exclusions (a verifier behind a toll,
    silence instead of denial, a routine designation), which are narrower and more precise than the cue
    lists behind positive LFs, and most sentences carry no label, so an even split is better read as "not
    shown" than as a positive. A false positive target teaches the model exactly the confusions the
    exclusions were written to stop.

    Why majority vote rather than a learned label model: each label has only a handful of LFs and they are
    strongly correlated (several share the same cue families), which breaks the conditional-independence
    assumption a generative label model relies on; and without gold labels yet we could not check whether
    its estimated LF accuracies are right. Majority vote is transparent and easy to audit per passage; a
    label model can replace it once :class:`~framewatch.eval.lf_analysis.LFAnalysis` has gold to compare.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[1] != len(lfs):
        raise ValueError(f"expected a matrix with {len(lfs)} columns (one per LF), found shape {matrix.shape}")
    out = np.zeros((matrix.shape[0], len(LABELS)), dtype=np.int8)
    for k, label in enumerate(LABELS):
        columns = [j for j, lf in enumerate(lfs) if lf.label == label]
        if not columns:
            continue
        votes = matrix[:, columns]
        positive = (votes == POSITIVE).sum(axis=1)
        negative = (votes == NEGATIVE).sum(axis=1)
        out[:, k] = positive > negative
    return out
