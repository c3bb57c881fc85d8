"""Faults during ``framewatch score``: SIGKILL at random points then ``--resume``, SIGTERM and SIGINT, a full disk, and
a second run on an output that one is writing. Nothing committed is lost, nothing is written twice.

The runs use the shipped lexical model (fast to load); ``bench/faults.py`` is the long version (20 kills over a few
thousand documents).
"""
import errno
import fcntl
import gzip
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from framewatch.cli import main
from framewatch.data.corpus import CORPUS_DIR, LEGACY_SHARD
from framewatch.io import state
from tests.conftest import ROOT

MODEL = "lexical"


def corpus_jsonl(path: Path, n: int, max_chars: int = 800) -> Path:
    with gzip.open(CORPUS_DIR / LEGACY_SHARD, "rt", encoding="utf-8") as corpus, \
            open(path, "w", encoding="utf-8") as out:
        for _, line in zip(range(n), corpus):
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["doc_id"], "text": doc["text"][:max_chars]}) + "\n")
    return path


def score(*args, input=None):
    return CliRunner().invoke(main, ["score", "-q", "-m", MODEL, *map(str, args)], input=input)


def lines_of(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def whole_lines(path: Path) -> list[dict]:
    """The rows of a staged file, which must be whole JSON lines (a committed prefix)."""
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), "a torn last line"
    return [json.loads(line) for line in data.splitlines()]


def command(*args):
    return [sys.executable, "-m", "framewatch", "score", "-q", "-m", MODEL, *map(str, args)]


def test_sigkill_at_random_points_then_resume_loses_and_repeats_nothing(tmp_path):
    data = corpus_jsonl(tmp_path / "corpus.jsonl", 600)
    full = tmp_path / "full.jsonl"
    assert score(data, "-o", full, "--batch-size", "2").exit_code == 0
    expected = full.read_bytes()
    total = expected.count(b"\n")
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    rng = random.Random(12)
    kills = 0
    for target in sorted(rng.sample(range(total // 10, total * 9 // 10), 3)):
        resume = ["--resume"] if partial.exists() else []
        process = subprocess.Popen(command(data, "-o", out, "--batch-size", "2", *resume), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180  # generous: a loaded CI machine starts Python slowly
        while lines_of(partial) < target and process.poll() is None:
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.001)
        time.sleep(rng.random() * 0.01)
        process.send_signal(signal.SIGKILL)
        kills += process.wait() == -signal.SIGKILL
        assert not out.exists() or process.returncode == 0  # the output never exists half-written
    assert kills >= 2, "the runs finished before they could be killed"
    result = score(data, "-o", out, "--batch-size", "2", *(["--resume"] if partial.exists() else []))
    assert result.exit_code == 0, result.output
    ids = [row["id"] for row in whole_lines(out)]
    assert len(ids) == len(set(ids)) == total  # 0 lost, 0 duplicated
    assert out.read_bytes() == expected
    assert not partial.exists() and not (tmp_path / "out.jsonl.errors.jsonl.partial").exists()


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_flush_keep_the_partial_and_exit_128_plus_signal(tmp_path, signum, status):
    data = corpus_jsonl(tmp_path / "corpus.jsonl", 120, 400).read_bytes()
    lines = data.splitlines(keepends=True)
    full = tmp_path / "full.jsonl"
    assert score("-", "-o", full, "--batch-size", "4", input=data).exit_code == 0
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    # standard input is held back after 60 lines, so the run is mid-way (waiting for input) when the signal comes
    process = subprocess.Popen(command("-", "-o", out, "--batch-size", "4"), cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    process.stdin.write(b"".join(lines[:60]))
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while lines_of(partial) < 40:
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no rows committed in time"
        time.sleep(0.005)
    # meanwhile a second run on the same output is refused (the staged file is locked), and touches nothing
    before = partial.read_bytes()
    for extra in ([], ["--resume"]):
        second = score("-", "-o", out, *extra, input=b"")
        assert second.exit_code == 1 and "another framewatch run is writing it" in second.output, second.output
    assert partial.read_bytes()[: len(before)] == before
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == status
    message = stderr.decode().strip().splitlines()
    assert len(message) == 1 and str(partial) in message[0] and "--resume" in message[0], message
    assert signal.Signals(signum).name in message[0]
    kept = whole_lines(partial)
    assert 40 <= len(kept) <= 60 and not out.exists()
    result = score("-", "-o", out, "--resume", "--batch-size", "4", input=data)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == full.read_bytes()


def test_a_full_disk_is_one_clear_error_and_resume_completes_once_space_is_back(tmp_path, monkeypatch):
    data = corpus_jsonl(tmp_path / "corpus.jsonl", 60, 400)
    full = tmp_path / "full.jsonl"
    assert score(data, "-o", full, "--batch-size", "5").exit_code == 0
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    real_append = state._append
    calls = []

    def filling_up(fd, payload):
        calls.append(len(payload))
        if len(calls) >= 4:  # the 4th batch: half of it reaches the disk, then the disk is full
            real_append(fd, payload[: len(payload) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real_append(fd, payload)

    monkeypatch.setattr(state, "_append", filling_up)
    result = score(data, "-o", out, "--batch-size", "5")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert len(errors) == 1 and "disk is full" in errors[0] and str(partial) in errors[0] and "--resume" in errors[0]
    kept = whole_lines(partial)  # cut back to the committed prefix: 3 whole batches, not half of the 4th
    assert len(kept) == 15 and not out.exists()
    assert [row["id"] for row in kept] == [json.loads(line)["id"] for line in full.read_text().splitlines()[:15]]
    again = score(data, "-o", out, "--batch-size", "5", "--resume")  # still full: the prefix stays as it was
    assert again.exit_code == 1 and len(whole_lines(partial)) == 15
    monkeypatch.setattr(state, "_append", real_append)  # space is back
    result = score(data, "-o", out, "--batch-size", "5", "--resume")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == full.read_bytes()


def test_a_second_run_on_a_locked_output_is_refused(tmp_path):
    data = corpus_jsonl(tmp_path / "corpus.jsonl", 10, 300)
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    with open(partial, "ab") as held:  # what a running run holds
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        for extra in ([], ["--resume"]):
            result = score(data, "-o", out, *extra)
            assert result.exit_code == 1 and "another framewatch run is writing it" in result.output
    assert partial.exists() and partial.read_bytes() == b"" and not out.exists()
    result = score(data, "-o", out, "--resume")  # once the lock is released the run goes on
    assert result.exit_code == 0, result.output
    assert len(whole_lines(out)) == 10
