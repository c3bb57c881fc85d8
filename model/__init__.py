"""framewatch.model: the inference surface. Imports nothing from training/ or eval/.

>>> from framewatch.model import load
>>> model = load()                      # the shipped default
>>> model.predict_proba(["Officials declined to comment."]).shape
(1, 8)
"""
from __future__ import annotations

from pathlib import Path

from .base import DocumentScore, Evidence, FramingClassifier, ModelFormatError, NotFittedError
from .encoder import EncoderClassifier
from .ensemble import EnsembleClassifier
from .lexical import LexicalClassifier

WEIGHTS_DIR = Path(__file__).with_name("weights")
DEFAULT_MODEL = "default"
"""Name of the shipped model that ``load()`` returns (the selected candidate of ``framewatch train``)."""


def available_models() -> list[str]:
    """Names of the models shipped inside the package."""
    return sorted(p.name for p in WEIGHTS_DIR.iterdir() if (p / "config.json").is_file())


def resolve(name_or_path: str | Path | None = None) -> Path:
    """Turn ``None``, ``"default"``, a shipped model name, or a directory into a model directory."""
    if name_or_path is None:
        name_or_path = DEFAULT_MODEL
    shipped = WEIGHTS_DIR / str(name_or_path)
    if isinstance(name_or_path, str) and "/" not in name_or_path and (shipped / "config.json").is_file():
        return shipped
    path = Path(name_or_path)
    if path.is_dir():
        return path
    raise ModelFormatError(
        f"no model {str(name_or_path)!r}: not a shipped model ({', '.join(available_models())}) nor a directory"
    )


def load(name_or_path: str | Path | None = None) -> FramingClassifier:
    """Load a shipped model by name (``None`` or ``"default"`` for the default) or a saved model directory."""
    return FramingClassifier.from_pretrained(resolve(name_or_path))


__all__ = [
    "DEFAULT_MODEL", "DocumentScore", "EncoderClassifier", "EnsembleClassifier", "Evidence", "FramingClassifier",
    "LexicalClassifier", "ModelFormatError",
    "NotFittedError", "available_models", "load", "resolve",
]
