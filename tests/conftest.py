"""Shared fixtures: paths to small real-data fixtures and a tiny fitted lexical model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")
SEED_ARTICLE = ROOT / "seeds" / "seed_article.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_lexical():
    """A lexical model fitted in well under a second on a handful of labelled sentences."""
    from framewatch.model import LexicalClassifier

    texts = [
        "The ministry said 40 militants were killed in the strikes.",
        "Officials declined to comment on the reports.",
        "A source who requested anonymity said the talks failed.",
        "The weather in the capital was mild on Tuesday.",
    ] * 5
    y = np.zeros((len(texts), 8), dtype=np.int8)
    y[0::4, 0] = 1
    y[1::4, 2] = 1
    y[2::4, 1] = 1
    return LexicalClassifier(min_df=1, max_word_features=500, n_char_features=4096).fit(texts, y)
