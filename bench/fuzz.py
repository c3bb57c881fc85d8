"""Long fuzzing run of every reader and of the scoring helpers: ``tests/test_fuzz.py`` under its ``long`` hypothesis
profile (10,000 generated cases per reader), then cases and crashes per reader.

Run from the repository root (after README's install and ``pip install hypothesis``):

    python bench/fuzz.py [-k EXPRESSION] [-- extra pytest arguments]

A crash is an exception that escaped a reader (or ``score_iter`` with ``on_error``, or ``score_document``),
counted once per exception type and place; hypothesis shrinks each to a minimal input, printed by pytest with a
``@reproduce_failure`` line. 0 crashes are expected; the exit status is pytest's.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="select", default=None, help="Only the tests pytest -k selects.")
    parser.add_argument("pytest_args", nargs="*", help="More pytest arguments (after --).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="framewatch-fuzz-") as scratch:
        stats = Path(scratch) / "stats.json"
        env = {**os.environ, "FRAMEWATCH_FUZZ": "long", "FRAMEWATCH_FUZZ_STATS": str(stats)}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py",
                   *(["-k", args.select] if args.select else []), *args.pytest_args]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env)
        seconds = time.perf_counter() - started
        counts = json.loads(stats.read_text(encoding="utf-8")) if stats.exists() else {}
    print(f"\nlong profile in {seconds / 60:.1f} min (pytest exit status {done.returncode})")
    print(f"{'reader':<16}{'cases':>10}{'crashes':>9}")
    for reader, value in sorted(counts.items()):
        print(f"{reader:<16}{value['cases']:>10}{len(value['crashes']):>9}")
        for crash in value["crashes"]:
            print(f"{'':<16}  {crash}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
