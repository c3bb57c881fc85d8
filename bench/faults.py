"""Fault benchmark of ``framewatch score``: SIGKILL at random points of a real run, ``--resume`` after each, and a
check that the final output is the uninterrupted run's, byte for byte (0 lost, 0 duplicated). Then SIGTERM and
SIGINT, whose exit statuses must be 143 and 130, each followed by a resume.

Run from the repository root (after README's install):

    python bench/faults.py [--documents 3000] [--kills 20] [--model lexical] [--batch-size 8] [--seed 0]

It writes ``--documents`` documents of the shipped corpus (id, title, text) as JSONL in a temporary folder and
scores it with ``--title-field title`` through the CLI in subprocesses. Kill points are drawn at random: every
other run is killed after it has staged a random number of new rows (spread over the whole corpus; the last run
when every row is staged, so the kill lands in the final rename), the others after a random delay of up to 1.5 s
from their start (model loading, reading, the first batches). It prints kills, lost, duplicated and whether the
output is identical; the exit status is 1 when anything was lost, duplicated or different.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(path: Path, documents: int) -> int:
    """The first ``documents`` documents of the shipped corpus as JSONL (id, title, text); returns how many."""
    from framewatch.data.corpus import CORPUS_DIR, LEGACY_SHARD

    written = 0
    with gzip.open(CORPUS_DIR / LEGACY_SHARD, "rt", encoding="utf-8") as corpus, \
            open(path, "w", encoding="utf-8") as out:
        for line in corpus:
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["doc_id"], "title": doc.get("title") or "", "text": doc["text"][:4000]},
                                 ensure_ascii=False) + "\n")
            written += 1
            if written >= documents:
                break
    return written


def rows(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--model", default="lexical")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="framewatch-faults-") as scratch:
        folder = Path(scratch)
        data = folder / "corpus.jsonl"
        total = build_corpus(data, args.documents)

        def command(out: Path, *extra: str) -> list[str]:
            return [sys.executable, "-m", "framewatch", "score", str(data), "-o", str(out), "-q", "-m", args.model,
                    "--title-field", "title", "--with-text", "--batch-size", str(args.batch_size), *extra]

        started = time.perf_counter()
        full = folder / "full.jsonl"
        subprocess.run(command(full), check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        print(f"uninterrupted: {total} documents in {seconds:.1f} s")

        out = folder / "out.jsonl"
        partial = folder / "out.jsonl.partial"
        kills = finished = 0
        # each run is killed after a random number of new rows (increments that add up to two thirds of the
        # corpus, leaving room for what the other runs write, so the kills spread over the whole run; the last
        # kill comes when every row is staged, so it lands in the final rename), or, every other run, after a
        # random delay of up to 1.5 s from its start (model loading, reading, the first batches)
        row_kills = (args.kills - 1 + 1) // 2
        cuts = sorted(rng.sample(range(1, total * 2 // 3), row_kills))
        increments = [b - a for a, b in zip([0] + cuts, cuts)]
        points = [("time", rng.uniform(0.0, 1.5)) if number % 2 else ("rows", increments[number // 2])
                  for number in range(args.kills - 1)] + [("end", total)]
        for kind, point in points:
            if out.exists():
                break  # a run finished before its kill point
            process = subprocess.Popen(command(out, *(["--resume"] if partial.exists() else [])), cwd=ROOT,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            begun, before = time.perf_counter(), rows(partial)
            while process.poll() is None:
                if kind == "rows" and rows(partial) >= before + point or kind == "end" and rows(partial) >= point \
                        or kind == "time" and time.perf_counter() - begun >= point:
                    break
                time.sleep(0.0005)
            process.send_signal(signal.SIGKILL)
            code = process.wait()
            kills += code == -signal.SIGKILL
            finished += code == 0
            print(f"kill at {kind} {point:g}: {'killed' if code == -signal.SIGKILL else f'exit {code}'}, "
                  f"{rows(partial)} rows staged, output {'exists' if out.exists() else 'absent'}", flush=True)
        if not out.exists():
            subprocess.run(command(out, *(["--resume"] if partial.exists() else [])), check=True, cwd=ROOT)
        expected = [json.loads(line)["id"] for line in full.read_text(encoding="utf-8").splitlines()]
        got = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
        lost = len(set(expected) - set(got))
        duplicated = len(got) - len(set(got))
        identical = out.read_bytes() == full.read_bytes()
        print(f"kills: {kills} (runs that finished first: {finished}); lost: {lost}; duplicated: {duplicated}; "
              f"identical to the uninterrupted run: {identical}")

        statuses = {}
        for number in (signal.SIGTERM, signal.SIGINT):
            target = folder / f"{signal.Signals(number).name}.jsonl"
            process = subprocess.Popen(command(target), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            staged = Path(f"{target}.partial")
            while rows(staged) < total // 3 and process.poll() is None:
                time.sleep(0.001)
            process.send_signal(number)
            _, stderr = process.communicate()
            kept = rows(staged)
            subprocess.run(command(target, "--resume"), check=True, cwd=ROOT)
            same = target.read_bytes() == full.read_bytes()
            statuses[signal.Signals(number).name] = process.returncode
            print(f"{signal.Signals(number).name}: exit {process.returncode}, {kept} rows kept, message: "
                  f"{stderr.decode().strip()!r}; resumed output identical: {same}")
        ok = (lost == 0 and duplicated == 0 and identical and statuses == {"SIGTERM": 143, "SIGINT": 130})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
