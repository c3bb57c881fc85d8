"""``framewatch eval``: score labelled passages with one or more models and collect every metric in one dict.

The result's ``metrics`` dict is exactly what ``metrics.json`` holds; the reports only format it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
from sklearn.metrics import precision_recall_curve

from framewatch.data.corpus import source_family
from framewatch.data.gold import GoldPassage, label_matrix, read_gold
from framewatch.data.taxonomy import LABELS
from framewatch.model import FramingClassifier, load

from . import metrics as M

SCORE_BATCH = 256
MIN_SLICE_POSITIVES = 20
"""Per-source and per-sampling scores cover only labels with at least this many positives in the slice."""


@dataclass
class ModelRun:
    """One model's scores on the data, kept for plots (not written to metrics.json)."""

    name: str
    scores: np.ndarray
    predictions: np.ndarray
    thresholds: np.ndarray


@dataclass
class EvalResult:
    """What an evaluation produced: the metrics dict (as in ``metrics.json``), the gold matrix and the per-model
    score matrices. :func:`framewatch.eval.report.write_reports` turns it into files."""

    metrics: dict[str, Any]
    y: np.ndarray
    runs: list[ModelRun] = field(default_factory=list)


def score_passages(
    model: FramingClassifier, pairs: Sequence[tuple[str, str]], progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Probabilities for ``(context, text)`` pairs, in batches so a progress bar can follow."""
    chunks = []
    for start in range(0, len(pairs), SCORE_BATCH):
        chunk = list(pairs[start:start + SCORE_BATCH])
        chunks.append(model.predict_proba(chunk))
        if progress:
            progress(len(chunk))
    return np.vstack(chunks) if chunks else np.zeros((0, len(LABELS)), dtype=np.float32)


def _bootstrap_f1(
    y: np.ndarray, predictions: np.ndarray, groups: Sequence[str] | None, n_resamples: int, seed: int
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of per-label, macro and micro F1 from one shared set of resamples."""
    rng = np.random.default_rng(seed)
    per_label, macro, micro = [], [], []
    for _ in range(n_resamples):
        idx = M.resample_indices(groups, len(y), rng)
        table = M.per_label_prf(y[idx], predictions[idx])
        per_label.append(table[:, 2])
        macro.append(table[:, 2].mean())
        micro.append(M.micro_f1(y[idx], predictions[idx]))

    def interval(values: Sequence[float]) -> tuple[float, float]:
        return float(np.quantile(values, 0.025)), float(np.quantile(values, 0.975))

    per_label_arr = np.asarray(per_label)
    result = {"macro_f1": interval(macro), "micro_f1": interval(micro)}
    result.update({label: interval(per_label_arr[:, j]) for j, label in enumerate(LABELS)})
    return result


def _errors(records: Sequence[GoldPassage], y: np.ndarray, scores: np.ndarray, predictions: np.ndarray,
            top: int) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per label, the most confident false positives and the least confident false negatives."""
    out = {}
    for j, label in enumerate(LABELS):
        fp = np.flatnonzero((predictions[:, j] == 1) & (y[:, j] == 0))
        fn = np.flatnonzero((predictions[:, j] == 0) & (y[:, j] == 1))
        fp = fp[np.argsort(-scores[fp, j], kind="stable")][:top]
        fn = fn[np.argsort(scores[fn, j], kind="stable")][:top]

        def rows(indices: np.ndarray) -> list[dict[str, Any]]:
            return [{"id": records[i].id, "text": records[i].text, "score": round(float(scores[i, j]), 4),
                     "gold": list(records[i].labels)} for i in indices]

        out[label] = {"false_positives": rows(fp), "false_negatives": rows(fn)}
    return out


def model_metrics(
    records: Sequence[GoldPassage], y: np.ndarray, scores: np.ndarray, thresholds: np.ndarray,
    n_bootstrap: int = 1000, seed: int = 0, top_errors: int = 5,
) -> dict[str, Any]:
    """Every metric of one model's scores against gold ``y``."""
    predictions = (scores >= thresholds).astype(np.int8)
    report = M.label_report(y, predictions, LABELS)
    groups = [r.doc_id for r in records] if all(r.doc_id for r in records) else None
    intervals = _bootstrap_f1(y, predictions, groups, n_bootstrap, seed) if n_bootstrap else {}
    per_label = report["per_label"]
    for j, label in enumerate(LABELS):
        per_label[label].update({
            "pr_auc": _rounded(M.pr_auc(y[:, j], scores[:, j])), "threshold": round(float(thresholds[j]), 4),
            "predicted": int(predictions[:, j].sum()),
            "best_recall_at_p60": _rounded(M.recall_at_precision(y[:, j], scores[:, j], 0.60)),
        })
        if intervals:
            per_label[label]["f1_ci95"] = [round(v, 4) for v in intervals[label]]
    result: dict[str, Any] = {
        **report,
        "ece": round(M.expected_calibration_error(y, scores), 4),
        "reliability": M.reliability(y, scores),
        "errors": _errors(records, y, scores, predictions, top_errors),
    }
    if intervals:
        result["macro_f1_ci95"] = [round(v, 4) for v in intervals["macro_f1"]]
        result["micro_f1_ci95"] = [round(v, 4) for v in intervals["micro_f1"]]
    for key, field_of in (("per_source", lambda r: r.source and source_family(r.source)),
                          ("per_sampling", lambda r: r.sampling)):
        if all(field_of(r) for r in records):
            groups_of: dict[str, list[int]] = defaultdict(list)
            for i, record in enumerate(records):
                groups_of[field_of(record)].append(i)
            result[key] = {group: slice_scores(y[rows], predictions[rows]) for group, rows in sorted(groups_of.items())}
    return result


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def slice_scores(y: np.ndarray, predictions: np.ndarray) -> dict[str, Any]:
    """A slice's passages and, over the labels with at least ``MIN_SLICE_POSITIVES`` positives in it, per-label F1
    and their macro and micro F1 (None where no label has enough: fewer positives make an F1 mostly noise)."""
    kept = [j for j in range(len(LABELS)) if y[:, j].sum() >= MIN_SLICE_POSITIVES]
    if not kept:
        return {"n": len(y), "labels": {}, "macro_f1": None, "micro_f1": None}
    f1 = M.per_label_prf(y[:, kept], predictions[:, kept])[:, 2]
    return {"n": len(y), "labels": {LABELS[j]: round(float(v), 4) for j, v in zip(kept, f1)},
            "macro_f1": round(float(f1.mean()), 4), "micro_f1": round(M.micro_f1(y[:, kept], predictions[:, kept]), 4)}


def pr_curves(y: np.ndarray, scores: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Precision-recall curve per label with positives (for plotting)."""
    curves = {}
    for j, label in enumerate(LABELS):
        if y[:, j].any():
            precision, recall, _ = precision_recall_curve(y[:, j], scores[:, j])
            curves[label] = (recall, precision)
    return curves


def lf_metrics(records: Sequence[GoldPassage], y: np.ndarray) -> dict[str, Any]:
    """The labelling functions against gold: one row per LF, and their majority vote scored as a model."""
    from framewatch.training.labelling import majority_vote
    from framewatch.training.lf_model import LabellingFunctionClassifier

    from .lf_analysis import lf_summary

    matrix = LabellingFunctionClassifier.votes([(r.context, r.text) for r in records])
    return {
        "functions": lf_summary(matrix, LabellingFunctionClassifier.functions(), gold=y),
        "majority_vote": M.label_report(y, majority_vote(matrix, LabellingFunctionClassifier.functions()), LABELS),
    }


def evaluate(
    data: str | Path,
    models: Sequence[str | Path] = ("default",),
    *,
    ignore_unknown: bool = False,
    n_bootstrap: int = 1000,
    seed: int = 0,
    top_errors: int = 5,
    with_lfs: bool = True,
    progress: bool = False,
) -> EvalResult:
    """Evaluate ``models`` on the labelled JSONL ``data``.

    Parameters
    ----------
    data : gold-format JSONL (``id``, ``text``, ``labels``; optional ``context``, ``doc_id``, ``source``).
    models : shipped model names or model directories; each becomes a column of the comparison.
    ignore_unknown : drop labels outside the taxonomy instead of failing.
    n_bootstrap : resamples for confidence intervals and the paired comparison (0 turns them off).
    with_lfs : also score the labelling functions (needs the ``train`` extra).
    """
    from tqdm.auto import tqdm

    records = read_gold(data, ignore_unknown=ignore_unknown)
    y = label_matrix(records)
    pairs = [(r.context, r.text) for r in records]
    names = [str(m) for m in models]
    if len(set(names)) != len(names):
        raise ValueError(f"a model is named twice: {names}")
    runs, per_model = [], {}
    with tqdm(total=len(pairs) * len(names), desc="scoring", unit="passage", disable=not progress) as bar:
        for name in names:
            model = load(name)
            scores = score_passages(model, pairs, bar.update)
            runs.append(ModelRun(name, scores, (scores >= model.thresholds_).astype(np.int8), model.thresholds_))
            per_model[name] = model_metrics(records, y, scores, model.thresholds_, n_bootstrap, seed, top_errors)
    groups = [r.doc_id for r in records] if all(r.doc_id for r in records) else None
    comparisons = []
    if n_bootstrap:
        for other in runs[1:]:
            first = runs[0]
            comparison = M.paired_bootstrap(
                lambda idx, run=first: M.macro_f1(y[idx], run.predictions[idx]),
                lambda idx, run=other: M.macro_f1(y[idx], run.predictions[idx]),
                len(records), groups, n_bootstrap, seed,
            )
            comparisons.append({"a": first.name, "b": other.name, "metric": "macro_f1",
                                **{k: round(v, 4) for k, v in comparison.items()}})
    result = {
        "models": per_model,
        "comparisons": comparisons,
        "data": {
            "path": str(data), "n_passages": len(records),
            "n_documents": len({r.doc_id for r in records}) if groups else None,
            "support": {label: int(y[:, j].sum()) for j, label in enumerate(LABELS)},
            "sampling": dict(sorted({s: sum(r.sampling == s for r in records)
                                     for s in {r.sampling for r in records} if s}.items())),
            "bootstrap": {"resamples": n_bootstrap, "unit": "document" if groups else "passage", "seed": seed},
        },
    }
    if with_lfs:
        result["labelling_functions"] = lf_metrics(records, y)
    return EvalResult(result, y, runs)
