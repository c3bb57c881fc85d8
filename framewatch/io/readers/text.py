"""Plain text documents (one per file, UTF-8), and the byte-level reading the other readers share: lines and
whole streams up to a cap (so an oversized record is never held in memory), and file sizes for progress."""
from __future__ import annotations

from pathlib import Path
from typing import IO, Iterator

from framewatch.io.records import Item, Problem, ReadOptions, Record, text_problem


class CappedLines:
    """Lines of a binary stream, each at most ``cap`` bytes; a longer line is consumed in chunks and reported.

    Iterating yields ``(number, data, nbytes)`` where ``data`` is None for an oversized line, so a 10 GB line
    never sits in memory.
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
            return self.number, data, len(data)
        size = len(data)
        while data and not data.endswith(b"\n"):
            data = self.stream.readline(1 << 20)
            size += len(data)
        return self.number, None, size


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
    data, more = read_whole(stream, options.max_chars * 4)
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
    problem = text_problem(text, options, "text")
    if problem:
        yield Problem(source, None, problem, record_id, nbytes)
        return
    yield Record(record_id, text, source, None, {}, nbytes)
