"""Throughput benchmark: passages/s and peak RSS of framewatch models against Hugging Face's pipeline.

Run from the repository root (after ``pip install -e ".[bench]"``):

    python bench/throughput.py [--passages 2000] [--threads 2] [--repeats 3]

Each measurement runs in a fresh subprocess, so peak RSS belongs to that model alone. The baseline is
``transformers.pipeline("text-classification")`` on the same encoder weights and head (an
``AutoModelForSequenceClassification`` loaded from the shipped default's fine-tuned encoder directory; it pools with
its [CLS] head instead of the mean, which costs the same), in float32 as the pipeline runs it, measured in the same
run on the same passages. Also measured: cold start (import, load, score one text) of the default model.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, os, sys, time
kind, name, path, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
texts = [line.rstrip("\n") for line in open(path, encoding="utf-8")]
if kind == "framewatch":
    import framewatch
    model = framewatch.load(name)
    model.predict_proba(texts[:64])                      # warm-up
    def run():
        for i in range(0, len(texts), 512):
            model.predict_proba(texts[i:i + 512])
else:
    from transformers import pipeline
    from transformers.utils import logging
    logging.set_verbosity_error()
    classify = pipeline("text-classification", model=name, tokenizer=name, device=-1, top_k=None)
    classify(texts[:64], batch_size=64, truncation=True)
    def run():
        classify(texts, batch_size=64, truncation=True, function_to_apply="sigmoid")
seconds = []
for _ in range(repeats):
    start = time.perf_counter()
    run()
    seconds.append(time.perf_counter() - start)
seconds = sorted(seconds)[len(seconds) // 2]
# VmHWM is this process image's own high-water mark; ru_maxrss would carry the parent's RSS across fork+exec
hwm_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
rss_mb = hwm_kb / 1024
print(json.dumps({"passages_per_s": len(texts) / seconds, "peak_rss_mb": rss_mb}))
"""

COLD = r"""
import time
start = time.perf_counter()
import framewatch
model = framewatch.load()
model.predict_proba(["Officials declined to comment on the reports."])
print(time.perf_counter() - start)
"""


def sample_passages(n: int) -> list[str]:
    """The first ``n`` passages of a seeded shuffle of the shipped corpus (all sources, real lengths)."""
    import random

    from framewatch.data.corpus import iter_passages, read_documents

    passages = [p.text for p in iter_passages(read_documents())]
    random.Random(0).shuffle(passages)
    return passages[:n]


def hf_baseline_dir(out: Path) -> Path:
    """An ``AutoModelForSequenceClassification`` with the default model's encoder weights and head, for the
    pipeline (it pools with its own [CLS] head instead of the mean, which costs the same)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()

    import framewatch
    from framewatch.model import EncoderClassifier, EnsembleClassifier

    default = framewatch.load()
    parts = default.members_ if isinstance(default, EnsembleClassifier) else [default]
    encoders = [part for part in parts if isinstance(part, EncoderClassifier)]
    if not encoders:
        raise SystemExit("the default model has no transformer; nothing to compare with the HF pipeline")
    model = encoders[0]
    classifier = AutoModelForSequenceClassification.from_pretrained(
        str(model.encoder_source_), num_labels=len(model.labels), problem_type="multi_label_classification",
        dtype=torch.float32, local_files_only=True)
    if not isinstance(getattr(classifier, "classifier", None), torch.nn.Linear):
        raise SystemExit(f"{type(classifier).__name__}'s head is not one linear layer: no like-for-like baseline")
    with torch.no_grad():
        classifier.classifier.weight.copy_(torch.from_numpy(model.head_weight_))
        classifier.classifier.bias.copy_(torch.from_numpy(model.head_bias_))
    classifier.save_pretrained(out)
    AutoTokenizer.from_pretrained(str(model.encoder_source_), local_files_only=True).save_pretrained(out)
    return out


def measure(kind: str, name: str, texts_path: Path, threads: int, repeats: int) -> dict[str, float]:
    # threads through the environment, so a model that never imports torch (lexical) is measured without it
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    result = subprocess.run([sys.executable, "-c", WORKER, kind, name, str(texts_path), str(repeats)],
                            capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed passes over the passages per model; the median is reported (shared machines "
                             "are noisy)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        texts_path = Path(tmp) / "passages.txt"
        texts_path.write_text("\n".join(t.replace("\n", " ") for t in sample_passages(args.passages)) + "\n",
                              encoding="utf-8")
        rows = {}
        rows["HF pipeline (baseline)"] = measure("hf", str(hf_baseline_dir(Path(tmp) / "hf")), texts_path,
                                                 args.threads, args.repeats)
        for name in ("default", "lexical"):
            rows[f"framewatch {name}"] = measure("framewatch", name, texts_path, args.threads, args.repeats)
        colds = []
        for _ in range(max(3, args.repeats)):
            out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, cwd=ROOT, check=True,
                                 env={**os.environ, "HF_HUB_OFFLINE": "1"})
            colds.append(float(out.stdout.strip().splitlines()[-1]))
    base = rows["HF pipeline (baseline)"]["passages_per_s"]
    print(f"{args.passages} corpus passages, {args.threads} threads, {os.cpu_count()} CPUs, "
          f"median of {args.repeats} passes per model")
    print(f"{'model':<26}{'passages/s':>12}{'× pipeline':>12}{'peak RSS MB':>13}")
    for name, row in rows.items():
        print(f"{name:<26}{row['passages_per_s']:>12.1f}{row['passages_per_s'] / base:>12.2f}"
              f"{row['peak_rss_mb']:>13.0f}")
    print(f"cold start of the default model (import, load, score one text): best {min(colds):.2f} s, "
          f"median {sorted(colds)[len(colds) // 2]:.2f} s")


if __name__ == "__main__":
    main()
