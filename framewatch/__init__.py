"""framewatch: find information-operations framing in news text.

>>> import framewatch
>>> model = framewatch.load()
>>> result = model.score_document("Officials declined to comment on the report.")
>>> sorted(result.scores) == sorted(framewatch.LABELS)
True
"""
from framewatch.data.taxonomy import LABELS, load_taxonomy
from framewatch.model import DocumentScore, Evidence, FramingClassifier, LexicalClassifier, available_models, load
from framewatch.io.records import InputError
from framewatch.scoring import batch_scorer, score_iter

__version__ = "0.1.0"

__all__ = [
    "LABELS", "DocumentScore", "Evidence", "FramingClassifier", "InputError", "LexicalClassifier", "available_models",
    "batch_scorer", "load", "load_taxonomy", "score_iter",
]
