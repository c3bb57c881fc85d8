"""One way to write a file or a directory so that a reader never sees it half-written.

Every writer in framewatch goes through here: the content is written to a temporary sibling (same directory, so
the final rename stays on one file system), flushed and fsynced, then renamed over the target. An interrupted write
leaves the target as it was. Files get the permissions a plain ``open`` would give under the current umask (not
``mkstemp``'s 0600).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator


class OutputExistsError(FileExistsError):
    """An output path holds something this command did not write; the message says how to proceed."""


def check_replaceable(path: Path, is_output: Callable[[Path], bool], overwrite: bool, command: str) -> None:
    """Refuse to replace ``path`` unless it is absent, empty, a previous output of ``command`` (``is_output``) or
    ``overwrite`` is set; a file where a directory belongs is always refused."""
    path = Path(path)
    if not path.exists() or overwrite and path.is_dir():
        return
    if not path.is_dir():
        raise OutputExistsError(f"{path} is a file, not a directory: choose another output directory")
    if is_output(path) or not any(path.iterdir()):
        return
    raise OutputExistsError(f"{path} is not empty and was not written by {command}: refusing to replace it "
                            "(pass --overwrite to replace it anyway, or choose another directory)")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def fsync_directory(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block completes (fsynced first)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        yield Path(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, target)
        fsync_directory(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


@contextlib.contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """A fresh temporary directory beside ``path`` that takes its place only if the block completes.

    What was at ``path`` is moved aside, the new directory renamed in, and the old one deleted: ``path`` holds the
    old content or the whole new content (for a moment between two renames, nothing), never a mixture, so a stale
    file cannot survive into the new directory. The directory and its files get the permissions of a plain ``mkdir``
    and ``open`` under the current umask (not ``mkdtemp``'s 0700).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        yield staging
        for file in staging.rglob("*"):
            if file.is_file():
                os.chmod(file, 0o666 & ~_umask())  # libraries such as safetensors create their files 0600
                with open(file, "rb+") as written:
                    os.fsync(written.fileno())
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(staging, target)
        fsync_directory(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
