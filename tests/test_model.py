import json
import zipfile

import numpy as np
import pytest

import framewatch
from framewatch.model import FramingClassifier, LexicalClassifier, ModelFormatError, NotFittedError, load

SENTENCES = ["The ministry said 40 militants were killed.", "It rained.", "Officials declined to comment."]


def test_predict_proba_shape_and_range(tiny_lexical):
    proba = tiny_lexical.predict_proba(SENTENCES)
    assert proba.shape == (3, 8) and proba.dtype == np.float32
    assert ((proba >= 0) & (proba <= 1)).all()
    assert tiny_lexical.predict_proba("one string").shape == (1, 8)
    assert tiny_lexical.predict_proba([]).shape == (0, 8)


def test_predict_applies_per_label_thresholds(tiny_lexical):
    proba = tiny_lexical.predict_proba(SENTENCES)
    model = tiny_lexical
    saved = model.thresholds_.copy()
    try:
        model.thresholds_ = np.full(8, 0.5, dtype=np.float32)
        model.thresholds_[0] = float(proba[0, 0]) + 1e-3  # just above the first sentence's score
        predicted = model.predict(SENTENCES)
        assert predicted[0, 0] == 0
        assert (predicted[:, 1:] == (proba[:, 1:] >= 0.5)).all()
    finally:
        model.thresholds_ = saved


def test_fitted_model_learns_the_toy_labels(tiny_lexical):
    predicted = tiny_lexical.predict(SENTENCES)
    assert predicted[0, 0] == 1 and predicted[2, 2] == 1 and predicted[1].sum() == 0


def test_save_load_round_trip_gives_equal_predictions(tiny_lexical, tmp_path):
    tiny_lexical.save_pretrained(tmp_path)
    loaded = FramingClassifier.from_pretrained(tmp_path)
    assert isinstance(loaded, LexicalClassifier)
    np.testing.assert_array_equal(loaded.predict_proba(SENTENCES), tiny_lexical.predict_proba(SENTENCES))
    np.testing.assert_array_equal(loaded.thresholds_, tiny_lexical.thresholds_)
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["labels"] == list(framewatch.LABELS) and config["model_type"] == "lexical"
    assert (tmp_path / "taxonomy.json").is_file()


def _is_pickle(data: bytes) -> bool:
    return data[:1] == b"\x80" and data[1:2] in {bytes([n]) for n in range(2, 6)}


def test_no_pickle_in_model_files(tiny_lexical, tmp_path):
    tiny_lexical.save_pretrained(tmp_path)
    shipped = [p for name in framewatch.available_models() for p in framewatch.model.resolve(name).rglob("*")]
    for path in [p for p in list(tmp_path.rglob("*")) + shipped if p.is_file()]:
        data = path.read_bytes()
        assert path.suffix in {".json", ".safetensors", ".md"}, path
        assert not _is_pickle(data) and not zipfile.is_zipfile(path), path


def test_unfitted_model_and_bad_directories(tmp_path):
    with pytest.raises(NotFittedError):
        LexicalClassifier().predict_proba(["x"])
    with pytest.raises(ModelFormatError, match="no config.json"):
        load(tmp_path)
    (tmp_path / "config.json").write_text('{"model_type": "nope", "labels": [], "thresholds": [], "files": {}}')
    with pytest.raises(ModelFormatError, match="unknown model_type"):
        load(tmp_path)
    with pytest.raises(ModelFormatError, match="no model"):
        load("does-not-exist")


def test_type_errors_name_the_position(tiny_lexical):
    with pytest.raises(TypeError, match="input #1 is int"):
        tiny_lexical.predict_proba(["fine", 3])


def test_score_document_evidence_offsets(seed_text):
    model = load()
    result = model.score_document(seed_text)
    assert set(result.scores) == set(framewatch.LABELS)
    assert result.n_sentences > 20 and result.evidence
    for evidence in result.evidence:
        assert seed_text[evidence.start:evidence.end] == evidence.text
        assert evidence.labels and all(evidence.scores[l] >= 0 for l in evidence.labels)
    for label in result.labels:
        assert result.scores[label] == max(e.scores[label] for e in result.evidence)


def test_empty_document_scores_zero(tiny_lexical):
    result = tiny_lexical.score_document("   ")
    assert result.labels == [] and result.evidence == [] and set(result.scores.values()) == {0.0}


def test_default_model_loads_from_package():
    model = framewatch.load()
    assert model.labels == framewatch.LABELS
    assert "lexical" in framewatch.available_models()
