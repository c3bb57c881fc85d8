"""Training pieces: thresholds, calibration, the estimator contract, and tiny seeded runs of the trainer."""
import json
from pathlib import Path

import numpy as np
import pytest

from framewatch.data.taxonomy import LABELS
from framewatch.model import FramingClassifier
from framewatch.model.base import best_f1_threshold, fit_platt, tune_thresholds
from tests.conftest import TEXTS, toy_targets



def test_best_threshold_hand_computed():
    # cutting below the third score gives TP 2 of 3 predicted, F1 0.8, the best; the cut is the midpoint 0.4
    assert best_f1_threshold([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(0.4)
    assert best_f1_threshold([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1]) == pytest.approx(0.55)
    assert best_f1_threshold([0, 0], [0.9, 0.8]) == 0.5  # no positives: default
    thresholds = tune_thresholds(np.array([[1, 0], [0, 0]]), np.array([[0.9, 0.2], [0.1, 0.3]]))
    assert thresholds.tolist() == pytest.approx([0.5, 0.5])


def test_thresholds_are_applied_by_predict(tiny_lexical):
    proba = tiny_lexical.predict_proba(TEXTS[:4])
    saved = tiny_lexical.thresholds_.copy()
    try:
        tiny_lexical.thresholds_ = np.full(len(LABELS), 0.99, dtype=np.float32)
        tiny_lexical.thresholds_[0] = proba[0, 0]  # exactly at the threshold counts as positive
        predicted = tiny_lexical.predict(TEXTS[:4])
        assert predicted[0, 0] == 1 and predicted[:, 1:].sum() == (proba[:, 1:] >= 0.99).sum()
    finally:
        tiny_lexical.thresholds_ = saved


def test_platt_recovers_a_known_miscalibration_on_held_out_data():
    """Labels drawn with P(y=1) = sigmoid(0.5 * logit - 1): raw sigmoid(logit) is overconfident and biased.
    Platt scaling fitted on one half recovers (0.5, -1) and halves the ECE on the other half."""
    from framewatch.eval.metrics import expected_calibration_error

    rng = np.random.default_rng(0)
    logits = rng.normal(0, 4, (4000, 2))
    y = (rng.random((4000, 2)) < 1 / (1 + np.exp(-(0.5 * logits - 1)))).astype(int)
    params = fit_platt(y[:2000], logits[:2000])
    np.testing.assert_allclose(params, [[0.5, -1.0], [0.5, -1.0]], atol=0.15)
    before = expected_calibration_error(y[2000:], 1 / (1 + np.exp(-logits[2000:])))
    after = expected_calibration_error(y[2000:], 1 / (1 + np.exp(-(params[:, 0] * logits[2000:] + params[:, 1]))))
    assert after < before / 2
    # a label with one class only, or a fit that would reverse the ranking, keeps the identity
    identity = fit_platt(np.zeros((10, 1)), rng.normal(size=(10, 1)))
    assert identity.tolist() == [[1.0, 0.0]]


def test_lexical_is_deterministic(tmp_path):
    from framewatch.model import LexicalClassifier

    y = toy_targets(len(TEXTS))
    a = LexicalClassifier(min_df=1).fit(TEXTS, y).predict_proba(TEXTS)
    b = LexicalClassifier(min_df=1).fit(TEXTS, y).predict_proba(TEXTS)
    np.testing.assert_array_equal(a, b)


def test_calibrate_fits_on_the_data_it_is_given(tiny_lexical):
    y = toy_targets(len(TEXTS))
    model = FramingClassifier.from_pretrained(_saved(tiny_lexical))
    before = model.calibration_.copy()
    model.calibrate(TEXTS, y)
    assert not np.array_equal(model.calibration_, before)
    assert model.predict(TEXTS)[:, :3].tolist() == y[:, :3].tolist()  # thresholds separate the toy labels
    with pytest.raises(ValueError, match="y has shape"):
        model.calibrate(TEXTS, y[:3])


def _saved(model, directory=None):
    import tempfile
    from pathlib import Path

    directory = Path(directory or tempfile.mkdtemp())
    return model.save_pretrained(directory / "m")


TINY = {"candidates": ("labelling_functions", "lexical"), "max_train": 400,
        "lexical_params": {"min_df": 1, "max_word_features": 2000, "n_char_features": 4096}}


def test_tiny_training_run_is_reproducible_and_reports_every_split(tmp_path):
    from framewatch.training.trainer import TrainConfig, train_model

    config = TrainConfig(**TINY, learning_curve=(0.5,))
    first = train_model(config.replace(out=str(tmp_path / "a")), log=lambda m: None)
    second = train_model(config.replace(out=str(tmp_path / "b")), log=lambda m: None)
    a, b = FramingClassifier.from_pretrained(first), FramingClassifier.from_pretrained(second)
    np.testing.assert_array_equal(a.predict_proba(TEXTS), b.predict_proba(TEXTS))
    np.testing.assert_array_equal(a.thresholds_, b.thresholds_)
    card = (first / "README.md").read_text()
    assert "labelling_functions" in card and "modern test" in card and "| silver share |" in card
    assert (first / "learning_curve.png").read_bytes().startswith(b"\x89PNG")
    metadata = json.loads((first / "config.json").read_text())["metadata"]
    assert metadata["selected"] == "lexical" and metadata["data"]["corpus_sha256"]
    results = metadata["candidates"]["lexical"]
    assert {"calibration", "dev", "gold_test", "modern_test"} <= set(results)
    assert [p["silver_share"] for p in metadata["learning_curve"]] == [0.5, 1.0]
    # what a bit-identical rerun needs is recorded: the numeric packages' versions, as installed
    assert metadata["environment"]["numpy"] == np.__version__ and metadata["environment"]["torch_threads"] >= 1
    assert f"numpy {np.__version__}" in card


def test_held_out_documents_never_reach_training():
    from framewatch.training.trainer import TrainConfig, load_training_data

    data = load_training_data(TrainConfig(**TINY), log=lambda m: None)
    train = {r.doc_id for r in data.train.records}
    for split in (data.calibration, data.dev, *data.tests.values()):
        assert not train & {r.doc_id for r in split.records}
    modern = set((Path(TrainConfig().modern_test).parent / "documents.txt").read_text().split())
    assert not train & modern


def test_training_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    from framewatch.io.atomic import OutputExistsError
    from framewatch.training.trainer import TrainConfig, train_model

    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "draft.txt").write_text("mine")
    with pytest.raises(OutputExistsError, match="not written by framewatch train"):
        train_model(TrainConfig(**TINY, out=str(keep)), log=lambda m: None)
    assert (keep / "draft.txt").read_text() == "mine"


def test_config_validation():
    from framewatch.training.trainer import TrainConfig

    with pytest.raises(ValueError, match="candidates"):
        TrainConfig(candidates=("magic",))
    with pytest.raises(ValueError, match="can be saved"):
        TrainConfig(candidates=("labelling_functions",))
    with pytest.raises(ValueError, match="gold_weight"):
        TrainConfig(gold_weight=0)
    with pytest.raises(ValueError, match="learning_curve"):
        TrainConfig(learning_curve=(0.0,))
    with pytest.raises(ValueError, match="aggregation"):
        TrainConfig(aggregation="vote")
