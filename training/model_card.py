"""The model card (``README.md``) and learning-curve plot written into every trained model directory."""
from __future__ import annotations

import io
from typing import Any

from framewatch.data.taxonomy import LABELS

SPLITS = (("dev", "dev (gold dev + silver dev; selection)"), ("gold_test", "gold test"),
          ("modern_test", "modern test"))


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def model_card(name: str, summary: dict[str, Any]) -> str:
    """Describe a model: what it is, how it was trained and selected, every candidate's scores on every split,
    per-label scores on both test sets, and the learning curve."""
    candidates = summary["candidates"]
    config = summary["train_config"]
    data = summary["data"]
    lines = [
        f"# framewatch model: `{name}`", "",
        f"Selected by macro-F1 on dev from {len(candidates)} candidates: `{summary['selected']}`."
        if name == summary["selected"] else f"Exported candidate `{name}` (the run selected `{summary['selected']}`).",
        "",
        "Scores eight framing labels per sentence (taxonomy in `taxonomy.json`). Probabilities are Platt-calibrated "
        "and thresholded per label on the calibration split (silver calibration documents), which nothing was fitted "
        "or selected on; the candidate was selected once on dev; the test sets were read only for this card.", "",
        "## How it was trained", "",
        f"- Reproduce: `framewatch train --config FILE` with `metadata.train_config` of `config.json` as FILE "
        f"(seed {config['seed']}, encoder `{config['encoder']}`).",
        f"- Passages: train {data['train_passages']} (gold train with weight {config['gold_weight']}, "
        f"{data['silver_train_passages']} silver, {len(config['extra_train'])} extra files, "
        f"{config['weak_passages']} weakly labelled), calibration {data['calibration_passages']}, "
        f"dev {data['dev_passages']}, gold test {data.get('gold_test_passages', 0)}, "
        f"modern test {data.get('modern_test_passages', 0)}.",
        f"- Corpus SHA-256 `{data['corpus_sha256'][:16]}`; whole run {summary['train_seconds']} s.",
        "- Environment (the same versions and thread count retrain bit for bit; others move scores slightly): "
        + ", ".join(f"{k} {v}" for k, v in summary.get("environment", {}).items()), "",
        "## Candidates (macro-F1)", "",
        "| candidate | dev | calibration | gold test | modern test | modern-test ECE | int8 | fit s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for candidate, result in candidates.items():
        lines.append(
            f"| `{candidate}` | {_cell(result['dev']['macro_f1'])} | {_cell(result['calibration']['macro_f1'])} | "
            f"{_cell(result.get('gold_test', {}).get('macro_f1'))} | "
            f"{_cell(result.get('modern_test', {}).get('macro_f1'))} | "
            f"{_cell(result.get('modern_test', {}).get('ece'))} | {result.get('quantize') or '–'} | "
            f"{result['fit_seconds']} |")
    for split, title in SPLITS[1:]:
        if not any(split in result for result in candidates.values()):
            continue
        lines += ["", f"## Per label on the {title} (precision / recall / F1)", "",
                  "| label | support | " + " | ".join(f"`{c}`" for c in candidates) + " |",
                  "|---|---|" + "---|" * len(candidates)]
        for label in LABELS:
            cells, support = [], "–"
            for result in candidates.values():
                row = result.get(split, {}).get("per_label", {}).get(label)
                if row is None:
                    cells.append("–")
                    continue
                support = row["support"]
                cells.append(f"{row['precision']:.2f} / {row['recall']:.2f} / {row['f1']:.2f}")
            lines.append(f"| {label} | {support} | " + " | ".join(cells) + " |")
    curve = summary.get("learning_curve") or []
    if curve:
        lines += ["", "## Learning curve", "",
                  f"`{summary['selected']}` refitted on shares of the silver training documents (same recipe, "
                  "same calibration split), macro-F1:", "",
                  "| silver share | silver passages | gold test | modern test |", "|---|---|---|---|"]
        lines += [f"| {p['silver_share']:.0%} | {p['silver_train_passages']} | {_cell(p.get('gold_test'))} | "
                  f"{_cell(p.get('modern_test'))} |" for p in curve]
        lines += ["", "![learning curve](learning_curve.png)"]
    lines += ["", "## Limits", "",
              "Trained on English war reporting, state messaging and official US text (Syria 2011-18, Latin America "
              "1989-91, Russia/Ukraine 2021-22, US briefings and releases 2009-22, Wikipedia's Current Events "
              "2010-25). Labels come from language-model annotators reading the guide (`data/ANNOTATION.md`): gold and "
              "the modern test by two passes and adjudication, silver by one pass (see the datasheets). Scores "
              "describe framing devices in a sentence, not whether a claim is true; expect lower scores on outlets "
              "unlike these.", ""]
    return "\n".join(lines)


def learning_curve_png(curve: list[dict[str, Any]]) -> bytes:
    """Macro-F1 on each test set against the silver passages trained on, as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.8), dpi=100)
    for test, label in (("modern_test", "modern test"), ("gold_test", "gold test")):
        points = [(p["silver_train_passages"], p[test]) for p in curve if p.get(test) is not None]
        if points:
            ax.plot(*zip(*points), marker="o", label=label)
    ax.set(xlabel="silver passages trained on", ylabel="macro-F1", title="Learning curve")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
