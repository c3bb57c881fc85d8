"""Throughput of the lexical model's character features: sklearn ``char_wb`` against the hashed featurizer.

Run from the repository root (after README's install):

    python bench/lexical_featurizer.py [--passages 20000] [--repeat 3]

Measures passages/s, on the same real corpus passages in one run, of

(a) sklearn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))`` transform, set up as the lexical model
    used it before hashing (min_df 2, 60,000 features, sublinear tf; texts already case-folded);
(b) :class:`~framewatch.model.lexical.HashedCharNgrams` with IDF and L2 normalisation
    (``LexicalClassifier.char_features``, case folding included);
(c) the whole ``LexicalClassifier.predict_proba``, word block included;

and, for reference, the word ``TfidfVectorizer`` transform alone. Vectorisers and the model are fitted on other
passages (weak labels from the labelling functions), so vocabularies and weights have realistic sizes. Each
figure is the best of ``--repeat`` timed passes over all measured passages; ratios are against (a).
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

    from sklearn.feature_extraction.text import TfidfVectorizer

    from framewatch.data.corpus import iter_passages, read_documents
    from framewatch.data.text import model_text
    from framewatch.model import LexicalClassifier
    from framewatch.training.labelling import apply_lfs, weak_labels
    from framewatch.training.labelling_functions import LABELLING_FUNCTIONS

    passages = list(iter_passages(read_documents()))
    order = np.random.default_rng(args.seed).permutation(len(passages))
    measured = [passages[i].text for i in order[: args.passages]]
    train = [passages[i] for i in order[args.passages: args.passages + args.train]]
    train_texts = [p.text for p in train]
    words = np.mean([len(t.split()) for t in measured])
    print(f"{len(measured)} measured passages (mean {words:.1f} words, "
          f"{np.mean([len(t) for t in measured]):.0f} characters); fitting on {len(train)} others")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"affinity {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}")

    common = dict(lowercase=True, sublinear_tf=True, dtype=np.float32, min_df=2)
    char_wb = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), max_features=60000, **common)
    char_wb.fit([model_text(t) for t in train_texts])
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", max_features=60000,
                           **common)
    word.fit([model_text(t) for t in train_texts])
    y = weak_labels(apply_lfs(LABELLING_FUNCTIONS, train), LABELLING_FUNCTIONS)
    started = time.perf_counter()
    model = LexicalClassifier().fit(train_texts, y)
    print(f"LexicalClassifier fitted in {time.perf_counter() - started:.1f} s "
          f"({model.n_char_features} character buckets, {len(model.word_vocabulary_)} word n-grams)")

    folded = [model_text(t) for t in measured]
    rates = {
        "(a) sklearn char_wb TfidfVectorizer.transform": best_rate(char_wb.transform, folded, args.repeat),
        "(b) HashedCharNgrams + IDF + L2 (char_features)": best_rate(model.char_features, measured, args.repeat),
        "(c) LexicalClassifier.predict_proba (whole model)": best_rate(model.predict_proba, measured, args.repeat),
        "    word TfidfVectorizer.transform (reference)": best_rate(word.transform, folded, args.repeat),
    }
    baseline = rates["(a) sklearn char_wb TfidfVectorizer.transform"]
    print(f"\n{'':52s} {'passages/s':>11s} {'vs (a)':>7s}")
    for name, rate in rates.items():
        print(f"{name:52s} {rate:11,.0f} {rate / baseline:6.1f}x")


if __name__ == "__main__":
    main()
