"""The records every reader yields and the options every reader takes, shared by the readers and the scoring engine.

Every reader yields :class:`Record` (one document: id, text, where it came from, passed-through fields) or
:class:`Problem` (a record or file that cannot be scored, with the file and line) and never raises for bad data,
so a run can write problems to its errors file and go on. :func:`record_from_mapping` turns one JSON object,
CSV row, Parquet row or dataset row into either, the same way for every tabular format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

DEFAULT_MAX_CHARS = 200_000
DOCUMENT_FIELDS = ("title", "link", "published")
"""Fields passed through by default for feed entries and HTML pages (tabular inputs pass none by default)."""

_LINE_SLACK = 8
"""A JSONL/CSV line may take ``_LINE_SLACK`` bytes per allowed character (escapes, other fields) before it is
skipped unread as oversized."""


class InputError(ValueError):
    """An input that cannot be read at all (a missing file, a bad option); the message names it."""


@dataclass
class Record:
    """One document to score. ``line`` is the 1-based line (or row) it starts on, None for a whole file."""

    id: str
    text: str
    source: str
    line: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    nbytes: int = 0
    """Input bytes (or rows) this record accounts for: what a progress bar advances by."""


@dataclass
class Problem:
    """A record or file that could not be scored: where it is and why. ``to_dict`` is one errors-file line."""

    source: str
    line: int | None
    error: str
    id: str | None = None
    nbytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "id": self.id, "error": self.error}

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.error}"


Item = Union[Record, Problem]


@dataclass(frozen=True)
class ReadOptions:
    """How to find the text, id, title and kept fields of a record, and the size limit.

    Parameters
    ----------
    text_field : field (column) holding the document text, default="text".
    id_field : field holding the id; None uses ``id`` when a record has one and derives an id otherwise, while a
        named field must be present in every record.
    title_field : field holding a title to score before the text (``title + "\\n\\n" + text``), default=None.
    keep_fields : fields copied into the output; None keeps ``title``, ``link`` and ``published`` of feed entries
        and HTML pages and nothing of tabular records.
    max_chars : longest text scored; longer records are reported as oversized, default=200_000.
    """

    text_field: str = "text"
    id_field: str | None = None
    title_field: str | None = None
    keep_fields: tuple[str, ...] | None = None
    max_chars: int = DEFAULT_MAX_CHARS

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, found {self.max_chars}")
        if self.keep_fields is not None:
            object.__setattr__(self, "keep_fields", tuple(self.keep_fields))

    @property
    def line_cap(self) -> int:
        """Bytes a JSONL or CSV line may have before it is skipped unread."""
        return max(self.max_chars * _LINE_SLACK, 1 << 20)



def text_problem(text: Any, options: ReadOptions, what: str) -> str | None:
    """Why ``text`` cannot be scored (None when it can)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return f"missing or empty {what}"
    if not isinstance(text, str):
        return f"{what} is {type(text).__name__}, expected a string"
    if len(text) > options.max_chars:
        return f"oversized record: {len(text)} characters, over --max-chars {options.max_chars}"
    return None


def jsonable(value: Any) -> Any:
    """A passed-through value as JSON can hold it (dates and other objects become strings)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def record_from_mapping(obj: dict[str, Any], source: str, line: int, options: ReadOptions, nbytes: int,
                        what: str = "text field") -> Item:
    """A record (or problem) from one JSON object, CSV row, Parquet row or dataset row."""
    record_id = obj.get(options.id_field or "id")
    if record_id is None or record_id == "":
        if options.id_field:
            return Problem(source, line, f"missing id field {options.id_field!r}", None, nbytes)
        record_id = f"{source}:{line}"
    record_id = str(record_id)
    text = obj.get(options.text_field)
    problem = text_problem(text, options, f"{what} {options.text_field!r}")
    if problem:
        return Problem(source, line, problem, record_id, nbytes)
    if options.title_field:
        title = obj.get(options.title_field)
        if isinstance(title, str) and title.strip():
            text = f"{title.strip()}\n\n{text}"
            if len(text) > options.max_chars:
                return Problem(source, line, f"oversized record: {len(text)} characters with its title, over "
                                             f"--max-chars {options.max_chars}", record_id, nbytes)
    fields = {name: jsonable(obj.get(name)) for name in (options.keep_fields or ())}
    return Record(record_id, text, source, line, fields, nbytes)
