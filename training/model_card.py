"""The model card (``README.md``) written beside every trained model directory."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from framewatch.data.taxonomy import LABELS


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def write_model_card(directory: Path, name: str, summary: dict[str, Any]) -> Path:
    """Describe the model in ``directory``: what it is, how it was trained and every candidate's scores."""
    candidates = summary["candidates"]
    config = summary["train_config"]
    lines = [
        f"# framewatch model: `{name}`", "",
        f"Selected by gold-dev macro-F1 from {len(candidates)} candidates: `{summary['selected']}`."
        if name == summary["selected"] else
        f"Exported candidate `{name}` (the run selected `{summary['selected']}`).", "",
        ("Scores eight framing labels per sentence (taxonomy in `taxonomy.json`). Trained on weak labels only, "
         "with 0.5 thresholds and no calibration: the first model's recipe." if config.get("weak_only") else
         "Scores eight framing labels per sentence (taxonomy in `taxonomy.json`); probabilities are Platt-calibrated "
         "per label and thresholded per label, both fitted on gold dev."), "",
        "## How it was trained", "",
        f"- Reproduce: `framewatch train` with the configuration stored under `metadata.train_config` in "
        f"`config.json` (seed {config['seed']}).",
        f"- Weakly labelled corpus passages: {summary['data']['weak_passages']} (gold dev and test documents removed); "
        f"gold passages: train {summary['data'].get('gold_train_passages', 0)}, dev "
        f"{summary['data'].get('gold_dev_passages', 0)}, test {summary['data'].get('gold_test_passages', 0)}; "
        f"gold weight {config['gold_weight']}.",
        "- Data hashes: " + ", ".join(f"{k} `{v[:12]}`" for k, v in summary["data"].items() if k.endswith("sha256")),
        f"- Whole run: {summary['train_seconds']} s.",
        "- Environment (the same versions and thread count retrain bit for bit; other versions move scores slightly): "
        + ", ".join(f"{k} {v}" for k, v in summary.get("environment", {}).items()), "",
        "## Candidates", "",
        "| candidate | dev macro-F1 | test macro-F1 | test micro-F1 | test ECE before → after calibration | fit s |",
        "|---|---|---|---|---|---|",
    ]
    for candidate, result in candidates.items():
        dev, test = result.get("dev", {}), result.get("test", {})
        lines.append(f"| `{candidate}` | {_cell(dev.get('macro_f1'))} | {_cell(test.get('macro_f1'))} | "
                     f"{_cell(test.get('micro_f1'))} | {_cell(test.get('ece_before_calibration'))} → "
                     f"{_cell(test.get('ece'))} | {result['fit_seconds']} |")
    for split in ("dev", "test"):
        lines += ["", f"## Per label on gold {split} (precision / recall / F1)", "",
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
    lines += ["", "## Limits", "",
              "Trained on English war reporting and state messaging (Syria 2011-18, Latin America 1989-91, "
              "Russia/Ukraine 2021-22) and Wikipedia; weak labels come from hand-written labelling functions, "
              "gold labels from two annotation passes with adjudication (see `data/gold/DATASHEET.md`). "
              "Scores describe framing devices in a sentence, not whether a claim is true.", ""]
    path = directory / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
