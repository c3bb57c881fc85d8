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
        assert path.suffix in {".json", ".safetensors", ".md", ".png"}, path  # .png: the learning curve
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
    assert list(model.classes_) == list(framewatch.LABELS) and model.predict_proba("x").shape == (1, 8)
    assert {"default", "lexical"} <= set(framewatch.available_models())


def test_scikit_learn_contract_and_clone():
    from sklearn.base import clone

    from framewatch.model import EncoderClassifier, EnsembleClassifier

    shipped = load("lexical")
    fresh = clone(shipped)
    assert type(fresh) is LexicalClassifier and fresh.get_params() == shipped.get_params()
    assert not hasattr(fresh, "coef_") and not hasattr(fresh, "classes_")  # clone keeps parameters, not state
    assert fresh.set_params(C=2.0) is fresh and fresh.C == 2.0
    with pytest.raises(ValueError, match="no parameter 'c'"):
        fresh.set_params(c=2.0)
    for model_class in (LexicalClassifier, EncoderClassifier, EnsembleClassifier):
        model = model_class()
        assert set(vars(model)) == set(model.get_params(deep=False))  # __init__ only stores its arguments
    ensemble = clone(load("default"))
    assert all(not hasattr(member, "thresholds_") for member in ensemble.members)
    assert "C=2.0" in repr(fresh)


def test_fit_returns_self_and_sets_classes(tiny_lexical):
    model = LexicalClassifier(min_df=1, n_char_features=1024)
    y = np.zeros((4, 8), dtype=np.int8)
    y[::2, 1] = 1
    assert model.fit(["a b", "c d", "a b c", "d e"], y) is model
    assert list(model.classes_) == list(framewatch.LABELS)


@pytest.mark.parametrize("damage", ["truncate", "alter", "remove", "extra"])
def test_damaged_model_directories_are_refused_naming_the_file(tiny_lexical, tmp_path, damage):
    from click.testing import CliRunner

    from framewatch.cli import main

    directory = tiny_lexical.save_pretrained(tmp_path / "m")
    weights = directory / "model.safetensors"
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:100])
    elif damage == "alter":
        data = bytearray(weights.read_bytes())
        data[-1] ^= 1
        weights.write_bytes(bytes(data))
    elif damage == "remove":
        weights.unlink()
    else:
        (directory / "member_9").mkdir()
        (directory / "member_9" / "config.json").write_text("{}")
    expected = {"truncate": "model.safetensors: 100 bytes, expected", "alter": "model.safetensors: SHA-256 differs",
                "remove": "model.safetensors: missing", "extra": "member_9/config.json: not listed"}[damage]
    with pytest.raises(ModelFormatError, match=expected):
        load(directory)
    result = CliRunner().invoke(main, ["score", "-m", str(directory), "-"], input="Some text.\n")
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_saving_over_a_model_leaves_nothing_stale(tiny_lexical, tmp_path):
    import os

    target = tmp_path / "m"
    tiny_lexical.save_pretrained(target)
    (target / "member_1").mkdir()  # e.g. an ensemble's member from a run with more members
    tiny_lexical.save_pretrained(target)
    assert not (target / "member_1").exists()
    assert load(target).predict_proba("x").shape == (1, 8)
    previous = os.umask(0o022)
    try:
        tiny_lexical.save_pretrained(tmp_path / "fresh")
    finally:
        os.umask(previous)
    assert (tmp_path / "fresh").stat().st_mode & 0o777 == 0o755
    assert {f.name: f.stat().st_mode & 0o777 for f in (tmp_path / "fresh").iterdir()} == {
        f.name: 0o644 for f in (tmp_path / "fresh").iterdir()}  # safetensors alone would leave its file 0600
