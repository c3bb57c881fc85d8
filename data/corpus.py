"""Loaders for the source corpora, the shipped corpus file, and passages.

Every loader turns one source format into :class:`Document` records ``{doc_id, source, title, date, text}``.
:func:`build_corpus` runs them all over a copy of ``shared/corpus`` and writes the compressed JSONL that the
project ships (``data/corpus/*.jsonl.gz``, one shard per modern source), deterministically: same input, same bytes.
:func:`iter_passages` cuts documents into sentence passages with offsets and the previous sentence as context.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .text import split_sentences

CORPUS_DIR = Path(__file__).with_name("corpus")
"""The shipped corpus: gzip JSONL shards, one JSON document per line (:func:`corpus_files` lists them)."""
LEGACY_SHARD = "documents.jsonl.gz"
"""The shard holding the eight pre-2023 source families (kept byte-identical, so gold ids stay valid)."""

csv.field_size_limit(1 << 27)


class CorpusError(ValueError):
    """A source record that cannot be read; the message names the file, the record and the problem."""


@dataclass(frozen=True)
class Document:
    """A normalised source document. ``text`` is what passages and their offsets refer to."""

    doc_id: str
    source: str
    title: str
    date: str | None
    text: str


@dataclass(frozen=True)
class Passage:
    """One sentence of a document, with end-exclusive offsets into ``Document.text`` and the sentence before it."""

    passage_id: str
    doc_id: str
    source: str
    index: int
    start: int
    end: int
    text: str
    context: str


# ---------------------------------------------------------------------------------------------- helpers


def _squash(text: str) -> str:
    """Collapse runs of spaces and tabs and trim each line; keep line breaks (they end headlines)."""
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _iso_date(raw: str, formats: Iterable[str]) -> str | None:
    raw = raw.strip()
    for fmt in formats:
        try:
            return datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _read_csv(path: Path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)``; fail up front when a required column is missing."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(required) - set(reader.fieldnames or ())
        if missing:
            raise CorpusError(f"{path}: expected columns {sorted(required)}, found {reader.fieldnames}")
        for row in reader:
            yield reader.line_num, row


def _document(path: Path, line: int, doc_id: str, source: str, title: str, date: str | None, text: str) -> Document:
    text = _squash(text)
    if not text:
        raise CorpusError(f"{path}:{line}: record {doc_id!r} has no text")
    return Document(doc_id, source, _squash(title).replace("\n", " "), date, text)


# ---------------------------------------------------------------------------------------------- loaders


def load_fakes(path: Path) -> Iterator[Document]:
    """FA-KES (Syrian war news, CSV): one article per row."""
    for line, row in _read_csv(path, ["unit_id", "article_title", "article_content", "source", "date"]):
        yield _document(
            path, line, f"fakes:{row['unit_id']}", f"fakes_syria/{row['source']}", row["article_title"],
            _iso_date(row["date"], ["%m/%d/%Y"]), row["article_content"],
        )


def load_press(path: Path, source: str) -> Iterator[Document]:
    """Kremlin or President of Ukraine press releases (CSV with ``link, headline, date, body``)."""
    for line, row in _read_csv(path, ["link", "headline", "date", "body"]):
        slug = row["link"].rstrip("/").rsplit("/", 1)[-1]
        yield _document(path, line, f"{source}:{slug}", source, row["headline"], row["date"][:10] or None, row["body"])


def load_speeches(path: Path) -> Iterator[Document]:
    """Zelenskyy speeches (CSV with ``url, date, title, text``)."""
    for line, row in _read_csv(path, ["url", "date", "title", "text"]):
        slug = row["url"].rstrip("/").rsplit("/", 1)[-1]
        date = _iso_date(row["date"].split(" - ")[0], ["%d %B %Y"])
        yield _document(path, line, f"zelensky_speeches:{slug}", "zelensky_speeches", row["title"], date, row["text"])


def load_euvsdisinfo(path: Path) -> Iterator[Document]:
    """EUvsDisinfo case titles (CSV): each one-line claim summary is a document of its own."""
    for line, row in _read_csv(path, ["date", "id", "title"]):
        slug = row["id"].rstrip("/").rsplit("/", 1)[-1]
        yield _document(path, line, f"euvsdisinfo:{slug}", "euvsdisinfo", "", row["date"] or None, row["title"])


_MUC_ID = re.compile(r"^((?:DEV-MUC3|TST\d-MUC[34])-\d{4})\b.*$", re.MULTILINE)
_MUC_DATELINE = re.compile(r"(\d{1,2}) ([A-Za-z]{3}) (\d{2})")


def load_muc(path: Path) -> Iterator[Document]:
    """MUC-3/4 raw files: items start with an id line; the header before ``[TEXT]`` becomes the title.

    Paragraphs are separated by blank lines and hard-wrapped; wrapped lines are joined so that sentences
    are not cut at line ends.
    """
    raw = path.read_text(encoding="utf-8", errors="strict")
    starts = list(_MUC_ID.finditer(raw))
    if not starts:
        raise CorpusError(f"{path}: expected MUC items starting with an id line like 'DEV-MUC3-0001', found none")
    for i, match in enumerate(starts):
        body = raw[match.end(): starts[i + 1].start() if i + 1 < len(starts) else len(raw)]
        line = raw.count("\n", 0, match.start()) + 1
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]
        if not paragraphs:
            raise CorpusError(f"{path}:{line}: item {match.group(1)} has no text")
        first = paragraphs[0]
        marker = re.search(r"\[text\]", first, re.IGNORECASE)
        header, paragraphs[0] = (first[: marker.start()], first[marker.end():]) if marker else ("", first)
        date_match = _MUC_DATELINE.search(header)
        date = _iso_date(" ".join(date_match.groups()), ["%d %b %y"]) if date_match else None
        text = "\n".join(p.strip() for p in paragraphs if p.strip())
        yield _document(path, line, f"muc:{match.group(1)}", "muc34", header.strip(" -"), date, text)


def load_re3d(path: Path) -> Iterator[Document]:
    """re3d ``documents.json`` (mongoexport JSON lines) of one source folder."""
    folder = path.parent.name
    with path.open(encoding="utf-8") as handle:
        for line, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as error:
                raise CorpusError(f"{path}:{line}: expected a JSON object, found malformed JSON ({error.msg})") from None
            for key in ("_id", "text"):
                if key not in record:
                    raise CorpusError(f"{path}:{line}: expected field {key!r}, found {sorted(record)}")
            yield _document(path, line, f"re3d:{record['_id']}", f"re3d/{folder}", record.get("title", ""), None,
                            record["text"])


def load_szeged(path: Path) -> Iterator[Document]:
    """WikiWeasel XML (Szeged Uncertainty Corpus): cue tags are dropped, sentences joined into one text."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise CorpusError(f"{path}:{error.position[0]}: expected well-formed XML ({error})") from None
    for number, doc in enumerate(root.iter("Document"), 1):
        doc_id = (doc.findtext("DocID") or "").strip()
        if not doc_id:
            raise CorpusError(f"{path}: document #{number} has no DocID")
        title, sentences = "", []
        for part in doc.iter("DocumentPart"):
            texts = [" ".join("".join(s.itertext()).split()) for s in part.iter("Sentence")]
            if part.get("type") == "Title":
                title = " ".join(texts)
            else:
                sentences.extend(t for t in texts if t)
        yield _document(path, number, f"szeged:{doc_id}", "szeged_wiki", title, None, " ".join(sentences))


def load_document_jsonl(path: Path, source: str, subsource: str | None = None) -> Iterator[Document]:
    """The modern corpora's common format: gzip JSONL of ``{doc_id, title, date, url, text, ...}``.

    ``subsource`` names a field whose value is appended to ``source`` (``unsc/Ukraine``: the delegation speaking).
    """
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line, raw in enumerate(handle, 1):
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as error:
                raise CorpusError(f"{path}:{line}: expected a JSON object, found malformed JSON ({error.msg})") from None
            missing = [key for key in ("doc_id", "title", "text") if not isinstance(record.get(key), str)]
            if missing:
                raise CorpusError(f"{path}:{line}: expected string fields {missing}, found {sorted(record)}")
            name = f"{source}/{record[subsource]}" if subsource and record.get(subsource) else source
            date = _iso_date(record.get("date") or "", ["%Y-%m-%d"])
            yield _document(path, line, record["doc_id"], name, record["title"], date, record["text"])


MODERN_SOURCES: tuple[tuple[str, str, str | None], ...] = (
    ("wikipedia_current_events", "wcep", None),
    ("whitehouse_press_2021_2022", "whitehouse_press", None),
    ("state_department_press_2021_2022", "state_press", None),
    ("whitehouse_briefings_2009_2016", "whitehouse_briefings", None),
    ("state_human_rights_reports", "state_hrr", "country"),
    ("wikinews_gum", "wikinews", "genre"),
    ("unsc_ukraine_debates", "unsc", "speaker"),
)
"""The 2009-2025 corpora, all in the same format: (folder, source name, field appended to the source)."""


# ---------------------------------------------------------------------------------------------- the corpus

SourceLoader = Callable[[Path], Iterator[Document]]


def source_files(root: Path) -> list[tuple[Path, SourceLoader]]:
    """Every file of ``shared/corpus`` that the project reads, with its loader, in a fixed order."""
    muc = root / "muc34_latam_conflict/data/muc/raw_files/muc34/TASK/CORPORA"
    muc_files = sorted(muc.glob("dev/dev-muc3-*")) + [
        muc / "tst1/tst1-muc3", muc / "tst2/tst2-muc4", muc / "tst3/tst3-muc4", muc / "tst4/tst4-muc4.mixed-case",
    ]
    press = root / "kremlin_zelenskyy_press/press_release_data"
    files: list[tuple[Path, SourceLoader]] = [
        (root / "fakes_syria/FA-KES-Dataset.csv", load_fakes),
        (press / "putin.csv", lambda p: load_press(p, "kremlin_press")),
        (press / "zelenskyy.csv", lambda p: load_press(p, "zelenskyy_press")),
        (root / "zelensky_speeches/data/zelensky_speeches.csv", load_speeches),
        *((path, load_muc) for path in muc_files),
        *((path, load_re3d) for path in sorted((root / "re3d_syria_iraq").glob("*/documents.json"))),
        (root / "szeged_uncertainty/corpora/old/wiki.xml", load_szeged),
        (root / "euvsdisinfo_titles/data/posts.csv", load_euvsdisinfo),
        *((root / folder / "documents.jsonl.gz", lambda p, s=source, f=field: load_document_jsonl(p, s, f))
          for folder, source, field in MODERN_SOURCES),
    ]
    missing = [str(path) for path, _ in files if not path.exists()]
    if missing:
        raise CorpusError(f"corpus source files not found under {root}: {', '.join(missing)}")
    return files


def load_sources(root: str | Path) -> list[Document]:
    """Load every source under ``root`` (a copy of ``shared/corpus``), dropping exact duplicate texts.

    The Zelenskyy speeches repeat many press-office texts; keeping the first copy stops one text from landing
    in two data splits. A reused id with a different text gets a ``-2``, ``-3``… suffix.
    """
    seen_text: set[str] = set()
    ids: Counter[str] = Counter()
    documents = []
    for path, loader in source_files(Path(root)):
        for doc in loader(path):
            key = hashlib.sha1(" ".join(doc.text.lower().split()).encode()).hexdigest()
            if key in seen_text:
                continue
            seen_text.add(key)
            ids[doc.doc_id] += 1
            if ids[doc.doc_id] > 1:  # a source reuses an id for a different text (FA-KES does): keep both
                doc = replace(doc, doc_id=f"{doc.doc_id}-{ids[doc.doc_id]}")
            documents.append(doc)
    return documents


def write_documents(documents: Iterable[Document], path: str | Path) -> Path:
    """Write documents as gzip JSONL with a fixed timestamp (so rebuilds are byte-identical), atomically."""
    from framewatch.io.atomic import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp, tmp.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                                          mtime=0) as gz:
        with io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as out:
            for doc in documents:
                out.write(json.dumps(asdict(doc), ensure_ascii=False, sort_keys=True) + "\n")
    return path


def shard_name(source: str) -> str:
    """The corpus file a source family is shipped in: one per modern source, the first eight share one."""
    family = source_family(source)
    return f"{family}.jsonl.gz" if family in {name for _, name, _ in MODERN_SOURCES} else LEGACY_SHARD


def build_corpus(source_root: str | Path, out: str | Path = CORPUS_DIR) -> list[Path]:
    """Regenerate the shipped corpus shards (``out/<shard>.jsonl.gz``) from a copy of ``shared/corpus``."""
    shards: dict[str, list[Document]] = defaultdict(list)
    for doc in load_sources(source_root):
        shards[shard_name(doc.source)].append(doc)
    return [write_documents(docs, Path(out) / name) for name, docs in shards.items()]


def corpus_files(path: str | Path = CORPUS_DIR) -> list[Path]:
    """The shard files of a corpus directory in reading order (the legacy shard first), or ``[path]`` for a file."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    files = sorted(path.glob("*.jsonl.gz"), key=lambda f: (f.name != LEGACY_SHARD, f.name))
    if not files:
        raise CorpusError(f"{path}: no *.jsonl.gz corpus files")
    return files


def read_documents(path: str | Path = CORPUS_DIR) -> Iterator[Document]:
    """Stream documents from a corpus directory (every shard, in order) or one (gzip) JSONL file."""
    for file in corpus_files(path):
        opener = gzip.open if file.suffix == ".gz" else open
        with opener(file, "rt", encoding="utf-8") as handle:
            for line, raw in enumerate(handle, 1):
                try:
                    record = json.loads(raw)
                    yield Document(**{key: record[key] for key in ("doc_id", "source", "title", "date", "text")})
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise CorpusError(f"{file}:{line}: expected a document record, found {raw[:80]!r} "
                                      f"({error})") from None


def iter_passages(documents: Iterable[Document]) -> Iterator[Passage]:
    """Cut documents into sentence passages; ``context`` is the previous sentence of the same document."""
    for doc in documents:
        previous = ""
        for index, sentence in enumerate(split_sentences(doc.text)):
            yield Passage(f"{doc.doc_id}:{index}", doc.doc_id, doc.source, index, sentence.start, sentence.end,
                          sentence.text, previous)
            previous = sentence.text


def source_family(source: str) -> str:
    """The corpus a source belongs to (``fakes_syria/sana`` → ``fakes_syria``)."""
    return source.split("/", 1)[0]


def corpus_stats(documents: Iterable[Document]) -> dict[str, dict[str, int]]:
    """Documents and passages per source family."""
    docs: Counter[str] = Counter()
    passages: Counter[str] = Counter()
    for doc in documents:
        family = source_family(doc.source)
        docs[family] += 1
        passages[family] += len(split_sentences(doc.text))
    return {family: {"documents": docs[family], "passages": passages[family]} for family in sorted(docs)}
