"""``framewatch train``: fit every candidate, calibrate and threshold it on gold dev, keep the best.

One seeded recipe, reading only files shipped in the repository:

1. weak labels from the labelling functions on the corpus (gold dev and test documents removed), plus the gold
   train split with a higher sample weight;
2. each candidate fitted on them (the labelling functions themselves, the lexical model, transformer encoders);
3. per label, Platt scaling and an F1-maximising threshold fitted on gold dev; ECE before and after is measured
   on gold test, which nothing was fitted on;
4. the candidate with the best dev macro-F1 is written as a model directory with a model card (``README.md``).
"""
from __future__ import annotations

import hashlib
import json
import platform
import random
import time
from dataclasses import asdict, dataclass, field, fields, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from framewatch.data.corpus import CORPUS_DIR, Passage, iter_passages, read_documents
from framewatch.data.gold import GOLD_DIR, GoldPassage, label_matrix, read_gold
from framewatch.data.taxonomy import LABELS
from framewatch.eval import metrics as M
from framewatch.model import EncoderClassifier, EnsembleClassifier, FramingClassifier, LexicalClassifier

from .calibration import fit_platt
from .labelling import apply_lfs, weak_labels
from .labelling_functions import LABELLING_FUNCTIONS
from .lf_model import LabellingFunctionClassifier
from .model_card import write_model_card
from .thresholds import tune_thresholds

CANDIDATES = ("labelling_functions", "lexical", "encoder_frozen", "encoder_frozen_context", "encoder_finetuned",
              "ensemble")
NOT_SAVED = ("labelling_functions",)
INT8_TOLERANCE = 0.01
"""Dynamic int8 replaces float32 inference when dev macro-F1 drops by at most this much."""
NUMERIC_PACKAGES = ("framewatch", "numpy", "scipy", "scikit-learn", "torch", "tokenizers")
"""The packages whose arithmetic the weights depend on: other versions retrain to slightly different weights."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything a training run depends on; stored in the model's config so the run can be repeated.

    Parameters
    ----------
    out : model directory for the selected candidate.
    candidates : which candidates to fit, from ``CANDIDATES``.
    export : candidate name → directory, to also save a candidate that was not selected (e.g. the lexical model).
    seed : seed for every random choice.
    corpus, gold_dir : the shipped corpus file and gold folder (``train/dev/test.jsonl``).
    gold_weight : sample weight of a gold passage relative to a weakly labelled one.
    max_passages : cap on weak corpus passages, taken in corpus order (``None``: all; small values for tests).
    encoder_passages : weak passages for transformer candidates, half of them with at least one weak positive.
    lexical_params, encoder_params, finetune_params : keyword arguments of the model classes.
    try_int8 : for transformer candidates, also score with dynamic int8 and keep it when dev macro-F1 holds.
    weak_only : fit on weak labels alone and keep the default calibration and 0.5 thresholds (the first model's
        recipe, a baseline for what gold data adds); gold dev and test are still held out and reported.
    """

    out: str = "runs/default"
    candidates: tuple[str, ...] = CANDIDATES
    export: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    corpus: str = str(CORPUS_DIR)
    gold_dir: str = str(GOLD_DIR)
    gold_weight: float = 5.0
    max_passages: int | None = None
    encoder_passages: int = 6000
    lexical_params: dict[str, Any] = field(default_factory=dict)
    encoder_params: dict[str, Any] = field(default_factory=dict)
    finetune_params: dict[str, Any] = field(default_factory=dict)
    try_int8: bool = True
    weak_only: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(c for c in CANDIDATES if c in self.candidates) +
                           tuple(c for c in self.candidates if c not in CANDIDATES))
        unknown = sorted(set(self.candidates) - set(CANDIDATES))
        if unknown or not self.candidates:
            raise ValueError(f"TrainConfig.candidates must be a non-empty subset of {CANDIDATES}, found {unknown}")
        if "ensemble" in self.candidates and len(set(self.candidates) - {"ensemble", *NOT_SAVED}) < 2:
            raise ValueError("TrainConfig.candidates: an ensemble needs at least two other savable candidates")
        if set(self.candidates) <= set(NOT_SAVED):
            raise ValueError(f"TrainConfig.candidates needs a model that can be saved, not only {NOT_SAVED}")
        bad_export = sorted(set(self.export) - set(self.candidates) | set(self.export) & set(NOT_SAVED))
        if bad_export:
            raise ValueError(f"TrainConfig.export names candidates that are not trained or cannot be saved: {bad_export}")
        if self.gold_weight <= 0:
            raise ValueError(f"TrainConfig.gold_weight must be positive, found {self.gold_weight}")
        for name in ("max_passages", "encoder_passages"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"TrainConfig.{name} must be at least 1, found {value}")

    @classmethod
    def from_json(cls, path: Path) -> "TrainConfig":
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        unknown = set(raw) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{path}: unknown TrainConfig fields {sorted(unknown)}")
        return cls(**raw)

    def replace(self, **changes: Any) -> "TrainConfig":
        return replace(self, **changes)


@dataclass
class TrainingData:
    """Weak and gold passages of one run."""

    weak: list[Passage]
    weak_y: np.ndarray
    gold: dict[str, list[GoldPassage]]

    def texts_and_targets(
        self, weak_rows: np.ndarray, gold_weight: float, use_gold: bool = True
    ) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
        """Texts, contexts, targets and sample weights of the selected weak rows plus (``use_gold``) gold train."""
        weak = [self.weak[i] for i in weak_rows]
        train = self.gold["train"] if use_gold else []
        texts = [p.text for p in weak] + [p.text for p in train]
        contexts = [p.context for p in weak] + [p.context for p in train]
        y = np.vstack([self.weak_y[weak_rows], label_matrix(train)]) if train else self.weak_y[weak_rows]
        weights = np.concatenate([np.ones(len(weak)), np.full(len(train), gold_weight)])
        return texts, contexts, y, weights


def environment() -> dict[str, Any]:
    """Python, machine, torch thread count and the numeric packages' versions: what a bit-identical rerun needs."""
    import torch

    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    return {"python": platform.python_version(), "machine": platform.machine(),
            "torch_threads": torch.get_num_threads(), **{name: installed(name) for name in NUMERIC_PACKAGES}}


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_training_data(config: TrainConfig, log: Callable[[str], None]) -> TrainingData:
    """Gold splits, and weakly labelled corpus passages from documents outside gold dev and test."""
    gold = {}
    for split in ("train", "dev", "test"):
        path = Path(config.gold_dir) / f"{split}.jsonl"
        gold[split] = read_gold(path) if path.is_file() else []
    held_out = {p.doc_id for split in ("dev", "test") for p in gold[split]}
    gold_ids = {p.id for split in gold.values() for p in split}
    passages = [p for p in iter_passages(read_documents(config.corpus))
                if p.doc_id not in held_out and p.passage_id not in gold_ids][: config.max_passages]
    log(f"weak labels: {len(LABELLING_FUNCTIONS)} labelling functions on {len(passages)} passages")
    weak_y = weak_labels(apply_lfs(LABELLING_FUNCTIONS, passages), LABELLING_FUNCTIONS)
    log("weak positives per label: " + ", ".join(f"{l} {n}" for l, n in zip(LABELS, weak_y.sum(axis=0))))
    return TrainingData(passages, weak_y, gold)


def encoder_rows(weak_y: np.ndarray, n: int, seed: int) -> np.ndarray:
    """A seeded sample of ``n`` weak rows, half with at least one weak positive (so rare labels are seen)."""
    rng = np.random.default_rng(seed)
    positive = np.flatnonzero(weak_y.any(axis=1))
    negative = np.flatnonzero(~weak_y.any(axis=1))
    # per label, take up to an equal share of its positives first, so the rarest labels are not crowded out
    chosen: set[int] = set()
    share = max(1, n // (2 * len(LABELS)))
    for j in range(weak_y.shape[1]):
        rows = np.flatnonzero(weak_y[:, j])
        chosen.update(rng.permutation(rows)[:share].tolist())
    rest = np.setdiff1d(positive, np.fromiter(chosen, int, len(chosen)))
    chosen.update(rng.permutation(rest)[: max(0, n // 2 - len(chosen))].tolist())
    chosen.update(rng.permutation(negative)[: max(0, n - len(chosen))].tolist())
    return np.array(sorted(chosen))


def build_candidate(name: str, config: TrainConfig) -> FramingClassifier:
    """A fresh, unfitted model for a candidate name."""
    if name == "labelling_functions":
        return LabellingFunctionClassifier()
    if name == "lexical":
        return LexicalClassifier(**config.lexical_params)
    common = {"seed": config.seed, **config.encoder_params}
    if name == "encoder_frozen":
        return EncoderClassifier(fine_tune=False, **common)
    if name == "encoder_frozen_context":
        return EncoderClassifier(fine_tune=False, **{**common, "use_context": True})
    return EncoderClassifier(fine_tune=True, **{**common, **config.finetune_params})


def fit_candidate(name: str, model: FramingClassifier, data: TrainingData, config: TrainConfig) -> FramingClassifier:
    if name == "labelling_functions":
        return model.fit()
    if name == "lexical":
        rows = np.arange(len(data.weak))
        texts, _, y, weights = data.texts_and_targets(rows, config.gold_weight, not config.weak_only)
        return model.fit(texts, y, sample_weight=weights)
    rows = encoder_rows(data.weak_y, config.encoder_passages, config.seed)
    texts, contexts, y, weights = data.texts_and_targets(rows, config.gold_weight, not config.weak_only)
    return model.fit(texts, y, sample_weight=weights, contexts=contexts)


def split_scores(model: FramingClassifier, records: Sequence[GoldPassage]) -> np.ndarray:
    return model.decision_function([r.text for r in records], [r.context for r in records])


def _sigmoid(logits: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(calibration[:, 0] * logits + calibration[:, 1])))


def split_report(y: np.ndarray, proba: np.ndarray, thresholds: np.ndarray) -> dict[str, Any]:
    return M.label_report(y, (proba >= thresholds).astype(np.int8), LABELS)


def calibrate_and_report(model: FramingClassifier, data: TrainingData, tune: bool = True) -> dict[str, Any]:
    """Fit calibration and thresholds on dev (when ``tune``); report dev and test metrics and test ECE before/after."""
    dev, test = data.gold["dev"], data.gold["test"]
    identity = np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(LABELS), 1))
    report: dict[str, Any] = {}
    if dev:
        y_dev, dev_logits = label_matrix(dev), split_scores(model, dev)
        if tune:
            model.calibration_ = fit_platt(y_dev, dev_logits)
        dev_proba = _sigmoid(dev_logits, model.calibration_)
        if tune:
            model.thresholds_ = tune_thresholds(y_dev, dev_proba)
        report["dev"] = split_report(y_dev, dev_proba, model.thresholds_)
    if test:
        y_test, test_logits = label_matrix(test), split_scores(model, test)
        test_proba = _sigmoid(test_logits, model.calibration_)
        report["test"] = split_report(y_test, test_proba, model.thresholds_)
        report["test"]["ece_before_calibration"] = round(M.expected_calibration_error(
            y_test, _sigmoid(test_logits, identity)), 4)
        report["test"]["ece"] = round(M.expected_calibration_error(y_test, test_proba), 4)
    return report


def _encoders(model: FramingClassifier) -> list[EncoderClassifier]:
    """The transformer parts of a model: itself, or an ensemble's transformer members."""
    parts = model.members_ if isinstance(model, EnsembleClassifier) else [model]
    return [part for part in parts if isinstance(part, EncoderClassifier)]


def _set_quantize(model: FramingClassifier, encoders: list[EncoderClassifier], quantize: str | None,
                  data: TrainingData, config: TrainConfig) -> None:
    """Switch ``encoders`` (parts of ``model``) to ``quantize``; refit what depends on the features they produce."""
    for encoder in encoders:
        encoder.quantize, encoder._int8_ = quantize, None
        if not encoder.fine_tune:  # a frozen encoder's head is refitted on the features it will see
            fit_candidate("encoder_frozen_context" if encoder.use_context else "encoder_frozen", encoder, data, config)
        if encoder is not model:  # an ensemble member keeps its own calibration and thresholds
            calibrate_and_report(encoder, data)


def try_int8(model: FramingClassifier, data: TrainingData, config: TrainConfig, result: dict[str, Any],
             log: Callable[[str], None]) -> dict[str, Any]:
    """Score with dynamic int8; keep it (recalibrated) when dev macro-F1 stays within ``INT8_TOLERANCE``."""
    float32 = result
    encoders = [encoder for encoder in _encoders(model) if encoder.quantize is None]
    if not encoders:
        return result
    _set_quantize(model, encoders, "int8", data, config)
    int8 = calibrate_and_report(model, data)
    kept = int8["dev"]["macro_f1"] >= float32["dev"]["macro_f1"] - INT8_TOLERANCE
    log(f"  int8 dev macro-F1 {int8['dev']['macro_f1']:.3f} vs float32 {float32['dev']['macro_f1']:.3f}: "
        f"{'kept' if kept else 'dropped'}")
    if not kept:
        _set_quantize(model, encoders, None, data, config)
        calibrate_and_report(model, data)
    chosen = int8 if kept else float32
    return {**chosen, "quantize": "int8" if kept else None,
            "float32": {k: float32[k] for k in ("dev", "test") if k in float32},
            "int8": {k: int8[k] for k in ("dev", "test") if k in int8}}


def best_members(results: dict[str, dict[str, Any]], fitted: dict[str, FramingClassifier]) -> list[str]:
    """The lexical model and the best transformer by dev macro-F1 (different kinds of evidence to combine)."""
    encoders = [n for n in fitted if n.startswith("encoder")]
    if "lexical" in fitted and encoders:
        return ["lexical", max(encoders, key=lambda n: results[n].get("dev", {}).get("macro_f1", 0.0))]
    ranked = sorted((n for n in fitted if n not in NOT_SAVED),
                    key=lambda n: -results[n].get("dev", {}).get("macro_f1", 0.0))
    return ranked[:2]


def train_model(config: TrainConfig, log: Callable[[str], None] = print) -> Path:
    """Run the recipe; write the selected model (and any exports) and return the selected model's directory."""
    started = time.time()
    random.seed(config.seed)
    np.random.seed(config.seed)
    data = load_training_data(config, log)
    hashes = {"corpus_sha256": file_sha256(Path(config.corpus))}
    hashes.update({f"gold_{s}_sha256": file_sha256(Path(config.gold_dir) / f"{s}.jsonl")
                   for s in ("train", "dev", "test") if data.gold[s]})
    results: dict[str, dict[str, Any]] = {}
    fitted: dict[str, FramingClassifier] = {}
    for name in config.candidates:
        tick = time.time()
        log(f"[{name}] fitting")
        if name == "ensemble":
            members = best_members(results, fitted)
            model = EnsembleClassifier().fit([fitted[m] for m in members])
            log(f"  members: {members}")
        else:
            model = fit_candidate(name, build_candidate(name, config), data, config)
        result = calibrate_and_report(model, data, tune=not config.weak_only)
        if _encoders(model) and config.try_int8 and "dev" in result and not config.weak_only:
            result = try_int8(model, data, config, result, log)
        if name == "ensemble":
            result["members"] = members
        results[name] = {**result, "fit_seconds": round(time.time() - tick, 1)}
        fitted[name] = model
        dev = results[name].get("dev", {})
        log(f"[{name}] dev macro-F1 {dev.get('macro_f1', float('nan')):.3f} "
            f"test macro-F1 {results[name].get('test', {}).get('macro_f1', float('nan')):.3f} "
            f"({results[name]['fit_seconds']} s)")
    savable = [n for n in config.candidates if n not in NOT_SAVED]
    selected = max(savable, key=lambda n: results[n].get("dev", {}).get("macro_f1", 0.0))
    log(f"selected {selected}")
    summary = {
        "train_config": asdict(config),
        "data": {**hashes, "weak_passages": len(data.weak),
                 **{f"gold_{s}_passages": len(data.gold[s]) for s in data.gold}},
        "candidates": results,
        "selected": selected,
        "train_seconds": round(time.time() - started, 1),
        "environment": environment(),
    }
    for name, directory in {**config.export, selected: config.out}.items():
        model = fitted[name]
        model.metadata_ = {**summary, "candidate": name}
        model.save_pretrained(directory)
        write_model_card(Path(directory), name, summary)
        log(f"wrote {name} to {directory}")
    return Path(config.out)
