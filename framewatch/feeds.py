"""Readers for everything ``framewatch score`` takes in, as one stream of records and problems.

Every reader yields :class:`Record` (one document: id, text, where it came from, passed-through fields) or
:class:`Problem` (a record or file that cannot be scored, with the file and line) and never raises for bad data,
so a run can write problems to its errors file and go on. Readers stream: JSONL, CSV/TSV, Parquet and Hugging Face
datasets are read a line or a batch of rows at a time, and a line longer than the record limit is skipped without
being held in memory. Feeds, HTML pages and text files are one document (or one feed) per file.

Formats, detected by extension (``--format`` overrides; unknown extensions and stdin are sniffed):

========  ====================================  ==============================================================
format    extensions                            one record per
========  ====================================  ==============================================================
text      .txt .text .md                        file (id: the file name, or its path inside a directory)
jsonl     .jsonl .ndjson (also .gz)             line: an object with the text field (default ``text``)
csv/tsv   .csv .tsv (also .gz)                  row, under a header naming the columns
parquet   .parquet .pq                          row
feed      .rss .atom .xml                       entry of an RSS 2.0 / Atom / RDF feed: title + summary or content
html      .html .htm                            page: the article's main text (trafilatura), title first
========  ====================================  ==============================================================

Ids come from the id field when the record has one, else they are derived and stable: ``<file>:<line>`` for lines
and rows (Parquet and dataset rows count from 1), the entry's ``id`` or ``link`` for feeds, the file name for
one-document files. Heavy parsers (feedparser, trafilatura, pyarrow, datasets) are imported by the reader that
needs them.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Union

FORMATS = ("auto", "text", "jsonl", "csv", "tsv", "parquet", "feed", "rss", "atom", "html")
"""Values of ``--format``; ``rss`` and ``atom`` are aliases of ``feed``."""

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".parquet": "parquet", ".pq": "parquet",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
STREAMED = {"jsonl", "csv", "tsv", "text"}
"""Formats that may also come gzip-compressed (``.jsonl.gz`` and the like)."""

DEFAULT_MAX_CHARS = 200_000
DOCUMENT_FIELDS = ("title", "link", "published")
"""Fields passed through by default for feed entries and HTML pages (tabular inputs pass none by default)."""

_SNIFF_BYTES = 4096
_LINE_SLACK = 8
"""A JSONL/CSV line may take ``_LINE_SLACK`` bytes per allowed character (escapes, other fields) before it is
skipped unread as oversized."""


class InputError(ValueError):
    """An input that cannot be read at all (a missing file, a bad option); the message names it."""


@dataclass
class Record:
    """One document to score. ``line`` is the 1-based line (or row) it starts on, None for a whole file."""

    id: str
    text: str
    source: str
    line: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    nbytes: int = 0
    """Input bytes (or rows) this record accounts for: what a progress bar advances by."""


@dataclass
class Problem:
    """A record or file that could not be scored: where it is and why. ``to_dict`` is one errors-file line."""

    source: str
    line: int | None
    error: str
    id: str | None = None
    nbytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "id": self.id, "error": self.error}

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.error}"


Item = Union[Record, Problem]


@dataclass(frozen=True)
class ReadOptions:
    """How to find the text, id, title and kept fields of a record, and the size limit.

    Parameters
    ----------
    text_field : field (column) holding the document text, default="text".
    id_field : field holding the id; None uses ``id`` when a record has one and derives an id otherwise, while a
        named field must be present in every record.
    title_field : field holding a title to score before the text (``title + "\\n\\n" + text``), default=None.
    keep_fields : fields copied into the output; None keeps ``title``, ``link`` and ``published`` of feed entries
        and HTML pages and nothing of tabular records.
    max_chars : longest text scored; longer records are reported as oversized, default=200_000.
    """

    text_field: str = "text"
    id_field: str | None = None
    title_field: str | None = None
    keep_fields: tuple[str, ...] | None = None
    max_chars: int = DEFAULT_MAX_CHARS

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, found {self.max_chars}")
        if self.keep_fields is not None:
            object.__setattr__(self, "keep_fields", tuple(self.keep_fields))

    @property
    def line_cap(self) -> int:
        """Bytes a JSONL or CSV line may have before it is skipped unread."""
        return max(self.max_chars * _LINE_SLACK, 1 << 20)


# ---------------------------------------------------------------------------------------------- helpers


def _text_problem(text: Any, options: ReadOptions, what: str) -> str | None:
    """Why ``text`` cannot be scored (None when it can)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return f"missing or empty {what}"
    if not isinstance(text, str):
        return f"{what} is {type(text).__name__}, expected a string"
    if len(text) > options.max_chars:
        return f"oversized record: {len(text)} characters, over --max-chars {options.max_chars}"
    return None


def _jsonable(value: Any) -> Any:
    """A passed-through value as JSON can hold it (dates and other objects become strings)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def record_from_mapping(obj: dict[str, Any], source: str, line: int, options: ReadOptions, nbytes: int,
                        what: str = "text field") -> Item:
    """A record (or problem) from one JSON object, CSV row, Parquet row or dataset row."""
    record_id = obj.get(options.id_field or "id")
    if record_id is None or record_id == "":
        if options.id_field:
            return Problem(source, line, f"missing id field {options.id_field!r}", None, nbytes)
        record_id = f"{source}:{line}"
    record_id = str(record_id)
    text = obj.get(options.text_field)
    problem = _text_problem(text, options, f"{what} {options.text_field!r}")
    if problem:
        return Problem(source, line, problem, record_id, nbytes)
    if options.title_field:
        title = obj.get(options.title_field)
        if isinstance(title, str) and title.strip():
            text = f"{title.strip()}\n\n{text}"
            if len(text) > options.max_chars:
                return Problem(source, line, f"oversized record: {len(text)} characters with its title, over "
                                             f"--max-chars {options.max_chars}", record_id, nbytes)
    fields = {name: _jsonable(obj.get(name)) for name in (options.keep_fields or ())}
    return Record(record_id, text, source, line, fields, nbytes)


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in text)


def _open_binary(path: Path) -> IO[bytes]:
    """A buffered binary stream of ``path``, gunzipped for ``.gz``."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


class _CappedLines:
    """Lines of a binary stream, each at most ``cap`` bytes; a longer line is consumed in chunks and reported.

    Iterating yields ``(number, data, nbytes)`` where ``data`` is None for an oversized line, so a 10 GB line
    never sits in memory.
    """

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self.stream, self.cap, self.number = stream, cap, 0

    def __iter__(self) -> "_CappedLines":
        return self

    def __next__(self) -> tuple[int, bytes | None, int]:
        data = self.stream.readline(self.cap + 1)
        if not data:
            raise StopIteration
        self.number += 1
        if len(data) <= self.cap or data.endswith(b"\n"):
            return self.number, data, len(data)
        size = len(data)
        while data and not data.endswith(b"\n"):
            data = self.stream.readline(1 << 20)
            size += len(data)
        return self.number, None, size


def _stream_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------------------------------- text


def _read_whole(stream: IO[bytes], cap: int) -> tuple[bytes, bool]:
    """At most ``cap`` bytes of ``stream``, and whether there was more (which is then drained, not kept)."""
    data = stream.read(cap + 1)
    if len(data) <= cap:
        return data, False
    while stream.read(1 << 20):
        pass
    return data[:cap], True


def _decode_document(data: bytes, source: str, nbytes: int) -> str | Problem:
    if b"\x00" in data:
        return Problem(source, None, "binary file (contains NUL bytes), expected UTF-8 text", nbytes=nbytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(source, line, f"not UTF-8 text (undecodable byte at offset {error.start})", nbytes=nbytes)


def read_text(stream: IO[bytes], source: str, record_id: str, options: ReadOptions) -> Iterator[Item]:
    """One document: the whole stream, which must be UTF-8 text (a BOM is dropped)."""
    data, more = _read_whole(stream, options.max_chars * 4)
    nbytes = len(data)
    if more:
        yield Problem(source, None, f"oversized record: over {options.max_chars * 4} bytes, more than --max-chars "
                                    f"{options.max_chars} characters", record_id, nbytes)
        return
    text = _decode_document(data, source, nbytes)
    if isinstance(text, Problem):
        text.id = record_id
        yield text
        return
    if not text.strip():
        yield Problem(source, None, "empty input", record_id, nbytes)
        return
    problem = _text_problem(text, options, "text")
    if problem:
        yield Problem(source, None, problem, record_id, nbytes)
        return
    yield Record(record_id, text, source, None, {}, nbytes)


# ---------------------------------------------------------------------------------------------- JSONL


def read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Item]:
    """One record per non-blank line: a JSON object with the text field; bad lines become problems."""
    any_line = False
    for number, data, nbytes in _CappedLines(stream, options.line_cap):
        if data is None:
            any_line = True
            yield Problem(source, number, f"oversized record: line of {nbytes} bytes, over the "
                                          f"{options.line_cap}-byte limit for --max-chars {options.max_chars}",
                          nbytes=nbytes)
            continue
        if number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if not data.strip():
            continue
        any_line = True
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Problem(source, number, f"not UTF-8 text (undecodable byte at column {error.start + 1})",
                          nbytes=nbytes)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield Problem(source, number, f"malformed JSON ({error.msg}, column {error.colno})", nbytes=nbytes)
            continue
        if not isinstance(obj, dict):
            yield Problem(source, number, f"expected a JSON object, found {type(obj).__name__}", nbytes=nbytes)
            continue
        yield record_from_mapping(obj, source, number, options, nbytes, "string field")
    if not any_line:
        yield Problem(source, None, "empty input")


# ---------------------------------------------------------------------------------------------- CSV / TSV


class _CsvLines:
    """Decoded lines for ``csv.reader``: undecodable bytes kept as surrogates (the row is reported afterwards),
    oversized lines raised as :class:`_OversizedLine` between rows, byte counts kept for progress."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self.lines = _CappedLines(stream, cap)
        self.nbytes = 0

    def __iter__(self) -> "_CsvLines":
        return self

    def __next__(self) -> str:
        number, data, nbytes = next(self.lines)
        self.nbytes += nbytes
        if data is None:
            raise _OversizedLine(number, nbytes)
        if number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        return data.decode("utf-8", "surrogateescape")


class _OversizedLine(Exception):
    def __init__(self, number: int, nbytes: int) -> None:
        super().__init__(number, nbytes)
        self.number, self.nbytes = number, nbytes


def read_csv(stream: IO[bytes], source: str, options: ReadOptions, delimiter: str = ",") -> Iterator[Item]:
    """One record per row under a header row; ``line`` is the physical line the row starts on."""
    csv.field_size_limit(max(csv.field_size_limit(), options.line_cap))
    lines = _CsvLines(stream, options.line_cap)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield Problem(source, None, "empty input")
        return
    except (csv.Error, _OversizedLine) as error:
        yield Problem(source, 1, f"unreadable header row ({error})", nbytes=lines.nbytes)
        return
    header = [name.strip() for name in header]
    wanted = [options.text_field] + ([options.id_field] if options.id_field else [])
    missing = [name for name in wanted if name not in header]
    if missing:
        kind = "TSV" if delimiter == "\t" else "CSV"
        yield Problem(source, 1, f"no column {missing[0]!r} in the {kind} header (columns: {', '.join(header)}); "
                                 f"choose one with --text-field/--id-field", nbytes=lines.nbytes)
        for _ in lines:  # drain for progress without parsing
            pass
        return
    previous_line, seen = reader.line_num, lines.nbytes
    any_row = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except _OversizedLine as error:
            any_row = True
            yield Problem(source, error.number, f"oversized record: line of {error.nbytes} bytes, over the "
                                                f"{options.line_cap}-byte limit for --max-chars {options.max_chars}",
                          nbytes=lines.nbytes - seen)
            previous_line, seen = error.number, lines.nbytes
            continue
        except csv.Error as error:
            any_row = True
            yield Problem(source, previous_line + 1, f"malformed row ({error})", nbytes=lines.nbytes - seen)
            previous_line, seen = reader.line_num, lines.nbytes
            continue
        line, nbytes = previous_line + 1, lines.nbytes - seen
        previous_line, seen = reader.line_num, lines.nbytes
        if not row or not any(cell.strip() for cell in row):
            continue
        any_row = True
        if len(row) > len(header):
            yield Problem(source, line, f"malformed row: {len(row)} fields under a header of {len(header)}",
                          nbytes=nbytes)
            continue
        if any(_has_surrogates(cell) for cell in row):
            yield Problem(source, line, "not UTF-8 text (undecodable bytes in the row)", nbytes=nbytes)
            continue
        obj = dict(zip(header, row))
        yield record_from_mapping(obj, source, line, options, nbytes, "column")
    if not any_row:
        yield Problem(source, None, "empty input (a header and no rows)")


# ---------------------------------------------------------------------------------------------- Parquet


def read_parquet(path: Path, source: str, options: ReadOptions, batch_rows: int = 1024) -> Iterator[Item]:
    """One record per row, read a batch of rows (and only the needed columns) at a time."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError and others for a file that is not Parquet
        yield Problem(source, None, f"not a Parquet file ({error})", nbytes=_stream_size(path))
        return
    names = parquet.schema_arrow.names
    for name in [options.text_field] + ([options.id_field] if options.id_field else []):
        if name not in names:
            yield Problem(source, None, f"no column {name!r} in the Parquet file (columns: {', '.join(names)}); "
                                        f"choose one with --text-field/--id-field", nbytes=_stream_size(path))
            return
    wanted = [options.text_field, options.id_field or "id", options.title_field, *(options.keep_fields or ())]
    columns = [name for name in dict.fromkeys(wanted) if name and name in names]
    rows = parquet.metadata.num_rows
    if rows == 0:
        yield Problem(source, None, "empty input (no rows)", nbytes=_stream_size(path))
        return
    per_row = _stream_size(path) / rows
    number, done = 0, 0
    for batch in parquet.iter_batches(batch_size=batch_rows, columns=columns):
        for obj in batch.to_pylist():
            number += 1
            nbytes = int(number * per_row) - done
            done += nbytes
            yield record_from_mapping(obj, source, number, options, nbytes, "column")


# ---------------------------------------------------------------------------------------------- feeds and HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table td th tr ul".split()
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment (lxml's parser): block elements on their own lines, scripts dropped."""
    if "<" not in markup and "&" not in markup:
        pieces = [markup]
    else:
        import lxml.etree
        import lxml.html

        try:
            root = lxml.html.fragment_fromstring(markup, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return ""
        pieces = []

        def walk(element: Any) -> None:
            tag = element.tag if isinstance(element.tag, str) else ""
            skip = tag in ("script", "style", "template", "noscript") or not isinstance(element.tag, str)
            block = tag.lower() in _BLOCK_TAGS
            if block:
                pieces.append("\n")
            if not skip:
                if element.text:
                    pieces.append(element.text)
                for child in element:
                    walk(child)
            if block:
                pieces.append("\n")
            if element.tail:
                pieces.append(element.tail)

        walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _join_title(title: str, body: str) -> str:
    if title and body and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body or title


def read_feed(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """One record per RSS 2.0, Atom or RDF entry: its title, a blank line, then its longest summary or content,
    HTML stripped. Feed entries have no line numbers; problems say which entry."""
    import feedparser

    nbytes = len(data)
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            yield Problem(source, None, f"not a valid RSS/Atom feed ({reason})", nbytes=nbytes)
        elif parsed.get("version"):
            yield Problem(source, None, "empty input (a feed without entries)", nbytes=nbytes)
        else:
            yield Problem(source, None, "not an RSS or Atom feed", nbytes=nbytes)
        return
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and hasattr(error, "getLineNumber"):
        # the XML is broken; feedparser's lenient parse recovered what it could, and the rest may be lost.
        # (Its line numbers count a line it adds to the document, so none is given.)
        yield Problem(source, None, f"malformed XML ({error.getMessage()}); {len(parsed.entries)} entries recovered")
    keep = options.keep_fields if options.keep_fields is not None else DOCUMENT_FIELDS
    share, done = nbytes / len(parsed.entries), 0
    for number, entry in enumerate(parsed.entries, 1):
        size = int(number * share) - done
        done += size
        record_id = entry.get("id") or entry.get("link") or f"{source}#{number}"
        title = html_to_text(entry.get("title", ""))
        bodies = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
        body = max((html_to_text(b) for b in bodies if b), key=len, default="")
        text = _join_title(title, body)
        problem = _text_problem(text or None, options, "title and text")
        if problem:
            yield Problem(source, None, f"entry {number}: {problem}", str(record_id), size)
            continue
        values = {"title": title, "link": entry.get("link"), "published": entry.get("published") or
                  entry.get("updated"), "feed": parsed.feed.get("title")}
        fields = {name: _jsonable(values[name] if name in values else entry.get(name)) for name in keep}
        yield Record(str(record_id), text, source, None, fields, size)


def read_html(data: bytes, source: str, record_id: str, options: ReadOptions) -> Iterator[Item]:
    """One record per page: the main text found by trafilatura (boilerplate dropped), its title first."""
    nbytes = len(data)
    if b"\x00" in data:
        yield Problem(source, None, "binary file (contains NUL bytes), expected HTML", record_id, nbytes)
        return
    if not data.strip():
        yield Problem(source, None, "empty input", record_id, nbytes)
        return
    import trafilatura

    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=False)
    body = (document.text or "") if document is not None else ""
    title = ((document.title or "") if document is not None else "").strip()
    text = _join_title(title, body.strip())
    problem = _text_problem(text or None, options, "article text")
    if problem:
        yield Problem(source, None, problem, record_id, nbytes)
        return
    keep = options.keep_fields if options.keep_fields is not None else DOCUMENT_FIELDS
    values = {"title": title, "link": getattr(document, "url", None), "published": getattr(document, "date", None),
              "author": getattr(document, "author", None), "sitename": getattr(document, "sitename", None)}
    fields = {name: _jsonable(values.get(name)) for name in keep}
    yield Record(record_id, text, source, None, fields, nbytes)


# ---------------------------------------------------------------------------------------------- dispatch


def sniff_format(head: bytes) -> str:
    """Guess a format from the first bytes: ``{`` is JSONL, a feed root is a feed, other markup is HTML."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:_SNIFF_BYTES].lower()
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"<"):
        return "feed" if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", text) else "html"
    return "text"


def format_of(path: str | Path) -> str | None:
    """The format an extension names (``.jsonl.gz`` counts as ``.jsonl``), None when unknown."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        fmt = EXTENSIONS.get(suffixes[-2]) if len(suffixes) > 1 else None
        return fmt if fmt in STREAMED else None
    return EXTENSIONS.get(suffixes[-1]) if suffixes else None


def _normal_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return "feed" if fmt in ("rss", "atom") else fmt


def read_stream(stream: IO[bytes], source: str, record_id: str, fmt: str, options: ReadOptions,
                path: Path | None = None) -> Iterator[Item]:
    """Records of one stream in a known format (``auto`` sniffs the first bytes)."""
    fmt = _normal_format(fmt)
    if fmt == "auto":
        head = stream.peek(_SNIFF_BYTES) if hasattr(stream, "peek") else b""
        fmt = sniff_format(head)
    if fmt == "jsonl":
        yield from read_jsonl(stream, source, options)
    elif fmt in ("csv", "tsv"):
        yield from read_csv(stream, source, options, "\t" if fmt == "tsv" else ",")
    elif fmt == "text":
        yield from read_text(stream, source, record_id, options)
    elif fmt == "parquet":
        if path is None:
            yield Problem(source, None, "Parquet needs a file (it cannot be read from a pipe)")
        else:
            yield from read_parquet(path, source, options)
    else:
        data, more = _read_whole(stream, max(options.max_chars * 64, 64 << 20))
        if more:
            yield Problem(source, None, f"oversized file: over {len(data)} bytes for a {fmt} input", record_id,
                          len(data))
        elif fmt == "feed":
            yield from read_feed(data, source, options)
        else:
            yield from read_html(data, source, record_id, options)


def read_path(path: str | Path, fmt: str = "auto", options: ReadOptions | None = None, *,
              record_id: str | None = None) -> Iterator[Item]:
    """Records of one file, or of every file under a directory (recursively, in sorted order, hidden ones
    skipped; with ``fmt="auto"`` only files whose extension names a format)."""
    options = options or ReadOptions()
    path = Path(path)
    source = str(path)
    fmt = _normal_format(fmt)
    if path.is_dir():
        yield from _read_directory(path, fmt, options)
        return
    if not path.exists():
        yield Problem(source, None, "no such file or directory")
        return
    detected = format_of(path) if fmt == "auto" else fmt
    try:
        stream = _open_binary(path)
    except OSError as error:
        yield Problem(source, None, f"cannot read ({error.strerror})")
        return
    with stream:
        detected = detected or "auto"
        try:
            yield from read_stream(stream, source, record_id or path.name, detected, options, path)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            yield Problem(source, None, f"cannot read ({error})")


def walk_files(directory: Path, fmt: str = "auto") -> Iterator[Path]:
    """Files under ``directory`` in sorted order, hidden files and folders skipped; with ``fmt="auto"`` only
    those with a known extension."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = Path(root) / name
            if fmt != "auto" or format_of(file):
                yield file


def _read_directory(directory: Path, fmt: str, options: ReadOptions) -> Iterator[Item]:
    name = directory.resolve().name
    found = False
    for file in walk_files(directory, fmt):
        found = True
        yield from read_path(file, fmt, options, record_id=f"{name}/{file.relative_to(directory).as_posix()}")
    if not found:
        yield Problem(str(directory), None, "empty input (no files with a known extension: "
                                            f"{', '.join(sorted(EXTENSIONS))})")


def read_stdin(stream: IO[bytes], fmt: str = "auto", options: ReadOptions | None = None) -> Iterator[Item]:
    """Records of standard input (``-``): JSONL, CSV/TSV, a feed, an HTML page or one text document."""
    options = options or ReadOptions()
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(_RawReader(stream))
    yield from read_stream(buffered, "<stdin>", "stdin", fmt, options)


class _RawReader(io.RawIOBase):
    """Adapts any object with ``read`` (a BytesIO from a test runner) for :class:`io.BufferedReader`."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_inputs(paths: Iterable[str], fmt: str = "auto", options: ReadOptions | None = None,
                stdin: IO[bytes] | None = None) -> Iterator[Item]:
    """Records of every input in order; ``-`` is standard input."""
    import sys

    for path in paths:
        if path == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, fmt, options)
        else:
            yield from read_path(path, fmt, options)


def read_hf_dataset(path: str | Path, options: ReadOptions | None = None, split: str | None = None,
                    batch_rows: int = 1024) -> Iterator[Item]:
    """Records of a Hugging Face dataset saved with ``save_to_disk`` (every split of a ``DatasetDict`` in order,
    or only ``split``), read from its memory-mapped Arrow files a batch at a time."""
    options = options or ReadOptions()
    source = str(path)
    try:
        import datasets
    except ImportError:  # pragma: no cover - a dependency
        raise InputError("--hf-dataset needs the 'datasets' package (pip install datasets)") from None
    try:
        loaded = datasets.load_from_disk(str(path))
    except (FileNotFoundError, ValueError, OSError) as error:
        raise InputError(f"{path}: not a dataset saved with save_to_disk ({error})") from None
    if isinstance(loaded, datasets.DatasetDict):
        if split is not None and split not in loaded:
            raise InputError(f"{path}: no split {split!r} (splits: {', '.join(loaded)})")
        parts = [(f"{source}/{name}", loaded[name]) for name in loaded if split in (None, name)]
    else:
        if split is not None:
            raise InputError(f"{path}: a single dataset has no splits; drop --split")
        parts = [(source, loaded)]
    for part_source, dataset in parts:
        columns = dataset.column_names
        for name in [options.text_field] + ([options.id_field] if options.id_field else []):
            if name not in columns:
                raise InputError(f"{part_source}: no column {name!r} (columns: {', '.join(columns)}); choose one "
                                 f"with --text-field/--id-field")
        wanted = [options.text_field, options.id_field or "id", options.title_field, *(options.keep_fields or ())]
        keep = [name for name in dict.fromkeys(wanted) if name and name in columns]
        number = 0
        for batch in dataset.select_columns(keep).iter(batch_size=batch_rows):
            for values in zip(*(batch[name] for name in keep)):
                number += 1
                yield record_from_mapping(dict(zip(keep, values)), part_source, number, options, 1, "column")


def hf_dataset_rows(path: str | Path, split: str | None = None) -> int | None:
    """Rows a saved dataset holds (the progress bar's total)."""
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except (FileNotFoundError, ValueError, OSError):
        return None  # the reader reports it
    if isinstance(loaded, datasets.DatasetDict):
        return sum(d.num_rows for name, d in loaded.items() if split in (None, name))
    return loaded.num_rows


def input_size(paths: Iterable[str], fmt: str = "auto") -> int | None:
    """Bytes the inputs hold on disk (None for standard input or gzip files): the progress bar's total."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        for file in walk_files(p, _normal_format(fmt)) if p.is_dir() else [p]:
            if file.suffix.lower() == ".gz":
                return None  # progress counts uncompressed bytes
            total += _stream_size(file)
    return total
