"""Scoring many documents: the streaming engine behind ``framewatch score`` and the library's batch helpers.

* :func:`score_iter` scores any iterable of texts or dicts lazily, yielding one result dict per document (or one
  per sentence with ``passages=True``).
* :func:`batch_scorer` returns a function for ``datasets.Dataset.map(batched=True)`` that adds score columns.
* :func:`score_inputs` is what the CLI runs: files, folders, feeds or a saved dataset in, JSONL/CSV/Parquet out,
  in bounded memory, with an errors file, ``--resume`` and ``--workers``.

Reading is :mod:`framewatch.io.readers`, writing CSV and Parquet :mod:`framewatch.io.writers`, and what makes a run
lossless and resumable (rows staged in ``<output>.partial`` and committed a batch at a time, the errors file)
:mod:`framewatch.io.state`. A problem (a missing text, undecodable bytes, an oversized record, a malformed line)
goes to the errors file and the run goes on.

Ids are kept as given; a repeated id within one run is renamed ``<id>#2``, ``<id>#3``… in input order, so every
output row has a unique id and a resumed run renames the same records the same way.

A record's title is scored before its text (the title's sentences, then the text's; document scores are the
maximum over all of them), but offsets never point into a joined string: evidence (and passages) of the text index
the text, and those of the title carry ``"field": "title"`` and index the title.

Faults: every committed batch is fsynced, so a SIGKILL loses nothing committed and ``--resume`` repeats nothing;
SIGINT and SIGTERM (with ``handle_signals``) stop after flushing the batch in progress; a write that fails (a full
disk) cuts ``.partial`` back to its committed prefix and stops with one error; a second run on an output that a
run is writing is refused.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from framewatch.data.taxonomy import LABELS
from framewatch.io.readers import hf_dataset_rows, input_size, read_hf_dataset, read_inputs
from framewatch.io.records import (InputError, Item, Problem, ReadOptions, Record, has_surrogates,
                                   record_from_mapping)
from framewatch.io.state import ErrorLog, IdSet, StagedOutput, UniqueIds
from framewatch.io.writers import converter, output_format, write_csv, write_parquet

RESERVED_FIELDS = frozenset({"id", "scores", "labels", "evidence", "n_sentences", "text", "sentence", "start", "end"})
"""Output keys that a passed-through field may not take."""
DEFAULT_BATCH_SIZE = 32
MAX_BATCH_CHARS = 2_000_000
"""A batch closes early at this many characters, so a batch of long documents stays small."""

__all__ = [
    "Interrupted", "NothingScoredError", "OutputOptions", "ScoreSummary", "batch_scorer", "score_batch", "score_inputs",
    "score_iter",
]


class NothingScoredError(InputError):
    """No document of the input could be scored; the message gives the first problem."""


class Interrupted(KeyboardInterrupt):
    """A run stopped by SIGINT or SIGTERM (``signum``) after flushing the batch in progress; what was committed
    stays in ``<output>.partial`` for ``--resume``. A KeyboardInterrupt, so code that handles Ctrl-C handles it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Signals:
    """SIGINT and SIGTERM during a run: raised as :class:`Interrupted` at once while the run reads or waits, but
    held while a batch is scored and committed (``hold`` … ``release``), so the batch in progress is flushed
    whole first. Installed only when asked (the CLI) and only from the main thread; ``restore`` puts the previous
    handlers back."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and threading.current_thread() is threading.main_thread()
        self.depth = 0
        self.pending: int | None = None
        self.previous: dict[int, Any] = {}

    def install(self) -> None:
        if self.enabled:
            for number in (signal.SIGINT, signal.SIGTERM):
                self.previous[number] = signal.signal(number, self._handler)

    def restore(self) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        self.previous = {}
        self.depth = 0

    def _handler(self, signum: int, frame: Any) -> None:
        if self.depth:
            self.pending = self.pending or signum
            return
        raise Interrupted(signum)

    def hold(self) -> None:
        self.depth += 1

    def release(self) -> None:
        self.depth = max(0, self.depth - 1)
        if not self.depth and self.pending and self.previous:
            signum, self.pending = self.pending, None
            raise Interrupted(signum)


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


def keep_field_clash(kept: Iterable[str], options: OutputOptions, title_field: str | None) -> str | None:
    """Why the kept fields cannot sit beside the scored ones in an output row (None when they can): a field named
    like an output key, or a kept ``title`` beside the scored title that ``include_text`` writes."""
    kept = set(kept)
    clash = sorted(RESERVED_FIELDS & kept | ({"field"} & kept if options.passages else set()))
    if clash:
        return f"{clash[0]!r} is an output key; rename that field"
    if options.include_text and "title" in kept and title_field not in (None, "title"):
        return (f"'title' would clash with the scored title that --with-text writes (from --title-field "
                f"{title_field!r}); drop one")
    return None


def _load_model(model: Any) -> Any:
    from framewatch.model import FramingClassifier, load

    if isinstance(model, FramingClassifier):
        return model
    return load(None if model is None else model)


def _round(value: float) -> float:
    return round(float(value), 4)


Document = tuple  # (id, text, fields) or (id, text, fields, title)
"""What :func:`score_batch` scores: an id, the body text, the passed-through fields and optionally a title."""


def _parts(document: Sequence[Any]) -> tuple[str, str, dict[str, Any], str | None]:
    record_id, text, fields = document[:3]
    return record_id, text, fields, (document[3] if len(document) > 3 else None)


def _joined(text: str, title: str | None) -> tuple[str, int]:
    """What the model reads, and where the body starts in it: the title, a blank line, the body.

    Sentences never cross a line break, so the title's sentences come first, then the body's, each scored with
    the sentence before it as context (the title's last one for the body's first); offsets under ``shift`` index
    the title and the rest, less ``shift``, the body."""
    if not title:
        return text, 0
    return f"{title}\n\n{text}", len(title) + 2


def _where(start: int, end: int, shift: int) -> tuple[dict[str, Any], int, int]:
    """``({"field": "title"}, start, end)`` for a sentence of the title, ``({}, start, end)`` with offsets into the
    body for one of the body."""
    if shift and start < shift:
        return {"field": "title"}, start, end
    return {}, start - shift, end - shift


def score_batch(model: Any, records: Sequence[Document],
                options: OutputOptions = OutputOptions()) -> list[tuple[str, int, list[dict[str, Any]]]]:
    """Score ``(id, text, fields)`` or ``(id, text, fields, title)`` documents in one model call:
    ``(id, n_sentences, rows)`` for each.

    A title's sentences are scored before the text's (document scores are the maximum over all of them); evidence
    offsets index the text, and evidence found in the title carries ``"field": "title"`` and offsets into the
    title. ``rows`` is one document row, or one row per sentence with ``options.passages``; it is empty when
    ``options.min_score`` filters the document (or every sentence) out.
    """
    documents = [_parts(document) for document in records]
    joined = [_joined(text, title) for _, text, _, title in documents]
    if options.passages:
        return _score_passages(model, documents, joined, options)
    names = options.label_names
    texts = [text for text, _ in joined]
    results = []
    for (record_id, text, fields, title), (_, shift), doc in zip(documents, joined, model.score_documents(texts)):
        scores = {label: doc.scores[label] for label in names}
        if options.min_score is not None and max(scores.values()) < options.min_score:
            results.append((record_id, doc.n_sentences, []))
            continue
        evidence = []
        for item in doc.evidence:
            labels = [label for label in item.labels if label in scores]
            if labels:
                where, start, end = _where(item.start, item.end, shift)
                evidence.append({**where, "start": start, "end": end, "text": item.text,
                                 "scores": {label: item.scores[label] for label in names}, "labels": labels})
        row = {"id": record_id, **fields, "scores": scores, "labels": [l for l in doc.labels if l in scores],
               "evidence": evidence, "n_sentences": doc.n_sentences}
        if options.include_text:
            row["text"] = text
            if title is not None:
                row["title"] = title
        results.append((record_id, doc.n_sentences, [row]))
    return results


def _score_passages(model: Any, documents: list[tuple[str, str, dict[str, Any], str | None]],
                    joined: list[tuple[str, int]],
                    options: OutputOptions) -> list[tuple[str, int, list[dict[str, Any]]]]:
    columns = [list(model.labels).index(label) for label in options.label_names]
    thresholds = np.asarray(model.thresholds_)[columns]
    results = []
    scored = model.score_sentences([text for text, _ in joined])
    for (record_id, _, fields, _), (_, shift), (doc, probabilities) in zip(documents, joined, scored):
        rows = []
        for index, (sentence, row) in enumerate(zip(doc, probabilities)):
            values = row[columns]
            if options.min_score is not None and values.max() < options.min_score:
                continue
            where, start, end = _where(sentence.start, sentence.end, shift)
            rows.append({"id": record_id, **fields, "sentence": index, **where, "start": start, "end": end,
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
        if batch and chars + record.chars > MAX_BATCH_CHARS:
            yield batch
            batch, chars = [], 0
        batch.append(record)
        chars += record.chars
        if len(batch) >= batch_size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


_WORKER_MODEL: Any = None


def _init_worker(model: Any, threads: int) -> None:
    """Load the model once per worker process, with its share of the CPU threads."""
    global _WORKER_MODEL
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the main process decides
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, str(threads))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _WORKER_MODEL = _load_model(model)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def _payload(batch: list[Record]) -> list[Document]:
    return [(r.id, r.text, r.fields, r.title) for r in batch]


def _score_in_worker(payload: list[Document],
                     options: OutputOptions) -> list[tuple[str, int, list[dict[str, Any]]]]:
    return score_batch(_WORKER_MODEL, payload, options)


def _scored_batches(batches: Iterable[list[Record]], model: Any, options: OutputOptions, workers: int = 1,
                    signals: _Signals | None = None
                    ) -> Iterator[tuple[list[Record], list[tuple[str, int, list[dict[str, Any]]]]]]:
    """``(batch, results)`` in input order; with ``workers > 1`` batches are scored by that many processes
    (spawned, each loading the model once), with at most two batches per worker in flight. With ``signals``, each
    batch is held from the start of its scoring (one worker) or from its result (several) until the consumer
    releases it."""
    hold = signals.hold if signals is not None else (lambda: None)
    if workers <= 1:
        loaded = _load_model(model)
        for batch in batches:
            hold()
            yield batch, score_batch(loaded, _payload(batch), options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    threads = max(1, (os.cpu_count() or 1) // workers)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(model, threads))
    pending: deque = deque()
    try:
        for batch in batches:
            pending.append((batch, pool.submit(_score_in_worker, _payload(batch), options)))
            if len(pending) >= 2 * workers:
                done, future = pending.popleft()
                results = future.result()
                hold()
                yield done, results
        while pending:
            done, future = pending.popleft()
            results = future.result()
            hold()
            yield done, results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def score_iter(records: Iterable[str | dict[str, Any] | Record], model: Any = None, *,
               batch_size: int = DEFAULT_BATCH_SIZE, text_field: str = "text", id_field: str = "id",
               title_field: str | None = None, keep_fields: Sequence[str] = (), labels: Sequence[str] | None = None,
               min_score: float | None = None, passages: bool = False, include_text: bool = False,
               workers: int = 1, on_error: Callable[[Problem], None] | None = None) -> Iterator[dict[str, Any]]:
    """Score documents lazily, a batch at a time: one result dict per document, in input order.

    Parameters
    ----------
    records : texts, dicts (``text_field``, optional ``id_field`` and ``title_field``, ``keep_fields`` copied
        through) or :class:`framewatch.io.records.Record`. A record without an id gets its 0-based position.
    model : a loaded model, a shipped model name or a model directory; None for the default.
    batch_size : documents per model call, default=32.
    labels, min_score, passages, include_text : see :class:`OutputOptions`.
    workers : processes scoring in parallel (each loads the model once), default=1.
    on_error : called with a :class:`~framewatch.io.records.Problem` for a record that cannot be scored (no text,
        not a string, not a text, dict or Record at all); None raises :class:`InputError` instead.

    Yields
    ------
    dict : ``id``, the kept fields, ``scores`` (per label), ``labels`` (over threshold), ``evidence`` (sentences
        with ``start``/``end`` offsets into the text, or into the title for those with ``"field": "title"``,
        ``scores`` and ``labels``) and ``n_sentences``.

    Examples
    --------
    >>> import framewatch
    >>> rows = framewatch.score_iter(["Officials declined to comment.", {"id": "b", "text": "It rained."}])
    >>> [row["id"] for row in rows]
    ['0', 'b']
    """
    options = OutputOptions(None if labels is None else tuple(labels), min_score, passages, include_text)
    read = ReadOptions(text_field=text_field, id_field=None, title_field=title_field, keep_fields=tuple(keep_fields),
                       max_chars=sys.maxsize)

    def prepared() -> Iterator[Record]:
        for position, item in enumerate(records):
            if isinstance(item, str):
                item = {text_field: item}
            if isinstance(item, dict):
                value = item.get(id_field)
                obj = item if not (value is None or isinstance(value, str) and not value) else \
                    {**item, id_field: str(position)}
                item = record_from_mapping({**obj, "id": obj[id_field]}, "<records>", position, read, 0)
            elif isinstance(item, Record):
                if not isinstance(item.id, str) or not isinstance(item.text, str) or \
                        not isinstance(item.title, (str, type(None))):
                    item = Problem(item.source, item.line, "a Record needs a str id, text and title", None)
                elif has_surrogates(item.text) or item.title is not None and has_surrogates(item.title):
                    item = Problem(item.source, item.line, "text holds lone surrogates (undecodable bytes), not "
                                                           "text", item.id)
            elif not isinstance(item, Problem):
                item = Problem("<records>", position, f"record is {type(item).__name__}, expected a text, a dict or "
                                                      f"a Record")
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


def _progress(total: int | None, unit: str, enabled: bool) -> Any:
    """A tqdm bar on ``stderr`` (disabled unless ``enabled``): bytes or documents, with rate and ETA."""
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
                 stderr: IO[str] | None = None, handle_signals: bool = False) -> ScoreSummary:
    """Score files, folders, feeds, standard input (``-``) or a saved dataset into JSONL, CSV or Parquet.

    Parameters
    ----------
    inputs : paths (files or folders) and ``-``; ignored when ``hf_dataset`` is given.
    output : output path; None writes JSONL (or CSV/Parquet by ``to``) to ``stdout``.
    fmt : input format (:data:`framewatch.io.readers.FORMATS`), default="auto" (by extension, else sniffed).
    hf_dataset, split : a dataset saved with ``save_to_disk``, and optionally one split of it.
    model : a loaded model, a model name or directory; None for the default.
    to : output format (``jsonl``, ``csv``, ``parquet``); None picks it from ``output``'s extension.
    read_options, output_options : see :class:`~framewatch.io.records.ReadOptions` and :class:`OutputOptions`.
    batch_size : documents per model call; each batch is committed (fsynced) as it is written.
    workers : scoring processes, default=1 (scoring in this process).
    resume : continue ``<output>.partial`` left by an interrupted run instead of refusing to overwrite it.
    errors : errors JSONL path; None means ``<output>.errors.jsonl`` (warnings on ``stderr`` for stdout output).
    fail_fast : raise :class:`InputError` at the first problem instead of logging it and going on.
    progress : show a progress bar (bytes or rows, with rate and ETA) on ``stderr``.
    handle_signals : stop on SIGINT or SIGTERM after flushing the batch in progress, raising :class:`Interrupted`
        (``<output>.partial`` keeps what was committed); only from the main thread. The CLI sets it.

    Raises
    ------
    InputError : a bad option, an existing ``.partial`` without ``resume``, another run writing the same output,
        the first problem with ``fail_fast``.
    NothingScoredError : nothing at all could be scored (the errors file is still written).
    OutputWriteError : the output could not be written (a full disk); ``.partial`` keeps its committed prefix.
    Interrupted : with ``handle_signals``, a SIGINT or SIGTERM.
    """
    read_options = read_options or ReadOptions()
    options = output_options or OutputOptions()
    clash = keep_field_clash(read_options.keep_fields or (), options, read_options.title_field)
    if clash:
        raise InputError(f"--keep-fields {clash}")
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
        items: Iterable[Item] = read_hf_dataset(hf_dataset, read_options, split)
        total, unit = hf_dataset_rows(hf_dataset, split), "docs"
    else:
        paths = list(inputs) or ["-"]
        if paths.count("-") > 1:
            raise InputError("standard input (-) can be read only once")
        items = read_inputs(paths, fmt, read_options, stdin)
        total, unit = input_size(paths, fmt), "B"

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
    try:
        log.open()
    except BaseException:
        if staged is not None:
            staged.close()
        raise
    unique = UniqueIds()
    bar = _progress(total, unit, progress)
    signals = _Signals(handle_signals)

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

    def write(results: list[tuple[str, int, list[dict[str, Any]]]]) -> None:
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

    completed = False
    signals.install()
    try:
        for _, results in _scored_batches(_batches(records(), batch_size), model, options, workers, signals):
            write(results)
            signals.release()  # a SIGINT or SIGTERM that came while this batch was scored and written stops here
        completed = True
    finally:
        bar.close()
        if not completed:  # leave what was committed for --resume; a run with nothing committed leaves nothing
            signals.restore()
            if scratch is not None or staged is None:
                if scratch is not None:
                    staged.discard()
                    scratch.cleanup()
                with contextlib.suppress(OSError):
                    log.finish()  # standard output cannot be resumed: keep the problems found so far
            elif staged.close():
                with contextlib.suppress(OSError):  # a full disk: the log keeps its committed prefix
                    log.commit()
                log.close()
            else:
                log.discard()

    # the run is complete: a signal now waits until the output is in place (then the run ends as it would have)
    signals.hold()
    try:
        _finish(summary, staged, scratch, log, unique, errors_path, rows_before, to_stdout, out_format, output,
                options, stdout)
    finally:
        signals.restore()
    summary.seconds = time.perf_counter() - started
    return summary


def _finish(summary: ScoreSummary, staged: StagedOutput | None, scratch: tempfile.TemporaryDirectory | None,
            log: ErrorLog, unique: UniqueIds, errors_path: Path | None, rows_before: int, to_stdout: bool,
            out_format: str, output: str | None, options: OutputOptions, stdout: IO[str]) -> None:
    """Move a completed run's output into place (or convert it onto standard output) and its problems beside it."""
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
        staged.finish(converter(out_format, output, options.passages, options.label_names))
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
