"""Feed-scoring benchmark: documents/s, passages/s and peak RSS of ``framewatch score`` on a large JSONL.

Run from the repository root (after README's install):

    python bench/feed.py [--size-mb 200] [--baseline-mb 20] [--model default] [--workers 1]

It writes a synthetic JSONL of about ``--size-mb`` MB in a temporary folder by repeating the shipped corpus
(every repeat gets new ids), scores it with the default model through the CLI in a subprocess, and reports
documents/s, passages/s and the peak RSS of the scoring process (the largest of its processes with
``--workers``). The baseline is the same run, in the same invocation, on a ``--baseline-mb`` file: the RSS ratio
shows whether memory grows with the input (the target is a peak under 1 GiB at any input size).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": done.returncode, "seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
                  "stderr": done.stderr[-2000:]}))
"""


def build_feed(path: Path, size_mb: float) -> tuple[int, int]:
    """Repeat the shipped corpus into ``path`` until it holds ``size_mb`` MB; returns (documents, bytes)."""
    from framewatch.data.corpus import CORPUS_DIR, LEGACY_SHARD

    target = int(size_mb * 1024 * 1024)
    written = documents = 0
    round_ = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            with gzip.open(CORPUS_DIR / LEGACY_SHARD, "rt", encoding="utf-8") as corpus:
                for line in corpus:
                    doc = json.loads(line)
                    row = json.dumps({"id": f"{doc['doc_id']}~{round_}", "title": doc["title"], "text": doc["text"],
                                      "source": doc["source"]}, ensure_ascii=False) + "\n"
                    out.write(row)
                    written += len(row.encode("utf-8"))
                    documents += 1
                    if written >= target:
                        break
            round_ += 1
    return documents, written


def measure(feed: Path, out: Path, model: str, workers: int, batch_size: int) -> dict:
    command = [sys.executable, "-m", "framewatch", "score", str(feed), "-o", str(out), "--model", model,
               "--workers", str(workers), "--batch-size", str(batch_size)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env,
                            cwd=ROOT, check=True)
    row = json.loads(result.stdout.strip().splitlines()[-1])
    if row["rc"] != 0:
        raise SystemExit(f"framewatch score failed: {row['stderr']}")
    summary = re.search(r"scored (\d+) documents \((\d+) passages\)", row["stderr"])
    row["documents"], row["passages"] = int(summary.group(1)), int(summary.group(2))
    with open(out, "rb") as handle:
        row["rows"] = sum(1 for _ in handle)
    out.unlink()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=200.0, help="size of the synthetic feed")
    parser.add_argument("--baseline-mb", type=float, default=20.0, help="size of the baseline feed")
    parser.add_argument("--model", default="default", help="shipped model name or directory")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="framewatch-bench-") as tmp:
        results = {}
        for name, size in (("baseline", args.baseline_mb), ("feed", args.size_mb)):
            feed = Path(tmp) / f"{name}.jsonl"
            documents, written = build_feed(feed, size)
            row = measure(feed, Path(tmp) / "out.jsonl", args.model, args.workers, args.batch_size)
            assert row["rows"] == documents, f"{row['rows']} output rows for {documents} documents"
            results[name] = {**row, "mb": written / 2**20}
            feed.unlink()
    print(f"framewatch score, model {args.model}, --workers {args.workers}, --batch-size "
          f"{args.batch_size}, {os.cpu_count()} CPUs")
    print(f"{'input':<10}{'MB':>8}{'documents':>11}{'passages':>11}{'seconds':>9}{'docs/s':>9}{'passages/s':>12}"
          f"{'peak RSS MB':>13}")
    for name, row in results.items():
        print(f"{name:<10}{row['mb']:>8.0f}{row['documents']:>11}{row['passages']:>11}{row['seconds']:>9.1f}"
              f"{row['documents'] / row['seconds']:>9.1f}{row['passages'] / row['seconds']:>12.0f}"
              f"{row['peak_rss_mb']:>13.0f}")
    ratio = results["feed"]["peak_rss_mb"] / results["baseline"]["peak_rss_mb"]
    size_ratio = results["feed"]["mb"] / results["baseline"]["mb"]
    print(f"peak RSS ×{ratio:.2f} for ×{size_ratio:.1f} the input; target under 1024 MB: "
          f"{'met' if results['feed']['peak_rss_mb'] < 1024 else 'NOT met'}")


if __name__ == "__main__":
    main()
