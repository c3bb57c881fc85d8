"""Plain text documents (one per file), and the byte-level reading the other readers share: lines and whole
streams up to a cap (so an oversized record is never held in memory), decoding (byte order marks, ``--encoding``,
charset-normalizer's guess) and file sizes for progress.

Without ``--encoding`` text is strict UTF-8, except that a byte order mark names its encoding (UTF-8, UTF-16 or
UTF-32, little or big endian) and is dropped, so offsets index the text without it. A file that is not UTF-8 is
a problem whose message names ``--encoding``.
"""
from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import IO, Iterator

from framewatch.io.records import Item, Problem, ReadOptions, Record, text_problem

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte order marks and the codec that reads (and drops) each; UTF-32 LE is tested before UTF-16 LE, its prefix."""
ENCODING_HINT = "name its encoding with --encoding (e.g. --encoding cp1252, or --encoding auto to guess it)"
_DETECT_BYTES = 1 << 16
_INVALID = "framewatch.invalid"


def _invalid(error: UnicodeError) -> tuple[str | bytes, int]:
    """Error handler of transcoded streams: an undecodable byte becomes U+DCFF, which (like any other lone
    surrogate) is written back as the byte 0xFF, never valid UTF-8, so the reader reports that line or row."""
    if isinstance(error, UnicodeDecodeError):
        return "\udcff" * (error.end - error.start), error.end
    if isinstance(error, UnicodeEncodeError):
        return b"\xff" * (error.end - error.start), error.end
    raise error


codecs.register_error(_INVALID, _invalid)


def bom_encoding(head: bytes) -> str | None:
    """The codec a byte order mark at the start of ``head`` names, None without one."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    return None


def codec_name(name: str) -> str:
    """The canonical name of a codec (``UTF8`` and ``utf_8`` are ``utf-8``)."""
    return codecs.lookup(name).name


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess for ``data`` (its first 64 KiB), None when it has none (binary data)."""
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data[:_DETECT_BYTES]).best()
    except Exception:  # a guess is only a guess: fall back to UTF-8 rather than fail the file
        return None
    return None if best is None else best.encoding


def stream_encoding(head: bytes, options: ReadOptions) -> str | None:
    """The codec a line-based reader (JSONL, CSV) must transcode its stream from, None when the bytes are UTF-8
    already (or UTF-8 with a BOM, which those readers drop themselves)."""
    bom = bom_encoding(head)
    if options.encoding is None:
        name = bom
    elif options.encoding == "auto":
        name = bom or detect_encoding(head)
    else:
        name = options.encoding
    if name is None or codec_name(name) in ("utf-8", "ascii") or name == "utf-8-sig":
        return None
    if codec_name(name) in ("utf-16", "utf-32") and bom_encoding(head) is None:
        return f"{codec_name(name)}-le"  # as bytes.decode reads them; the incremental decoder insists on a BOM
    return name


class Transcoded(io.RawIOBase):
    """A binary stream of ``encoding`` bytes read as UTF-8 bytes, a chunk at a time (for the line-based readers).
    An undecodable byte becomes 0xFF, so the line holding it is reported as not text instead of being guessed."""

    def __init__(self, stream: IO[bytes], encoding: str) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder(encoding)(errors=_INVALID)
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:
        while not self.pending and not self.done:
            chunk = self.stream.read(1 << 16)
            self.done = not chunk
            try:
                text = self.decoder.decode(chunk, final=self.done)
            except UnicodeError:  # a codec that fails without calling the error handler: the chunk is unreadable
                text = "\udcff" * len(chunk)
            self.pending = text.encode("utf-8", _INVALID)
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def transcoded(stream: IO[bytes], encoding: str) -> IO[bytes]:
    """``stream`` as UTF-8 bytes (see :class:`Transcoded`), buffered so readers can ``readline`` and ``peek``."""
    return io.BufferedReader(Transcoded(stream, encoding), 1 << 16)


def decode_text(data: bytes, options: ReadOptions) -> tuple[str, None] | tuple[None, tuple[str, int | None]]:
    """``(text, None)``, or ``(None, (why, line))`` when ``data`` cannot be read as text with ``options.encoding``
    (None: UTF-8 or what a BOM names; ``auto``: a BOM, else charset-normalizer's guess; else that codec)."""
    bom = bom_encoding(data)
    if options.encoding is None:
        name = bom or "utf-8"
    elif options.encoding == "auto":
        name = bom or detect_encoding(data)
        if name is None:
            return None, ("binary file: charset-normalizer found no text encoding that fits (--encoding auto)", None)
    else:
        name = options.encoding
    if name == "utf-8" and b"\x00" in data:
        return None, ("binary file (contains NUL bytes), expected UTF-8 text; a UTF-16 or UTF-32 file without a byte "
                      "order mark needs --encoding utf-16 (or utf-32, or auto)", None)
    try:
        text = data.decode(name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        if options.encoding is None:
            return None, (f"not UTF-8 text (undecodable byte at offset {error.start}); {ENCODING_HINT}", line)
        return None, (f"not {name} text (undecodable byte at offset {error.start}; --encoding {options.encoding})",
                      line)
    except (LookupError, ValueError) as error:  # a codec that is not a text encoding
        return None, (f"cannot decode as {name} ({error})", None)
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM the named codec kept (utf-8 instead of utf-8-sig)
    if name != "utf-8" and "\x00" in text:
        return None, (f"binary file (contains NUL characters as {name}), expected text", None)
    return text, None


class CappedLines:
    """Lines of a binary stream, each at most ``cap`` bytes; a longer line is consumed in chunks and reported.

    Iterating yields ``(number, data, nbytes)`` where ``data`` is None for an oversized line, so a 10 GB line
    never sits in memory. A UTF-8 byte order mark opening the first line is not part of its data (``nbytes``
    still counts it).
    """

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self.stream, self.cap, self.number = stream, cap, 0

    def __iter__(self) -> "CappedLines":
        return self

    def __next__(self) -> tuple[int, bytes | None, int]:
        data = self.stream.readline(self.cap + 1)
        if not data:
            raise StopIteration
        self.number += 1
        if len(data) <= self.cap or data.endswith(b"\n"):
            return self.number, data[3:] if self.number == 1 and data.startswith(b"\xef\xbb\xbf") else data, len(data)
        size = len(data)
        while data and not data.endswith(b"\n"):
            data = self.stream.readline(1 << 20)
            size += len(data)
        return self.number, None, size


def oversized_line(nbytes: int, options: ReadOptions) -> str:
    """The problem of a line over ``options.line_cap`` bytes (what :class:`CappedLines` reports as None)."""
    return (f"oversized record: line of {nbytes} bytes, over the {options.line_cap}-byte limit for --max-chars "
            f"{options.max_chars}")


def file_size(path: Path) -> int:
    """Bytes of ``path`` on disk, 0 when it cannot be read (a progress bar's total)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0

def read_whole(stream: IO[bytes], cap: int) -> tuple[bytes, bool]:
    """At most ``cap`` bytes of ``stream``, and whether there was more (which is then drained, not kept)."""
    data = stream.read(cap + 1)
    if len(data) <= cap:
        return data, False
    while stream.read(1 << 20):
        pass
    return data[:cap], True


def read_text(stream: IO[bytes], source: str, record_id: str, options: ReadOptions) -> Iterator[Item]:
    """One document: the whole stream, decoded as :func:`decode_text` says (UTF-8 unless a BOM or ``--encoding``
    says otherwise; a BOM is dropped)."""
    data, more = read_whole(stream, options.max_chars * 4)
    nbytes = len(data)
    if more:
        yield Problem(source, None, f"oversized record: over {options.max_chars * 4} bytes, more than --max-chars "
                                    f"{options.max_chars} characters", record_id, nbytes)
        return
    text, problem = decode_text(data, options)
    if text is None:
        why, line = problem
        yield Problem(source, line, why, record_id, nbytes)
        return
    if not text.strip():
        yield Problem(source, None, "empty input", record_id, nbytes)
        return
    problem = text_problem(text, options, "text")
    if problem:
        yield Problem(source, None, problem, record_id, nbytes)
        return
    yield Record(record_id, text, source, None, {}, nbytes)
