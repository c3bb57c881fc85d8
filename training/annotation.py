"""Building the labelled sets from their annotation records: gold, silver and the modern test.

The labels themselves come from annotators who read every passage against ``data/ANNOTATION.md``; this module only
measures how far independent passes agree, merges them with the adjudicated decisions, attaches each passage's text
from the shipped corpus and splits by document. Each set keeps its record under ``<set>/annotations/``:
``sampling.jsonl`` (how every passage was chosen), one folder or file per pass, and ``adjudication.jsonl``.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

from framewatch.data.corpus import Passage, source_family
from framewatch.data.gold import GoldPassage
from framewatch.data.taxonomy import LABELS

from .selection import read_labels

MIN_WORDS = 3
"""Passages shorter than this ("Thank you.") are never drawn: they cannot carry a label."""


def sample_random(passages: Iterable[Passage], quotas: Mapping[str, int], seed: int = 0) -> list[Passage]:
    """Draw ``quotas[family]`` passages uniformly at random from each source family (seeded): how the gold set's
    random slice was drawn. Later sets use ``framewatch annotate export --strategy random``."""
    pools: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        if len(passage.text.split()) >= MIN_WORDS:
            pools[source_family(passage.source)].append(passage)
    rng = random.Random(seed)
    drawn: list[Passage] = []
    for family in sorted(quotas):
        pool = pools.get(family, [])
        if len(pool) < quotas[family]:
            raise ValueError(f"source {family!r} has {len(pool)} passages, fewer than the quota {quotas[family]}")
        drawn.extend(rng.sample(pool, quotas[family]))
    return drawn


def read_pass(paths: Iterable[str | Path]) -> dict[str, tuple[str, ...]]:
    """One annotation pass (files, or folders of ``*.jsonl`` batches) as id → labels."""
    files = [f for path in map(Path, paths) for f in (sorted(path.glob("*.jsonl")) if path.is_dir() else [path])]
    return read_labels(files)


def to_matrix(labels: Mapping[str, Sequence[str]], ids: Sequence[str]) -> np.ndarray:
    """(len(ids), n_labels) 0/1 matrix of the labels given for ``ids``."""
    matrix = np.zeros((len(ids), len(LABELS)), dtype=np.int8)
    for row, passage_id in enumerate(ids):
        for label in labels[passage_id]:
            matrix[row, LABELS.index(label)] = 1
    return matrix


def agreement(first: Mapping[str, Sequence[str]], second: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Per-label Cohen's kappa, F1 of one pass against the other, and positives per pass, on the shared ids."""
    ids = sorted(set(first) & set(second))
    a, b = to_matrix(first, ids), to_matrix(second, ids)
    table = {}
    for column, label in enumerate(LABELS):
        same = bool((a[:, column] == b[:, column]).all())
        table[label] = {
            "kappa": 1.0 if same else float(cohen_kappa_score(a[:, column], b[:, column])),
            "f1": float(f1_score(a[:, column], b[:, column], zero_division=1.0)),
            "positives_a": int(a[:, column].sum()),
            "positives_b": int(b[:, column].sum()),
            "n": len(ids),
        }
    return table


def disagreements(first: Mapping[str, Sequence[str]], second: Mapping[str, Sequence[str]]) -> list[str]:
    """Ids whose label sets differ between the two passes, in sorted order."""
    return sorted(i for i in set(first) & set(second) if set(first[i]) != set(second[i]))


def merge_passes(
    first: Mapping[str, Sequence[str]],
    second: Mapping[str, Sequence[str]],
    adjudicated: Mapping[str, Sequence[str]],
) -> dict[str, tuple[str, ...]]:
    """Final labels: the passes' shared answer where they agree, the adjudicated answer where they do not.

    Every disagreement must have been adjudicated; a missing one is an error rather than a silent pick.
    """
    missing = [i for i in disagreements(first, second) if i not in adjudicated]
    if missing:
        raise ValueError(f"{len(missing)} disagreements are not adjudicated, e.g. {missing[:3]}")
    not_in_both = sorted(set(first) ^ set(second))
    if not_in_both:
        raise ValueError(f"{len(not_in_both)} ids are labelled by only one pass, e.g. {not_in_both[:3]}")
    final = {}
    for passage_id in first:
        labels = adjudicated[passage_id] if passage_id in adjudicated else first[passage_id]
        final[passage_id] = tuple(l for l in LABELS if l in labels)
    return final


def split_documents(
    records: Sequence[GoldPassage], fractions: Mapping[str, float], seed: int = 0
) -> dict[str, list[GoldPassage]]:
    """Assign whole documents to splits so that every split gets its share of every label.

    Iterative stratification over document groups (after Sechidis et al., 2011): documents holding the rarest
    labels are placed first, each into the split that is furthest below its target for that label; documents
    without labels fill the splits by passage count. No document is ever in two splits.
    """
    if abs(sum(fractions.values()) - 1) > 1e-9:
        raise ValueError(f"split fractions must sum to 1, found {dict(fractions)}")
    groups: dict[str, list[GoldPassage]] = defaultdict(list)
    for record in records:
        groups[record.doc_id or record.id].append(record)
    totals = {label: sum(label in r.labels for r in records) for label in LABELS}
    wanted = {split: {label: totals[label] * share for label in LABELS} for split, share in fractions.items()}
    size_wanted = {split: len(records) * share for split, share in fractions.items()}
    have = {split: {label: 0 for label in LABELS} for split in fractions}
    size = {split: 0 for split in fractions}
    rng = random.Random(seed)
    doc_ids = sorted(groups)
    rng.shuffle(doc_ids)

    def rarest(doc_id: str) -> tuple[float, int]:
        present = {label for r in groups[doc_id] for label in r.labels}
        return (min((totals[l] for l in present), default=float("inf")), -len(groups[doc_id]))

    splits: dict[str, list[GoldPassage]] = {split: [] for split in fractions}
    for doc_id in sorted(doc_ids, key=rarest):
        present = [l for l in LABELS if any(l in r.labels for r in groups[doc_id])]
        if present:
            label = min(present, key=lambda l: totals[l])
            choice = max(fractions, key=lambda s: (wanted[s][label] - have[s][label], size_wanted[s] - size[s]))
        else:
            choice = max(fractions, key=lambda s: size_wanted[s] - size[s])
        splits[choice].extend(groups[doc_id])
        size[choice] += len(groups[doc_id])
        for record in groups[doc_id]:
            for label in record.labels:
                have[choice][label] += 1
    return splits


ANNOTATIONS_DIR = "annotations"
SPLIT_FRACTIONS = {"train": 0.6, "dev": 0.2, "test": 0.2}
SILVER_FRACTIONS = {"train": 0.8, "calibration": 0.1, "dev": 0.1}
"""Silver is split by document too: ``calibration`` fits calibration and thresholds, ``dev`` joins gold dev for
model selection, and neither is trained on."""


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _pass(notes: Path, name: str) -> dict[str, tuple[str, ...]]:
    """A pass stored as ``<name>.jsonl`` (gold) or as a folder of batches ``<name>/`` (later sets)."""
    return read_pass([notes / name if (notes / name).is_dir() else notes / f"{name}.jsonl"])


def with_text(labels: Mapping[str, Sequence[str]], sampling: Mapping[str, str],
              corpus_path: str | Path) -> list[GoldPassage]:
    """Labelled passages with text, context, document and source taken from the corpus, sorted by id."""
    from framewatch.data.corpus import iter_passages, read_documents

    if set(labels) != set(sampling):
        raise ValueError(f"annotated ids and sampled ids differ by {len(set(labels) ^ set(sampling))} passages, "
                         f"e.g. {sorted(set(labels) ^ set(sampling))[:3]}")
    passages = {p.passage_id: p for p in iter_passages(read_documents(corpus_path)) if p.passage_id in sampling}
    missing = sorted(set(sampling) - set(passages))
    if missing:
        raise ValueError(f"{len(missing)} labelled passages are not in the corpus, e.g. {missing[:3]}")
    return [GoldPassage(id=i, text=passages[i].text, labels=tuple(labels[i]), context=passages[i].context,
                        doc_id=passages[i].doc_id, source=passages[i].source, sampling=sampling[i])
            for i in sorted(sampling)]


def adjudicated_labels(directory: Path) -> dict[str, tuple[str, ...]]:
    """Final labels of a doubly annotated set: passes A and B merged with the adjudication."""
    notes = directory / ANNOTATIONS_DIR
    adjudicated = {r["id"]: r["labels"] for r in _read_jsonl(notes / "adjudication.jsonl")}
    return merge_passes(_pass(notes, "pass_a"), _pass(notes, "pass_b"), adjudicated)


def sampling_of(directory: Path) -> dict[str, str]:
    return {r["id"]: r["sampling"] for r in _read_jsonl(directory / ANNOTATIONS_DIR / "sampling.jsonl")}


def write_splits(splits: Mapping[str, Sequence[GoldPassage]], directory: Path) -> None:
    from framewatch.data.gold import write_gold

    for split, rows in splits.items():
        write_gold(sorted(rows, key=lambda r: r.id), directory / f"{split}.jsonl")


def build_gold(gold_dir: str | Path, corpus_path: str | Path, seed: int = 0) -> dict[str, list[GoldPassage]]:
    """Rebuild the gold set's ``train/dev/test.jsonl``: both passes, the adjudication, split by document."""
    gold_dir = Path(gold_dir)
    records = with_text(adjudicated_labels(gold_dir), sampling_of(gold_dir), corpus_path)
    splits = split_documents(records, SPLIT_FRACTIONS, seed)
    write_splits(splits, gold_dir)
    return splits


def build_modern_test(directory: str | Path, corpus_path: str | Path) -> dict[str, list[GoldPassage]]:
    """Rebuild ``test.jsonl`` of the modern test set: both passes and the adjudication, every passage."""
    directory = Path(directory)
    splits = {"test": with_text(adjudicated_labels(directory), sampling_of(directory), corpus_path)}
    write_splits(splits, directory)
    return splits


def build_silver(directory: str | Path, corpus_path: str | Path, seed: int = 0,
                 gold_train: str | Path | None = None) -> dict[str, list[GoldPassage]]:
    """Rebuild the silver set's ``train/calibration/dev.jsonl`` from its first pass, split by document.

    The second pass (``pass_2/``, a random tenth labelled again independently) only measures agreement: silver
    keeps the first pass's labels, so every silver label comes from the same procedure. Documents that gold train
    already holds go to silver train, so no document is both trained on and held out; a passage whose text is also
    a modern-test passage (the same sentence in a near-duplicate document) is left out.
    """
    from framewatch.data.gold import read_gold

    from .selection import text_key

    directory = Path(directory)
    labels = _pass(directory / ANNOTATIONS_DIR, "pass_1")
    sampling = {i: s for i, s in sampling_of(directory).items() if i in labels}
    modern_test = directory.parent / "modern_test" / "test.jsonl"
    tested = {text_key(r.text) for r in read_gold(modern_test)} if modern_test.is_file() else set()
    records = [r for r in with_text(labels, sampling, corpus_path) if text_key(r.text) not in tested]
    gold_train = Path(gold_train) if gold_train else directory.parent / "gold" / "train.jsonl"
    trained = {r.doc_id for r in read_gold(gold_train)} if gold_train.is_file() else set()
    splits = split_documents([r for r in records if r.doc_id not in trained], SILVER_FRACTIONS, seed)
    splits["train"] = splits["train"] + [r for r in records if r.doc_id in trained]
    write_splits(splits, directory)
    return splits
