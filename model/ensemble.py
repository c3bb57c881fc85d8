"""An ensemble: the weighted mean of its members' calibrated probabilities, recalibrated as a whole."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .base import CONFIG_NAME, FramingClassifier, ModelFormatError, register

MEMBER_PREFIX = "member_"


@register
class EnsembleClassifier(FramingClassifier):
    """Averages member probabilities (each already calibrated); its own logit is that mean's log-odds.

    Parameters
    ----------
    members : the member models, at least two.
    weights : one weight per member, default=None (equal weights).
    prefit : the members are already fitted and calibrated, default=False. ``fit`` then only checks them
        (the trainer fits each candidate once and combines the best); otherwise ``fit`` fits a clone of each.

    Attributes
    ----------
    members_ : the fitted members, saved as ``member_0/``, ``member_1/``… of the model directory.
    """

    model_type = "ensemble"

    def __init__(self, *, members: Sequence[FramingClassifier] = (), weights: Sequence[float] | None = None,
                 prefit: bool = False) -> None:
        self.members = members
        self.weights = weights
        self.prefit = prefit

    def fit(self, X: Sequence[str | tuple[str, str]] | None = None, y: np.ndarray | None = None,
            sample_weight: np.ndarray | None = None) -> "EnsembleClassifier":
        """Fit a clone of every member on ``X, y`` (or, with ``prefit``, check that they are fitted)."""
        if len(self.members) < 2:
            raise ValueError(f"an ensemble needs at least two members, found {len(self.members)}")
        if self.weights is not None and len(self.weights) != len(self.members):
            raise ValueError(f"{len(self.weights)} weights for {len(self.members)} members")
        if self.prefit:
            for member in self.members:
                member._check_fitted()
            self.members_ = list(self.members)
        else:
            from sklearn.base import clone

            if X is None or y is None:
                raise ValueError("fit needs X and y unless prefit=True")
            self.members_ = [clone(member).fit(X, y, sample_weight=sample_weight) for member in self.members]
        self._init_state()
        return self

    def _logits(self, texts: list[str], contexts: list[str]) -> np.ndarray:
        weights = np.asarray(self.weights if self.weights is not None else [1.0] * len(self.members_), dtype=np.float64)
        pairs = list(zip(contexts, texts))
        mean = sum(w * m.predict_proba(pairs) for w, m in zip(weights / weights.sum(), self.members_))
        mean = np.clip(mean, 1e-6, 1 - 1e-6)
        return np.log(mean / (1 - mean))

    def _config(self) -> dict[str, Any]:
        return {"weights": None if self.weights is None else [float(w) for w in self.weights], "prefit": True}

    def _save_weights(self, directory: Path) -> None:
        for i, member in enumerate(self.members_):
            member._write(directory / f"{MEMBER_PREFIX}{i}")

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        """Members are the ``member_<i>/`` folders that the (hash-checked) file list names, numbered from 0."""
        listed = {name.split("/", 1)[0] for name in config["files"] if name.endswith(f"/{CONFIG_NAME}")}
        count = len(listed)
        if listed != {f"{MEMBER_PREFIX}{i}" for i in range(count)} or count < 2:
            raise ModelFormatError(f"{directory}: an ensemble needs member_0/, member_1/, … found {sorted(listed)}")
        if self.weights is not None and len(self.weights) != count:
            raise ModelFormatError(f"{directory / CONFIG_NAME}: {len(self.weights)} weights for {count} members")
        self.members_ = [FramingClassifier.from_pretrained(directory / f"{MEMBER_PREFIX}{i}") for i in range(count)]
        self.members = list(self.members_)
