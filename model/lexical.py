"""The lexical model: TF-IDF word and character n-grams into one logistic regression per label.

Fast on a CPU and easy to inspect. Weights are stored as safetensors (IDF vectors, coefficients, intercepts)
and the vocabularies as JSON, so a saved model never needs pickle.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from safetensors.numpy import load_file, save_file
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from framewatch.data.taxonomy import LABELS
from framewatch.data.text import model_text

from .base import WEIGHTS_NAME, FramingClassifier, ModelFormatError, register

VOCAB_NAME = "vocab.json"


@register
class LexicalClassifier(FramingClassifier):
    """TF-IDF (word 1–2-grams, char_wb 2–5-grams) → one-vs-rest logistic regression.

    Parameters
    ----------
    word_ngram_range, char_ngram_range : n-gram ranges of the two vectorisers.
    max_word_features, max_char_features : vocabulary caps, which bound model size and scoring time.
    min_df : minimum document frequency of a kept n-gram.
    C : inverse regularisation strength of each logistic regression.
    class_weight : ``"balanced"`` reweights the rare positives of each label; ``None`` does not.
    threshold : initial decision threshold for every label (training may tune them per label).

    The previous sentence (``contexts``) is not used: n-grams of the passage alone carry its cues.
    """

    model_type = "lexical"

    def __init__(
        self,
        *,
        word_ngram_range: Sequence[int] = (1, 2),
        char_ngram_range: Sequence[int] = (2, 5),
        max_word_features: int = 60000,
        max_char_features: int = 60000,
        min_df: int = 2,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        threshold: float = 0.5,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.threshold = threshold

    def _vectorizers(self, vocabularies: tuple[list[str], list[str]] | None = None) -> list[TfidfVectorizer]:
        common = dict(lowercase=True, sublinear_tf=True, dtype=np.float32)
        word = TfidfVectorizer(
            analyzer="word", ngram_range=tuple(self.word_ngram_range), token_pattern=r"(?u)\b\w+\b",
            min_df=self.min_df, max_features=self.max_word_features, **common,
        )
        char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.char_ngram_range), min_df=self.min_df,
            max_features=self.max_char_features, **common,
        )
        if vocabularies is not None:
            for vectorizer, vocabulary in zip((word, char), vocabularies):
                vectorizer.set_params(vocabulary={term: i for i, term in enumerate(vocabulary)})
        return [word, char]

    def _features(self, texts: list[str]) -> sp.csr_matrix:
        folded = [model_text(t) for t in texts]
        return sp.hstack([v.transform(folded) for v in self.vectorizers_], format="csr")

    def fit(self, texts: Sequence[str], y: np.ndarray, sample_weight: np.ndarray | None = None) -> "LexicalClassifier":
        """Fit vectorisers and one logistic regression per label on an (n, n_labels) 0/1 matrix ``y``."""
        y = np.asarray(y)
        if y.shape != (len(texts), len(LABELS)):
            raise ValueError(f"y has shape {y.shape}, expected ({len(texts)}, {len(LABELS)})")
        folded = [model_text(t) for t in texts]
        self.vectorizers_ = self._vectorizers()
        X = sp.hstack([v.fit_transform(folded) for v in self.vectorizers_], format="csr")
        coef = np.zeros((len(LABELS), X.shape[1]), dtype=np.float32)
        intercept = np.zeros(len(LABELS), dtype=np.float32)
        for column in range(len(LABELS)):
            target = y[:, column]
            if target.min() == target.max():  # a label with one class only: constant score
                intercept[column] = 10.0 if target[0] else -10.0
                continue
            regression = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", max_iter=200)
            regression.fit(X, target, sample_weight=sample_weight)
            coef[column] = regression.coef_[0]
            intercept[column] = regression.intercept_[0]
        self.coef_, self.intercept_ = coef, intercept
        self._init_state()
        self.thresholds_[:] = self.threshold
        return self

    def _logits(self, texts: list[str], contexts: list[str] | None) -> np.ndarray:
        return self._features(texts) @ self.coef_.T + self.intercept_

    def _config(self) -> dict[str, Any]:
        return {
            "word_ngram_range": list(self.word_ngram_range),
            "char_ngram_range": list(self.char_ngram_range),
            "max_word_features": self.max_word_features,
            "max_char_features": self.max_char_features,
            "min_df": self.min_df,
            "C": self.C,
            "class_weight": self.class_weight,
            "threshold": self.threshold,
        }

    def _save_weights(self, directory: Path) -> None:
        word, char = self.vectorizers_
        vocabularies = {}
        for name, vectorizer in (("word", word), ("char", char)):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            vocabularies[name] = terms
        (directory / VOCAB_NAME).write_text(json.dumps(vocabularies, ensure_ascii=False), encoding="utf-8")
        save_file(
            {
                "word_idf": word.idf_.astype(np.float32),
                "char_idf": char.idf_.astype(np.float32),
                "coef": self.coef_.astype(np.float32),
                "intercept": self.intercept_.astype(np.float32),
            },
            str(directory / WEIGHTS_NAME),
            metadata={"model_type": self.model_type},
        )

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        try:
            vocabularies = json.loads((directory / VOCAB_NAME).read_text(encoding="utf-8"))
            tensors = load_file(str(directory / WEIGHTS_NAME))
        except FileNotFoundError as error:
            raise ModelFormatError(f"{directory}: missing {Path(error.filename).name}") from None
        self.vectorizers_ = self._vectorizers((vocabularies["word"], vocabularies["char"]))
        for vectorizer, key in zip(self.vectorizers_, ("word_idf", "char_idf")):
            if len(tensors[key]) != len(vectorizer.vocabulary):
                raise ModelFormatError(f"{directory / WEIGHTS_NAME}: {key} length does not match {VOCAB_NAME}")
            vectorizer.idf_ = tensors[key]
        self.coef_ = tensors["coef"]
        self.intercept_ = tensors["intercept"]
        n_features = sum(len(v.vocabulary) for v in self.vectorizers_)
        if self.coef_.shape != (len(LABELS), n_features):
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: coef shape {self.coef_.shape}, expected "
                                   f"({len(LABELS)}, {n_features})")
