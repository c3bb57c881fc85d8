"""Readers for everything ``framewatch score`` takes in, as one stream of records and problems: the format
of each input (by extension, ``--format`` or sniffed) and the walk over files, folders and standard input.

Every reader yields :class:`~framewatch.io.records.Record` or :class:`~framewatch.io.records.Problem` and never
raises for bad data, so a run can write problems to its errors file and go on. Readers stream: JSONL, CSV/TSV,
Parquet and Hugging Face datasets are read a line or a batch of rows at a time, and a line longer than the record
limit is skipped without being held in memory. Feeds, HTML pages and text files are one document (or one feed) per
file.

Formats, detected by extension (``--format`` overrides; unknown extensions and stdin are sniffed):

========  ====================================  ==============================================================
format    extensions                            one record per
========  ====================================  ==============================================================
text      .txt .text .md                        file (id: the file name, or its path inside a directory)
jsonl     .jsonl .ndjson (also .gz)             line: an object with the text field (default ``text``)
csv/tsv   .csv .tsv (also .gz)                  row, under a header naming the columns
parquet   .parquet .pq                          row
feed      .rss .atom .xml                       entry of an RSS 2.0 / Atom / RDF feed: summary or content, title
html      .html .htm                            page: the article's main text (trafilatura), title
========  ====================================  ==============================================================

A record's text is the body as the input holds it; a title (``--title-field``, a feed entry's or a page's) is kept
apart in :attr:`Record.title <framewatch.io.records.Record.title>` and scored before it. Text files, JSONL and
CSV are UTF-8 unless a byte order mark (UTF-8, UTF-16, UTF-32) or ``ReadOptions.encoding`` says otherwise.

Ids come from the id field when the record has one, else they are derived and stable: ``<file>:<line>`` for lines
and rows (Parquet and dataset rows count from 1), the entry's ``id`` or ``link`` for feeds, the file name for
one-document files. Heavy parsers (feedparser, trafilatura, pyarrow, datasets) are imported by the reader that
needs them.
"""
from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from framewatch.io.readers.csv import read_csv
from framewatch.io.readers.feed import read_feed
from framewatch.io.readers.hf import hf_dataset_rows, read_hf_dataset
from framewatch.io.readers.html import read_html
from framewatch.io.readers.jsonl import read_jsonl
from framewatch.io.readers.parquet import read_parquet
from framewatch.io.readers.text import bom_encoding, file_size, read_text, read_whole, stream_encoding, transcoded
from framewatch.io.records import InputError, Item, Problem, ReadOptions

__all__ = [
    "EXTENSIONS", "FORMATS", "format_of", "hf_dataset_rows", "input_size", "read_hf_dataset", "read_inputs",
    "read_path", "read_stdin", "read_stream", "sniff_format", "walk_files",
]

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

_SNIFF_BYTES = 4096
_READ_ERRORS = (OSError, EOFError, gzip.BadGzipFile, zlib.error)
"""What reading a broken file (a truncated or garbled ``.gz``, an I/O error) raises."""
INTERNAL_ERROR = "internal error while reading"
"""Start of the problem reported when a reader fails unexpectedly (a bug: report it); the run still goes on."""


def _open_binary(path: Path) -> IO[bytes]:
    """A buffered binary stream of ``path``, gunzipped for ``.gz``."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def sniff_format(head: bytes, encoding: str | None = None) -> str:
    """Guess a format from the first bytes: ``{`` is JSONL, a feed root is a feed, other markup is HTML. Bytes
    in UTF-16 or UTF-32 (by their BOM, or ``encoding``) are decoded first."""
    name = bom_encoding(head) or (encoding if encoding not in (None, "auto") else None)
    if name and name != "utf-8-sig":
        try:
            head = codecs.getincrementaldecoder(name)(errors="ignore").decode(head).encode("utf-8")
        except (LookupError, ValueError):
            pass
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
    head = stream.peek(_SNIFF_BYTES) if hasattr(stream, "peek") else b""
    if fmt == "auto":
        fmt = sniff_format(head, options.encoding)
    if fmt in ("jsonl", "csv", "tsv"):
        encoding = stream_encoding(head, options)
        if encoding is not None:
            stream = transcoded(stream, encoding)
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
        data, more = read_whole(stream, max(options.max_chars * 64, 64 << 20))
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
        yield from _guarded(read_stream(stream, source, record_id or path.name, detected or "auto", options, path),
                            source)


def _guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """``items`` until reading fails: a broken file (a truncated or garbled gzip stream, an I/O error) ends as a
    problem, and so does an unexpected failure of a reader, so one file never stops a run."""
    try:
        yield from items
    except _READ_ERRORS as error:
        yield Problem(source, None, f"cannot read ({error or type(error).__name__})")
    except (MemoryError, RecursionError) as error:
        yield Problem(source, None, f"cannot read: the input is too large or too deeply nested "
                                    f"({type(error).__name__})")
    except Exception as error:  # a reader bug must not stop the run: say so, and go on with the next input
        yield Problem(source, None, f"{INTERNAL_ERROR} ({type(error).__name__}: {error}); please report it")


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
    yield from _guarded(read_stream(buffered, "<stdin>", "stdin", fmt, options), "<stdin>")


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
            total += file_size(file)
    return total
