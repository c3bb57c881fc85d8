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
    """One document to score. ``line`` is the 1-based line (or row) it starts on, None for a whole file.

    ``text`` is the body as the input holds it (the text field, a feed entry's summary or content, a page's main
    text) and ``title`` the title read with it (``--title-field``, a feed entry's or page's title), None when there
    is none. The title's sentences are scored before the body's; evidence offsets index the one they come from.
    """

    id: str
    text: str
    source: str
    line: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    nbytes: int = 0
    """Input bytes (or rows) this record accounts for: what a progress bar advances by."""
    title: str | None = None

    def __post_init__(self) -> None:
        # a file name with undecodable bytes, or an id from a JSON escape, can hold lone surrogates: the output is
        # UTF-8, so they become U+FFFD
        self.id, self.source = clean_text(self.id), clean_text(self.source)

    @property
    def chars(self) -> int:
        """Characters scored: the body's and the title's."""
        return len(self.text) + (len(self.title) if self.title else 0)


@dataclass
class Problem:
    """A record or file that could not be scored: where it is and why. ``to_dict`` is one errors-file line."""

    source: str
    line: int | None
    error: str
    id: str | None = None
    nbytes: int = 0

    def __post_init__(self) -> None:
        self.source, self.error = clean_text(str(self.source)), clean_text(str(self.error))
        self.id = None if self.id is None else clean_text(str(self.id))

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
    title_field : field holding a title, scored before the text (its sentences first; evidence found in it
        carries ``"field": "title"`` and offsets into it), default=None.
    keep_fields : fields copied into the output; None keeps ``title``, ``link`` and ``published`` of feed entries
        and HTML pages and nothing of tabular records.
    max_chars : longest text (with its title) scored; longer records are reported as oversized, default=200_000.
    encoding : how bytes of text files, CSV and JSONL become text: None for UTF-8 (a byte order mark for UTF-8,
        UTF-16 or UTF-32 is honoured), a codec name (``cp1252``, ``latin-1``…), or ``"auto"`` to let
        charset-normalizer guess, default=None.
    """

    text_field: str = "text"
    id_field: str | None = None
    title_field: str | None = None
    keep_fields: tuple[str, ...] | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, found {self.max_chars}")
        if self.keep_fields is not None:
            object.__setattr__(self, "keep_fields", tuple(self.keep_fields))
        if self.encoding is not None and self.encoding != "auto":
            import codecs

            try:
                if not getattr(codecs.lookup(self.encoding), "_is_text_encoding", True):
                    raise LookupError(self.encoding)
            except LookupError:
                raise InputError(f"unknown --encoding {self.encoding!r}; give a codec name (utf-8, cp1252, "
                                 f"latin-1, utf-16…) or auto") from None

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
    if has_surrogates(text):
        return f"{what} holds lone surrogates (undecodable bytes), not text"
    return None


def has_surrogates(text: str) -> bool:
    """True when ``text`` cannot be written as UTF-8 (lone surrogates, as undecodable bytes or a JSON ``\\ud800``
    escape become)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (same length, so offsets stay valid)."""
    if not isinstance(text, str) or not has_surrogates(text):
        return text
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


_NOT_IDS = (list, dict, tuple, set, bytes, bytearray)


def record_id_of(value: Any) -> str | None:
    """An id as a string: strings as they are (lone surrogates replaced), numbers and other scalars as ``str``
    gives them; None for a missing or empty id (NaN counts as missing, as Parquet and pandas write it)."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return clean_text(value if isinstance(value, str) else str(value))


def jsonable(value: Any) -> Any:
    """A passed-through value as JSON can hold it (dates and other objects become strings)."""
    if value is None or isinstance(value, (int, bool)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None  # no NaN in JSON
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return clean_text(str(value))


def record_from_mapping(obj: dict[str, Any], source: str, line: int, options: ReadOptions, nbytes: int,
                        what: str = "text field") -> Item:
    """A record (or problem) from one JSON object, CSV row, Parquet row or dataset row."""
    id_name = options.id_field or "id"
    raw_id = obj.get(id_name)
    if isinstance(raw_id, _NOT_IDS):
        return Problem(source, line, f"id field {id_name!r} is {type(raw_id).__name__}, expected a string or a "
                                     f"number", None, nbytes)
    record_id = record_id_of(raw_id)
    if record_id is None:
        if options.id_field:
            return Problem(source, line, f"missing id field {options.id_field!r}", None, nbytes)
        record_id = f"{source}:{line}"
    text = obj.get(options.text_field)
    problem = text_problem(text, options, f"{what} {options.text_field!r}")
    if problem:
        return Problem(source, line, problem, record_id, nbytes)
    title = None
    if options.title_field:
        value = obj.get(options.title_field)
        if isinstance(value, str) and has_surrogates(value):
            return Problem(source, line, f"{what} {options.title_field!r} holds lone surrogates (undecodable "
                                         f"bytes), not text", record_id, nbytes)
        if isinstance(value, str) and value.strip():
            title = value
            if len(text) + len(title) > options.max_chars:
                return Problem(source, line, f"oversized record: {len(text) + len(title)} characters with its "
                                             f"title, over --max-chars {options.max_chars}", record_id, nbytes)
    fields = {name: jsonable(obj.get(name)) for name in (options.keep_fields or ())}
    return Record(record_id, text, source, line, fields, nbytes, title)
