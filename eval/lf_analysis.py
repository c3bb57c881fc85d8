"""Diagnostics for labelling functions: coverage, overlap, conflict, and accuracy against gold.

Snorkel's ``LFAnalysis`` computes them, one label at a time: overlap and conflict count only LFs of the SAME label,
because votes for different labels answer different questions and can never disagree. Rates are fractions of all
passages, so an LF's overlap and conflict are at most its coverage.
"""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np
from snorkel.labeling import LFAnalysis

from framewatch.data.taxonomy import LABELS
from framewatch.training.labelling import ABSTAIN, NEGATIVE, POSITIVE, LabellingFunction, label_columns, weak_labels


def lf_summary(matrix: np.ndarray, lfs: Sequence[LabellingFunction], gold: np.ndarray | None = None
               ) -> list[dict[str, Any]]:
    """One row per LF: name, label, polarity, coverage, overlap, conflict (+ correct, incorrect, accuracy).

    ``gold`` is an (n, 8) 0/1 matrix in ``LABELS`` order; an LF's vote is correct when it equals the gold value of
    its own label. Accuracy is NaN for an LF that never votes.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[1] != len(lfs):
        raise ValueError(f"expected a matrix with {len(lfs)} columns (one per LF), found shape {matrix.shape}")
    if gold is not None and np.asarray(gold).shape != (matrix.shape[0], len(LABELS)):
        raise ValueError(f"expected gold of shape {(matrix.shape[0], len(LABELS))}, found {np.asarray(gold).shape}")
    rows: dict[int, dict[str, Any]] = {}
    for label, columns in label_columns(lfs).items():
        if not columns:
            continue
        analysis = LFAnalysis(matrix[:, columns], [lfs[j] for j in columns])
        truth = None if gold is None else np.asarray(gold)[:, LABELS.index(label)]
        with warnings.catch_warnings():  # Snorkel's sparse matrices trip a scipy dtype FutureWarning
            warnings.simplefilter("ignore", FutureWarning)
            coverage, overlap, conflict = analysis.lf_coverages(), analysis.lf_overlaps(), analysis.lf_conflicts()
            correct = None if truth is None else analysis.lf_empirical_accuracies(truth)
        for k, j in enumerate(columns):
            votes = matrix[:, j] != ABSTAIN
            row = {"name": lfs[j].name, "label": label,
                   "polarity": sorted(int(v) for v in np.unique(matrix[votes, j])),
                   "coverage": float(coverage[k]), "overlap": float(overlap[k]), "conflict": float(conflict[k])}
            if truth is not None:
                n_correct = int((votes & (matrix[:, j] == truth)).sum())
                row.update(correct=n_correct, incorrect=int(votes.sum()) - n_correct,
                           accuracy=float(correct[k]) if votes.any() else float("nan"))
            rows[j] = row
    return [rows[j] for j in sorted(rows)]


def label_summary(matrix: np.ndarray, lfs: Sequence[LabellingFunction]) -> list[dict[str, Any]]:
    """One row per label: its LF count, coverage (any LF votes), weak-label positive rate, conflict rate.

    A conflict is a passage where LFs of the label vote both ways, whatever the majority decides.
    """
    matrix = np.asarray(matrix)
    n = matrix.shape[0]
    weak = weak_labels(matrix, lfs)
    rows = []
    for k, (label, columns) in enumerate(label_columns(lfs).items()):
        votes = matrix[:, columns]
        rows.append({
            "label": label,
            "lfs": votes.shape[1],
            "coverage": _rate((votes != ABSTAIN).any(axis=1), n),
            "positive_rate": _rate(weak[:, k] == 1, n),
            "conflict": _rate((votes == POSITIVE).any(axis=1) & (votes == NEGATIVE).any(axis=1), n),
        })
    return rows


def compare_aggregations(unlabelled: np.ndarray, labelled: np.ndarray, y: np.ndarray,
                         lfs: Sequence[LabellingFunction], seed: int = 0) -> list[dict[str, Any]]:
    """Per label and macro-averaged F1 on ``y`` of majority vote and of Snorkel's label model (fitted on the
    ``unlabelled`` matrix) applied to the ``labelled`` matrix: which aggregation the weak labels should use."""
    from framewatch.training.labelling import WeakLabeller

    from .metrics import per_label_prf

    predictions = {name: WeakLabeller(lfs, name, seed).fit(unlabelled).predict(labelled)
                   for name in ("majority", "label_model")}
    tables = {name: per_label_prf(y, pred) for name, pred in predictions.items()}
    rows = [{"label": label, **{f"{name} F1": float(tables[name][j, 2]) for name in tables}}
            for j, label in enumerate(LABELS)]
    rows.append({"label": "macro", **{f"{name} F1": float(tables[name][:, 2].mean()) for name in tables}})
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
