"""Platt scaling: per-label ``sigmoid(a * logit + b)`` fitted on held-out gold passages."""
from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression


def fit_platt(y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """(n_labels, 2) array of ``(a, b)``; a label without both classes in ``y_true`` keeps the identity (1, 0).

    Infinite logits (a passage the model cannot score) are clipped so they do not dominate the fit.
    """
    logits = np.clip(np.asarray(logits, dtype=np.float64), -30, 30)
    params = np.tile(np.array([1.0, 0.0], dtype=np.float32), (logits.shape[1], 1))
    for j in range(logits.shape[1]):
        target = np.asarray(y_true)[:, j]
        if target.min() == target.max():
            continue
        regression = LogisticRegression(C=100.0, max_iter=1000)
        regression.fit(logits[:, [j]], target)
        a = float(regression.coef_[0, 0])
        if a <= 0:  # a calibration that reverses the ranking would be worse than none
            continue
        params[j] = (a, float(regression.intercept_[0]))
    return params
