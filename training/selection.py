"""Choosing passages for people to label: how framewatch's labelled data grows, and how users adapt it to a feed.

Four ways to pick, each recorded with every pick as its ``sampling``:

* ``random``: random sentences of random documents (every document equally likely, then one of its sentences), the
  slice that shows what ordinary text looks like;
* ``cue_search``: passages matching a regular expression. Searches are deliberately loose: they propose candidate
  positives and the near misses around them, and a person decides;
* ``model_uncertain``: per label, the passages whose score lies closest to the model's threshold;
* ``model_confident``: per label, the passages the model scores highest (confirms positives, exposes its false ones).

:func:`write_batch` writes what annotators read (``id, doc_id, source, context, text``) and, beside it, a sampling
file they never see (``id, sampling, method``). :func:`merge_labels` joins labelled files back with both into
passages in the gold format, which ``framewatch train`` reads as extra training data.
"""
from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from framewatch.data.corpus import Passage
from framewatch.data.gold import SAMPLING, GoldPassage
from framewatch.data.text import split_sentences
from framewatch.data.taxonomy import LABELS
from framewatch.io.atomic import atomic_write_text

MIN_WORDS = 3
"""Passages shorter than this ("Thank you.") are never picked: they cannot carry a label."""
_CITATIONS = re.compile(r"(?:\([^()]*\)\s*)+")
STRATEGIES = ("random", "cue_search", "model_uncertain", "model_confident")


class SelectionError(ValueError):
    """A batch or labelled file that does not fit together; the message names the file, line and id."""


@dataclass(frozen=True)
class Pick:
    """A passage chosen for labelling, and how: ``sampling`` is one of :data:`STRATEGIES`."""

    passage: Passage
    sampling: str
    method: str


def labelable(passage: Passage) -> bool:
    """At least ``MIN_WORDS`` words and not only bracketed outlet names ("(Reuters) (AP)")."""
    text = passage.text.strip()
    return len(text.split()) >= MIN_WORDS and not _CITATIONS.fullmatch(text)


def pick_random(passages: Iterable[Passage], n: int, seed: int = 0) -> list[Pick]:
    """``n`` random sentences of random documents: documents in random order, one sentence of each, and a
    second sentence of each only when there are fewer documents than ``n``."""
    by_doc: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        if labelable(passage):
            by_doc[passage.doc_id].append(passage)
    rng = random.Random(seed)
    for doc_passages in by_doc.values():
        rng.shuffle(doc_passages)
    doc_ids = sorted(by_doc)
    rng.shuffle(doc_ids)
    picks: list[Pick] = []
    depth = 0
    while len(picks) < n and any(len(by_doc[d]) > depth for d in doc_ids):
        for doc_id in doc_ids:
            if len(by_doc[doc_id]) > depth:
                picks.append(Pick(by_doc[doc_id][depth], "random",
                                  f"random sentence of a random document (seed {seed})"))
                if len(picks) == n:
                    break
        depth += 1
    return picks


def matches(text: str, pattern: str) -> bool:
    """Whether a sentence of ``text`` matches ``pattern`` (case-insensitive), as ``cue_search`` would find it."""
    try:
        query = re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise SelectionError(f"--query {pattern!r} is not a regular expression ({error})") from None
    return any(query.search(sentence.text) for sentence in split_sentences(text))


def pick_search(passages: Iterable[Passage], pattern: str, n: int, seed: int = 0, name: str | None = None,
                max_per_doc: int = 1) -> list[Pick]:
    """Up to ``n`` passages drawn at random from those matching ``pattern`` (case-insensitive), at most
    ``max_per_doc`` per document so that one long document does not fill the batch."""
    try:
        query = re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise SelectionError(f"--query {pattern!r} is not a regular expression ({error})") from None
    by_doc: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        if labelable(passage) and query.search(passage.text):
            by_doc[passage.doc_id].append(passage)
    rng = random.Random(seed)
    doc_ids = sorted(by_doc)
    rng.shuffle(doc_ids)
    method = f"cue search {name or pattern!r} (seed {seed})"
    picks = []
    for depth in range(max_per_doc):
        for doc_id in doc_ids:
            if depth == 0:
                rng.shuffle(by_doc[doc_id])
            if len(by_doc[doc_id]) > depth and len(picks) < n:
                picks.append(Pick(by_doc[doc_id][depth], "cue_search", method))
    return picks


def pick_by_model(passages: Sequence[Passage], proba: np.ndarray, thresholds: np.ndarray, n: int,
                  strategy: str, model_name: str, labels: Sequence[str] = LABELS) -> list[Pick]:
    """Per label in turn, the next passage not yet picked that is closest to the threshold (``model_uncertain``,
    distance in log-odds) or scores highest (``model_confident``), until ``n`` are picked."""
    if strategy not in ("model_uncertain", "model_confident"):
        raise SelectionError(f"unknown model strategy {strategy!r}")
    columns = [LABELS.index(label) for label in labels]
    keep = np.array([labelable(p) for p in passages], dtype=bool)
    p = np.clip(proba[:, columns].astype(np.float64), 1e-6, 1 - 1e-6)
    if strategy == "model_uncertain":
        t = np.clip(thresholds[columns].astype(np.float64), 1e-6, 1 - 1e-6)
        key = np.abs(np.log(p / (1 - p)) - np.log(t / (1 - t)))
    else:
        key = -p
    key[~keep] = np.inf
    orders = [np.argsort(key[:, j], kind="stable") for j in range(len(columns))]
    cursors = [0] * len(columns)
    chosen: set[int] = set()
    picks: list[Pick] = []
    while len(picks) < min(n, int(keep.sum())):
        progressed = False
        for j, label in enumerate(labels):
            order = orders[j]
            while cursors[j] < len(order) and (order[cursors[j]] in chosen
                                               or not np.isfinite(key[order[cursors[j]], j])):
                cursors[j] += 1
            if cursors[j] == len(order):
                continue
            row = int(order[cursors[j]])
            chosen.add(row)
            picks.append(Pick(passages[row], strategy, f"{strategy} for {label} by model {model_name}"))
            progressed = True
            if len(picks) == n:
                break
        if not progressed:
            break
    return picks


# ---------------------------------------------------------------------------------------------- batch files


def annotation_record(passage: Passage | GoldPassage) -> dict[str, str | None]:
    """What an annotator sees: id, document, outlet, the previous sentence and the passage. Never a score."""
    if isinstance(passage, Passage):
        return {"id": passage.passage_id, "doc_id": passage.doc_id, "source": passage.source,
                "context": passage.context, "text": passage.text}
    return {"id": passage.id, "doc_id": passage.doc_id, "source": passage.source, "context": passage.context,
            "text": passage.text}


def sampling_path(batch: str | Path) -> Path:
    """The sampling file written beside a batch: ``batch.jsonl`` → ``batch.sampling.jsonl``."""
    batch = Path(batch)
    stem = batch.name[: -len(".jsonl")] if batch.name.endswith(".jsonl") else batch.name
    return batch.with_name(f"{stem}.sampling.jsonl")


def read_batch(path: str | Path) -> list[Pick]:
    """The picks of a batch file and its sampling file (``merge`` and ``split`` read batches back this way)."""
    path = Path(path)
    side = sampling_path(path)
    how = {r["id"]: r for _, r in _jsonl(side)} if side.is_file() else {}
    picks = []
    for number, record in _jsonl(path):
        text = record.get("text")
        if not isinstance(text, str):
            raise SelectionError(f"{path}:{number}: id {record['id']!r} has no text")
        passage = Passage(record["id"], record.get("doc_id") or record["id"], record.get("source") or "", 0, 0,
                          len(text), text, record.get("context") or "")
        sampling = how.get(record["id"], {})
        if sampling.get("sampling", "random") not in SAMPLING:
            raise SelectionError(f"{side}: id {record['id']!r}: sampling {sampling.get('sampling')!r} is not one "
                                 f"of {SAMPLING}")
        picks.append(Pick(passage, sampling.get("sampling", "random"), sampling.get("method", "")))
    return picks


def split_batches(picks: Sequence[Pick], size: int, directory: str | Path, prefix: str,
                  seed: int = 0) -> list[Path]:
    """Shuffle picks and cut them into annotator batches of at most ``size`` (``PREFIX01.jsonl``…, each with
    its sampling file), so every batch mixes the ways passages were found."""
    if size < 1:
        raise SelectionError(f"--size must be at least 1, found {size}")
    order = list(picks)
    random.Random(seed).shuffle(order)
    count = -(-len(order) // size)
    per = -(-len(order) // max(count, 1))
    width = max(2, len(str(count)))
    return [write_batch(order[i * per:(i + 1) * per], Path(directory) / f"{prefix}{i + 1:0{width}d}.jsonl", seed)[0]
            for i in range(count)]


def write_batch(picks: Sequence[Pick], path: str | Path, seed: int = 0) -> tuple[Path, Path]:
    """Write the annotators' file (picks shuffled, so the way a passage was found cannot be read off its
    position) and the sampling file beside it; both atomically."""
    order = list(picks)
    random.Random(seed).shuffle(order)
    seen: set[str] = set()
    unique = [p for p in order if not (p.passage.passage_id in seen or seen.add(p.passage.passage_id))]
    path = Path(path)
    atomic_write_text(path, "".join(json.dumps(annotation_record(p.passage), ensure_ascii=False) + "\n"
                                    for p in unique))
    side = sampling_path(path)
    atomic_write_text(side, "".join(json.dumps({"id": p.passage.passage_id, "sampling": p.sampling,
                                                "method": p.method}, ensure_ascii=False) + "\n" for p in unique))
    return path, side


def _jsonl(path: Path) -> Iterable[tuple[int, dict]]:
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            raise SelectionError(f"{path}:{number}: malformed JSON ({error.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise SelectionError(f"{path}:{number}: expected a JSON object with a string 'id'")
        yield number, record


def read_labels(paths: Iterable[str | Path]) -> dict[str, tuple[str, ...]]:
    """``{"id", "labels"}`` lines of labelled files → id → labels in taxonomy order. An unknown label, or one id
    labelled differently in two places, is an error naming both places."""
    labels: dict[str, tuple[str, ...]] = {}
    where: dict[str, str] = {}
    for path in paths:
        for number, record in _jsonl(Path(path)):
            given = record.get("labels")
            if not isinstance(given, list) or not all(isinstance(label, str) for label in given):
                raise SelectionError(f"{path}:{number}: id {record['id']!r}: 'labels' must be a list of label names")
            unknown = sorted(set(given) - set(LABELS))
            if unknown:
                raise SelectionError(f"{path}:{number}: id {record['id']!r}: unknown labels {unknown}; "
                                     f"known: {', '.join(LABELS)}")
            value = tuple(label for label in LABELS if label in given)
            if record["id"] in labels and labels[record["id"]] != value:
                raise SelectionError(f"{path}:{number}: id {record['id']!r} is labelled {list(value)} here and "
                                     f"{list(labels[record['id']])} at {where[record['id']]}")
            labels[record["id"]] = value
            where[record["id"]] = f"{path}:{number}"
    return labels


def merge_labels(batches: Sequence[str | Path], labelled: Sequence[str | Path]) -> tuple[list[GoldPassage], list[str]]:
    """Labelled passages in the gold format, from batch files (with their sampling files) and labelled files.

    Returns the passages and the ids of the batches that no labelled file covers (left out, not guessed). A
    labelled id that is in no batch is an error.
    """
    picks = {pick.passage.passage_id: pick for batch in batches for pick in read_batch(batch)}
    labels = read_labels(labelled)
    stray = sorted(set(labels) - set(picks))
    if stray:
        raise SelectionError(f"{len(stray)} labelled ids are in none of the batches, e.g. {stray[:3]}")
    merged = [
        GoldPassage(id=i, text=pick.passage.text, labels=labels[i], context=pick.passage.context,
                    doc_id=pick.passage.doc_id, source=pick.passage.source, sampling=pick.sampling)
        for i, pick in picks.items() if i in labels
    ]
    return merged, [i for i in picks if i not in labels]


# ---------------------------------------------------------------------------------------------- inputs


def text_key(text: str) -> str:
    """A passage text with case and spacing normalised: equal keys are the same sentence (repeated boilerplate)."""
    return " ".join(text.lower().split())


def read_ids(paths: Iterable[str | Path], key: str) -> set[str]:
    """Ids to leave out: the ``key`` field of JSON lines (gold, batches, labelled files) or, for lines that are
    not JSON objects, the line itself (one id per line)."""
    ids: set[str] = set()
    for path in paths:
        for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line.startswith("{"):
                if line:
                    ids.add(line)
                continue
            try:
                value = json.loads(line).get(key)
            except json.JSONDecodeError as error:
                raise SelectionError(f"{path}:{number}: malformed JSON ({error.msg})") from None
            if value is not None:
                ids.add(str(value))
    return ids


def feed_passages(inputs: Sequence[str], read_options=None, source_field: str | None = None) -> list[Passage]:
    """Sentence passages of the documents of any input ``framewatch score`` reads (a record's id is its
    ``doc_id``; ``source_field`` names the field holding its outlet, else the file name is used)."""
    from framewatch.data.corpus import Document, iter_passages
    from framewatch.io.readers import read_inputs
    from framewatch.io.records import Problem, ReadOptions

    options = read_options or ReadOptions(keep_fields=(source_field,) if source_field else None)
    documents = []
    for item in read_inputs(inputs, "auto", options):
        if isinstance(item, Problem):
            raise SelectionError(str(item))
        source = str(item.fields.get(source_field) or "") if source_field else ""
        documents.append(Document(item.id, source or Path(item.source).name, "", None, item.text))
    return list(iter_passages(documents))


def scored_passages(path: str | Path) -> tuple[list[Passage], np.ndarray]:
    """Passages and their scores from the output of ``framewatch score --passages`` (JSONL), without rescoring;
    the context of a sentence is the row before it when that row is the previous sentence of the same document."""
    passages: list[Passage] = []
    rows: list[list[float]] = []
    previous: tuple[str, int, str] | None = None
    for number, record in _jsonl(Path(path)):
        if not isinstance(record.get("sentence"), int) or not isinstance(record.get("scores"), dict):
            raise SelectionError(f"{path}:{number}: expected a row of `framewatch score --passages` "
                                 "(id, sentence, text, scores)")
        missing = [label for label in LABELS if label not in record["scores"]]
        if missing:
            raise SelectionError(f"{path}:{number}: scores lack {missing}; score without --labels")
        doc_id, index = record["id"], record["sentence"]
        context = previous[2] if previous and previous[:2] == (doc_id, index - 1) else ""
        passages.append(Passage(f"{doc_id}:{index}", doc_id, str(record.get("source") or Path(path).name), index,
                                int(record.get("start", 0)), int(record.get("end", 0)), record["text"], context))
        rows.append([float(record["scores"][label]) for label in LABELS])
        previous = (doc_id, index, record["text"])
    return passages, np.asarray(rows, dtype=np.float32).reshape(len(rows), len(LABELS))


def select(passages: Sequence[Passage], strategy: str, n: int, *, seed: int = 0, query: str | None = None,
           query_name: str | None = None, max_per_doc: int = 1, model=None, model_name: str = "default",
           scores: np.ndarray | None = None,
           pool: int | None = None, labels: Sequence[str] = LABELS) -> list[Pick]:
    """Pick ``n`` passages by ``strategy`` (:data:`STRATEGIES`).

    ``model_*`` strategies score the passages with ``model`` (a loaded model), or use ``scores`` when given (rows of
    ``framewatch score --passages``); ``pool`` first draws that many passages at random, to bound scoring time.
    """
    if strategy not in STRATEGIES:
        raise SelectionError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    if n < 1:
        raise SelectionError(f"-n must be at least 1, found {n}")
    if strategy == "random":
        return pick_random(passages, n, seed)
    if strategy == "cue_search":
        if not query:
            raise SelectionError("cue_search needs --query REGEX")
        return pick_search(passages, query, n, seed, query_name, max_per_doc)
    if model is None:
        raise SelectionError(f"{strategy} needs a model")
    rows = np.arange(len(passages))
    if pool is not None and pool < len(passages):
        rows = np.sort(np.random.default_rng(seed).choice(len(passages), pool, replace=False))
    chosen = [passages[i] for i in rows]
    if scores is None:
        proba = model.predict_proba([(p.context, p.text) for p in chosen])
    else:
        proba = scores[rows]
    return pick_by_model(chosen, proba, np.asarray(model.thresholds_), n, strategy, model_name, labels)


def hold_out_documents(units: dict[str, dict[str, list[str]]], shares: dict[str, float], seed: int = 0,
                       exclude: set[str] = frozenset()) -> list[str]:
    """Documents to set aside for a test set before anything is labelled.

    ``units[family]`` maps a unit (a document, or a group of documents that must stay together, such as every year
    of one country's report) to its document ids; ``shares[family]`` of a family's units are drawn at random.
    Units holding a document in ``exclude`` are never drawn. Returns the held-out document ids, sorted.
    """
    rng = random.Random(seed)
    unknown = sorted(set(shares) - set(units))
    if unknown:
        raise SelectionError(f"no documents for sources {unknown}; known: {sorted(units)}")
    held: list[str] = []
    for family in sorted(shares):
        if not 0.0 < shares[family] < 1.0:
            raise SelectionError(f"share of {family!r} must be between 0 and 1, found {shares[family]}")
        candidates = sorted(unit for unit, docs in units[family].items() if not exclude.intersection(docs))
        for unit in rng.sample(candidates, round(len(candidates) * shares[family])):
            held.extend(units[family][unit])
    return sorted(held)
