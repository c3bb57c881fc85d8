"""JSONL (one JSON object per line, optionally gzipped): the line-by-line reader, where a bad line is a problem
and the run goes on."""
from __future__ import annotations

import json
from typing import IO, Iterator

from framewatch.io.readers.text import ENCODING_HINT, CappedLines
from framewatch.io.records import Item, Problem, ReadOptions, record_from_mapping


def read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Item]:
    """One record per non-blank line: a JSON object with the text field; bad lines become problems."""
    any_line = False
    for number, data, nbytes in CappedLines(stream, options.line_cap):
        if data is None:
            any_line = True
            yield Problem(source, number, f"oversized record: line of {nbytes} bytes, over the "
                                          f"{options.line_cap}-byte limit for --max-chars {options.max_chars}",
                          nbytes=nbytes)
            continue
        if number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
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
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield Problem(source, number, f"malformed JSON ({error.msg}, column {error.colno})", nbytes=nbytes)
            continue
        except RecursionError:
            yield Problem(source, number, "malformed JSON (nested too deeply)", nbytes=nbytes)
            continue
        except ValueError as error:  # an integer over Python's digit limit
            yield Problem(source, number, f"malformed JSON ({error})", nbytes=nbytes)
            continue
        if not isinstance(obj, dict):
            yield Problem(source, number, f"expected a JSON object, found {type(obj).__name__}", nbytes=nbytes)
            continue
        yield record_from_mapping(obj, source, number, options, nbytes, "string field")
    if not any_line:
        yield Problem(source, None, "empty input")
