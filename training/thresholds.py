"""Per-label decision thresholds chosen on held-out gold data."""
from __future__ import annotations

import numpy as np

DEFAULT_THRESHOLD = 0.5


def best_f1_threshold(y_true: np.ndarray, scores: np.ndarray, default: float = DEFAULT_THRESHOLD) -> float:
    """The score cut-off that maximises F1 for one label.

    Candidates are the midpoints between distinct observed scores, so the chosen threshold does not sit exactly
    on a dev example. A label without positives keeps ``default``: there is nothing to tune it on.
    """
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    if not y_true.any():
        return default
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_true = scores[order], y_true[order]
    true_positives = np.cumsum(sorted_true)
    predicted = np.arange(1, len(scores) + 1)
    f1 = 2 * true_positives / (predicted + y_true.sum())
    # only cut where the next score differs, so ties fall on the same side
    distinct = np.r_[sorted_scores[1:] < sorted_scores[:-1], True]
    best = int(np.argmax(np.where(distinct, f1, -1.0)))
    upper = sorted_scores[best]
    lower = sorted_scores[best + 1] if best + 1 < len(scores) else 0.0
    return float((upper + lower) / 2)


def tune_thresholds(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """One F1-maximising threshold per column of an (n, n_labels) score matrix."""
    return np.array(
        [best_f1_threshold(y_true[:, j], scores[:, j]) for j in range(scores.shape[1])], dtype=np.float32
    )
