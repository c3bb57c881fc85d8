"""A self-contained HTML page of scored documents: what ``framewatch report`` writes.

Each document is shown with its evidence sentences highlighted in the colour of their strongest label (numbered
badges name every label of a sentence), a bar per label for the document scores, and its labels; a legend gives
each label's colour and definition, and an overview counts documents per label. The page has inline CSS and no
scripts or external resources, so it can be mailed or archived as one file.

The input is the JSONL that ``framewatch score`` writes; with ``--with-text`` the evidence is highlighted inside
the document text (long texts are cut to windows around the evidence), without it the evidence sentences are
listed. Evidence found in the title (``"field": "title"``) is highlighted inside the shown title. Evidence whose
offsets do not match its text is listed apart, never guessed into place.

The markup comes from a Jinja2 template (``templates/report.html.j2``) with autoescaping on, so no text, title,
id or link of the input can inject markup or script; Python only decides what is shown.
"""
from __future__ import annotations

import heapq
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from framewatch.data.taxonomy import LABELS, load_taxonomy
from framewatch.io.readers.jsonl import json_line
from framewatch.io.records import InputError

COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D", "#A89400")
"""One colour per label in taxonomy order (Okabe–Ito based, distinguishable with common colour blindness)."""
SORTS = ("input", "score")
MAX_TEXT_SHOWN = 12_000
"""Longer texts are shown as windows of ``CONTEXT_CHARS`` around each evidence sentence."""
CONTEXT_CHARS = 280


@dataclass
class ReportSummary:
    """Documents read from the input, documents shown on the page, the page's path, and the malformed input lines
    that were skipped (the first of them described)."""

    documents: int
    shown: int
    path: Path
    problems: int = 0
    first_problem: str | None = None


@dataclass
class Problems:
    """Counts skipped lines and keeps the first one's description."""

    count: int = 0
    first: str | None = None

    def add(self, message: str) -> None:
        self.count += 1
        self.first = self.first or message


def read_scored(path: str | Path, on_problem: Callable[[str], None] | None = None) -> Iterator[dict[str, Any]]:
    """Document rows of a ``framewatch score`` JSONL file.

    A malformed line (bad JSON, not a scored document, a passage row) is described to ``on_problem`` with its file
    and line and skipped, as ``framewatch score`` does with bad input; without ``on_problem`` it raises
    :class:`InputError`. A file that is not UTF-8 at all is an error.
    """
    def problem(message: str) -> None:
        if on_problem is None:
            raise InputError(message)
        on_problem(message)

    with open(path, encoding="utf-8", errors="strict") as handle:
        number = 0
        while True:
            try:
                line = handle.readline()
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: not UTF-8 text after line {number} ({error.reason})") from None
            if not line:
                return
            number += 1
            if not line.strip():
                continue
            row, malformed = json_line(line.rstrip("\r\n"))
            if malformed:
                problem(f"{path}:{number}: {malformed}")
                continue
            if not _is_document_row(row):
                problem(f"{path}:{number}: not a scored document (expected the JSONL of framewatch score)")
            elif "sentence" in row:
                problem(f"{path}:{number}: a passage row; report needs document rows (score without --passages)")
            else:
                yield row


def _is_document_row(row: Any) -> bool:
    """A dict with an id and a dict of numeric scores (what every other key is read defensively against)."""
    return (isinstance(row, dict) and "id" in row and isinstance(row.get("scores"), dict)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row["scores"].values()))


def _top(row: dict[str, Any]) -> float:
    return max(row["scores"].values(), default=0.0)


def _colour(label: str) -> int:
    return LABELS.index(label) if label in LABELS else len(LABELS) - 1


def _labels(value: Any) -> list[str]:
    return [str(label) for label in value] if isinstance(value, list) else []


def _item(evidence: dict[str, Any]) -> dict[str, Any]:
    """An evidence sentence as the template shows it: labels, scores, strongest label and tooltip."""
    scores = {str(k): float(v) for k, v in evidence.get("scores", {}).items() if isinstance(v, (int, float))} \
        if isinstance(evidence.get("scores"), dict) else {}
    labels = _labels(evidence.get("labels")) or list(scores)[:1]
    strongest = max(labels, key=lambda label: scores.get(label, 0.0)) if labels else LABELS[-1]
    return {**evidence, "labels": labels, "scores": scores, "strongest": strongest,
            "text": str(evidence.get("text", "")),
            "tip": ", ".join(f"{label} {scores.get(label, 0):.2f}" for label in labels)}


def _aligned(text: str, evidence: list[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Evidence whose offsets slice ``text`` to its sentence (sorted, non-overlapping), and the rest."""
    good, bad, end = [], [], 0
    items = [_item(e) for e in evidence if isinstance(e, dict)]
    for item in sorted(items, key=lambda e: (_int(e.get("start")), _int(e.get("end")))):
        start, stop = item.get("start"), item.get("end")
        if (isinstance(start, int) and isinstance(stop, int) and end <= start < stop <= len(text)
                and text[start:stop] == item["text"]):
            good.append(item)
            end = stop
        else:
            bad.append(item)
    return good, bad


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


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


def _placed(value: Any, evidence: list[Any], unplaced: list[dict[str, Any]]) -> list[tuple[str, Any, str]] | None:
    """The segments of ``value`` with the evidence that aligns to it; evidence that does not (all of it when ``value``
    is not text) is added to ``unplaced``."""
    if not isinstance(value, str):
        unplaced += [_item(e) for e in evidence]
        return None
    good, bad = _aligned(value, evidence)
    unplaced += bad
    return _segments(value, good)


def _segments(text: str, evidence: list[dict[str, Any]]) -> list[tuple[str, Any, str]]:
    """The shown text as ``(kind, evidence, text)`` pieces: plain text, marked evidence, and gaps where a long
    text is cut."""
    parts: list[tuple[str, Any, str]] = []
    windows = _windows(text, evidence)
    for number, (start, end) in enumerate(windows):
        if start > 0 or number:
            parts.append(("gap", None, ""))
        cursor = start
        for item in evidence:
            if item["start"] < start or item["end"] > end:
                continue
            parts.append(("text", None, text[cursor:item["start"]]))
            parts.append(("mark", item, text[item["start"]:item["end"]]))
            cursor = item["end"]
        parts.append(("text", None, text[cursor:end]))
    if windows[-1][1] < len(text):
        parts.append(("gap", None, ""))
    return parts


def document_view(row: dict[str, Any], number: int) -> dict[str, Any]:
    """What the template shows of one scored document (values as read; the template escapes them)."""
    scores: dict[str, float] = row["scores"]
    labels = _labels(row.get("labels"))
    details = [("link", str(row["link"])) if str(row["link"]).startswith(("http://", "https://"))
               else ("text", str(row["link"]))] if row.get("link") else []
    details += [("text", str(row[key])) for key in ("published", "source") if row.get(key)]
    evidence = row.get("evidence") if isinstance(row.get("evidence"), list) else []
    in_title = [e for e in evidence if isinstance(e, dict) and e.get("field") == "title"]
    in_text = [e for e in evidence if isinstance(e, dict) and e.get("field") != "title"]
    text, title = row.get("text"), row.get("title")
    unplaced: list[dict[str, Any]] = []
    title_segments = _placed(title or None, in_title, unplaced)
    segments = _placed(text, in_text, unplaced)
    return {
        "number": number, "id": str(row["id"]), "title": str(title) if title else "", "title_segments": title_segments,
        "details": details, "labels": labels, "n_sentences": row.get("n_sentences"), "n_evidence": len(evidence),
        "bars": [(label, max(0.0, min(1.0, float(score))), label in labels) for label, score in scores.items()],
        "segments": segments, "unplaced": unplaced,
    }


@lru_cache(maxsize=1)
def _macros() -> Any:
    from jinja2 import Environment, PackageLoader

    environment = Environment(loader=PackageLoader("framewatch", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    environment.globals["colour"] = _colour
    return environment.get_template("report.html.j2").module


def render_document(row: dict[str, Any], number: int) -> str:
    """One ``<article>``: id, title, link and date when present, labels, score bars and highlighted text."""
    return str(_macros().document(document_view(row, number))) + "\n"


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
                 source_name: str | None = None, trends: str | None = None) -> ReportSummary:
    """Write the HTML page (atomically) and return what it holds.

    Parameters
    ----------
    rows : scored document rows, or the path of a ``framewatch score`` JSONL file (malformed lines are skipped and
        counted, as ``framewatch score`` does).
    out : the HTML file to write.
    title : the page heading.
    limit : documents shown at most (the overview counts them all); None for no limit, default=200.
    sort : ``"input"`` keeps input order; ``"score"`` shows the highest-scoring documents first.
    min_score : only documents whose highest label score reaches this.
    trends : link target of a ``framewatch trends`` page (relative to ``out``); None links ``trends.html`` or
        ``trends/trends.html`` beside ``out`` when one exists.
    """
    from framewatch.io.atomic import atomic_path

    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, found {sort!r}")
    problems = Problems()
    if isinstance(rows, (str, Path)):
        source_name = source_name or Path(rows).name
        rows = read_scored(rows, problems.add)
    counts = {label: 0 for label in LABELS}
    read = shown = 0
    out = Path(out)
    if trends is None:
        trends = next((name for name in ("trends.html", "trends/trends.html") if (out.parent / name).is_file()), None)
    with tempfile.TemporaryDirectory(prefix="framewatch-report-") as scratch:
        body = Path(scratch) / "documents.html"
        with open(body, "w", encoding="utf-8") as handle:
            best: list[tuple[float, int, dict[str, Any]]] = []
            for row in rows:
                if min_score is not None and _top(row) < min_score:
                    continue
                read += 1
                for label in _labels(row.get("labels")):
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
            page.write(_head(title, read, shown, source_name, sort, counts, trends))
            while chunk := docs.read(1 << 20):
                page.write(chunk)
            page.write(str(_macros().foot(problems.count)) + "\n")
    return ReportSummary(read, shown, out, problems.count, problems.first)


def _head(title: str, read: int, shown: int, source: str | None, sort: str, counts: dict[str, int],
          trends: str | None) -> str:
    taxonomy = {label.name: label.definition for label in load_taxonomy().labels}
    peak = max(counts.values(), default=0) or 1
    order = "highest score first" if sort == "score" else "input order"
    what = f"{shown} of {read} documents" + (f" from {source}" if source else "") + f", {order}"
    return str(_macros().head(
        title, what, [(label, taxonomy.get(label, "")) for label in LABELS],
        [(label, count, count / peak * 100) for label, count in counts.items()], read, trends, _css(),
    )) + "\n"
