"""Diagnostics for labelling functions: coverage, overlap, conflict, and accuracy against gold (pure numpy).

Overlap and conflict are counted only among LFs of the SAME label, because votes for different labels are
about different questions and can never disagree. All rates are fractions of all passages, as in Snorkel,
so an LF's overlap and conflict are at most its coverage.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.training.labelling import ABSTAIN, NEGATIVE, POSITIVE, LabellingFunction, weak_labels


class LFAnalysis:
    """Statistics over an LF label matrix (n_passages × n_lfs, values -1/0/1) and the LFs that made it."""

    def __init__(self, matrix: np.ndarray, lfs: Sequence[LabellingFunction]) -> None:
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[1] != len(lfs):
            raise ValueError(f"expected a matrix with {len(lfs)} columns (one per LF), found shape {matrix.shape}")
        self.matrix = matrix
        self.lfs = tuple(lfs)
        self._columns = {label: [j for j, lf in enumerate(self.lfs) if lf.label == label] for label in LABELS}

    def _others_vote(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Per passage: does another LF of LF ``j``'s label vote, and does one vote against LF ``j``?"""
        others = [k for k in self._columns[self.lfs[j].label] if k != j]
        if not others:
            none = np.zeros(self.matrix.shape[0], dtype=bool)
            return none, none
        votes = self.matrix[:, others]
        voting = votes != ABSTAIN
        opposed = voting & (votes != self.matrix[:, [j]])
        return voting.any(axis=1), opposed.any(axis=1)

    def lf_summary(self, gold: np.ndarray | None = None) -> list[dict[str, Any]]:
        """One row per LF: name, label, polarity, coverage, overlap, conflict (+ correct, incorrect, accuracy).

        ``gold`` is an (n, 8) 0/1 matrix in ``LABELS`` order; an LF's vote is correct when it equals the gold
        value of its own label. Accuracy is NaN for an LF that never votes.
        """
        n = self.matrix.shape[0]
        if gold is not None:
            gold = np.asarray(gold)
            if gold.shape != (n, len(LABELS)):
                raise ValueError(f"expected gold of shape {(n, len(LABELS))}, found {gold.shape}")
        rows = []
        for j, lf in enumerate(self.lfs):
            column = self.matrix[:, j]
            votes = column != ABSTAIN
            others_vote, others_oppose = self._others_vote(j)
            row: dict[str, Any] = {
                "name": lf.name,
                "label": lf.label,
                "polarity": sorted(int(v) for v in np.unique(column[votes])),
                "coverage": _rate(votes, n),
                "overlap": _rate(votes & others_vote, n),
                "conflict": _rate(votes & others_oppose, n),
            }
            if gold is not None:
                truth = gold[:, LABELS.index(lf.label)]
                correct = int((votes & (column == truth)).sum())
                incorrect = int(votes.sum()) - correct
                row.update(correct=correct, incorrect=incorrect,
                           accuracy=correct / (correct + incorrect) if correct + incorrect else float("nan"))
            rows.append(row)
        return rows

    def label_summary(self) -> list[dict[str, Any]]:
        """One row per label: its LF count, coverage (any LF votes), weak-label positive rate, conflict rate.

        A conflict is a passage where LFs of the label vote both ways, whatever the majority decides.
        """
        n = self.matrix.shape[0]
        weak = weak_labels(self.matrix, self.lfs)
        rows = []
        for k, label in enumerate(LABELS):
            votes = self.matrix[:, self._columns[label]]
            rows.append({
                "label": label,
                "lfs": votes.shape[1],
                "coverage": _rate((votes != ABSTAIN).any(axis=1), n),
                "positive_rate": _rate(weak[:, k] == 1, n),
                "conflict": _rate((votes == POSITIVE).any(axis=1) & (votes == NEGATIVE).any(axis=1), n),
            })
        return rows


def _rate(mask: np.ndarray, n: int) -> float:
    return float(mask.sum()) / n if n else 0.0


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if np.isnan(value) else f"{value:.3g}"  # rates are small: keep significant digits
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Render rows (dicts with the same keys) as an aligned plain-text table; numbers are right-aligned."""
    if not rows:
        return ""
    keys = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[_cell(row.get(key, "")) for key in keys] for row in rows]
    numeric = [all(isinstance(row.get(key), (int, float)) for row in rows) for key in keys]
    widths = [max(len(key), *(len(line[i]) for line in cells)) for i, key in enumerate(keys)]

    def render(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    lines = [render(keys), render(["-" * w for w in widths])]
    lines.extend(render(line) for line in cells)
    return "\n".join(lines)
