"""The lexical model's hashed featurizers: hand-checked counts, equivalence with sklearn, batch independence,
determinism, persistence."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from safetensors.numpy import load_file
from sklearn.feature_extraction.text import CountVectorizer

from framewatch.data.text import model_text
from framewatch.model import FramingClassifier, LexicalClassifier
from framewatch.model import lexical
from framewatch.model.lexical import HashedCharNgrams, fold_join

WIDE = 2 ** 31  # so many buckets that the few n-grams of these tests never share one

TEXTS = [
    "The ministry said 40 militants were killed in the strikes.",
    "Officials declined to comment on the reports.",
    "A source who requested anonymity said the talks failed.",
    "The weather in the capital was mild on Tuesday.",
    "Activists posted videos on Telegram showing the damage.",
    "The claim could not be independently verified.",
]
ODD = ["", "   ", "  padded\t\ttext  \n", "a", "x\x00y z", "snake_case 3,14 x² İstanbul café", "lone \ud800 surrogate",
       "ΟΔΟΣ ΚΑΙ ΔΡΟΜΟΣ ΕΙΝΑΙ ΚΛΕΙΣΤΟΣ", "Ο δρόμος Σ είναι κλειστός"]


def toy_targets(texts):
    y = np.zeros((len(texts), 8), dtype=np.int8)
    for row, text in enumerate(texts):
        y[row, 0] = "killed" in text
        y[row, 1] = "anonymity" in text
        y[row, 2] = "declined" in text
    return y


@pytest.fixture(scope="module")
def model():
    texts = TEXTS * 4
    return LexicalClassifier(min_df=1, n_char_features=2 ** 12).fit(texts, toy_targets(texts))


def row_dict(matrix, row=0):
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()))


def test_counts_of_a_tiny_text_by_hand():
    bigrams = HashedCharNgrams((2, 2), WIDE)
    assert row_dict(bigrams.count(["ab"])) == {bigrams.bucket(g): 1.0 for g in (" a", "ab", "b ")}
    assert row_dict(bigrams.count(["aa aa"])) == {bigrams.bucket(" a"): 2.0, bigrams.bucket("aa"): 2.0,
                                                  bigrams.bucket("a "): 2.0}
    up_to_5 = HashedCharNgrams((2, 5), WIDE)
    assert row_dict(up_to_5.count(["ab"])) == {up_to_5.bucket(g): 1.0 for g in (" a", "ab", "b ", " ab", "ab ", " ab ")}


def test_ngrams_span_neither_texts_nor_words():
    trigrams = HashedCharNgrams((3, 3), WIDE)
    batch = trigrams.count(["ab", "cd", "ab cd"])
    assert row_dict(batch, 0) == {trigrams.bucket(" ab"): 1.0, trigrams.bucket("ab "): 1.0}
    assert row_dict(batch, 1) == {trigrams.bucket(" cd"): 1.0, trigrams.bucket("cd "): 1.0}
    assert row_dict(batch, 2) == {trigrams.bucket(g): 1.0 for g in (" ab", "ab ", " cd", "cd ")}  # no "b c"
    # white space runs and edges collapse; an empty or blank text has no n-grams at all
    bigrams = HashedCharNgrams((2, 5), WIDE)
    assert row_dict(bigrams.count(["  ab \t\n cd  "])) == row_dict(bigrams.count(["ab cd"]))
    assert bigrams.count(["", "   ", "ab"]).indptr.tolist()[:3] == [0, 0, 0]


def test_counts_equal_sklearn_char_wb():
    texts = TEXTS + ODD[2:6]
    hashed = HashedCharNgrams((2, 5), WIDE).count(texts)
    reference = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False)
    counts = reference.fit_transform([t.replace("\x00", " ").lower() for t in texts])
    terms = reference.get_feature_names_out()
    featurizer = HashedCharNgrams((2, 5), WIDE)
    for row in range(len(texts)):
        expected: dict[int, float] = {}
        for column, value in row_dict(counts, row).items():
            bucket = featurizer.bucket(terms[column])
            expected[bucket] = expected.get(bucket, 0.0) + value
        assert row_dict(hashed, row) == expected, texts[row]


def test_folding_matches_model_text():
    texts = TEXTS + ODD
    assert fold_join(texts).split("\x00") == [model_text(t.replace("\x00", " ")).lower() for t in texts]


def test_word_block_equals_sklearn(model):
    texts = TEXTS + ODD
    reference = model._word_vectorizer(model.word_vocabulary_)
    reference.idf_ = model.word_idf_
    expected = reference.transform([model_text(t.replace("\x00", " ")).lower() for t in texts]).toarray()
    assert model.word_ngrams_.exact
    np.testing.assert_allclose(model.word_features(texts).toarray(), expected, atol=1e-6)


def test_rows_are_l2_normalised(model):
    texts = ODD + TEXTS
    for block in (model.char_features(texts), model.word_features(texts)):
        norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
        block = block.copy()
        block.eliminate_zeros()  # n-grams unseen in training (IDF 0) and out-of-vocabulary words have no weight
        featured = np.diff(block.indptr) > 0
        assert featured[len(ODD):].all() and not featured[:2].any()  # "" and "   " have no features
        np.testing.assert_allclose(norms[featured], 1.0, rtol=1e-5)
        assert (norms[~featured] == 0).all()


def test_features_do_not_depend_on_the_batch(model, monkeypatch):
    texts = ODD + TEXTS
    monkeypatch.setattr(lexical, "_BATCH", 4)  # chunk boundaries fall inside the batch too,
    monkeypatch.setattr(lexical, "_BATCH_CHARS", 60)  # by count and by length
    assert len(lexical._chunks(texts)) > len(texts) / 4
    together = model.char_features(texts)
    batch_proba = model.predict_proba(texts)
    for row, text in enumerate(texts):
        alone = model.char_features([text])
        assert row_dict(alone) == row_dict(together, row), repr(text)
        np.testing.assert_allclose(model.predict_proba([text])[0], batch_proba[row], rtol=1e-6, atol=1e-7)


def test_shouting_text_reads_as_lower_case(model):
    shouting = ["OFFICIALS DECLINED TO COMMENT ON THE REPORTS.", "THE MINISTRY SAID 40 MILITANTS WERE KILLED."]
    lower = [t.lower() for t in shouting]
    assert (model.char_features(shouting) != model.char_features(lower)).nnz == 0
    assert (model.word_features(shouting) != model.word_features(lower)).nnz == 0
    np.testing.assert_array_equal(model.predict_proba(shouting), model.predict_proba(lower))


def test_fit_learns_the_toy_labels(model):
    predicted = model.predict(["The ministry said 40 militants were killed.", "Officials declined to comment.",
                               "It was sunny on Tuesday."])
    assert predicted[0, 0] == 1 and predicted[1, 2] == 1 and predicted[2].sum() == 0


def test_save_load_round_trip(model, tmp_path):
    model.save_pretrained(tmp_path)
    loaded = FramingClassifier.from_pretrained(tmp_path)
    assert isinstance(loaded, LexicalClassifier)
    texts = TEXTS + ODD
    np.testing.assert_array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    assert list(json.loads((tmp_path / "vocab.json").read_text())) == ["word"]
    assert len(load_file(str(tmp_path / "model.safetensors"))["char_idf"]) == 2 ** 12
    assert json.loads((tmp_path / "config.json").read_text())["params"]["n_char_features"] == 2 ** 12


def test_bucket_count_is_checked_by_fit():
    model = LexicalClassifier(n_char_features=0)  # parameters are stored as given, checked when fitting
    with pytest.raises(ValueError, match="n_char_features"):
        model.fit(["a text", "another"], np.zeros((2, 8)))


# Pinned: a saved model's weights are only valid for the hash they were trained with.
PINNED = {" a": 49575, "ab": 176289, "b ": 163569, " ab ": 179394, "said ": 17959}
PROBE = """
import json
from framewatch.model.lexical import HashedCharNgrams
h = HashedCharNgrams()
row = h.count(["The ministry said 40 militants were killed."])
print(json.dumps({"buckets": {g: h.bucket(g) for g in [" a", "ab", "b ", " ab ", "said "]},
                  "indices": row.indices.tolist(), "counts": row.data.tolist()}))
"""


def test_hashing_ignores_pythonhashseed():
    runs = []
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", PROBE], env={**os.environ, "PYTHONHASHSEED": seed},
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    assert runs[0] == runs[1]
    assert runs[0]["buckets"] == PINNED
    here = HashedCharNgrams().count(["The ministry said 40 militants were killed."])
    assert runs[0]["indices"] == here.indices.tolist() and runs[0]["counts"] == here.data.tolist()
