"""Shared fixtures: paths to small real-data fixtures and a tiny fitted lexical model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")
SEED_ARTICLE = ROOT / "seeds" / "seed_article.txt"
TEXTS = [
    "The ministry said 40 militants were killed in the strikes.",
    "Officials declined to comment on the reports.",
    "A source who requested anonymity said the talks failed.",
    "The weather in the capital was mild on Tuesday.",
] * 3
"""Toy passages for fitting models in tests: a casualty claim, a denial, an anonymous source, nothing."""


def toy_targets(n: int) -> np.ndarray:
    """Targets of the first ``n`` of :data:`TEXTS`: the casualty claim, denial and anonymous-source labels."""
    y = np.zeros((n, 8), dtype=np.int8)
    y[0::4, 0] = 1
    y[1::4, 2] = 1
    y[2::4, 1] = 1
    return y


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_lexical():
    """A lexical model fitted in well under a second on a handful of labelled sentences."""
    from framewatch.model import LexicalClassifier

    texts = TEXTS[:4] * 5
    return LexicalClassifier(min_df=1, max_word_features=500, n_char_features=4096).fit(texts, toy_targets(len(texts)))
