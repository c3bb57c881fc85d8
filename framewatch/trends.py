"""Label trends over time: what ``framewatch trends`` writes.

The outputs of ``framewatch score`` (JSONL, CSV/TSV or Parquet files, or directories of part files such as Ray Data
writes) are read a line or a batch of rows at a time and folded into one accumulator per (group, period): documents,
and per label the documents flagged (label in ``labels``) and a running mean and variance of the document score.
No row is kept, so the inputs may be far larger than memory.

* :func:`aggregate` reads the inputs and returns :class:`Trends`: one :class:`TrendRow` per (group, period) with,
  per label, the share of documents flagged and its 95% Wilson interval, and the mean score with a 95% normal
  interval (mean ± 1.96·sd/√n, clipped to [0, 1]).
* :func:`write_trends` writes ``trends.csv``, ``trends.png`` (one panel per label, one line per group) and a
  self-contained ``trends.html`` into a directory, each file atomically; nothing else in the directory is touched.

Dates come from ``published`` (or ``date`` when a row has no ``published``) unless another field is named: ISO 8601
dates and datetimes and RSS/email dates (``Tue, 02 Jan 2024 10:00:00 +0200``); an aware datetime is converted to
UTC before its date is taken. Periods are labelled by their first day: the date itself, the Monday of its ISO week,
or the first of its month. A row without a usable date or group value, a malformed line or a row that is not a
scored document is counted by reason and skipped, with the first one's ``file:line`` kept for the summary.

The page is rendered from ``templates/trends.html.j2`` with autoescaping on: group names, field values and file
names are untrusted input. matplotlib (the ``eval`` extra) and pyarrow (for Parquet, the ``datasets`` extra) are
imported only where they are needed.
"""
from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, NamedTuple, Sequence

from framewatch.data.taxonomy import LABELS
from framewatch.io.readers import format_of
from framewatch.io.readers.jsonl import json_line
from framewatch.io.records import InputError, has_surrogates
from framewatch.report import Problems

__all__ = [
    "FREQS", "LabelTrend", "TrendFiles", "TrendRow", "Trends", "aggregate", "input_files", "mean_interval",
    "parse_date", "period_start", "plot_trends", "render_html", "wilson_interval", "write_trends",
]

FREQS = ("day", "week", "month")
"""Period lengths: a day, an ISO week (Monday to Sunday, labelled by its Monday), a calendar month (its first day)."""
DATE_FIELDS = ("published", "date")
"""Where a row's date is looked for when no date field is named: ``published``, else ``date``."""
DEFAULT_MIN_DOCUMENTS = 20
"""A (group, period) with fewer documents is marked sparse."""
MAX_PLOTTED_GROUPS = 10
"""The plot shows at most this many groups (those with most documents); the table lists all."""
ALL_GROUP = "all"
"""The one group when no field is grouped by."""
Z = 1.96
"""Normal quantile of the 95% intervals."""

SCORED_FORMATS = ("jsonl", "csv", "tsv", "parquet")
"""The formats ``framewatch score`` writes, named as its readers name an extension."""

# reasons a row is skipped, in the order the summary lists them
MALFORMED = "malformed line"
NOT_SCORED = "not a scored document"
PASSAGE = "passage row"
NO_DATE = "no usable date"
NO_GROUP = "no group value"
UNREADABLE = "unreadable file"
REASONS = (MALFORMED, NOT_SCORED, PASSAGE, NO_DATE, NO_GROUP, UNREADABLE)
_MAX_FIELD_NAMES = 200


# ---------------------------------------------------------------------------------------------- statistics


def wilson_interval(flagged: int, n: int, z: float = Z) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``flagged / n`` (NaNs when ``n`` is 0)."""
    if n <= 0:
        return math.nan, math.nan
    p = flagged / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(mean: float, m2: float, n: int, z: float = Z) -> tuple[float, float]:
    """``mean ± z·sd/√n`` clipped to [0, 1], with the sample sd from Welford's ``m2`` (sum of squared deviations);
    NaNs when ``n < 2`` (no spread to estimate)."""
    if n < 2:
        return math.nan, math.nan
    half = z * math.sqrt(max(m2, 0.0) / (n - 1)) / math.sqrt(n)
    return max(0.0, mean - half), min(1.0, mean + half)


class _LabelAccumulator:
    """Documents scored on one label, how many were flagged, and Welford's running mean and m2 of the score."""

    __slots__ = ("n", "flagged", "mean", "m2")

    def __init__(self) -> None:
        self.n = self.flagged = 0
        self.mean = self.m2 = 0.0

    def add(self, score: float, flagged: bool) -> None:
        self.n += 1
        self.flagged += flagged
        delta = score - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (score - self.mean)


@dataclass(frozen=True)
class LabelTrend:
    """One label in one (group, period): documents scored on it, documents flagged, the share flagged with its
    95% Wilson interval, and the mean score with its 95% interval (NaN bounds when there are fewer than two
    documents)."""

    documents: int
    flagged: int
    share: float
    share_low: float
    share_high: float
    mean_score: float
    mean_low: float
    mean_high: float

    @classmethod
    def from_accumulator(cls, acc: _LabelAccumulator) -> "LabelTrend":
        low, high = wilson_interval(acc.flagged, acc.n)
        mean_low, mean_high = mean_interval(acc.mean, acc.m2, acc.n)
        share = acc.flagged / acc.n if acc.n else math.nan
        return cls(acc.n, acc.flagged, share, low, high, acc.mean if acc.n else math.nan, mean_low, mean_high)


@dataclass(frozen=True)
class TrendRow:
    """One group in one period (labelled by its first day); ``sparse`` when it has fewer than the minimum
    documents."""

    group: str
    period: date
    documents: int
    sparse: bool
    labels: dict[str, LabelTrend]


@dataclass
class Trends:
    """What :func:`aggregate` found: the rows (sorted by group, then period), the labels in taxonomy order, how
    the rows were formed, and the rows skipped by reason."""

    rows: list[TrendRow]
    labels: tuple[str, ...]
    by: str | None
    freq: str
    date_fields: tuple[str, ...]
    min_documents: int
    inputs: list[str]
    read: int
    """Scored documents read (aggregated or skipped for a missing date or group)."""
    skipped: dict[str, Problems] = field(default_factory=dict)
    """Rows skipped, by reason: how many, and the first as ``file:line: what was wrong``."""

    @property
    def documents(self) -> int:
        """Documents aggregated into the rows."""
        return sum(row.documents for row in self.rows)

    @property
    def skipped_rows(self) -> int:
        return sum(item.count for item in self.skipped.values())

    def groups(self) -> list[str]:
        """Groups, most documents first (ties by name)."""
        totals: dict[str, int] = {}
        for row in self.rows:
            totals[row.group] = totals.get(row.group, 0) + row.documents
        return sorted(totals, key=lambda group: (-totals[group], group))

    def periods(self) -> list[date]:
        return sorted({row.period for row in self.rows})

    def sparse_rows(self) -> list[TrendRow]:
        return [row for row in self.rows if row.sparse]

    def describe(self) -> str:
        """One line: documents, groups, periods, sparse rows and the skipped rows by reason (the first of each)."""
        groups, periods = len(self.groups()), len(self.periods())
        text = (f"{self.documents} documents in {groups} group{'s' * (groups != 1)} × {periods} "
                f"{self.freq}{'s' * (periods != 1)}; {len(self.sparse_rows())} of {len(self.rows)} rows sparse "
                f"(under {self.min_documents} documents)")
        if self.skipped_rows:
            parts = [f"{item.count} {reason} (first: {item.first})" for reason, item in self.skipped.items()]
            text += f"; skipped {self.skipped_rows} row{'s' * (self.skipped_rows != 1)}: " + ", ".join(parts)
        return text


class TrendFiles(NamedTuple):
    """The files :func:`write_trends` wrote."""

    csv: Path
    png: Path
    html: Path


# ---------------------------------------------------------------------------------------------- dates


def parse_date(value: Any) -> date | None:
    """The calendar date of ``value`` (UTC for an aware datetime), or None when it is not a usable date.

    Takes ``date``/``datetime`` objects (as Parquet gives them), ISO 8601 strings (``2024-01-31``,
    ``2024-01-31T23:30:00-05:00``, ``…Z``) and RSS/email dates (``Wed, 31 Jan 2024 23:30:00 -0500``).
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "Zz" else text)
        except ValueError:
            try:
                moment = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
            if moment is None:  # Python 3.10 returns None for some unparseable strings
                return None
    else:
        return None
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def period_start(day: date, freq: str) -> date:
    """The first day of the period of ``freq`` holding ``day``: the day, the Monday of its ISO week, or the first
    of its month."""
    if freq == "day":
        return day
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown --freq {freq!r}; expected one of {', '.join(FREQS)}")


# ---------------------------------------------------------------------------------------------- reading

_Item = tuple[str, Any, str, str]
"""``(where, row, reason, detail)``: a row (reason empty) or a problem (row None) at ``file:line``."""


def _kind(path: Path) -> str | None:
    """The scored format of ``path`` by the readers' extension table (``.jsonl.gz`` is JSONL), and ``.json`` as
    JSONL too (Ray's JSON writer); None for other files."""
    fmt = format_of(path)
    if fmt is None and Path(path.name.lower().removesuffix(".gz")).suffix == ".json":
        return "jsonl"
    return fmt if fmt in SCORED_FORMATS else None


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: each file as given (an unknown extension is read as JSONL, what ``framewatch score``
    writes by default), and for a directory its JSONL, CSV/TSV and Parquet part files (also in subdirectories)
    in sorted name order, skipping hidden and ``_``-prefixed names (``_SUCCESS``, ``_metadata``)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            parts = sorted((p for p in path.rglob("*") if p.is_file() and _kind(p) is not None and not any(
                part.startswith((".", "_")) for part in p.relative_to(path).parts)),
                key=lambda p: p.relative_to(path).parts)
            if not parts:
                raise InputError(f"{path}: no .jsonl, .csv or .parquet part files in the directory")
            files.extend(parts)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    if not files:
        raise InputError("no input: give one or more outputs of framewatch score")
    return files


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_jsonl(path: Path) -> Iterator[_Item]:
    number = 0
    try:
        with _open_binary(path) as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield where, None, MALFORMED, "not UTF-8 text"
                    continue
                obj, malformed = json_line(text)
                yield (where, None, MALFORMED, malformed) if malformed else (where, obj, "", "")
    except (OSError, EOFError) as error:  # a damaged gzip stream
        yield f"{path}:{number + 1}", None, UNREADABLE, f"cannot read on ({error})"


class _Lines:
    """Decoded lines for ``csv.reader`` (undecodable bytes kept as surrogates, so the row can be reported)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        return line.decode("utf-8", "surrogateescape")


def _number(cell: str) -> Any:
    try:
        return float(cell)
    except ValueError:
        return cell


def _read_csv(path: Path, delimiter: str) -> Iterator[_Item]:
    """Rows of a ``framewatch score`` CSV/TSV as scored rows: a column per label score, ``labels`` joined by ``;``,
    other columns as strings (empty cells as missing)."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    try:
        with _open_binary(path) as handle:
            reader = csv.reader(_Lines(handle), delimiter=delimiter)
            try:
                header = [cell.strip().lstrip("\ufeff") for cell in next(reader)]
            except StopIteration:
                return
            except csv.Error as error:
                yield f"{path}:1", None, MALFORMED, f"unreadable header row ({error})"
                return
            label_columns = [name for name in header if name in LABELS]
            missing = [name for name in ("id", "labels") if name not in header]
            bad_header = (f"the header has no {missing[0]!r} column" if missing else
                          None if label_columns else "the header has no label score columns")
            previous = reader.line_num
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield f"{path}:{previous + 1}", None, MALFORMED, f"malformed row ({error})"
                    previous = reader.line_num
                    continue
                where, previous = f"{path}:{previous + 1}", reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if bad_header:
                    yield where, None, NOT_SCORED, f"not a scored document ({bad_header})"
                elif len(row) != len(header):
                    yield where, None, MALFORMED, f"malformed row: {len(row)} fields under a header of {len(header)}"
                elif any(has_surrogates(cell) for cell in row):
                    yield where, None, MALFORMED, "not UTF-8 text"
                else:
                    cells = dict(zip(header, row))
                    obj: dict[str, Any] = {key: value if value != "" else None for key, value in cells.items()
                                           if key not in label_columns and key != "labels"}
                    obj["scores"] = {label: _number(cells[label]) for label in label_columns}
                    obj["labels"] = [label for label in cells["labels"].split(";") if label]
                    yield where, obj, "", ""
    except (OSError, EOFError) as error:
        yield str(path), None, UNREADABLE, f"cannot read on ({error})"


def _read_parquet(path: Path, wanted: Sequence[str], field_names: set[str]) -> Iterator[_Item]:
    """Rows of a Parquet file, a batch at a time and only the ``wanted`` columns (rows count from 1)."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError and others for a file that is not Parquet
        yield str(path), None, UNREADABLE, f"not a Parquet file ({error})"
        return
    names = parquet.schema_arrow.names
    field_names.update(names[:_MAX_FIELD_NAMES])
    missing = [name for name in ("id", "scores", "labels") if name not in names]
    if missing:
        for number in range(1, parquet.metadata.num_rows + 1):
            yield f"{path}:{number}", None, NOT_SCORED, f"not a scored document (no {missing[0]!r} column)"
        return
    columns = [name for name in dict.fromkeys(["id", "scores", "labels", "sentence", *wanted]) if name in names]
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=4096, columns=columns):
            for obj in batch.to_pylist():
                number += 1
                yield f"{path}:{number}", obj, "", ""
    except Exception as error:  # a damaged row group
        yield f"{path}:{number + 1}", None, UNREADABLE, f"cannot read on ({error})"


def _read(path: Path, wanted: Sequence[str], field_names: set[str]) -> Iterator[_Item]:
    kind = _kind(path) or "jsonl"
    if kind == "parquet":
        return _read_parquet(path, wanted, field_names)
    if kind in ("csv", "tsv"):
        return _read_csv(path, "\t" if kind == "tsv" else ",")
    return _read_jsonl(path)


def _document(obj: Any) -> tuple[str, str] | tuple[dict[str, float], set[str]]:
    """``(scores, labels)`` of a scored document row, or ``(reason, detail)`` when it is not one."""
    if not isinstance(obj, dict):
        return NOT_SCORED, "not a scored document (not a JSON object)"
    if obj.get("sentence") is not None:
        return PASSAGE, "a passage row; trends need document rows (score without --passages)"
    scores = obj.get("scores")
    if "id" not in obj or not isinstance(scores, dict) or not scores:
        what = "no id" if "id" not in obj else "no scores"
        return NOT_SCORED, f"not a scored document ({what}; expected the output of framewatch score)"
    values: dict[str, float] = {}
    for label, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return NOT_SCORED, f"not a scored document (the score of {str(label)!r} is not a number)"
        values[str(label)] = float(value)
    labels = obj.get("labels")
    if not isinstance(labels, list):
        return NOT_SCORED, "not a scored document (no labels list)"
    return values, {str(label) for label in labels}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _group_value(value: Any) -> str | None:
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def aggregate(paths: Iterable[str | Path] | str | Path, by: str | None = None, freq: str = "week",
              date_field: str | None = None, min_documents: int = DEFAULT_MIN_DOCUMENTS) -> Trends:
    """Fold scored documents into per-(group, period) label shares and mean scores, streaming the inputs.

    Parameters
    ----------
    paths : outputs of ``framewatch score``: JSONL (also gzipped), CSV/TSV or Parquet files, or directories of
        such part files (read in sorted name order).
    by : the field to group by (e.g. ``source``); None puts every document in one group, ``"all"``.
    freq : ``"day"``, ``"week"`` (ISO weeks, labelled by their Monday) or ``"month"``.
    date_field : the field holding the date; None takes ``published``, or ``date`` when a row has no
        ``published``.
    min_documents : a (group, period) with fewer documents is marked sparse, default=20.

    Raises
    ------
    ValueError : an unknown ``freq`` or a negative ``min_documents``.
    InputError : a missing input, no scored document at all, a ``by`` or date field that no row has, or no row
        with both a usable date and a group value (the message gives the first skipped row).
    """
    if freq not in FREQS:
        raise ValueError(f"unknown --freq {freq!r}; expected one of {', '.join(FREQS)}")
    if min_documents < 0:
        raise ValueError(f"--min-documents must be 0 or more, found {min_documents}")
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files = input_files(paths)
    date_fields = (date_field,) if date_field else DATE_FIELDS
    wanted = [name for name in (by, *date_fields) if name]
    skipped = {reason: Problems() for reason in REASONS}
    accumulators: dict[tuple[str, date], tuple[list[int], dict[str, _LabelAccumulator]]] = {}
    labels_seen: dict[str, None] = {}
    field_names: set[str] = set()
    read = 0
    by_found = date_found = False
    for path in files:
        for where, obj, reason, detail in _read(path, wanted, field_names):
            if obj is None:
                skipped[reason].add(f"{where}: {detail}")
                continue
            document = _document(obj)
            if isinstance(document[0], str):
                skipped[document[0]].add(f"{where}: {document[1]}")
                continue
            scores, flagged = document
            read += 1
            if len(field_names) < _MAX_FIELD_NAMES:
                field_names.update(obj)
            group = ALL_GROUP if by is None else _group_value(obj.get(by))
            by_found = by_found or group is not None
            raw_date = next((obj[name] for name in date_fields if obj.get(name) not in (None, "")), None)
            date_found = date_found or raw_date is not None
            if group is None:
                skipped[NO_GROUP].add(f"{where}: no {by!r} value")
                continue
            if raw_date is None:
                skipped[NO_DATE].add(f"{where}: no date ({' or '.join(date_fields)} missing or empty)")
                continue
            day = parse_date(raw_date)
            if day is None:
                skipped[NO_DATE].add(f"{where}: not a date: {_shown(raw_date)}")
                continue
            key = (group, period_start(day, freq))
            entry = accumulators.get(key)
            if entry is None:
                entry = accumulators[key] = ([0], {})
            entry[0][0] += 1
            for label, score in scores.items():
                labels_seen.setdefault(label)
                acc = entry[1].get(label)
                if acc is None:
                    acc = entry[1][label] = _LabelAccumulator()
                acc.add(score, label in flagged)
    skipped = {reason: item for reason, item in skipped.items() if item.count}
    names = ", ".join(str(path) for path in paths)
    if not read:
        first = next((item.first for item in skipped.values()), None)
        raise InputError(f"no scored documents in {names}" + (f" (the first problem: {first})" if first else ""))
    known = ", ".join(sorted(field_names)[:20])
    if not by_found:
        raise InputError(f"no row has a value for --by {by!r} (fields found: {known})")
    if not date_found:
        hint = "" if date_field else "; name the date field with --date-field"
        raise InputError(f"no row has a {' or '.join(repr(name) for name in date_fields)} field "
                         f"(fields found: {known}){hint}")
    if not accumulators:
        first = next((item.first for item in skipped.values()), None)
        raise InputError(f"no row of {names} has both a usable date and a group value (the first skipped: {first})")
    ordered = [label for label in LABELS if label in labels_seen]
    ordered += [label for label in labels_seen if label not in LABELS]
    rows = [
        TrendRow(group, period, count[0], count[0] < min_documents,
                 {label: LabelTrend.from_accumulator(per_label[label]) for label in ordered if label in per_label})
        for (group, period), (count, per_label) in sorted(accumulators.items())
    ]
    return Trends(rows, tuple(ordered), by, freq, date_fields, min_documents, [str(path) for path in files], read,
                  skipped)


# ---------------------------------------------------------------------------------------------- writing


def _cell(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.4f}"


CSV_STATS = ("share", "share_low", "share_high", "mean_score", "mean_low", "mean_high")
"""Columns per label in ``trends.csv``, each prefixed by the label name (``<label>_share``…)."""


def trends_csv(trends: Trends) -> str:
    """``trends.csv``: group, period, documents, sparse, then per label the share flagged with its Wilson
    interval and the mean score with its interval (4 decimals; empty where undefined)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "period", "documents", "sparse",
                     *(f"{label}_{stat}" for label in trends.labels for stat in CSV_STATS)])
    for row in trends.rows:
        cells: list[Any] = [row.group, row.period.isoformat(), row.documents, "true" if row.sparse else "false"]
        for label in trends.labels:
            stats = row.labels.get(label)
            cells += [""] * len(CSV_STATS) if stats is None else [_cell(getattr(stats, stat)) for stat in CSV_STATS]
        writer.writerow(cells)
    return out.getvalue()


def _plotted_groups(trends: Trends) -> tuple[list[str], int]:
    groups = trends.groups()
    return groups[:MAX_PLOTTED_GROUPS], len(groups)


def _caption(trends: Trends) -> str:
    plotted, total = _plotted_groups(trends)
    text = (f"Share of documents flagged per {trends.freq} (line and filled markers) with its 95% Wilson interval "
            f"(shaded). Hollow markers: sparse periods with fewer than {trends.min_documents} documents, drawn "
            f"without lines or bands.")
    if total > len(plotted):
        text += f" Showing the {len(plotted)} of {total} groups with most documents; the table lists all."
    return text


def _legend_text(text: str) -> str:
    text = text if len(text) <= 34 else text[:33] + "…"
    return text.replace("$", r"\$")  # no mathtext from untrusted names


def plot_trends(trends: Trends, dpi: int = 110) -> bytes:
    """``trends.png`` as bytes: one panel per label (shared period axis), one line per group (the
    ``MAX_PLOTTED_GROUPS`` with most documents) of the share flagged with a shaded 95% band; sparse periods as
    hollow markers without lines. Drawn with matplotlib's Agg canvas, leaving pyplot's state alone."""
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    colours = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D", "#A89400", "#000000",
               "#8C564B")
    markers = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">")
    plotted, _ = _plotted_groups(trends)
    periods = trends.periods()
    x = [datetime(p.year, p.month, p.day) for p in periods]
    index = {period: i for i, period in enumerate(periods)}
    by_group: dict[str, list[TrendRow | None]] = {group: [None] * len(periods) for group in plotted}
    for row in trends.rows:
        if row.group in by_group:
            by_group[row.group][index[row.period]] = row
    labels = trends.labels
    ncols = 2 if len(labels) > 1 else 1
    nrows = math.ceil(len(labels) / ncols)
    legend_rows = math.ceil((len(plotted) + 2) / 3)
    top_in, bottom_in = 0.75 + 0.26 * legend_rows, 0.95
    height = nrows * 2.35 + top_in + bottom_in
    figure = Figure(figsize=(12, height), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.subplots(nrows, ncols, sharex=True, squeeze=False)
    for number, ax in enumerate(axes.flat):
        if number >= len(labels):
            ax.set_visible(False)
            continue
        label = labels[number]
        peak = 0.0
        for g, group in enumerate(plotted):
            colour, marker = colours[g % len(colours)], markers[g % len(markers)]
            solid_y, low, high, mask, hollow_x, hollow_y = [], [], [], [], [], []
            for position, row in enumerate(by_group[group]):
                stats = None if row is None else row.labels.get(label)
                solid = stats is not None and not row.sparse
                solid_y.append(stats.share if solid else math.nan)
                low.append(stats.share_low if solid else 0.0)
                high.append(stats.share_high if solid else 0.0)
                mask.append(solid)
                if stats is not None:
                    peak = max(peak, stats.share_high if solid else stats.share)
                if stats is not None and row.sparse:
                    hollow_x.append(x[position])
                    hollow_y.append(stats.share)
            ax.fill_between(x, low, high, where=mask, color=colour, alpha=0.14, linewidth=0, interpolate=False)
            ax.plot(x, solid_y, color=colour, marker=marker, markersize=4, linewidth=1.5)
            if hollow_x:
                ax.plot(hollow_x, hollow_y, linestyle="none", marker=marker, markersize=5, markerfacecolor="white",
                        markeredgecolor=colour, markeredgewidth=1.2)
        ax.set_title(label, loc="left", fontsize=10, fontweight="bold")
        top = min(1.04, max(peak * 1.12, 0.05))
        ax.set_ylim(-0.03 * top, top)  # markers at 0% and 100% stay whole
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))  # whole percents: no 2.5% shown as 2%
        ax.yaxis.set_major_formatter(FuncFormatter(lambda share, _: f"{share * 100:.4g}%"))
        ax.grid(True, color="#e3e6ea", linewidth=0.6)
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if number % ncols == 0:
            ax.set_ylabel("share flagged", fontsize=8)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    for ax in axes.flat:
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(x) == 1:
        for ax in axes.flat:
            ax.set_xlim(x[0] - timedelta(days=3), x[0] + timedelta(days=3))
    handles = [Line2D([], [], color=colours[g % len(colours)], marker=markers[g % len(markers)], markersize=5,
                      linewidth=1.5) for g in range(len(plotted))]
    names = [_legend_text(group) for group in plotted]
    handles += [Line2D([], [], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                       markeredgecolor="#555555"), Patch(color="#555555", alpha=0.2)]
    names += [f"sparse (under {trends.min_documents} documents)", "95% interval (shaded)"]
    columns = 4 if max(map(len, names)) <= 36 else 3
    grouping = f"by {trends.by}" if trends.by else "all documents"
    figure.suptitle(f"Share of documents flagged per label, {grouping}, per {trends.freq}", fontsize=13,
                    y=1 - 0.18 / height, fontweight="bold")
    figure.legend(handles, names, loc="upper center", ncol=columns, fontsize=8.5, frameon=False,
                  bbox_to_anchor=(0.5, 1 - 0.5 / height))
    figure.text(0.5, 0.18 / height, _caption(trends), ha="center", va="bottom", fontsize=8.5, color="#333333",
                wrap=True)
    figure.subplots_adjust(left=0.065, right=0.985, top=1 - top_in / height, bottom=bottom_in / height,
                           hspace=0.42, wspace=0.14)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def _percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{value * 100:.0f}%"


def _score(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}"


def render_html(trends: Trends, png: bytes, title: str = "framewatch trends") -> str:
    """The self-contained page: the plot inlined as base64, what was read and skipped, the sparse rows and a
    table of every row. Rendered from ``templates/trends.html.j2`` with autoescaping."""
    from jinja2 import Environment, PackageLoader

    environment = Environment(loader=PackageLoader("framewatch", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    plotted, total = _plotted_groups(trends)
    sparse: dict[str, list[str]] = {}
    for row in trends.sparse_rows():
        sparse.setdefault(row.group, []).append(f"{row.period.isoformat()} ({row.documents})")
    table = []
    for row in trends.rows:
        cells = []
        for label in trends.labels:
            stats = row.labels.get(label)
            cells.append(None if stats is None else {
                "share": _percent(stats.share), "low": _percent(stats.share_low),
                "high": _percent(stats.share_high), "flagged": stats.flagged,
                "mean": _score(stats.mean_score), "mean_low": _score(stats.mean_low),
                "mean_high": _score(stats.mean_high)})
        table.append({"group": row.group, "period": row.period.isoformat(), "documents": row.documents,
                      "sparse": row.sparse, "cells": cells})
    periods = trends.periods()
    return environment.get_template("trends.html.j2").render(
        title=title, trends=trends, by=trends.by, freq=trends.freq, date_fields=trends.date_fields,
        documents=trends.documents, read=trends.read, inputs=trends.inputs, labels=trends.labels,
        groups=len(trends.groups()), plotted=plotted, total_groups=total,
        first_period=periods[0].isoformat(), last_period=periods[-1].isoformat(), n_periods=len(periods),
        png=base64.b64encode(png).decode("ascii"), caption=_caption(trends), sparse=sparse,
        n_sparse=len(trends.sparse_rows()), skipped=[(reason, item.count, item.first)
                                                    for reason, item in trends.skipped.items()],
        skipped_rows=trends.skipped_rows, table=table,
    )


def write_trends(trends: Trends, out_dir: str | Path, title: str = "framewatch trends") -> TrendFiles:
    """Write ``trends.csv``, ``trends.png`` and ``trends.html`` into ``out_dir`` (created if needed), each
    atomically; other files in ``out_dir`` are left alone. Needs matplotlib (the ``eval`` extra)."""
    from framewatch.io.atomic import atomic_write_bytes, atomic_write_text

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a directory: choose another output directory")
    png = plot_trends(trends)  # first: a missing matplotlib leaves no file behind
    csv_path = atomic_write_text(out / "trends.csv", trends_csv(trends))
    png_path = atomic_write_bytes(out / "trends.png", png)
    html_path = atomic_write_text(out / "trends.html", render_html(trends, png, title))
    return TrendFiles(csv_path, png_path, html_path)
