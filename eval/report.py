"""Reports of an evaluation: ``metrics.json``, ``report.md``, a self-contained ``report.html`` and PNG plots.

Everything is rendered into a temporary folder beside ``out`` and swapped into place at the end, so an interrupted
run leaves the previous report (or nothing), never a mix; a folder that is not a previous report is never replaced
without ``overwrite``.
"""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from .runner import MIN_SLICE_POSITIVES, EvalResult, pr_curves


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "model"


def _plots(result: EvalResult, y: np.ndarray, folder: Path) -> dict[str, Path]:
    """One PR-curve figure per model and one reliability diagram of all models; returns title → path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths: dict[str, Path] = {}
    for run in result.runs:
        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
        curves = pr_curves(y, run.scores)
        for label, (recall, precision) in curves.items():
            auc = result.metrics["models"][run.name]["per_label"][label]["pr_auc"]
            ax.step(recall, precision, where="post", label=f"{label} (AP {auc:.2f})")
        ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02), title=f"Precision-recall: {run.name}")
        if curves:
            ax.legend(fontsize=7, loc="lower left")
        fig.tight_layout()
        path = folder / f"pr_curves_{_slug(run.name)}.png"
        fig.savefig(path)
        plt.close(fig)
        paths[f"Precision-recall curves: {run.name}"] = path
    fig, ax = plt.subplots(figsize=(5.2, 5.2), dpi=100)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for run in result.runs:
        bins = result.metrics["models"][run.name]["reliability"]
        ece = result.metrics["models"][run.name]["ece"]
        ax.plot([b["mean_score"] for b in bins], [b["positive_rate"] for b in bins], marker="o",
                label=f"{run.name} (ECE {ece:.3f})")
    ax.set(xlabel="mean predicted probability", ylabel="observed positive rate", xlim=(0, 1), ylim=(0, 1),
           title="Reliability (all labels pooled)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = folder / "reliability.png"
    fig.savefig(path)
    plt.close(fig)
    paths["Reliability diagram"] = path
    return paths


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"[{value[0]:.3f}, {value[1]:.3f}]"
    return str(value)


def _tables(metrics: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's tables as (title, header, rows), shared by the Markdown and HTML renderings."""
    models = metrics["models"]
    tables = [(
        "Comparison",
        ["model", "macro F1", "macro F1 95% CI", "micro F1", "micro F1 95% CI", "ECE"],
        [[name, m["macro_f1"], m.get("macro_f1_ci95"), m["micro_f1"], m.get("micro_f1_ci95"), m["ece"]]
         for name, m in models.items()],
    )]
    if metrics["comparisons"]:
        tables.append((
            "Paired bootstrap of the macro-F1 difference",
            ["a", "b", "a − b", "95% CI", "share of resamples where a ≤ b"],
            [[c["a"], c["b"], c["difference"], [c["ci_low"], c["ci_high"]], c["p_not_better"]]
             for c in metrics["comparisons"]],
        ))
    for name, m in models.items():
        tables.append((
            f"Per label: {name}",
            ["label", "precision", "recall", "F1", "F1 95% CI", "support", "predicted", "PR-AUC",
             "best recall at P ≥ 0.60", "threshold"],
            [[label, r["precision"], r["recall"], r["f1"], r.get("f1_ci95"), r["support"], r["predicted"], r["pr_auc"],
              r["best_recall_at_p60"], r["threshold"]] for label, r in m["per_label"].items()],
        ))
        for key, title in (("per_source", "source"), ("per_sampling", "sampling")):
            if key in m:
                tables.append((
                    f"Per {title}: {name} (labels with ≥ {MIN_SLICE_POSITIVES} positives in the slice)",
                    [title, "passages", "labels scored", "macro F1", "micro F1"],
                    [[s, r["n"], ", ".join(r["labels"]) or "–", r["macro_f1"], r["micro_f1"]]
                     for s, r in m[key].items()],
                ))
    lfs = metrics.get("labelling_functions")
    if lfs:
        vote = lfs["majority_vote"]
        tables.append((
            "Labelling functions, majority vote per label, against gold",
            ["label", "precision", "recall", "F1", "support"],
            [[label, r["precision"], r["recall"], r["f1"], r["support"]] for label, r in vote["per_label"].items()]
            + [["macro", None, None, vote["macro_f1"], None]],
        ))
        rows = lfs["functions"]
        header = list(rows[0].keys()) if rows else []
        tables.append(("Labelling functions against gold, one row per function", header,
                       [[row[k] for k in header] for row in rows]))
    return tables


def _error_sections(metrics: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    sections = []
    for name, m in metrics["models"].items():
        for label, errors in m["errors"].items():
            for kind in ("false_positives", "false_negatives"):
                if errors[kind]:
                    sections.append((f"{name} · {label} · {kind.replace('_', ' ')}", kind, errors[kind]))
    return sections


def render_markdown(metrics: dict[str, Any], images: dict[str, str]) -> str:
    data = metrics["data"]
    lines = ["# framewatch evaluation report", "",
             f"Data: `{data['path']}`: {data['n_passages']} passages"
             + (f" from {data['n_documents']} documents" if data["n_documents"] else "")
             + f"; bootstrap: {data['bootstrap']['resamples']} resamples by {data['bootstrap']['unit']}.", "",
             "Support per label: " + ", ".join(f"{k} {v}" for k, v in data["support"].items()), ""]
    for title, header, rows in _tables(metrics):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
        lines.append("")
    lines += ["## Plots", ""] + [f"![{title}]({name})" for title, name in images.items()] + [""]
    lines += ["## Errors", ""]
    for title, _, rows in _error_sections(metrics):
        lines += [f"### {title}", ""] + [f"- {r['score']:.3f} `{r['id']}`: {r['text']}" for r in rows] + [""]
    return "\n".join(lines)


def render_html(metrics: dict[str, Any], images: dict[str, bytes]) -> str:
    """The self-contained HTML page (Jinja2, every value autoescaped; plots inlined as base64 PNG)."""
    from jinja2 import Environment, PackageLoader

    environment = Environment(loader=PackageLoader("framewatch.eval", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["fmt"] = _fmt
    return environment.get_template("report.html.j2").render(
        data=metrics["data"], tables=_tables(metrics),
        images=[(title, base64.b64encode(png).decode("ascii")) for title, png in images.items()],
        errors=[(title, rows) for title, _, rows in _error_sections(metrics)],
    )


MARKER = ".framewatch-eval"
"""Written into every report directory, so a later ``framewatch eval --out`` knows it may replace it."""


def is_report(path: Path) -> bool:
    """Whether ``path`` holds a report written by :func:`write_reports`."""
    return (Path(path) / MARKER).is_file()


def write_reports(result: EvalResult, out: str | Path, overwrite: bool = False) -> Path:
    """Write all report files into ``out``, built beside it and swapped in whole.

    ``out`` may be new, empty, or a previous report (it holds the marker file); anything else is refused with
    :class:`~framewatch.io.atomic.OutputExistsError` unless ``overwrite``, so a mistyped ``--out`` never deletes data.
    """
    from framewatch.io.atomic import atomic_directory, check_replaceable

    out = Path(out)
    check_replaceable(out, is_report, overwrite, "framewatch eval")
    with atomic_directory(out) as staging:
        plots = _plots(result, result.y, staging)
        (staging / "metrics.json").write_text(json.dumps(result.metrics, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        (staging / "report.md").write_text(
            render_markdown(result.metrics, {title: path.name for title, path in plots.items()}), encoding="utf-8"
        )
        (staging / "report.html").write_text(
            render_html(result.metrics, {title: path.read_bytes() for title, path in plots.items()}), encoding="utf-8"
        )
        (staging / MARKER).write_text("written by framewatch eval\n", encoding="utf-8")
    return out
