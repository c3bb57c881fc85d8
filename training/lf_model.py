"""The labelling functions as a model, so they can be compared with learned candidates on the same terms."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.model.base import FramingClassifier, as_inputs

from .labelling import AGGREGATIONS, NEGATIVE, POSITIVE, Example, WeakLabeller, apply_lfs
from .labelling_functions import LABELLING_FUNCTIONS

VOTE_SCALE = 2.0
"""Logit per net vote; with a -1 offset, one net positive vote gives 0.73 and no votes 0.27."""


class LabellingFunctionClassifier(FramingClassifier):
    """The labelling functions' votes as scores: per label ``VOTE_SCALE * (positive - negative votes) - 1`` for
    majority vote, or the log-odds of Snorkel's label model.

    At threshold 0.5 the majority form predicts exactly the majority-vote weak labels; calibration and thresholds
    then make it as fair a baseline as the learned models. It is not saved: the LFs live in ``training/``, which the
    inference module must not import.

    Parameters
    ----------
    aggregation : ``"majority"`` or ``"label_model"`` (fitted on the LF votes of ``X``), default="majority".
    seed : seed of the label models' fit.
    """

    model_type = "labelling_functions"

    def __init__(self, *, aggregation: str = "majority", seed: int = 0) -> None:
        self.aggregation = aggregation
        self.seed = seed

    def fit(self, X: Sequence[str | tuple[str, str]] | None = None, y: np.ndarray | None = None,
            sample_weight: np.ndarray | None = None) -> "LabellingFunctionClassifier":
        """Majority vote learns nothing; the label model learns LF accuracies from the votes on ``X`` (``y`` is not
        used: label models learn without labels)."""
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, found {self.aggregation!r}")
        self.labeller_ = WeakLabeller(LABELLING_FUNCTIONS, self.aggregation, self.seed)
        if self.aggregation == "label_model":
            if X is None:
                raise ValueError("the label model is fitted on passages: pass X")
            self.labeller_.fit(self.votes(X))
        self._init_state()
        return self

    @staticmethod
    def functions() -> tuple:
        """The labelling functions, in the column order of :meth:`votes`."""
        return LABELLING_FUNCTIONS

    @staticmethod
    def votes(X: Sequence[str | tuple[str, str]]) -> np.ndarray:
        """The (n, n_lfs) label matrix of ``X``: every LF's vote on every passage."""
        texts, contexts = as_inputs(X)
        return apply_lfs(LABELLING_FUNCTIONS, [Example(t, c) for t, c in zip(texts, contexts)])

    def _logits(self, texts: list[str], contexts: list[str]) -> np.ndarray:
        matrix = self.votes(list(zip(contexts, texts)))
        if self.aggregation == "label_model":
            proba = np.clip(self.labeller_.predict_proba(matrix), 1e-4, 1 - 1e-4)
            return np.log(proba / (1 - proba))
        logits = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for j, lf in enumerate(LABELLING_FUNCTIONS):
            column = LABELS.index(lf.label)
            logits[:, column] += (matrix[:, j] == POSITIVE).astype(np.float32)
            logits[:, column] -= (matrix[:, j] == NEGATIVE).astype(np.float32)
        return VOTE_SCALE * logits - 1.0

    def _save_weights(self, directory: Path) -> None:
        raise NotImplementedError("the labelling-function model has no weights and is not saved")

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        raise NotImplementedError("the labelling-function model is not saved")
