"""A self-contained HTML page of scored documents: what ``framewatch report`` writes.

Each document is shown with its evidence sentences highlighted in the colour of their strongest label (numbered
badges name every label of a sentence), a bar per label for the document scores, and its labels; a legend gives
each label's colour and definition, and an overview counts documents per label. The page has inline CSS and no
scripts or external resources, so it can be mailed or archived as one file.

The input is the JSONL that ``framewatch score`` writes; with ``--with-text`` the evidence is highlighted inside
the document text (long texts are cut to windows around the evidence), without it the evidence sentences are
listed. Evidence whose offsets do not match the text is listed apart, never guessed into place.
"""
from __future__ import annotations

import heapq
import html
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from framewatch.data.taxonomy import LABELS, load_taxonomy
from framewatch.feeds import InputError

COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D", "#A89400")
"""One colour per label in taxonomy order (Okabe–Ito based, distinguishable with common colour blindness)."""
SORTS = ("input", "score")
MAX_TEXT_SHOWN = 12_000
"""Longer texts are shown as windows of ``CONTEXT_CHARS`` around each evidence sentence."""
CONTEXT_CHARS = 280


@dataclass
class ReportSummary:
    """Documents read from the input, documents shown on the page, and the page's path."""

    documents: int
    shown: int
    path: Path


def read_scored(path: str | Path) -> Iterator[dict[str, Any]]:
    """Document rows of a ``framewatch score`` JSONL file; a malformed line or a passage row raises
    :class:`InputError` naming the file and line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path}:{number}: malformed JSON ({error.msg} at column {error.colno})") from None
            if not isinstance(row, dict) or "scores" not in row or "id" not in row:
                raise InputError(f"{path}:{number}: not a scored document (expected the JSONL of framewatch score)")
            if "sentence" in row:
                raise InputError(f"{path}:{number}: a passage row; report needs document rows (score without "
                                 f"--passages)")
            yield row


def _top(row: dict[str, Any]) -> float:
    return max(row["scores"].values(), default=0.0)


def _colour(label: str) -> int:
    return LABELS.index(label) if label in LABELS else len(LABELS) - 1


def _badges(labels: Iterable[str], scores: dict[str, float]) -> str:
    return "".join(
        f'<span class="badge c{_colour(l)}" title="{html.escape(l)} {scores.get(l, 0):.2f}">{_colour(l) + 1}</span>'
        for l in labels
    )


def _mark(evidence: dict[str, Any], inner: str) -> str:
    labels = evidence["labels"] or list(evidence["scores"])[:1]
    strongest = max(labels, key=lambda l: evidence["scores"].get(l, 0.0))
    tip = ", ".join(f"{l} {evidence['scores'].get(l, 0):.2f}" for l in labels)
    return (f'<mark class="ev c{_colour(strongest)}" title="{html.escape(tip)}">{inner}'
            f'{_badges(labels, evidence["scores"])}</mark>')


def _aligned(text: str, evidence: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Evidence whose offsets slice ``text`` to its sentence (sorted, non-overlapping), and the rest."""
    good, bad, end = [], [], 0
    for item in sorted(evidence, key=lambda e: (e.get("start", -1), e.get("end", -1))):
        start, stop = item.get("start"), item.get("end")
        if (isinstance(start, int) and isinstance(stop, int) and end <= start < stop <= len(text)
                and text[start:stop] == item.get("text")):
            good.append(item)
            end = stop
        else:
            bad.append(item)
    return good, bad


def _windows(text: str, evidence: list[dict[str, Any]]) -> list[tuple[int, int]]:
    if len(text) <= MAX_TEXT_SHOWN:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    for item in evidence:
        start, end = max(0, item["start"] - CONTEXT_CHARS), min(len(text), item["end"] + CONTEXT_CHARS)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans or [(0, min(len(text), 2 * CONTEXT_CHARS))]


def _highlighted(text: str, evidence: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    windows = _windows(text, evidence)
    for number, (start, end) in enumerate(windows):
        if start > 0 or number:
            parts.append('<span class="gap">…</span>')
        cursor = start
        for item in evidence:
            if item["start"] < start or item["end"] > end:
                continue
            parts.append(html.escape(text[cursor:item["start"]]))
            parts.append(_mark(item, html.escape(text[item["start"]:item["end"]])))
            cursor = item["end"]
        parts.append(html.escape(text[cursor:end]))
    if windows[-1][1] < len(text):
        parts.append('<span class="gap">…</span>')
    return "".join(parts)


def _link(value: Any) -> str:
    url = str(value)
    if url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url)}" rel="noopener noreferrer">{html.escape(url)}</a>'
    return html.escape(url)


def render_document(row: dict[str, Any], number: int) -> str:
    """One ``<article>``: id, title, link and date when present, labels, score bars and highlighted text."""
    scores: dict[str, float] = row["scores"]
    labels = set(row.get("labels", []))
    meta = []
    if row.get("title"):
        meta.append(f'<p class="title">{html.escape(str(row["title"]))}</p>')
    details = [html.escape(str(row[key])) for key in ("published", "source") if row.get(key)]
    if row.get("link"):
        details.insert(0, _link(row["link"]))
    if details:
        meta.append(f'<p class="details">{" · ".join(details)}</p>')
    bars = []
    for label, score in scores.items():
        on = " on" if label in labels else ""
        bars.append(
            f'<div class="bar{on}"><span class="name"><span class="badge c{_colour(label)}">{_colour(label) + 1}'
            f'</span>{html.escape(label)}</span><span class="track"><span class="fill c{_colour(label)}" '
            f'style="width:{max(0.0, min(1.0, float(score))) * 100:.1f}%"></span></span>'
            f'<span class="value">{float(score):.2f}</span></div>'
        )
    chips = "".join(f'<span class="chip c{_colour(l)}">{html.escape(l)}</span>' for l in row.get("labels", [])) \
        or '<span class="none">no label over threshold</span>'
    evidence = row.get("evidence", [])
    text = row.get("text")
    if isinstance(text, str):
        good, bad = _aligned(text, evidence)
        body = f'<div class="text">{_highlighted(text, good)}</div>'
    else:
        good, bad = [], evidence
        body = ('<p class="hint">The text is not in the input (score with --with-text to see it); the evidence '
                'sentences:</p>') if evidence else '<p class="hint">No evidence sentences.</p>'
    if bad:
        body += '<ul class="evidence">' + "".join(
            f'<li>{_mark(e, html.escape(str(e.get("text", ""))))} <span class="offsets">'
            f'[{e.get("start")}:{e.get("end")}]</span></li>' for e in bad) + "</ul>"
    sentences = row.get("n_sentences")
    count = f'<span class="count">{len(evidence)} evidence of {sentences} sentences</span>' if sentences else ""
    return (
        f'<article class="doc" id="doc-{number}"><header><h2>{html.escape(str(row["id"]))}</h2>{"".join(meta)}'
        f'<p class="chips">{chips}{count}</p></header><div class="body"><div class="bars">{"".join(bars)}</div>'
        f'<div class="content">{body}</div></div></article>\n'
    )


def _css() -> str:
    colours = "\n".join(
        f".c{i}{{--c:{colour}}} .fill.c{i},.badge.c{i},.swatch.c{i}{{background:{colour}}}"
        for i, colour in enumerate(COLOURS)
    )
    return """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1f21;background:#f4f5f7}
header.page{background:#1f2937;color:#fff;padding:18px 28px}
header.page h1{margin:0 0 4px;font-size:22px}
header.page p{margin:0;color:#cbd5e1}
main{max-width:1180px;margin:0 auto;padding:18px 28px 40px}
section.panel{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:14px 18px;margin-bottom:18px}
section.panel h2{font-size:16px;margin:0 0 10px}
ol.legend{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px 18px}
ol.legend li{display:flex;gap:8px;align-items:flex-start;font-size:13px}
ol.legend b{display:block;font-size:13.5px}
.swatch{flex:none;width:22px;height:22px;border-radius:5px;color:#fff;font-weight:700;text-align:center;line-height:22px;font-size:12px}
.overview .bar .track{height:12px}
article.doc{background:#fff;border:1px solid #dde1e6;border-radius:8px;margin-bottom:16px;padding:14px 18px}
article.doc h2{font-size:16px;margin:0;word-break:break-all}
article.doc p{margin:2px 0}
.title{font-weight:600}
.details{font-size:13px;color:#556}
.details a{color:#0b61a4}
.chips{margin-top:6px}
.chip{display:inline-block;border-radius:11px;padding:0 9px;margin:2px 6px 2px 0;font-size:12.5px;color:#fff;background:var(--c)}
.none,.count,.hint,.offsets{color:#778;font-size:12.5px}
.count{margin-left:6px}
.body{display:grid;grid-template-columns:360px 1fr;gap:20px;margin-top:10px}
.bar{display:grid;grid-template-columns:205px 1fr 38px;align-items:center;gap:6px;font-size:12px;color:#667}
.bar.on{color:#111;font-weight:600}
.bar .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.track{display:block;height:10px;background:#e9ecf0;border-radius:5px;overflow:hidden}
.fill{display:block;height:100%;border-radius:5px}
.bar:not(.on) .fill{opacity:.45}
.value{text-align:right;font-variant-numeric:tabular-nums}
.text{white-space:pre-wrap;line-height:1.65;max-height:30em;overflow:auto;padding-right:6px}
mark.ev{background:color-mix(in srgb,var(--c) 24%,white);border-bottom:3px solid var(--c);border-radius:3px;padding:1px 2px;color:inherit}
.badge{display:inline-block;min-width:16px;height:16px;border-radius:8px;color:#fff;font-size:10.5px;font-weight:700;line-height:16px;text-align:center;margin:0 1px 0 3px;vertical-align:1px}
.bar .badge{margin:0 5px 0 0}
.gap{color:#99a;padding:0 4px}
ul.evidence{margin:6px 0;padding-left:18px}
ul.evidence li{margin:4px 0}
footer{color:#778;font-size:12.5px;text-align:center;padding:10px}
@media (max-width:760px){.body{grid-template-columns:1fr}}
""" + colours


def write_report(rows: Iterable[dict[str, Any]] | str | Path, out: str | Path, *, title: str = "framewatch report",
                 limit: int | None = 200, sort: str = "input", min_score: float | None = None,
                 source_name: str | None = None) -> ReportSummary:
    """Write the HTML page (atomically) and return what it holds.

    Parameters
    ----------
    rows : scored document rows, or the path of a ``framewatch score`` JSONL file.
    out : the HTML file to write.
    title : the page heading.
    limit : documents shown at most (the overview counts them all); None for no limit, default=200.
    sort : ``"input"`` keeps input order; ``"score"`` shows the highest-scoring documents first.
    min_score : only documents whose highest label score reaches this.
    """
    from framewatch.scoring import atomic_path

    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, found {sort!r}")
    if isinstance(rows, (str, Path)):
        source_name = source_name or Path(rows).name
        rows = read_scored(rows)
    counts = {label: 0 for label in LABELS}
    read = shown = 0
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="framewatch-report-") as scratch:
        body = Path(scratch) / "documents.html"
        with open(body, "w", encoding="utf-8") as handle:
            best: list[tuple[float, int, dict[str, Any]]] = []
            for row in rows:
                if min_score is not None and _top(row) < min_score:
                    continue
                read += 1
                for label in row.get("labels", []):
                    if label in counts:
                        counts[label] += 1
                if sort == "score":
                    item = (_top(row), -read, row)
                    if limit is None or len(best) < limit:
                        heapq.heappush(best, item)
                    elif item[:2] > best[0][:2]:
                        heapq.heapreplace(best, item)
                elif limit is None or shown < limit:
                    shown += 1
                    handle.write(render_document(row, shown))
            for _, _, row in sorted(best, key=lambda item: item[:2], reverse=True):
                shown += 1
                handle.write(render_document(row, shown))
        with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8") as page, open(body, encoding="utf-8") as docs:
            page.write(_head(title, read, shown, source_name, sort, counts))
            while chunk := docs.read(1 << 20):
                page.write(chunk)
            page.write('</main><footer>Written by framewatch. Scores are model estimates to guide reading, not '
                       'verdicts.</footer></body></html>\n')
    return ReportSummary(read, shown, out)


def _head(title: str, read: int, shown: int, source: str | None, sort: str, counts: dict[str, int]) -> str:
    taxonomy = {label.name: label.definition for label in load_taxonomy().labels}
    legend = "".join(
        f'<li><span class="swatch c{i}">{i + 1}</span><span><b>{html.escape(label)}</b>'
        f'{html.escape(taxonomy.get(label, ""))}</span></li>'
        for i, label in enumerate(LABELS)
    )
    peak = max(counts.values(), default=0) or 1
    overview = "".join(
        f'<div class="bar on"><span class="name"><span class="badge c{_colour(label)}">{_colour(label) + 1}</span>'
        f'{html.escape(label)}</span><span class="track"><span class="fill c{_colour(label)}" '
        f'style="width:{count / peak * 100:.1f}%"></span></span><span class="value">{count}</span></div>'
        for label, count in counts.items()
    )
    order = "highest score first" if sort == "score" else "input order"
    what = f"{shown} of {read} documents" + (f" from {html.escape(source)}" if source else "") + f", {order}"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{html.escape(title)}</title><style>{_css()}</style></head><body>'
        f'<header class="page"><h1>{html.escape(title)}</h1><p>{what}</p></header><main>'
        f'<section class="panel legend-panel"><h2>Labels</h2><ol class="legend">{legend}</ol></section>'
        f'<section class="panel overview"><h2>Documents per label (of {read})</h2>{overview}</section>\n'
    )
