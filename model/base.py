"""The classifier surface every framewatch model shares, and document scoring on top of it.

A model scores sentences: ``predict_proba(X)`` returns an (n, n_labels) matrix of calibrated probabilities in
taxonomy order and ``predict(X)`` applies the per-label thresholds. ``X`` is one text, a sequence of texts, or a
sequence of ``(context, text)`` pairs whose context is the previous sentence (models trained without context ignore
it). A document is scored by splitting it into sentences, scoring each with its previous sentence, and taking per
label the highest sentence score; the evidence is the sentences over a threshold, with end-exclusive character
offsets into the document.

The estimator contract follows scikit-learn's: ``__init__`` only stores keyword arguments, ``fit`` validates them
and returns ``self``, learned state ends in ``_``, and ``get_params``/``set_params`` make ``sklearn.base.clone``
work. They are implemented here instead of inheriting ``sklearn.base.BaseEstimator`` because importing scikit-learn
adds 0.6 s to every cold start, and scoring never needs it.
"""
from __future__ import annotations

import hashlib
import inspect
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
FORMAT_VERSION = 2
"""2: the config lists every file of the directory with its size and SHA-256, checked on load."""
DEFAULT_THRESHOLD = 0.5


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


def as_inputs(X: str | Iterable[str | tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Texts and contexts of ``X``: one text, texts, or ``(context, text)`` pairs; anything else is rejected,
    naming its position. A text without a context gets ``""``."""
    items = [X] if isinstance(X, str) else list(X)
    texts, contexts = [], []
    for position, item in enumerate(items):
        if isinstance(item, str):
            texts.append(item)
            contexts.append("")
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(part, str) for part in item):
            contexts.append(item[0])
            texts.append(item[1])
        else:
            raise TypeError(f"input #{position} is {type(item).__name__}, expected a text or a (context, text) pair")
    return texts, contexts


def file_digest(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, as recorded in a model's config."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


class FramingClassifier:
    """Base class: parameters, thresholds, calibration, prediction, document scoring and the model directory.

    Subclasses set ``model_type``, declare their parameters as keyword-only ``__init__`` arguments, and implement
    ``fit``, ``_logits(texts, contexts) -> ndarray`` and the persistence hooks ``_save_weights(directory)`` and
    ``_load_weights(directory, config)``. Probabilities are ``sigmoid(a * logit + b)`` per label: ``calibration_``
    holds ``(a, b)``, the identity until :meth:`calibrate` fits it on held-out data (Platt scaling).
    """

    model_type: ClassVar[str]
    labels: ClassVar[tuple[str, ...]] = LABELS

    classes_: np.ndarray
    thresholds_: np.ndarray
    calibration_: np.ndarray
    metadata_: dict[str, Any]

    # ----------------------------------------------------------------------------------- parameters

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(name for name, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters (``deep``: also ``<param>__<name>`` of parameters that are estimators)."""
        params = {name: getattr(self, name) for name in self._param_names()}
        if deep:
            for name, value in list(params.items()):
                if hasattr(value, "get_params") and not isinstance(value, type):
                    params.update({f"{name}__{key}": v for key, v in value.get_params().items()})
        return params

    def set_params(self, **params: Any) -> "FramingClassifier":
        """Set constructor parameters (as ``fit`` will read them); unknown names are an error."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}; parameters: {', '.join(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{name}={value!r}" for name, value in self.get_params(deep=False).items()
                   if not _same(value, defaults.get(name))]
        return f"{type(self).__name__}({', '.join(changed)})"

    # ----------------------------------------------------------------------------------- scoring

    def _logits(self, texts: list[str], contexts: list[str]) -> np.ndarray:
        """(n, n_labels) uncalibrated logits."""
        raise NotImplementedError

    def _init_state(self) -> None:
        """Default thresholds and identity calibration, set by ``fit`` before any calibration."""
        self.classes_ = np.array(self.labels)
        self.thresholds_ = np.full(len(self.labels), DEFAULT_THRESHOLD, dtype=np.float32)
        self.calibration_ = np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(self.labels), 1))
        self.metadata_ = {}

    def _check_fitted(self) -> None:
        if not hasattr(self, "thresholds_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted; call fit() or from_pretrained() first")

    def decision_function(self, X: str | Iterable[str | tuple[str, str]]) -> np.ndarray:
        """(n, n_labels) uncalibrated logits."""
        self._check_fitted()
        texts, contexts = as_inputs(X)
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return np.asarray(self._logits(texts, contexts), dtype=np.float32)

    def _calibrated(self, logits: np.ndarray) -> np.ndarray:
        a, b = self.calibration_[:, 0], self.calibration_[:, 1]
        return (1.0 / (1.0 + np.exp(-(a * logits + b)))).astype(np.float32)

    def predict_proba(self, X: str | Iterable[str | tuple[str, str]]) -> np.ndarray:
        """(n, n_labels) calibrated probabilities in taxonomy order; one string gives a (1, n_labels) matrix."""
        return self._calibrated(self.decision_function(X))

    def predict(self, X: str | Iterable[str | tuple[str, str]]) -> np.ndarray:
        """(n, n_labels) 0/1 indicator matrix: probability at or over each label's threshold."""
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)

    def calibrate(self, X: str | Iterable[str | tuple[str, str]], y: np.ndarray) -> "FramingClassifier":
        """Fit Platt scaling and an F1-maximising threshold per label on held-out labelled passages.

        Held-out means: passages the model was not fitted on, and not the passages it will be selected or reported
        on. A label whose ``y`` column has one class only keeps the identity calibration and threshold 0.5.
        """
        y = np.asarray(y)
        logits = self.decision_function(X)
        if y.shape != logits.shape:
            raise ValueError(f"y has shape {y.shape}, expected {logits.shape}")
        self.calibration_ = fit_platt(y, logits)
        self.thresholds_ = tune_thresholds(y, self._calibrated(logits))
        return self

    def score_document(self, text: str) -> DocumentScore:
        """Score one document: per-label maximum over its sentences, with the evidence sentences."""
        return self.score_documents([text])[0]

    def score_sentences(self, texts: Sequence[str]) -> list[tuple[list[Sentence], np.ndarray]]:
        """Per document, its sentences and their (n_sentences, n_labels) probabilities, from one batched call.

        Each sentence is scored with the previous sentence of its document as context.
        """
        self._check_fitted()
        documents, _ = as_inputs(texts)
        sentences = [split_sentences(text) for text in documents]
        pairs = [(doc[i - 1].text if i else "", s.text) for doc in sentences for i, s in enumerate(doc)]
        probabilities = self.predict_proba(pairs)
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

    def _save_weights(self, directory: Path) -> None:
        raise NotImplementedError

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        raise NotImplementedError

    def _config(self) -> dict[str, Any]:
        """Constructor parameters as JSON values (estimator parameters are saved by the subclass)."""
        return {name: list(value) if isinstance(value, tuple) else value
                for name, value in self.get_params(deep=False).items() if not hasattr(value, "get_params")
                and not (isinstance(value, (list, tuple)) and any(hasattr(v, "get_params") for v in value))}

    def save_pretrained(self, directory: str | Path, extra_files: dict[str, str | bytes] | None = None) -> Path:
        """Write the model directory: ``config.json`` (parameters, thresholds, calibration, every other file with
        its size and SHA-256), the weights (safetensors, never pickle), the taxonomy, and ``extra_files`` (name →
        text or bytes: a model card, a plot).

        The directory is built beside its target and swapped in whole, so an older model saved there leaves no
        stale file behind and a reader never sees a half-written model.
        """
        from framewatch.io.atomic import atomic_directory

        self._check_fitted()
        with atomic_directory(directory) as staging:
            self._write(staging, extra_files)
        return Path(directory)

    def _write(self, directory: Path, extra_files: dict[str, str | bytes] | None = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in (extra_files or {}).items():
            if Path(name).name != name or name == CONFIG_NAME:
                raise ValueError(f"extra file name {name!r} must be a plain file name other than {CONFIG_NAME}")
            target = directory / name
            target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content, encoding="utf-8")
        self._save_weights(directory)
        (directory / TAXONOMY_NAME).write_text(
            json.dumps(load_taxonomy().to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        files = sorted(p for p in directory.rglob("*") if p.is_file() and p != directory / CONFIG_NAME)
        config = {
            "format_version": FORMAT_VERSION,
            "model_type": self.model_type,
            "labels": list(self.labels),
            "thresholds": [round(float(t), 6) for t in self.thresholds_],
            "calibration": [[round(float(a), 6), round(float(b), 6)] for a, b in self.calibration_],
            "taxonomy_version": load_taxonomy().version,
            "params": self._config(),
            "metadata": self.metadata_,
            "files": {p.relative_to(directory).as_posix(): file_digest(p) for p in files},
        }
        (directory / CONFIG_NAME).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")

    @classmethod
    def _from_config(cls, directory: Path, config: dict[str, Any]) -> "FramingClassifier":
        try:
            model = cls(**config.get("params", {}))
        except TypeError as error:
            raise ModelFormatError(f"{directory / CONFIG_NAME}: parameters do not fit {cls.__name__} "
                                   f"({error})") from None
        if tuple(config["labels"]) != LABELS:
            raise ModelFormatError(
                f"{directory / CONFIG_NAME}: labels {config['labels']} differ from this taxonomy's {list(LABELS)}"
            )
        model._init_state()
        model._load_weights(directory, config)
        model.thresholds_ = np.asarray(config["thresholds"], dtype=np.float32)
        identity = [[1.0, 0.0]] * len(LABELS)
        model.calibration_ = np.asarray(config.get("calibration", identity), dtype=np.float32).reshape(len(LABELS), 2)
        model.metadata_ = config.get("metadata", {})
        return model

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> "FramingClassifier":
        """Load a model directory written by ``save_pretrained`` (any model type when called on the base class).

        Every file is checked against the sizes and SHA-256 digests in ``config.json`` first; nothing is
        unpickled and no code from the directory runs.
        """
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


def _same(value: Any, default: Any) -> bool:
    try:
        return bool(value == default) if not isinstance(value, np.ndarray) else False
    except Exception:  # noqa: BLE001 - a value that cannot be compared is shown
        return False


MODEL_TYPES: dict[str, type[FramingClassifier]] = {}


def register(model_class: type[FramingClassifier]) -> type[FramingClassifier]:
    """Class decorator: make a model type loadable by ``from_pretrained``."""
    MODEL_TYPES[model_class.model_type] = model_class
    return model_class


def read_config(directory: Path) -> dict[str, Any]:
    """Read and check a model directory's ``config.json`` and the files it lists."""
    path = directory / CONFIG_NAME
    if not path.is_file():
        raise ModelFormatError(f"{directory}: no {CONFIG_NAME}; not a framewatch model directory")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelFormatError(f"{path}: malformed JSON ({error})") from None
    if not isinstance(config, dict):
        raise ModelFormatError(f"{path}: expected a JSON object")
    for key in ("model_type", "labels", "thresholds", "files"):
        if key not in config:
            raise ModelFormatError(f"{path}: missing {key!r}" + ("; saved by an older framewatch, save it again"
                                                                if key == "files" else ""))
    if len(config["thresholds"]) != len(config["labels"]):
        raise ModelFormatError(f"{path}: {len(config['thresholds'])} thresholds for {len(config['labels'])} labels")
    check_files(directory, config["files"])
    return config


def check_files(directory: Path, files: dict[str, dict[str, Any]]) -> None:
    """Every listed file present with its recorded size and SHA-256, and no file that is not listed."""
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()} - {CONFIG_NAME}
    for name in sorted(set(files) - present):
        raise ModelFormatError(f"{directory / name}: missing (listed in {CONFIG_NAME})")
    for name in sorted(present - set(files)):
        raise ModelFormatError(f"{directory / name}: not listed in {CONFIG_NAME} (a stale or foreign file)")
    for name in sorted(files):
        expected, path = files[name], directory / name
        if path.stat().st_size != expected.get("size"):
            raise ModelFormatError(f"{path}: {path.stat().st_size} bytes, expected {expected.get('size')} "
                                   "(truncated or replaced)")
        if file_digest(path)["sha256"] != expected.get("sha256"):
            raise ModelFormatError(f"{path}: SHA-256 differs from {CONFIG_NAME} (the file was altered)")


# ---------------------------------------------------------------------------------------------- calibration


def fit_platt(y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """(n_labels, 2) array of ``(a, b)`` for ``sigmoid(a * logit + b)``, one logistic regression per label.

    A label without both classes keeps the identity (1, 0), and so does one whose fit would reverse the ranking
    (``a <= 0``). Infinite logits are clipped so they do not dominate the fit.
    """
    from sklearn.linear_model import LogisticRegression

    logits = np.clip(np.asarray(logits, dtype=np.float64), -30, 30)
    params = np.tile(np.array([1.0, 0.0], dtype=np.float32), (logits.shape[1], 1))
    for j in range(logits.shape[1]):
        target = np.asarray(y_true)[:, j]
        if target.min() == target.max():
            continue
        regression = LogisticRegression(C=100.0, max_iter=1000).fit(logits[:, [j]], target)
        if regression.coef_[0, 0] > 0:
            params[j] = (float(regression.coef_[0, 0]), float(regression.intercept_[0]))
    return params


def best_f1_threshold(y_true: np.ndarray, scores: np.ndarray, default: float = DEFAULT_THRESHOLD) -> float:
    """The score cut-off that maximises F1 for one label, midway between the two scores it separates (so it
    does not sit exactly on a held-out example). A label without positives keeps ``default``."""
    from sklearn.metrics import precision_recall_curve

    y_true = np.asarray(y_true).astype(bool)
    if not y_true.any():
        return default
    scores = np.asarray(scores, dtype=np.float64)
    precision, recall, cut = precision_recall_curve(y_true, scores)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)[:-1]
    best = int(np.argmax(f1))
    below = scores[scores < cut[best]]
    return float((cut[best] + (below.max() if len(below) else 0.0)) / 2)


def tune_thresholds(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """One F1-maximising threshold per column of an (n, n_labels) score matrix."""
    return np.array([best_f1_threshold(np.asarray(y_true)[:, j], scores[:, j]) for j in range(scores.shape[1])],
                    dtype=np.float32)
