"""The labelling functions as a model, so they can be compared with learned candidates on the same terms."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.model.base import FramingClassifier

from .labelling import NEGATIVE, POSITIVE, Example, apply_lfs
from .labelling_functions import LABELLING_FUNCTIONS

VOTE_SCALE = 2.0
"""Logit per net vote; with a -1 offset, one net positive vote gives 0.73 and no votes 0.27."""


class LabellingFunctionClassifier(FramingClassifier):
    """Per label: ``VOTE_SCALE * (positive votes - negative votes) - 1`` as the logit.

    At threshold 0.5 this predicts exactly the majority-vote weak labels used for training; calibration and
    thresholds tuned on gold dev can then make it as fair a baseline as the learned models. It has no weights
    and is not saved: the LFs live in ``training/``, which the inference module must not import.
    """

    model_type = "labelling_functions"

    def fit(self) -> "LabellingFunctionClassifier":
        """Nothing to learn; sets default thresholds and identity calibration."""
        self._init_state()
        return self

    def _logits(self, texts: list[str], contexts: list[str] | None) -> np.ndarray:
        contexts = contexts or [""] * len(texts)
        matrix = apply_lfs(LABELLING_FUNCTIONS, [Example(t, c) for t, c in zip(texts, contexts)])
        logits = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for j, lf in enumerate(LABELLING_FUNCTIONS):
            column = LABELS.index(lf.label)
            logits[:, column] += (matrix[:, j] == POSITIVE).astype(np.float32)
            logits[:, column] -= (matrix[:, j] == NEGATIVE).astype(np.float32)
        return VOTE_SCALE * logits - 1.0

    def _config(self) -> dict[str, Any]:
        return {}

    def _save_weights(self, directory: Path) -> None:
        raise NotImplementedError("the labelling-function model has no weights and is not saved")
