"""ONNX Runtime benchmark: would the default model be faster, at the same F1, with its encoder on ONNX Runtime?

Run from the repository root (after README's install, plus ``pip install -e ".[bench]"`` for onnx and onnxruntime):

    python bench/onnx_runtime.py [--passages 2000] [--threads 2] [--repeats 3]

The default model's fine-tuned encoder (framewatch's BERT module with mean pooling, float32) is exported with
``torch.onnx.export(..., dynamo=False)`` and run by ONNX Runtime in float32 and after ONNX Runtime's dynamic int8
quantisation (per-channel weights). Each variant replaces only the encoder inside the shipped default (same
tokeniser windows, same head, calibration and thresholds), so passages/s (median of ``--repeats`` passes over
corpus passages, in this one process) and gold dev/test macro-F1 compare like with like against the shipped
torch int8 path, measured in the same run. "Batch Δ" is how far a passage's probabilities move between scoring it
alone and scoring it among the first ``--batch-passages`` dev passages (largest absolute change, and how many
passage-label decisions flip): a model whose scores depend on their batch neighbours gives feed-order-dependent
results.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from throughput import sample_passages  # bench/ is on sys.path when run as a script


class OrtEncoder:
    """Stands in for the torch encoder: same call, same output (mean-pooled embeddings as a torch tensor)."""

    def __init__(self, path: Path, threads: int) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                 token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        if token_type_ids is not None:
            raise ValueError("the exported graph takes no token types (the default encoder reads no context)")
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        (pooled,) = self.session.run(None, {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()})
        return torch.from_numpy(pooled)


def export(encoder: torch.nn.Module, out: Path) -> Path:
    """The encoder as an ONNX graph with dynamic batch and sequence axes."""
    ids = torch.ones((2, 16), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(encoder.eval(), (ids, torch.ones_like(ids)), str(out),
                      input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                      dynamic_axes={"input_ids": axes, "attention_mask": axes}, opset_version=17, dynamo=False)
    return out


def gold_f1(model, gold: list) -> float:
    """Macro-F1 of ``model`` on gold passages."""
    from framewatch.data.gold import label_matrix
    from framewatch.eval.metrics import macro_f1

    return macro_f1(label_matrix(gold), model.predict([p.text for p in gold], [p.context for p in gold]))


def batch_dependence(model, texts: list[str]) -> tuple[float, int]:
    """Largest probability change and number of flipped decisions between scoring alone and scoring together."""
    together = model.predict_proba(texts)
    alone = np.vstack([model.predict_proba([text]) for text in texts])
    flips = int(((together >= model.thresholds_) != (alone >= model.thresholds_)).sum())
    return float(np.abs(together - alone).max()), flips


def throughput(model, texts: list[str], repeats: int) -> float:
    model.predict_proba(texts[:64])
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(0, len(texts), 512):
            model.predict_proba(texts[i:i + 512])
        seconds.append(time.perf_counter() - start)
    return len(texts) / sorted(seconds)[len(seconds) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-passages", type=int, default=200)
    args = parser.parse_args()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    import framewatch
    from framewatch.data.gold import GOLD_DIR, read_gold
    from framewatch.model import EncoderClassifier

    torch.set_num_threads(args.threads)
    texts = sample_passages(args.passages)
    model = framewatch.load()
    member = next(m for m in getattr(model, "members_", [model]) if isinstance(m, EncoderClassifier))
    dev, test = (read_gold(GOLD_DIR / f"{split}.jsonl") for split in ("dev", "test"))
    probe = [p.text for p in dev[:args.batch_passages]]

    def measure(name: str) -> tuple:
        return (name, throughput(model, texts, args.repeats), gold_f1(model, dev), gold_f1(model, test),
                *batch_dependence(model, probe))

    rows = [measure("torch int8 (shipped)")]
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = export(member.encoder_, Path(tmp) / "encoder.onnx")
        int8 = Path(tmp) / "encoder.int8.onnx"
        quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
        for name, path in (("ONNX Runtime float32", fp32), ("ONNX Runtime dynamic int8", int8)):
            member._int8_ = OrtEncoder(path, args.threads)  # the encoder the member runs at inference
            rows.append(measure(name))
    print(f"default model, {args.passages} corpus passages, {args.threads} threads, median of {args.repeats} passes")
    print(f"{'encoder runtime':<28}{'passages/s':>12}{'× shipped':>11}{'dev F1':>9}{'test F1':>9}"
          f"{'batch Δ max':>13}{'flips':>7}")
    for name, speed, dev_f1, test_f1, delta, flips in rows:
        print(f"{name:<28}{speed:>12.1f}{speed / rows[0][1]:>11.2f}{dev_f1:>9.3f}{test_f1:>9.3f}{delta:>13.4f}"
              f"{flips:>7}")


if __name__ == "__main__":
    main()
