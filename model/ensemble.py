"""An ensemble: the weighted mean of its members' calibrated probabilities, recalibrated as a whole."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .base import FramingClassifier, ModelFormatError, register


@register
class EnsembleClassifier(FramingClassifier):
    """Averages member probabilities (each already calibrated); its own logit is that mean's log-odds.

    Parameters
    ----------
    weights : one weight per member (``None``: equal weights).
    """

    model_type = "ensemble"

    def __init__(self, *, weights: Sequence[float] | None = None) -> None:
        self.weights = weights

    def fit(self, members: Sequence[FramingClassifier]) -> "EnsembleClassifier":
        """Combine already fitted members; nothing is learned here but the default state."""
        if len(members) < 2:
            raise ValueError(f"an ensemble needs at least two members, found {len(members)}")
        if self.weights is not None and len(self.weights) != len(members):
            raise ValueError(f"{len(self.weights)} weights for {len(members)} members")
        self.members_ = list(members)
        self._init_state()
        return self

    def _logits(self, texts: list[str], contexts: list[str] | None) -> np.ndarray:
        weights = np.asarray(self.weights if self.weights is not None else [1.0] * len(self.members_), dtype=np.float64)
        mean = sum(w * m.predict_proba(texts, contexts) for w, m in zip(weights / weights.sum(), self.members_))
        mean = np.clip(mean, 1e-6, 1 - 1e-6)
        return np.log(mean / (1 - mean))

    def _config(self) -> dict[str, Any]:
        return {"weights": None if self.weights is None else list(self.weights)}

    def _save_weights(self, directory: Path) -> None:
        for i, member in enumerate(self.members_):
            member.save_pretrained(directory / f"member_{i}")

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        folders = sorted(directory.glob("member_*"), key=lambda p: int(p.name.split("_")[1]))
        if len(folders) < 2:
            raise ModelFormatError(f"{directory}: an ensemble needs member_0/, member_1/, …")
        self.members_ = [FramingClassifier.from_pretrained(folder) for folder in folders]
