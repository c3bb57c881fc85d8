"""Scoring throughput on Ray against local scoring, on the same documents in one run.

Run from the repository root (after ``pip install -e ".[ray,bench]"``):

    python bench/ray.py [--documents 400] [--model default]

Measures passages/s (sentences scored per second of wall time, reading and writing included) of

- local ``framewatch score`` with ``--workers 1`` and ``--workers 2``;
- ``framewatch.ray.score_dataset`` + ``write_scored`` on a local Ray cluster with 1 and 2 actors (the cluster is
  given one logical CPU more than the actors, for the reading and writing tasks);

and Ray's overhead per batch: the wall time of a Ray run of one-sentence documents with a model that does no work
(the lexical model) divided by its number of batches. Ratios are against local ``--workers 1``. The rate of one actor
is what a node adds per actor on a cluster: N nodes of C cores give about N × C × (per-actor rate) as long as the
readers and the writers keep up.
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


def documents(n: int) -> list[dict]:
    """``n`` real documents of the shipped corpus: press releases and news articles, cut to their first 20 lines."""
    import itertools

    from framewatch.data.corpus import read_documents

    wanted = ("kremlin_press", "zelenskyy_press", "fakes_syria", "state_press")
    chosen = itertools.islice((d for d in read_documents() if d.source.split("/")[0] in wanted), n)
    return [{"id": d.doc_id, "text": "\n".join(d.text.split("\n")[:20])} for d in chosen]


def local(path: Path, out: Path, model: str, workers: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "framewatch", "score", str(path), "-o", str(out), "-m", model, "-q",
                    "--workers", str(workers)], check=True, cwd=ROOT)
    return time.perf_counter() - start


RAY_RUN = r"""
import sys, time, ray
import framewatch.ray as fr
path, out, model, actors, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ray.init(num_cpus=actors + 1, include_dashboard=False, log_to_driver=False, configure_logging=False)
start = time.perf_counter()
fr.write_scored(fr.score_dataset(ray.data.read_json(path), model=model, num_actors=actors, batch_size=batch), out)
print(time.perf_counter() - start)
"""


def on_ray(path: Path, out: Path, model: str, actors: int, batch: int = 32) -> float:
    result = subprocess.run([sys.executable, "-c", RAY_RUN, str(path), str(out), model, str(actors), str(batch)],
                            check=True, capture_output=True, text=True, cwd=ROOT)
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    from framewatch.data.text import split_sentences

    docs = documents(args.documents)
    passages = sum(len(split_sentences(d["text"])) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in docs))
        seconds = {f"local --workers {w}": local(path, Path(tmp) / f"local{w}.jsonl", args.model, w) for w in (1, 2)}
        seconds.update({f"ray, {a} actor{'s' * (a > 1)}": on_ray(path, Path(tmp) / f"ray{a}", args.model, a)
                        for a in (1, 2)})
        tiny = Path(tmp) / "tiny.jsonl"
        tiny.write_text("".join(json.dumps({"id": f"t{i}", "text": "Fine."}) + "\n" for i in range(3200)))
        overhead = on_ray(tiny, Path(tmp) / "tiny-out", "lexical", 1, batch=32) / (3200 / 32)
    base = passages / seconds["local --workers 1"]
    print(f"{len(docs)} documents, {passages} passages, model {args.model}, {os.cpu_count()} CPUs")
    print(f"{'engine':<22}{'seconds':>9}{'passages/s':>12}{'× local 1':>11}")
    for name, wall in seconds.items():
        print(f"{name:<22}{wall:>9.1f}{passages / wall:>12.1f}{passages / wall / base:>11.2f}")
    print(f"Ray overhead per batch of 32 one-sentence documents (lexical model): {overhead * 1000:.0f} ms")


if __name__ == "__main__":
    main()
