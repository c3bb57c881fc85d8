"""The lexical model's own featurizers against scikit-learn's, on the same work (the 3× rule for own code).

Run from the repository root (after ``pip install -e ".[bench]"``):

    python bench/lexical_featurizer.py [--passages 20000] [--repeat 3]

Measures passages/s, on the same real corpus passages in one run:

character n-grams (2-5 within words, counts of hashed n-grams, texts case-folded):
(a) ``HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**18)`` — the library way;
(b) :class:`~framewatch.model.lexical.HashedCharNgrams` counts — framewatch's;
word 1-2-grams against a fitted vocabulary of 60,000:
(c) ``TfidfVectorizer.transform`` and (d) ``HashingVectorizer(analyzer="word")`` — the library ways;
(e) :class:`~framewatch.model.lexical.HashedWordNgrams` counts — framewatch's;
and the whole ``LexicalClassifier.predict_proba``. Vectorisers and the model are fitted on other passages (weak
labels from the labelling functions), so vocabularies and weights have realistic sizes. Each figure is the best of
``--repeat`` timed passes over all measured passages; ratios are own against the faster library way.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Callable

import numpy as np


def best_rate(function: Callable[[list[str]], object], texts: list[str], repeat: int) -> float:
    """Passages/s of the fastest of ``repeat`` calls on all ``texts`` (after one warm-up call on a few)."""
    function(texts[:256])
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=20000, help="passages measured (default 20000)")
    parser.add_argument("--train", type=int, default=20000, help="other passages the model is fitted on")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per measurement; the best counts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

    from framewatch.data.corpus import iter_passages, read_documents
    from framewatch.data.text import model_text
    from framewatch.model import LexicalClassifier
    from framewatch.model.lexical import HashedCharNgrams, HashedWordNgrams, _chunks, _codes, fold_join
    from framewatch.training.labelling import apply_lfs, weak_labels
    from framewatch.training.labelling_functions import LABELLING_FUNCTIONS

    passages = list(iter_passages(read_documents()))
    order = np.random.default_rng(args.seed).permutation(len(passages))
    measured = [passages[i].text for i in order[: args.passages]]
    train = [passages[i] for i in order[args.passages: args.passages + args.train]]
    train_texts = [p.text for p in train]
    print(f"{len(measured)} measured passages (mean {np.mean([len(t.split()) for t in measured]):.1f} words); "
          f"fitting on {len(train)} others; python {platform.python_version()}, {os.cpu_count()} CPUs")

    folded = [model_text(t).lower() for t in measured]
    library_chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2 ** 18,
                                      alternate_sign=False, norm=None, lowercase=False)
    own_chars = HashedCharNgrams((2, 5), 2 ** 18)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", lowercase=False,
                            sublinear_tf=True, min_df=2, max_features=60000, dtype=np.float32)
    words.fit([model_text(t).lower() for t in train_texts])
    library_words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b",
                                      n_features=2 ** 20, alternate_sign=False, norm=None, lowercase=False)
    own_words = HashedWordNgrams((1, 2), sorted(words.vocabulary_, key=words.vocabulary_.get))

    def count_words(texts: list[str]) -> None:
        for start, end in _chunks(texts):
            chunk = texts[start:end]
            own_words.count_codes(_codes(fold_join(chunk)), len(chunk))

    y = weak_labels(apply_lfs(LABELLING_FUNCTIONS, train), LABELLING_FUNCTIONS)
    model = LexicalClassifier().fit(train_texts, y)
    rates = {
        "(a) HashingVectorizer char_wb 2-5": best_rate(library_chars.transform, folded, args.repeat),
        "(b) HashedCharNgrams (framewatch)": best_rate(own_chars.count, measured, args.repeat),
        "(c) TfidfVectorizer.transform words 1-2": best_rate(words.transform, folded, args.repeat),
        "(d) HashingVectorizer words 1-2": best_rate(library_words.transform, folded, args.repeat),
        "(e) HashedWordNgrams (framewatch)": best_rate(count_words, measured, args.repeat),
        "LexicalClassifier.predict_proba": best_rate(model.predict_proba, measured, args.repeat),
    }
    print(f"\n{'':44s} {'passages/s':>11s}")
    for name, rate in rates.items():
        print(f"{name:44s} {rate:11,.0f}")
    chars = rates["(b) HashedCharNgrams (framewatch)"] / rates["(a) HashingVectorizer char_wb 2-5"]
    word_library = max(rates["(c) TfidfVectorizer.transform words 1-2"], rates["(d) HashingVectorizer words 1-2"])
    print(f"\nown / library: character n-grams {chars:.1f}x, word n-grams "
          f"{rates['(e) HashedWordNgrams (framewatch)'] / word_library:.1f}x (keep own code only at 3x or more)")


if __name__ == "__main__":
    main()
