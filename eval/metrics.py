"""Metric functions over ``(y_true, y_pred)`` or ``(y_true, scores)`` matrices in taxonomy order.

Precision, recall, F1 and PR-AUC are scikit-learn's (``zero_division=0``: a label nobody predicts has precision 0,
a label with no positives has recall 0; ``micro`` pools every decision, ``macro`` averages labels with equal
weight). Kept here because scikit-learn has no equivalent: the reliability table and ECE pooled over labels, and
the bootstrap that resamples whole documents (passages of one document are not independent).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve, precision_recall_fscore_support


def _columns(y_true: np.ndarray) -> list[int]:
    """The ``labels`` argument that makes scikit-learn score every column of an indicator matrix: with a single
    column it would otherwise read the matrix as one binary target and score classes 0 and 1."""
    return [1] if np.asarray(y_true).shape[1] == 1 else list(range(np.asarray(y_true).shape[1]))


def per_label_prf(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """(n_labels, 3) array of precision, recall and F1 per column (``zero_division=0``)."""
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, labels=_columns(y_true), average=None,
                                                               zero_division=0)
    return np.column_stack([precision, recall, f1])


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Unweighted mean of the per-label F1."""
    return float(f1_score(y_true, y_pred, labels=_columns(y_true), average="macro", zero_division=0))


def micro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """F1 of all (passage, label) decisions pooled."""
    return float(f1_score(y_true, y_pred, labels=_columns(y_true), average="micro", zero_division=0))


def label_report(y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[str]) -> dict:
    """Macro and micro F1 plus per-label precision, recall, F1 and support, rounded for reports."""
    table = per_label_prf(y_true, y_pred)
    return {
        "macro_f1": round(float(table[:, 2].mean()), 4),
        "micro_f1": round(micro_f1(y_true, y_pred), 4),
        "per_label": {
            label: {"precision": round(float(table[j, 0]), 4), "recall": round(float(table[j, 1]), 4),
                    "f1": round(float(table[j, 2]), 4), "support": int(np.asarray(y_true)[:, j].sum())}
            for j, label in enumerate(labels)
        },
    }


def pr_auc(y_true: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the precision-recall curve (average precision); ``None`` when there are no positives."""
    y_true = np.asarray(y_true, dtype=int)
    if not y_true.any():
        return None
    return float(average_precision_score(y_true, scores))


def recall_at_precision(y_true: np.ndarray, scores: np.ndarray, precision: float) -> float | None:
    """The highest recall any threshold reaches with at least ``precision`` on this data (0.0 if none does;
    ``None`` without positives). An upper bound for a fixed threshold: it is chosen on the data it scores."""
    y_true = np.asarray(y_true, dtype=int)
    if not y_true.any():
        return None
    precisions, recalls, _ = precision_recall_curve(y_true, scores)
    reached = precisions[:-1] >= precision
    return float(recalls[:-1][reached].max()) if reached.any() else 0.0


def reliability(y_true: np.ndarray, scores: np.ndarray, n_bins: int = 10) -> list[dict[str, float]]:
    """Equal-width bins of predicted probability: mean score, observed positive rate and count per bin.

    All labels' (passage, label) pairs are pooled, as a multi-label model's probabilities are all read the same way.
    """
    y = np.asarray(y_true, dtype=float).ravel()
    p = np.asarray(scores, dtype=float).ravel()
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    rows = []
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            rows.append({"lower": b / n_bins, "upper": (b + 1) / n_bins, "mean_score": float(p[mask].mean()),
                         "positive_rate": float(y[mask].mean()), "count": int(mask.sum())})
    return rows


def expected_calibration_error(y_true: np.ndarray, scores: np.ndarray, n_bins: int = 10) -> float:
    """ECE: count-weighted mean gap between mean score and positive rate over equal-width bins."""
    rows = reliability(y_true, scores, n_bins)
    total = sum(r["count"] for r in rows)
    if not total:
        return 0.0
    return float(sum(r["count"] * abs(r["mean_score"] - r["positive_rate"]) for r in rows) / total)


def resample_indices(groups: Sequence[str] | None, n: int, rng: np.random.Generator) -> np.ndarray:
    """Row indices of one bootstrap sample: whole groups (documents) drawn with replacement when given."""
    if groups is None:
        return rng.integers(0, n, n)
    unique, inverse = np.unique(np.asarray(groups), return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(unique))]
    drawn = rng.integers(0, len(unique), len(unique))
    return np.concatenate([members[g] for g in drawn])


def bootstrap_ci(
    statistic: Callable[[np.ndarray], float], n: int, groups: Sequence[str] | None = None,
    n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(indices)``, resampling documents when ``groups`` is given."""
    rng = np.random.default_rng(seed)
    values = [statistic(resample_indices(groups, n, rng)) for _ in range(n_resamples)]
    alpha = (1 - confidence) / 2
    return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))


def paired_bootstrap(
    statistic_a: Callable[[np.ndarray], float], statistic_b: Callable[[np.ndarray], float], n: int,
    groups: Sequence[str] | None = None, n_resamples: int = 1000, seed: int = 0,
) -> dict[str, float]:
    """Difference ``a - b`` on the same resamples: observed value, 95% interval, and the share of resamples
    where ``a`` does not beat ``b`` (a one-sided bootstrap p-value)."""
    rng = np.random.default_rng(seed)
    everything = np.arange(n)
    diffs = []
    for _ in range(n_resamples):
        idx = resample_indices(groups, n, rng)
        diffs.append(statistic_a(idx) - statistic_b(idx))
    diffs = np.asarray(diffs)
    return {
        "difference": float(statistic_a(everything) - statistic_b(everything)),
        "ci_low": float(np.quantile(diffs, 0.025)),
        "ci_high": float(np.quantile(diffs, 0.975)),
        "p_not_better": float((diffs <= 0).mean()),
    }
