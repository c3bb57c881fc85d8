"""The classifier surface every framewatch model shares, and document scoring on top of it.

A model scores sentences: ``predict_proba(texts)`` returns an (n, n_labels) matrix of calibrated
probabilities in taxonomy order and ``predict(texts)`` applies the per-label thresholds. A document is scored
by splitting it into sentences, scoring each, and taking per label the highest sentence score; the evidence is
the sentences over a threshold, with end-exclusive character offsets into the document.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Iterable, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS, load_taxonomy
from framewatch.data.text import Sentence, split_sentences

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
TAXONOMY_NAME = "taxonomy.json"
FORMAT_VERSION = 1


class ModelFormatError(ValueError):
    """A model directory that cannot be loaded; the message says which file and what is wrong."""


class NotFittedError(RuntimeError):
    """Raised when a model is used before ``fit`` or ``from_pretrained``."""


@dataclass(frozen=True)
class Evidence:
    """A sentence that carries at least one label: ``document[start:end] == text``."""

    start: int
    end: int
    text: str
    scores: dict[str, float]
    labels: list[str]


@dataclass(frozen=True)
class DocumentScore:
    """Per-label document scores (max over sentences), labels over threshold, and the evidence sentences."""

    scores: dict[str, float]
    labels: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    n_sentences: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def as_texts(texts: str | Iterable[str]) -> list[str]:
    """Accept one string or many; reject anything that is not text, naming its position."""
    items = [texts] if isinstance(texts, str) else list(texts)
    for position, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"text #{position} is {type(item).__name__}, expected str")
    return items


class FramingClassifier:
    """Base class: thresholds, prediction, document scoring and the model-directory format.

    Subclasses set ``model_type``, implement ``_logits(texts, contexts) -> ndarray`` and the hooks
    ``_config()``, ``_save_weights(directory)`` and ``_load_weights(directory, config)``. Fitted state ends in
    ``_``. Probabilities are ``sigmoid(a * logit + b)`` per label: ``calibration_`` holds ``(a, b)``, the identity
    until training fits it on held-out data (Platt scaling).
    """

    model_type: ClassVar[str]
    labels: tuple[str, ...] = LABELS

    thresholds_: np.ndarray
    calibration_: np.ndarray
    metadata_: dict[str, Any]

    # ----------------------------------------------------------------------------------- scoring

    def _logits(self, texts: list[str], contexts: list[str] | None) -> np.ndarray:
        """(n, n_labels) uncalibrated logits."""
        raise NotImplementedError

    def _init_state(self) -> None:
        """Default thresholds and identity calibration, set by ``fit`` before any tuning."""
        self.thresholds_ = np.full(len(self.labels), 0.5, dtype=np.float32)
        self.calibration_ = np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(self.labels), 1))
        self.metadata_ = {}

    def _check_fitted(self) -> None:
        if not hasattr(self, "thresholds_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted; call fit() or from_pretrained() first")

    def decision_function(self, texts: str | Iterable[str], contexts: Iterable[str] | None = None) -> np.ndarray:
        """(n, n_labels) uncalibrated logits."""
        self._check_fitted()
        items = as_texts(texts)
        context_items = None if contexts is None else as_texts(contexts)
        if context_items is not None and len(context_items) != len(items):
            raise ValueError(f"{len(context_items)} contexts for {len(items)} texts")
        if not items:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return np.asarray(self._logits(items, context_items), dtype=np.float32)

    def predict_proba(self, texts: str | Iterable[str], contexts: Iterable[str] | None = None) -> np.ndarray:
        """(n, n_labels) calibrated probabilities in taxonomy order; one string gives a (1, n_labels) matrix.

        ``contexts`` are the previous sentences; models trained without context ignore them.
        """
        logits = self.decision_function(texts, contexts)
        a, b = self.calibration_[:, 0], self.calibration_[:, 1]
        return (1.0 / (1.0 + np.exp(-(a * logits + b)))).astype(np.float32)

    def predict(self, texts: str | Iterable[str], contexts: Iterable[str] | None = None) -> np.ndarray:
        """(n, n_labels) 0/1 indicator matrix: probability at or over each label's threshold."""
        return (self.predict_proba(texts, contexts) >= self.thresholds_).astype(np.int8)

    def score_document(self, text: str) -> DocumentScore:
        """Score one document: per-label maximum over its sentences, with the evidence sentences."""
        return self.score_documents([text])[0]

    def score_sentences(self, texts: Sequence[str]) -> list[tuple[list[Sentence], np.ndarray]]:
        """Per document, its sentences and their (n_sentences, n_labels) probabilities, from one batched call.

        Each sentence is scored with the previous sentence of its document as context.
        """
        self._check_fitted()
        sentences = [split_sentences(text) for text in as_texts(texts)]
        flat = [s.text for doc in sentences for s in doc]
        contexts = [doc[i - 1].text if i else "" for doc in sentences for i in range(len(doc))]
        probabilities = self.predict_proba(flat, contexts)
        offsets = np.cumsum([0] + [len(doc) for doc in sentences])
        return [(doc, probabilities[start:end]) for doc, start, end in zip(sentences, offsets[:-1], offsets[1:])]

    def score_documents(self, texts: Sequence[str]) -> list[DocumentScore]:
        """Score many documents with one batched call over all their sentences."""
        return [self._document_score(doc, probabilities) for doc, probabilities in self.score_sentences(texts)]

    def _document_score(self, sentences: list[Sentence], probabilities: np.ndarray) -> DocumentScore:
        if not sentences:
            zero = {label: 0.0 for label in self.labels}
            return DocumentScore(zero, [], [], 0)
        document = probabilities.max(axis=0)
        over = probabilities >= self.thresholds_
        evidence = [
            Evidence(
                s.start, s.end, s.text,
                {label: round(float(p), 4) for label, p in zip(self.labels, row)},
                [label for label, hit in zip(self.labels, flags) if hit],
            )
            for s, row, flags in zip(sentences, probabilities, over)
            if flags.any()
        ]
        return DocumentScore(
            {label: round(float(p), 4) for label, p in zip(self.labels, document)},
            [label for label, p, t in zip(self.labels, document, self.thresholds_) if p >= t],
            evidence,
            len(sentences),
        )

    # ----------------------------------------------------------------------------------- persistence

    def _config(self) -> dict[str, Any]:
        """Constructor parameters to store; subclasses extend."""
        raise NotImplementedError

    def _save_weights(self, directory: Path) -> None:
        raise NotImplementedError

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        raise NotImplementedError

    def save_pretrained(self, directory: str | Path) -> Path:
        """Write ``config.json``, the weights (safetensors, never pickle) and the taxonomy to ``directory``."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        config = {
            "format_version": FORMAT_VERSION,
            "model_type": self.model_type,
            "labels": list(self.labels),
            "thresholds": [round(float(t), 6) for t in self.thresholds_],
            "calibration": [[round(float(a), 6), round(float(b), 6)] for a, b in self.calibration_],
            "taxonomy_version": load_taxonomy().version,
            "params": self._config(),
            "metadata": self.metadata_,
        }
        self._save_weights(directory)
        (directory / TAXONOMY_NAME).write_text(
            json.dumps(load_taxonomy().to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (directory / CONFIG_NAME).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return directory

    @classmethod
    def _from_config(cls, directory: Path, config: dict[str, Any]) -> "FramingClassifier":
        model = cls(**config.get("params", {}))
        if tuple(config["labels"]) != LABELS:
            raise ModelFormatError(
                f"{directory / CONFIG_NAME}: labels {config['labels']} differ from this taxonomy's {list(LABELS)}"
            )
        model._load_weights(directory, config)
        model.thresholds_ = np.asarray(config["thresholds"], dtype=np.float32)
        identity = [[1.0, 0.0]] * len(LABELS)
        model.calibration_ = np.asarray(config.get("calibration", identity), dtype=np.float32).reshape(len(LABELS), 2)
        model.metadata_ = config.get("metadata", {})
        return model

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> "FramingClassifier":
        """Load a model directory written by ``save_pretrained`` (any model type when called on the base class)."""
        directory = Path(directory)
        config = read_config(directory)
        model_class = MODEL_TYPES.get(config["model_type"])
        if model_class is None:
            raise ModelFormatError(
                f"{directory / CONFIG_NAME}: unknown model_type {config['model_type']!r}; known: {sorted(MODEL_TYPES)}"
            )
        if cls is not FramingClassifier and not issubclass(model_class, cls):
            raise ModelFormatError(f"{directory} holds a {config['model_type']!r} model, not a {cls.__name__}")
        return model_class._from_config(directory, config)


MODEL_TYPES: dict[str, type[FramingClassifier]] = {}


def register(model_class: type[FramingClassifier]) -> type[FramingClassifier]:
    """Class decorator: make a model type loadable by ``from_pretrained``."""
    MODEL_TYPES[model_class.model_type] = model_class
    return model_class


def read_config(directory: Path) -> dict[str, Any]:
    """Read and check a model directory's ``config.json``."""
    path = directory / CONFIG_NAME
    if not path.is_file():
        raise ModelFormatError(f"{directory}: no {CONFIG_NAME}; not a framewatch model directory")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ModelFormatError(f"{path}: malformed JSON ({error.msg})") from None
    for key in ("model_type", "labels", "thresholds"):
        if key not in config:
            raise ModelFormatError(f"{path}: missing {key!r}")
    if len(config["thresholds"]) != len(config["labels"]):
        raise ModelFormatError(f"{path}: {len(config['thresholds'])} thresholds for {len(config['labels'])} labels")
    return config
