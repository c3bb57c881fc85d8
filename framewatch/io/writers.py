"""The output side of ``framewatch score``: output formats, and the conversion of staged JSONL rows into CSV or
Parquet with a column per kept field and per label (kept fields typed from their values)."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, Callable, Iterator, NamedTuple, Sequence

from framewatch.io.records import InputError

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
_DOCUMENT_KEYS = ("id", "scores", "labels", "evidence", "n_sentences", "text")
_PASSAGE_KEYS = ("id", "sentence", "field", "start", "end", "text", "scores", "labels")
_INT64 = (-(1 << 63), 1 << 63)


def _staged_rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if _INT64[0] <= value < _INT64[1] else "json"  # over 64 bits: kept as JSON text
    return "float" if isinstance(value, float) else "str" if isinstance(value, str) else "json"


class _Columns(NamedTuple):
    """What one pass over the staged rows tells the converters."""

    fields: list[str]  # kept-field names, in first-seen order
    types: dict[str, str]  # a Parquet type per kept field
    labels: list[str]
    has_text: bool  # the first row has the text (--with-text)
    titled: bool  # some row is a passage of a title


def _columns(path: Path, passages: bool, labels: Sequence[str]) -> _Columns:
    """Kept fields with their types, the label names, and whether the rows carry text or title passages."""
    known = set(_PASSAGE_KEYS if passages else _DOCUMENT_KEYS)
    kinds: dict[str, set[str]] = {}
    found_labels: list[str] | None = None
    has_text = titled = False
    for row in _staged_rows(path):
        if found_labels is None:
            found_labels = list(row["scores"])
            has_text = "text" in row
        titled = titled or "field" in row
        for name, value in row.items():
            if name not in known:
                kind = kinds.setdefault(name, set())
                if value is not None:
                    kind.add(_kind(value))
    types = {}
    for name, kind in kinds.items():
        types[name] = (kind.pop() if len(kind) == 1 else "float" if kind == {"int", "float"} else
                       "str" if not kind else "json")
    return _Columns(list(kinds), types, found_labels or list(labels), has_text, titled)


def scored_arrow_fields(labels: Sequence[str], passages: bool) -> list[tuple[str, Any]]:
    """The Arrow columns of the scores after the kept fields: a passage's sentence, offsets, text and scores, or a
    document's scores, labels, evidence and sentence count (``field`` is ``"title"`` for a title's sentences)."""
    import pyarrow as pa

    scores = pa.struct([(label, pa.float64()) for label in labels])
    labelled = [("scores", scores), ("labels", pa.list_(pa.string()))]
    span = [("field", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())]
    if passages:
        return [("sentence", pa.int32()), *span, *labelled]
    return [*labelled, ("evidence", pa.list_(pa.struct([*span, *labelled]))), ("n_sentences", pa.int32())]


def write_csv(staged: Path, out: IO[str], passages: bool, labels: Sequence[str], delimiter: str = ",") -> None:
    """Staged JSONL rows as CSV: a column per kept field and per label score; ``labels`` joined by ``;``;
    ``evidence`` as JSON. Passages of a title get ``title`` in a ``field`` column (present when some are)."""
    fields, _, labels, has_text, titled = _columns(staged, passages, labels)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    titled, has_text = passages and titled, not passages and has_text
    if passages:
        head = ["id", *fields, "sentence", *(["field"] if titled else []), "start", "end", "text", *labels, "labels"]
    else:
        head = ["id", *fields, *labels, "labels", "evidence", "n_sentences"]
    writer.writerow(head + (["text"] if has_text else []))
    for row in _staged_rows(staged):
        _write_csv_row(writer, row, fields, labels, passages, has_text, titled)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_csv_row(writer: Any, row: dict[str, Any], fields: list[str], labels: Sequence[str], passages: bool,
                   has_text: bool, titled: bool = False) -> None:
    kept = [_cell(row.get(name)) for name in fields]
    scores = [row["scores"].get(label, "") for label in labels]
    if passages:
        field = [row.get("field", "")] if titled else []
        writer.writerow([row["id"], *kept, row["sentence"], *field, row["start"], row["end"], row["text"], *scores,
                         ";".join(row["labels"])])
    else:
        cells = [row["id"], *kept, *scores, ";".join(row["labels"]),
                 json.dumps(row["evidence"], ensure_ascii=False), row["n_sentences"]]
        writer.writerow(cells + ([row.get("text", "")] if has_text else []))


def write_parquet(staged: Path, out: Path | IO[bytes], passages: bool, labels: Sequence[str],
                  chunk_rows: int = 5000) -> None:
    """Staged JSONL rows as Parquet, ``chunk_rows`` rows per row group: nested like the JSONL (``scores`` a
    struct, ``labels`` a list, ``evidence`` a list of structs); kept fields typed from their values (mixed or
    nested values as JSON strings). Evidence items and passages have a ``field`` column, ``"title"`` for a
    title's sentences and null for the text's, in every file (so files from different runs share a schema)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields, types, labels, has_text, _ = _columns(staged, passages, labels)
    arrow = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "json": pa.string()}
    kept = [(name, arrow[types[name]]) for name in fields]
    text = [("text", pa.string())] if has_text and not passages else []
    schema = pa.schema([("id", pa.string()), *kept, *scored_arrow_fields(labels, passages), *text])
    json_fields = [name for name in fields if types[name] == "json"]
    float_fields = [name for name in fields if types[name] == "float"]

    def prepared(row: dict[str, Any]) -> dict[str, Any]:
        for name in json_fields:
            value = row.get(name)
            if value is not None and not isinstance(value, str):
                row[name] = json.dumps(value, ensure_ascii=False)
        for name in float_fields:
            if row.get(name) is not None:
                row[name] = float(row[name])
        return row

    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in _staged_rows(staged):
            chunk.append(prepared(row))
            if len(chunk) >= chunk_rows:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))


def output_format(path: str | None, to: str | None = None) -> str:
    """``to`` when given, else from the extension: ``.csv``/``.tsv`` CSV, ``.parquet``/``.pq`` Parquet, JSONL
    otherwise (and for standard output)."""
    if to:
        if to not in OUTPUT_FORMATS:
            raise InputError(f"unknown output format {to!r}; expected one of {', '.join(OUTPUT_FORMATS)}")
        return to
    suffix = Path(path).suffix.lower() if path not in (None, "-") else ""
    return {".csv": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(suffix, "jsonl")


def converter(fmt: str, target: str | None, passages: bool,
              labels: Sequence[str]) -> Callable[[Path, Path], None] | None:
    """How ``StagedOutput.finish`` turns staged JSONL into ``fmt`` (``target`` tells TSV from CSV); None for
    JSONL, which is renamed as it is."""
    if fmt == "jsonl":
        return None
    if fmt == "parquet":
        return lambda staged, tmp: write_parquet(staged, tmp, passages, labels)
    delimiter = "\t" if target and Path(target).suffix.lower() == ".tsv" else ","

    def to_csv(staged: Path, tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            write_csv(staged, out, passages, labels, delimiter)

    return to_csv
