"""Gold passages: the hand-annotated JSONL format that training reads and ``framewatch eval`` scores against.

One JSON object per line::

    {"id", "doc_id", "source", "context", "text", "labels": [...], "sampling"}

Only ``id``, ``text`` and ``labels`` are required when a file is read for evaluation; the gold files shipped
under ``data/gold/`` carry every field. Errors name the file and the line.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .taxonomy import LABELS

GOLD_DIR = Path(__file__).with_name("gold")
SPLITS = ("train", "dev", "test")
SAMPLING = ("random", "lf_enriched", "read_and_picked", "near_miss", "cue_search", "model_uncertain", "model_confident")
"""How a passage came to be labelled; the first four are the gold set's, the rest ``framewatch annotate``'s."""


class GoldFormatError(ValueError):
    """A labelled record that does not follow the gold format; the message names file and line."""


@dataclass(frozen=True)
class GoldPassage:
    """One labelled passage."""

    id: str
    text: str
    labels: tuple[str, ...]
    context: str = ""
    doc_id: str | None = None
    source: str | None = None
    sampling: str | None = None

    def to_json(self) -> str:
        record = asdict(self)
        record["labels"] = list(self.labels)
        order = ("id", "doc_id", "source", "context", "text", "labels", "sampling")
        return json.dumps({key: record[key] for key in order}, ensure_ascii=False)


def parse_gold_line(raw: str, where: str, ignore_unknown: bool = False) -> GoldPassage:
    """Validate one JSONL line; ``where`` ("file:line") prefixes every error."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise GoldFormatError(f"{where}: malformed JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise GoldFormatError(f"{where}: expected a JSON object, found {type(record).__name__}")
    for key, kind in (("id", (str, int)), ("text", str), ("labels", list)):
        if key not in record:
            raise GoldFormatError(f"{where}: missing field {key!r}")
        if not isinstance(record[key], kind):
            raise GoldFormatError(f"{where}: field {key!r} should be {kind}, found {type(record[key]).__name__}")
    if not record["text"].strip():
        raise GoldFormatError(f"{where}: empty text")
    labels = [label for label in record["labels"] if label in LABELS]
    unknown = sorted(set(record["labels"]) - set(LABELS))
    if unknown and not ignore_unknown:
        raise GoldFormatError(f"{where}: unknown labels {unknown}; known labels: {', '.join(LABELS)}")
    sampling = record.get("sampling")
    if sampling is not None and sampling not in SAMPLING:
        raise GoldFormatError(f"{where}: sampling {sampling!r} is not one of {SAMPLING}")
    return GoldPassage(
        id=str(record["id"]), text=record["text"], labels=tuple(l for l in LABELS if l in labels),
        context=record.get("context") or "", doc_id=record.get("doc_id"), source=record.get("source"),
        sampling=sampling,
    )


def read_gold(path: str | Path, ignore_unknown: bool = False) -> list[GoldPassage]:
    """Read and validate a gold JSONL file; ids must be unique."""
    path = Path(path)
    records: list[GoldPassage] = []
    seen: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise GoldFormatError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        record = parse_gold_line(raw, f"{path}:{number}", ignore_unknown)
        if record.id in seen:
            raise GoldFormatError(f"{path}:{number}: duplicate id {record.id!r} (first on line {seen[record.id]})")
        seen[record.id] = number
        records.append(record)
    if not records:
        raise GoldFormatError(f"{path}: no records")
    return records


def write_gold(records: Iterable[GoldPassage], path: str | Path) -> None:
    """Write records as JSONL, atomically."""
    from framewatch.io.atomic import atomic_write_text

    atomic_write_text(path, "".join(record.to_json() + "\n" for record in records))


def label_matrix(records: Sequence[GoldPassage]) -> np.ndarray:
    """(n, n_labels) 0/1 matrix in taxonomy order."""
    matrix = np.zeros((len(records), len(LABELS)), dtype=np.int8)
    for row, record in enumerate(records):
        for label in record.labels:
            matrix[row, LABELS.index(label)] = 1
    return matrix


def load_split(split: str, gold_dir: str | Path = GOLD_DIR) -> list[GoldPassage]:
    """The shipped gold split ``train``, ``dev`` or ``test``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return read_gold(Path(gold_dir) / f"{split}.jsonl")
