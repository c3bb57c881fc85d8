"""Scoring many documents: the streaming engine behind ``framewatch score`` and the library's batch helpers.

* :func:`score_iter` scores any iterable of texts or dicts lazily, yielding one result dict per document (or one
  per sentence with ``passages=True``).
* :func:`batch_scorer` returns a function for ``datasets.Dataset.map(batched=True)`` that adds score columns.
* :func:`score_inputs` is what the CLI runs: files, folders, feeds or a saved dataset in, JSONL/CSV/Parquet out,
  in bounded memory, with an errors file, ``--resume`` and ``--workers``.

Never losing a record: rows go to ``<output>.partial``, appended a batch at a time and flushed and fsynced after
each batch, so the file always holds a committed prefix of whole lines. Only a completed run renames it to
``<output>`` (CSV and Parquet are converted from the staged JSONL first, into a temporary file renamed in turn),
so ``<output>`` never exists half-written. ``resume=True`` drops a torn last line (and, since a document's rows
are written together, the rows of the last document), skips every id already there and appends the rest.
Problems (a missing text, undecodable bytes, an oversized record, a malformed line) go to the errors file, one JSON
line each ``{"source", "line", "id", "error"}``, staged and renamed the same way; the run goes on.

Ids are kept as given; a repeated id within one run is renamed ``<id>#2``, ``<id>#3``… in input order, so every
output row has a unique id and a resumed run renames the same records the same way.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import struct
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.feeds import InputError, Item, Problem, ReadOptions, Record, record_from_mapping

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
RESERVED_FIELDS = frozenset({"id", "scores", "labels", "evidence", "n_sentences", "text", "sentence", "start", "end"})
"""Output keys that a passed-through field may not take."""
DEFAULT_BATCH_SIZE = 32
MAX_BATCH_CHARS = 2_000_000
"""A batch closes early at this many characters, so a batch of long documents stays small."""

__all__ = [
    "InputError", "NothingScoredError", "OutputOptions", "ScoreSummary", "atomic_path", "batch_scorer",
    "score_batch", "score_inputs", "score_iter",
]


class NothingScoredError(InputError):
    """No document of the input could be scored; the message gives the first problem."""


@dataclass(frozen=True)
class OutputOptions:
    """What each output row holds.

    Parameters
    ----------
    labels : only these labels (scores, labels and evidence); None for all, in taxonomy order.
    min_score : drop documents (passages with ``passages=True``) whose highest score over ``labels`` is lower.
    passages : one row per sentence (``sentence``, ``start``, ``end``, ``text``, ``scores``, ``labels``)
        instead of one per document.
    include_text : add the scored ``text`` to document rows (``framewatch report`` highlights evidence in it).
    """

    labels: tuple[str, ...] | None = None
    min_score: float | None = None
    passages: bool = False
    include_text: bool = False

    def __post_init__(self) -> None:
        if self.labels is not None:
            object.__setattr__(self, "labels", tuple(self.labels))
            unknown = [label for label in self.labels if label not in LABELS]
            if unknown or not self.labels:
                name = unknown[0] if unknown else ""
                raise ValueError(f"unknown label {name!r}; expected some of {', '.join(LABELS)}")
        if self.min_score is not None and not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be between 0 and 1, found {self.min_score}")

    @property
    def label_names(self) -> tuple[str, ...]:
        return self.labels or LABELS


# ---------------------------------------------------------------------------------------------- scoring


def _load_model(model: Any) -> Any:
    from framewatch.model import FramingClassifier, load

    if isinstance(model, FramingClassifier):
        return model
    return load(None if model is None else model)


def _round(value: float) -> float:
    return round(float(value), 4)


def score_batch(model: Any, records: Sequence[tuple[str, str, dict[str, Any]]],
                options: OutputOptions = OutputOptions()) -> list[tuple[str, int, list[dict[str, Any]]]]:
    """Score ``(id, text, fields)`` triples in one model call: ``(id, n_sentences, rows)`` for each.

    ``rows`` is one document row, or one row per sentence with ``options.passages``; it is empty when
    ``options.min_score`` filters the document (or every sentence) out.
    """
    texts = [text for _, text, _ in records]
    names = options.label_names
    if options.passages:
        return _score_passages(model, records, texts, options)
    results = []
    for (record_id, text, fields), doc in zip(records, model.score_documents(texts)):
        scores = {label: doc.scores[label] for label in names}
        if options.min_score is not None and max(scores.values()) < options.min_score:
            results.append((record_id, doc.n_sentences, []))
            continue
        evidence = []
        for item in doc.evidence:
            labels = [label for label in item.labels if label in scores]
            if labels:
                evidence.append({"start": item.start, "end": item.end, "text": item.text,
                                 "scores": {label: item.scores[label] for label in names}, "labels": labels})
        row = {"id": record_id, **fields, "scores": scores, "labels": [l for l in doc.labels if l in scores],
               "evidence": evidence, "n_sentences": doc.n_sentences}
        if options.include_text:
            row["text"] = text
        results.append((record_id, doc.n_sentences, [row]))
    return results


def _score_passages(model: Any, records: Sequence[tuple[str, str, dict[str, Any]]], texts: list[str],
                    options: OutputOptions) -> list[tuple[str, int, list[dict[str, Any]]]]:
    columns = [list(model.labels).index(label) for label in options.label_names]
    thresholds = np.asarray(model.thresholds_)[columns]
    results = []
    for (record_id, _, fields), (doc, probabilities) in zip(records, model.score_sentences(texts)):
        rows = []
        for index, (sentence, row) in enumerate(zip(doc, probabilities)):
            values = row[columns]
            if options.min_score is not None and values.max() < options.min_score:
                continue
            rows.append({"id": record_id, **fields, "sentence": index, "start": sentence.start, "end": sentence.end,
                         "text": sentence.text,
                         "scores": {label: _round(p) for label, p in zip(options.label_names, values)},
                         "labels": [label for label, p, t in zip(options.label_names, values, thresholds) if p >= t]})
        results.append((record_id, len(doc), rows))
    return results


def _batches(records: Iterable[Record], batch_size: int) -> Iterator[list[Record]]:
    """Groups of at most ``batch_size`` records and (past the first record) ``MAX_BATCH_CHARS`` characters."""
    batch: list[Record] = []
    chars = 0
    for record in records:
        if batch and chars + len(record.text) > MAX_BATCH_CHARS:
            yield batch
            batch, chars = [], 0
        batch.append(record)
        chars += len(record.text)
        if len(batch) >= batch_size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


_WORKER_MODEL: Any = None


def _init_worker(model: Any, threads: int) -> None:
    """Load the model once per worker process, with its share of the CPU threads."""
    global _WORKER_MODEL
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, str(threads))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _WORKER_MODEL = _load_model(model)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def _score_in_worker(payload: list[tuple[str, str, dict[str, Any]]], options: OutputOptions):
    return score_batch(_WORKER_MODEL, payload, options)


def _scored_batches(batches: Iterable[list[Record]], model: Any, options: OutputOptions,
                    workers: int = 1) -> Iterator[tuple[list[Record], list[tuple[str, int, list[dict[str, Any]]]]]]:
    """``(batch, results)`` in input order; with ``workers > 1`` batches are scored by that many processes
    (spawned, each loading the model once), with at most two batches per worker in flight."""
    if workers <= 1:
        loaded = _load_model(model)
        for batch in batches:
            yield batch, score_batch(loaded, [(r.id, r.text, r.fields) for r in batch], options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    threads = max(1, (os.cpu_count() or 1) // workers)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(model, threads))
    pending: deque = deque()
    try:
        for batch in batches:
            pending.append((batch, pool.submit(_score_in_worker, [(r.id, r.text, r.fields) for r in batch], options)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def score_iter(records: Iterable[str | dict[str, Any] | Record], model: Any = None, *,
               batch_size: int = DEFAULT_BATCH_SIZE, text_field: str = "text", id_field: str = "id",
               keep_fields: Sequence[str] = (), labels: Sequence[str] | None = None,
               min_score: float | None = None, passages: bool = False, include_text: bool = False,
               workers: int = 1, on_error: Callable[[Problem], None] | None = None) -> Iterator[dict[str, Any]]:
    """Score documents lazily, a batch at a time: one result dict per document, in input order.

    Parameters
    ----------
    records : texts, dicts (``text_field``, optional ``id_field``, ``keep_fields`` copied through) or
        :class:`framewatch.feeds.Record`. A record without an id gets its 0-based position.
    model : a loaded model, a shipped model name or a model directory; None for the default.
    batch_size : documents per model call, default=32.
    labels, min_score, passages, include_text : see :class:`OutputOptions`.
    workers : processes scoring in parallel (each loads the model once), default=1.
    on_error : called with a :class:`~framewatch.feeds.Problem` for a record that cannot be scored (no text,
        not a string); None raises :class:`InputError` instead.

    Yields
    ------
    dict : ``id``, the kept fields, ``scores`` (per label), ``labels`` (over threshold), ``evidence`` (sentences
        with ``start``/``end`` offsets into the text, ``scores`` and ``labels``) and ``n_sentences``.

    Examples
    --------
    >>> import framewatch
    >>> rows = framewatch.score_iter(["Officials declined to comment.", {"id": "b", "text": "It rained."}])
    >>> [row["id"] for row in rows]
    ['0', 'b']
    """
    options = OutputOptions(None if labels is None else tuple(labels), min_score, passages, include_text)
    read = ReadOptions(text_field=text_field, id_field=None, keep_fields=tuple(keep_fields), max_chars=sys.maxsize)

    def prepared() -> Iterator[Record]:
        for position, item in enumerate(records):
            if isinstance(item, str):
                item = {text_field: item}
            if isinstance(item, dict):
                obj = item if item.get(id_field) not in (None, "") else {**item, id_field: str(position)}
                item = record_from_mapping({**obj, "id": obj[id_field]}, "<records>", position, read, 0)
            if isinstance(item, Problem):
                if on_error is None:
                    raise InputError(f"record {position}: {item.error}")
                on_error(item)
                continue
            yield item

    for _, results in _scored_batches(_batches(prepared(), batch_size), model, options, workers):
        for _, _, rows in results:
            yield from rows


def batch_scorer(model: Any = None, *, text_field: str = "text", labels: Sequence[str] | None = None,
                 prefix: str = "framewatch_") -> Callable[[dict[str, list]], dict[str, list]]:
    """A function for ``datasets.Dataset.map(batched=True)`` that adds score columns to each batch.

    Added columns (their types never change from batch to batch, as ``map`` requires): ``<prefix><label>``
    (float) for each label, ``<prefix>labels`` (labels over threshold joined by ``;``), ``<prefix>evidence``
    (the evidence list as JSON, as in ``score_iter``'s rows) and ``<prefix>n_sentences``. A missing (None) text
    scores as an empty document.

    Examples
    --------
    >>> import datasets, framewatch                                        # doctest: +SKIP
    >>> ds = datasets.load_from_disk("news")                               # doctest: +SKIP
    >>> scored = ds.map(framewatch.batch_scorer(), batched=True, batch_size=64)  # doctest: +SKIP
    """
    loaded = _load_model(model)
    options = OutputOptions(None if labels is None else tuple(labels))

    def score(batch: dict[str, list]) -> dict[str, list]:
        if text_field not in batch:
            raise KeyError(f"batch_scorer: no column {text_field!r} (columns: {', '.join(batch)})")
        texts = batch[text_field]
        for position, text in enumerate(texts):
            if text is not None and not isinstance(text, str):
                raise TypeError(f"batch_scorer: {text_field!r} #{position} is {type(text).__name__}, expected str")
        results = score_batch(loaded, [(str(i), text or "", {}) for i, text in enumerate(texts)], options)
        rows = [rows[0] for _, _, rows in results]
        columns: dict[str, list] = {f"{prefix}{label}": [row["scores"][label] for row in rows]
                                    for label in options.label_names}
        columns[f"{prefix}labels"] = [";".join(row["labels"]) for row in rows]
        columns[f"{prefix}evidence"] = [json.dumps(row["evidence"], ensure_ascii=False) for row in rows]
        columns[f"{prefix}n_sentences"] = [row["n_sentences"] for row in rows]
        return columns

    return score


# ---------------------------------------------------------------------------------------------- id sets


class IdSet:
    """A set of strings in about 16 bytes each: 128-bit BLAKE2b digests, recent ones in a Python set and the rest
    in sorted numpy arrays, merged as they grow. Resume and duplicate detection keep every id of a run; this keeps
    that memory small (10 million ids: about 160 MB)."""

    def __init__(self) -> None:
        self._recent: set[bytes] = set()
        self._high = np.empty(0, dtype=np.uint64)
        self._low = np.empty(0, dtype=np.uint64)

    @staticmethod
    def _digest(value: str) -> bytes:
        return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def __len__(self) -> int:
        return len(self._recent) + len(self._high)

    def __contains__(self, value: str) -> bool:
        digest = self._digest(value)
        if digest in self._recent:
            return True
        if not len(self._high):
            return False
        high, low = struct.unpack("<QQ", digest)
        start = np.searchsorted(self._high, np.uint64(high), "left")
        end = np.searchsorted(self._high, np.uint64(high), "right")
        return bool((self._low[start:end] == np.uint64(low)).any())

    def add(self, value: str) -> None:
        self._recent.add(self._digest(value))
        if len(self._recent) >= max(65536, len(self._high) // 4):
            self._merge()

    def _merge(self) -> None:
        pairs = np.frombuffer(b"".join(self._recent), dtype="<u8").reshape(-1, 2)
        high = np.concatenate([self._high, pairs[:, 0]])
        low = np.concatenate([self._low, pairs[:, 1]])
        order = np.argsort(high, kind="stable")
        self._high, self._low = high[order], low[order]
        self._recent = set()


class UniqueIds:
    """Renames a repeated id ``<id>#2``, ``<id>#3``… (skipping names already taken), deterministically in input
    order; ``renamed`` counts them."""

    def __init__(self) -> None:
        self.seen = IdSet()
        self.last: dict[str, int] = {}
        self.renamed = 0

    def __call__(self, record_id: str) -> str:
        if record_id not in self.seen:
            self.seen.add(record_id)
            return record_id
        number = self.last.get(record_id, 1)
        while True:
            number += 1
            candidate = f"{record_id}#{number}"
            if candidate not in self.seen:
                break
        self.last[record_id] = number
        self.seen.add(candidate)
        self.renamed += 1
        return candidate


# ---------------------------------------------------------------------------------------------- staged files


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _lock(handle: IO[bytes], path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise InputError(f"{path}: another framewatch run is writing it") from None


def _committed_lines(handle: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(end offset, row)`` of each whole, valid JSON line of a staged file, from the start."""
    handle.seek(0)
    offset = 0
    for line in handle:
        if not line.endswith(b"\n"):
            return
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return
        if not isinstance(row, dict):
            return
        offset += len(line)
        yield offset, row


class StagedOutput:
    """``<path>.partial``: rows appended and fsynced a batch at a time, renamed (or converted) to ``path`` when
    the run completes. ``open`` returns the ids already committed (empty unless resuming)."""

    def __init__(self, path: Path, *, resume: bool = False, passages: bool = False,
                 labels: Sequence[str] | None = None) -> None:
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.resume, self.passages = resume, passages
        self.labels = None if labels is None else list(labels)
        self.handle: IO[bytes] | None = None
        self.rows = 0

    def open(self) -> IdSet:
        if self.partial.exists() and not self.resume:
            raise InputError(f"{self.partial} exists (left by an interrupted run): pass --resume to continue it, "
                             f"or delete it to start again")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.partial, "a+b")
        try:
            _lock(self.handle, self.partial)
            committed = self._committed() if self.resume else IdSet()
        except BaseException:
            self.handle.close()
            raise
        self.handle.seek(0, os.SEEK_END)
        return committed

    def _committed(self) -> IdSet:
        """Ids of the committed rows; cuts a torn last line and, in passages mode, the last document's rows."""
        committed = IdSet()
        end = group_start = group_rows = 0
        last_id = None
        for offset, row in _committed_lines(self.handle):
            if ("sentence" in row) != self.passages:
                raise InputError(f"{self.partial} was written {'without' if self.passages else 'with'} --passages; "
                                 f"resume with the same options")
            if self.labels is not None and list(row.get("scores", {})) != self.labels:
                raise InputError(f"{self.partial} was written with other --labels ({', '.join(row.get('scores', {}))});"
                                 f" resume with the same options")
            if row.get("id") != last_id:
                if last_id is not None:
                    committed.add(last_id)
                group_start, group_rows, last_id = end, 0, row.get("id")
            group_rows += 1
            self.rows += 1
            end = offset
        if last_id is not None and self.passages:
            # a document's sentences are committed together, but a torn write could have cut them: redo it
            self.rows -= group_rows
            end = group_start
        elif last_id is not None:
            committed.add(last_id)
        self.handle.truncate(end)
        return committed

    def commit(self, lines: list[str]) -> None:
        if not lines:
            return
        self.handle.write("".join(lines).encode("utf-8"))
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.rows += len(lines)

    def finish(self, convert: Callable[[Path, Path], None] | None = None) -> None:
        """Move the staged rows into place: renamed as they are, or ``convert(staged, tmp)`` then renamed."""
        self.handle.close()
        if convert is None:
            os.replace(self.partial, self.path)
        else:
            with atomic_path(self.path) as tmp:
                convert(self.partial, tmp)
            self.partial.unlink()
        _fsync_directory(self.path.parent)

    def discard(self) -> None:
        """Drop the staged file (nothing was committed)."""
        if self.handle is not None:
            self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()

    def close(self) -> bool:
        """Leave the committed prefix for ``--resume`` (or remove it if it holds nothing); True if kept."""
        if self.handle is None or self.handle.closed:
            return False
        empty = self.handle.seek(0, os.SEEK_END) == 0
        self.handle.close()
        if empty:
            with contextlib.suppress(FileNotFoundError):
                self.partial.unlink()
        return not empty


class ErrorLog:
    """Problems of a run: staged in ``<path>.partial`` and renamed to ``path`` at the end (removed, with any stale
    ``path``, when there were none), or printed to ``stream`` as warnings when there is no path. Resuming skips
    problems already logged, so none appears twice."""

    def __init__(self, path: Path | None, *, resume: bool = False, stream: IO[str] | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.partial = None if path is None else self.path.with_name(self.path.name + ".partial")
        self.resume, self.stream = resume, stream
        self.count, self.first = 0, None
        self.handle: IO[bytes] | None = None
        self.seen = IdSet()

    def open(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.partial, "a+b")
        _lock(self.handle, self.partial)
        end = 0
        if self.resume:
            for end, row in _committed_lines(self.handle):
                self.seen.add(json.dumps(row, ensure_ascii=False))
                self.count += 1
                if self.first is None:
                    self.first = f"{row.get('source')}" + (f":{row['line']}" if row.get("line") else "") + \
                                 f": {row.get('error')}"
        self.handle.truncate(end)
        self.handle.seek(0, os.SEEK_END)

    def add(self, problem: Problem) -> None:
        if self.first is None:
            self.first = str(problem)
        if self.handle is None:
            self.count += 1
            print(f"warning: {problem}", file=self.stream or sys.stderr)
            return
        line = json.dumps(problem.to_dict(), ensure_ascii=False)
        if line in self.seen:
            return
        self.seen.add(line)
        self.count += 1
        self.handle.write(line.encode("utf-8") + b"\n")

    def commit(self) -> None:
        if self.handle is not None:
            self.handle.flush()
            os.fsync(self.handle.fileno())

    def finish(self) -> None:
        if self.handle is None:
            return
        self.handle.close()
        if self.count:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink()
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        _fsync_directory(self.path.parent)

    def close(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.close()

    def discard(self) -> None:
        self.close()
        if self.partial is not None:
            with contextlib.suppress(FileNotFoundError):
                self.partial.unlink()


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block completes (fsynced first)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # the permissions of a file opened normally, not mkstemp's 0600
        yield Path(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------------------------- CSV and Parquet

_DOCUMENT_KEYS = ("id", "scores", "labels", "evidence", "n_sentences", "text")
_PASSAGE_KEYS = ("id", "sentence", "start", "end", "text", "scores", "labels")


def _staged_rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _columns(path: Path, passages: bool, labels: Sequence[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """Kept-field names (first-seen order) with a type for Parquet, and the label names, from the staged rows."""
    known = set(_PASSAGE_KEYS if passages else _DOCUMENT_KEYS)
    kinds: dict[str, set[str]] = {}
    found_labels: list[str] | None = None
    for row in _staged_rows(path):
        if found_labels is None:
            found_labels = list(row["scores"])
        for name, value in row.items():
            if name not in known:
                kind = kinds.setdefault(name, set())
                if value is not None:
                    kind.add("bool" if isinstance(value, bool) else "int" if isinstance(value, int) else
                             "float" if isinstance(value, float) else "str" if isinstance(value, str) else "json")
    types = {}
    for name, kind in kinds.items():
        types[name] = (kind.pop() if len(kind) == 1 else "float" if kind == {"int", "float"} else
                       "str" if not kind else "json")
    return list(kinds), types, found_labels or list(labels)


def write_csv(staged: Path, out: IO[str], passages: bool, labels: Sequence[str], delimiter: str = ",") -> None:
    """Staged JSONL rows as CSV: a column per kept field and per label score; ``labels`` joined by ``;``;
    ``evidence`` as JSON."""
    fields, _, labels = _columns(staged, passages, labels)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if passages:
        head = ["id", *fields, "sentence", "start", "end", "text", *labels, "labels"]
    else:
        head = ["id", *fields, *labels, "labels", "evidence", "n_sentences"]
    rows = _staged_rows(staged)
    first = next(rows, None)
    has_text = first is not None and not passages and "text" in first
    writer.writerow(head + (["text"] if has_text else []))
    if first is not None:
        _write_csv_row(writer, first, fields, labels, passages, has_text)
    for row in rows:
        _write_csv_row(writer, row, fields, labels, passages, has_text)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_csv_row(writer: Any, row: dict[str, Any], fields: list[str], labels: Sequence[str], passages: bool,
                   has_text: bool) -> None:
    kept = [_cell(row.get(name)) for name in fields]
    scores = [row["scores"].get(label, "") for label in labels]
    if passages:
        writer.writerow([row["id"], *kept, row["sentence"], row["start"], row["end"], row["text"], *scores,
                         ";".join(row["labels"])])
    else:
        cells = [row["id"], *kept, *scores, ";".join(row["labels"]),
                 json.dumps(row["evidence"], ensure_ascii=False), row["n_sentences"]]
        writer.writerow(cells + ([row.get("text", "")] if has_text else []))


def write_parquet(staged: Path, out: Path | IO[bytes], passages: bool, labels: Sequence[str],
                  chunk_rows: int = 5000) -> None:
    """Staged JSONL rows as Parquet, ``chunk_rows`` rows per row group: nested like the JSONL (``scores`` a
    struct, ``labels`` a list, ``evidence`` a list of structs); kept fields typed from their values (mixed or
    nested values as JSON strings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields, types, labels = _columns(staged, passages, labels)
    first = next(_staged_rows(staged), {})
    has_text = "text" in first
    arrow = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "json": pa.string()}
    scores = pa.struct([(label, pa.float64()) for label in labels])
    kept = [(name, arrow[types[name]]) for name in fields]
    if passages:
        schema = pa.schema([("id", pa.string()), *kept, ("sentence", pa.int32()), ("start", pa.int64()),
                            ("end", pa.int64()), ("text", pa.string()), ("scores", scores),
                            ("labels", pa.list_(pa.string()))])
    else:
        evidence = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("scores", scores),
                              ("labels", pa.list_(pa.string()))])
        text = [("text", pa.string())] if has_text else []
        schema = pa.schema([("id", pa.string()), *kept, ("scores", scores), ("labels", pa.list_(pa.string())),
                            ("evidence", pa.list_(evidence)), ("n_sentences", pa.int32()), *text])
    json_fields = [name for name in fields if types[name] == "json"]
    float_fields = [name for name in fields if types[name] == "float"]

    def prepared(row: dict[str, Any]) -> dict[str, Any]:
        for name in json_fields:
            value = row.get(name)
            if value is not None and not isinstance(value, str):
                row[name] = json.dumps(value, ensure_ascii=False)
        for name in float_fields:
            if row.get(name) is not None:
                row[name] = float(row[name])
        return row

    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in _staged_rows(staged):
            chunk.append(prepared(row))
            if len(chunk) >= chunk_rows:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))


def output_format(path: str | None, to: str | None = None) -> str:
    """``to`` when given, else from the extension: ``.csv``/``.tsv`` CSV, ``.parquet``/``.pq`` Parquet, JSONL
    otherwise (and for standard output)."""
    if to:
        if to not in OUTPUT_FORMATS:
            raise InputError(f"unknown output format {to!r}; expected one of {', '.join(OUTPUT_FORMATS)}")
        return to
    suffix = Path(path).suffix.lower() if path not in (None, "-") else ""
    return {".csv": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(suffix, "jsonl")


def _converter(fmt: str, target: str | None, options: OutputOptions) -> Callable[[Path, Path], None] | None:
    if fmt == "jsonl":
        return None
    if fmt == "parquet":
        return lambda staged, tmp: write_parquet(staged, tmp, options.passages, options.label_names)
    delimiter = "\t" if target and Path(target).suffix.lower() == ".tsv" else ","

    def to_csv(staged: Path, tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            write_csv(staged, out, options.passages, options.label_names, delimiter)

    return to_csv


# ---------------------------------------------------------------------------------------------- the run


@dataclass
class ScoreSummary:
    """What a run did. ``documents`` and ``passages`` count what was scored in this run (not the resumed part)."""

    documents: int = 0
    passages: int = 0
    rows: int = 0
    filtered: int = 0
    skipped: int = 0
    problems: int = 0
    renamed: int = 0
    seconds: float = 0.0
    output: str | None = None
    errors: str | None = None
    first_problem: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        parts = [f"scored {self.documents} documents ({self.passages} passages) in {self.seconds:.1f} s "
                 f"({rate:.1f} documents/s)"]
        if self.skipped:
            parts.append(f"{self.skipped} already written (resumed)")
        if self.filtered:
            parts.append(f"{self.filtered} under --min-score")
        if self.renamed:
            parts.append(f"{self.renamed} repeated ids renamed <id>#n")
        if self.problems:
            parts.append(f"{self.problems} problem{'s' * (self.problems != 1)}" +
                         (f" in {self.errors}" if self.errors else ""))
        return "; ".join(parts)


def _progress(total: int | None, unit: str, enabled: bool):
    from tqdm.auto import tqdm

    byte_unit = unit == "B"
    return tqdm(total=total, unit=unit, unit_scale=byte_unit, unit_divisor=1024 if byte_unit else 1000,
                disable=not enabled, desc="scoring", dynamic_ncols=True, smoothing=0.1, file=sys.stderr)


def score_inputs(inputs: Sequence[str] = (), output: str | None = None, *, fmt: str = "auto",
                 hf_dataset: str | None = None, split: str | None = None, model: Any = None,
                 to: str | None = None, read_options: ReadOptions | None = None,
                 output_options: OutputOptions | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 workers: int = 1, resume: bool = False, errors: str | None = None, fail_fast: bool = False,
                 progress: bool = False, stdin: IO[bytes] | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None) -> ScoreSummary:
    """Score files, folders, feeds, standard input (``-``) or a saved dataset into JSONL, CSV or Parquet.

    Parameters
    ----------
    inputs : paths (files or folders) and ``-``; ignored when ``hf_dataset`` is given.
    output : output path; None writes JSONL (or CSV/Parquet by ``to``) to ``stdout``.
    fmt : input format (:data:`framewatch.feeds.FORMATS`), default="auto" (by extension, else sniffed).
    hf_dataset, split : a dataset saved with ``save_to_disk``, and optionally one split of it.
    model : a loaded model, a model name or directory; None for the default.
    to : output format (``jsonl``, ``csv``, ``parquet``); None picks it from ``output``'s extension.
    read_options, output_options : see :class:`~framewatch.feeds.ReadOptions` and :class:`OutputOptions`.
    batch_size : documents per model call; each batch is committed (fsynced) as it is written.
    workers : scoring processes, default=1 (scoring in this process).
    resume : continue ``<output>.partial`` left by an interrupted run instead of refusing to overwrite it.
    errors : errors JSONL path; None means ``<output>.errors.jsonl`` (warnings on ``stderr`` for stdout output).
    fail_fast : raise :class:`InputError` at the first problem instead of logging it and going on.
    progress : show a progress bar (bytes or rows, with rate and ETA) on ``stderr``.

    Raises
    ------
    InputError : a bad option, an existing ``.partial`` without ``resume``, the first problem with ``fail_fast``.
    NothingScoredError : nothing at all could be scored (the errors file is still written).
    """
    from framewatch import feeds

    read_options = read_options or ReadOptions()
    options = output_options or OutputOptions()
    clash = sorted(RESERVED_FIELDS & set(read_options.keep_fields or ()))
    if clash:
        raise InputError(f"--keep-fields {clash[0]!r} is an output key; rename that field")
    if batch_size < 1 or workers < 1:
        raise InputError("--batch-size and --workers must be at least 1")
    to_stdout = output in (None, "-")
    out_format = output_format(None if to_stdout else output, to)
    if to_stdout and resume:
        raise InputError("--resume needs -o/--output (a run to standard output cannot be resumed)")
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    started = time.perf_counter()

    if hf_dataset is not None:
        items: Iterable[Item] = feeds.read_hf_dataset(hf_dataset, read_options, split)
        total, unit = feeds.hf_dataset_rows(hf_dataset, split), "docs"
    else:
        paths = list(inputs) or ["-"]
        if paths.count("-") > 1:
            raise InputError("standard input (-) can be read only once")
        items = feeds.read_inputs(paths, fmt, read_options, stdin)
        total, unit = feeds.input_size(paths, fmt), "B"

    summary = ScoreSummary(output=None if to_stdout else str(output))
    errors_path = Path(errors) if errors else (None if to_stdout else Path(f"{output}.errors.jsonl"))
    log = ErrorLog(errors_path, resume=resume, stream=stderr)
    staged: StagedOutput | None = None
    scratch: tempfile.TemporaryDirectory | None = None
    if not to_stdout:
        staged = StagedOutput(Path(output), resume=resume, passages=options.passages, labels=options.label_names)
    elif out_format != "jsonl":
        scratch = tempfile.TemporaryDirectory(prefix="framewatch-")
        staged = StagedOutput(Path(scratch.name) / f"out.{out_format}", passages=options.passages)
    committed = staged.open() if staged is not None else IdSet()
    rows_before = staged.rows if staged is not None else 0
    log.open()
    unique = UniqueIds()
    bar = _progress(total, unit, progress)

    def records() -> Iterator[Record]:
        for item in items:
            bar.update(item.nbytes)
            if isinstance(item, Problem):
                log.add(item)
                if fail_fast:
                    raise InputError(str(item))
                continue
            item.id = unique(item.id)
            if item.id in committed:
                summary.skipped += 1
                continue
            yield item

    completed = False
    try:
        for batch, results in _scored_batches(_batches(records(), batch_size), model, options, workers):
            lines = []
            for record_id, n_sentences, rows in results:
                summary.documents += 1
                summary.passages += n_sentences
                summary.filtered += not rows
                lines.extend(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            log.commit()
            if staged is not None:
                staged.commit(lines)
            else:
                stdout.write("".join(lines))
                stdout.flush()
            summary.rows += len(lines)
            elapsed = time.perf_counter() - started
            bar.set_postfix_str(f"{summary.documents} docs, {summary.documents / elapsed:.1f} docs/s", refresh=False)
        completed = True
    finally:
        bar.close()
        if not completed:  # leave what was committed for --resume; a run with nothing committed leaves nothing
            if scratch is not None or staged is None:
                if scratch is not None:
                    staged.discard()
                    scratch.cleanup()
                log.finish()  # standard output cannot be resumed: keep the problems found so far
            elif staged.close():
                log.commit()
                log.close()
            else:
                log.discard()

    summary.renamed = unique.renamed
    summary.problems, summary.first_problem = log.count, log.first
    summary.errors = str(errors_path) if errors_path is not None and log.count else None
    if summary.documents == 0 and summary.skipped == 0 and rows_before == 0:
        if staged is not None:
            staged.discard()
        log.finish()
        if scratch is not None:
            scratch.cleanup()
        where = f" ({log.count} problems in {errors_path})" if errors_path is not None and log.count > 1 else ""
        raise NothingScoredError(f"nothing could be scored: {log.first or 'no documents in the input'}{where}")
    log.finish()
    if staged is not None and not to_stdout:
        staged.finish(_converter(out_format, output, options))
    elif staged is not None:
        staged.handle.close()
        if out_format == "csv":
            write_csv(staged.partial, stdout, options.passages, options.label_names)
            stdout.flush()
        else:
            buffer = getattr(stdout, "buffer", None)
            if buffer is None:
                raise InputError("Parquet output needs -o/--output or a binary standard output")
            write_parquet(staged.partial, buffer, options.passages, options.label_names)
            buffer.flush()
        scratch.cleanup()
    summary.seconds = time.perf_counter() - started
    return summary
