"""JSONL (one JSON object per line, optionally gzipped): the line-by-line reader, where a bad line is a problem
and the run goes on."""
from __future__ import annotations

import json
from typing import IO, Any, Iterator

from framewatch.io.readers.text import ENCODING_HINT, CappedLines, oversized_line
from framewatch.io.records import Item, Problem, ReadOptions, record_from_mapping


def json_line(line: str) -> tuple[Any, str | None]:
    """The value of one JSON line and None, or None and why it is malformed (bad syntax, nested too deeply for the
    parser, an integer over Python's digit limit): no line raises."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as error:
        return None, f"malformed JSON ({error.msg}, column {error.colno})"
    except RecursionError:
        return None, "malformed JSON (nested too deeply)"
    except ValueError as error:
        return None, f"malformed JSON ({error})"


def read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Item]:
    """One record per non-blank line: a JSON object with the text field; bad lines become problems."""
    any_line = False
    for number, data, nbytes in CappedLines(stream, options.line_cap):
        if data is None:
            any_line = True
            yield Problem(source, number, oversized_line(nbytes, options), nbytes=nbytes)
            continue
        if not data.strip():
            continue
        any_line = True
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as error:
            if options.encoding is None:
                why = f"not UTF-8 text (undecodable byte at column {error.start + 1}); {ENCODING_HINT}"
            else:
                why = f"not {options.encoding} text (undecodable bytes; --encoding {options.encoding})"
            yield Problem(source, number, why, nbytes=nbytes)
            continue
        obj, malformed = json_line(line)
        if malformed:
            yield Problem(source, number, malformed, nbytes=nbytes)
            continue
        if not isinstance(obj, dict):
            yield Problem(source, number, f"expected a JSON object, found {type(obj).__name__}", nbytes=nbytes)
            continue
        yield record_from_mapping(obj, source, number, options, nbytes, "string field")
    if not any_line:
        yield Problem(source, None, "empty input")
