"""CSV and TSV with a header row: streamed a physical line at a time, so an oversized or undecodable row is
reported with its line and skipped while the rest is read."""
from __future__ import annotations

import contextlib
import csv
from typing import IO, Iterator

from framewatch.io.readers.text import ENCODING_HINT, CappedLines, oversized_line
from framewatch.io.records import Item, Problem, ReadOptions, has_surrogates, record_from_mapping


class _CsvLines:
    """Decoded lines for ``csv.reader``: undecodable bytes kept as surrogates (the row is reported afterwards),
    oversized lines raised as :class:`_OversizedLine` between rows, byte counts kept for progress."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self.lines = CappedLines(stream, cap)
        self.nbytes = 0

    def __iter__(self) -> "_CsvLines":
        return self

    def __next__(self) -> str:
        number, data, nbytes = next(self.lines)
        self.nbytes += nbytes
        if data is None:
            raise _OversizedLine(number, nbytes)
        return data.decode("utf-8", "surrogateescape")


class _OversizedLine(Exception):
    def __init__(self, number: int, nbytes: int) -> None:
        super().__init__(number, nbytes)
        self.number, self.nbytes = number, nbytes


def read_csv(stream: IO[bytes], source: str, options: ReadOptions, delimiter: str = ",") -> Iterator[Item]:
    """One record per row under a header row; ``line`` is the physical line the row starts on."""
    csv.field_size_limit(max(csv.field_size_limit(), options.line_cap))
    lines = _CsvLines(stream, options.line_cap)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield Problem(source, None, "empty input")
        return
    except (csv.Error, _OversizedLine) as error:
        yield Problem(source, 1, f"unreadable header row ({error})", nbytes=lines.nbytes)
        return
    header = [name.strip() for name in header]
    wanted = [options.text_field] + ([options.id_field] if options.id_field else [])
    missing = [name for name in wanted if name not in header]
    if missing:
        kind = "TSV" if delimiter == "\t" else "CSV"
        names = ", ".join(header[:30]) + (f"… ({len(header)} in all)" if len(header) > 30 else "")
        yield Problem(source, 1, f"no column {missing[0]!r} in the {kind} header (columns: {names}); "
                                 f"choose one with --text-field/--id-field", nbytes=lines.nbytes)
        with contextlib.suppress(_OversizedLine):
            for _ in lines:  # drain for progress without parsing
                pass
        return
    previous_line, seen = reader.line_num, lines.nbytes
    any_row = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except _OversizedLine as error:
            any_row = True
            yield Problem(source, error.number, oversized_line(error.nbytes, options), nbytes=lines.nbytes - seen)
            previous_line, seen = error.number, lines.nbytes
            continue
        except csv.Error as error:
            any_row = True
            yield Problem(source, previous_line + 1, f"malformed row ({error})", nbytes=lines.nbytes - seen)
            previous_line, seen = reader.line_num, lines.nbytes
            continue
        line, nbytes = previous_line + 1, lines.nbytes - seen
        previous_line, seen = reader.line_num, lines.nbytes
        if not row or not any(cell.strip() for cell in row):
            continue
        any_row = True
        if len(row) > len(header):
            yield Problem(source, line, f"malformed row: {len(row)} fields under a header of {len(header)}",
                          nbytes=nbytes)
            continue
        if any(has_surrogates(cell) for cell in row):
            why = (f"not UTF-8 text (undecodable bytes in the row); {ENCODING_HINT}" if options.encoding is None else
                   f"not {options.encoding} text (undecodable bytes in the row; --encoding {options.encoding})")
            yield Problem(source, line, why, nbytes=nbytes)
            continue
        obj = dict(zip(header, row))
        yield record_from_mapping(obj, source, line, options, nbytes, "column")
    if not any_row:
        yield Problem(source, None, "empty input (a header and no rows)")
