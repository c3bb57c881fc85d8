"""What makes a run resumable and lossless: staged output, the errors log, and the id sets that resuming needs.

Never losing a record: rows go to ``<output>.partial``, appended a batch at a time and flushed and fsynced after
each batch, so the file always holds a committed prefix of whole lines. Only a completed run renames it to
``<output>`` (CSV and Parquet are converted from the staged JSONL first, into a temporary file renamed in turn),
so ``<output>`` never exists half-written. Resuming drops a torn last line (and, since a document's rows are
written together, the rows of the last document), skips every id already there and appends the rest. Problems
go to the errors file, one JSON line each ``{"source", "line", "id", "error"}``, staged and renamed the same way.
A staged file is locked while a run writes it, so two runs cannot append to the same one.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import struct
import sys
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Sequence

import numpy as np

from framewatch.io.atomic import atomic_path, fsync_directory
from framewatch.io.records import InputError, Problem


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


class OutputWriteError(OSError):
    """Writing a staged file failed (a full disk, a quota, an I/O error): the file was cut back to what was
    committed before, so a run with ``--resume`` goes on from there once the cause is fixed."""


def _lock(handle: IO[bytes], path: Path, output: Path | None = None) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        what = output or path
        raise InputError(f"{what}: another framewatch run is writing it ({path} is locked); wait for that run to "
                         f"finish or stop it, then rerun (with --resume to continue its work)") from None


def _append(fd: int, data: bytes) -> None:
    """Write all of ``data`` at the end of ``fd`` (opened for appending, unbuffered: nothing is left in a buffer
    to be written later, after a failure was handled)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_failed(path: Path, error: OSError, kept: str) -> OutputWriteError:
    why = "the disk is full" if error.errno == errno.ENOSPC else \
        "the disk quota is exceeded" if error.errno == errno.EDQUOT else (error.strerror or str(error))
    return OutputWriteError(f"cannot write {path}: {why}; {kept}: free some space (or fix the cause) and rerun "
                            f"with --resume to go on")


def _committed_lines(handle: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(end offset, row)`` of each whole, valid JSON line of a staged file, from the start."""
    handle.seek(0)
    offset = 0
    for line in handle:
        if not line.endswith(b"\n"):
            return
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            return
        if not isinstance(row, dict):
            return
        offset += len(line)
        yield offset, row


class StagedOutput:
    """``<path>.partial``: rows appended and fsynced a batch at a time, renamed (or converted) to ``path`` when
    the run completes. ``open`` returns the ids already committed (empty unless resuming).

    The file is locked while a run holds it (a second run on the same output is refused), written unbuffered, and
    cut back to the last committed batch when a write fails, so it always holds a committed prefix of whole lines.
    """

    def __init__(self, path: Path, *, resume: bool = False, passages: bool = False,
                 labels: Sequence[str] | None = None) -> None:
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.resume, self.passages = resume, passages
        self.labels = None if labels is None else list(labels)
        self.handle: IO[bytes] | None = None
        self.rows = 0
        self.size = 0

    def open(self) -> IdSet:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        existed = self.partial.exists()
        self.handle = open(self.partial, "a+b", buffering=0)
        try:
            _lock(self.handle, self.partial, self.path)  # first: a running run is not "an interrupted run"
            if existed and not self.resume:
                raise InputError(f"{self.partial} exists (left by an interrupted run): pass --resume to continue it, "
                                 f"or delete it to start again")
            committed = self._committed() if self.resume else IdSet()
        except BaseException:
            self.handle.close()
            raise
        self.size = os.lseek(self.handle.fileno(), 0, os.SEEK_END)
        return committed

    def _committed(self) -> IdSet:
        """Ids of the committed rows; cuts a torn last line and, in passages mode, the last document's rows."""
        committed = IdSet()
        end = group_start = group_rows = 0
        last_id = None
        with open(self.partial, "rb") as reader:
            for offset, row in _committed_lines(reader):
                if ("sentence" in row) != self.passages:
                    raise InputError(f"{self.partial} was written {'without' if self.passages else 'with'} "
                                     f"--passages; resume with the same options")
                if self.labels is not None and list(row.get("scores", {})) != self.labels:
                    raise InputError(f"{self.partial} was written with other --labels "
                                     f"({', '.join(row.get('scores', {}))}); resume with the same options")
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
        os.ftruncate(self.handle.fileno(), end)
        return committed

    def commit(self, lines: list[str]) -> None:
        """Append ``lines`` and fsync them; on failure cut the file back to its committed prefix and raise
        :class:`OutputWriteError`."""
        if not lines:
            return
        data = "".join(lines).encode("utf-8", "replace")
        fd = self.handle.fileno()
        try:
            _append(fd, data)
            os.fsync(fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self.size)
            raise _write_failed(self.partial, error, f"it keeps the {self.rows} rows committed before") from error
        self.size += len(data)
        self.rows += len(lines)

    def finish(self, convert: Callable[[Path, Path], None] | None = None) -> None:
        """Move the staged rows into place: renamed as they are, or ``convert(staged, tmp)`` then renamed. The lock
        is held until the staged file is gone, so no other run can take it up in between.

        Raises :class:`OutputWriteError` when the conversion cannot be written (the staged file stays, whole)."""
        try:
            if convert is None:
                os.replace(self.partial, self.path)
            else:
                try:
                    with atomic_path(self.path) as tmp:
                        convert(self.partial, tmp)
                except OSError as error:
                    raise _write_failed(self.path, error, f"{self.partial} keeps all {self.rows} rows") from error
                self.partial.unlink()
        finally:
            self.handle.close()
        fsync_directory(self.path.parent)

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
        empty = os.fstat(self.handle.fileno()).st_size == 0
        if empty:  # unlinked while still locked, so no other run can take it in between
            with contextlib.suppress(FileNotFoundError):
                self.partial.unlink()
        self.handle.close()
        return not empty


class ErrorLog:
    """Problems of a run: staged in ``<path>.partial`` and renamed to ``path`` at the end (removed, with any stale
    ``path``, when there were none), or printed to ``stream`` as warnings when there is no path. Resuming skips
    problems already logged, so none appears twice. Problems are held until ``commit`` writes (and fsyncs) them."""

    def __init__(self, path: Path | None, *, resume: bool = False, stream: IO[str] | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.partial = None if path is None else self.path.with_name(self.path.name + ".partial")
        self.resume, self.stream = resume, stream
        self.count, self.first = 0, None
        self.handle: IO[bytes] | None = None
        self.seen = IdSet()
        self.pending: list[bytes] = []
        self.size = 0

    def open(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.partial, "a+b", buffering=0)
        try:
            _lock(self.handle, self.partial)
        except BaseException:
            self.handle.close()
            raise
        end = 0
        if self.resume:
            with open(self.partial, "rb") as reader:
                for end, row in _committed_lines(reader):
                    self.seen.add(json.dumps(row, ensure_ascii=False))
                    self.count += 1
                    if self.first is None:
                        self.first = str(Problem(row.get("source"), row.get("line"), row.get("error")))
        os.ftruncate(self.handle.fileno(), end)
        self.size = end

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
        self.pending.append(line.encode("utf-8", "replace") + b"\n")
        if len(self.pending) >= 1024:  # a long run of bad records between two batches stays out of memory
            self._write(sync=False)

    def commit(self) -> None:
        """Write the problems found so far and fsync them (before the batch they precede is committed)."""
        self._write(sync=True)

    def _write(self, sync: bool) -> None:
        if self.handle is None or self.handle.closed:
            return
        fd = self.handle.fileno()
        try:
            if self.pending:
                data = b"".join(self.pending)
                _append(fd, data)
                self.size += len(data)
                self.pending = []
            if sync:
                os.fsync(fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self.size)
            self.pending = []
            raise _write_failed(self.partial, error, "it keeps the problems committed before") from error

    def finish(self) -> None:
        if self.handle is None:
            return
        self.commit()
        self.handle.close()
        if self.count:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink()
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        fsync_directory(self.path.parent)

    def close(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.close()

    def discard(self) -> None:
        self.close()
        if self.partial is not None:
            with contextlib.suppress(FileNotFoundError):
                self.partial.unlink()
