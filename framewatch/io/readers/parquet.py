"""Parquet files: read a batch of rows, and only the needed columns, at a time (pyarrow imported on use)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from framewatch.io.readers.text import file_size
from framewatch.io.records import Item, Problem, ReadOptions, record_from_mapping


def read_parquet(path: Path, source: str, options: ReadOptions, batch_rows: int = 1024) -> Iterator[Item]:
    """One record per row, read a batch of rows (and only the needed columns) at a time."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError and others for a file that is not Parquet
        yield Problem(source, None, f"not a Parquet file ({error})", nbytes=file_size(path))
        return
    names = parquet.schema_arrow.names
    for name in [options.text_field] + ([options.id_field] if options.id_field else []):
        if name not in names:
            yield Problem(source, None, f"no column {name!r} in the Parquet file (columns: {', '.join(names)}); "
                                        f"choose one with --text-field/--id-field", nbytes=file_size(path))
            return
    wanted = [options.text_field, options.id_field or "id", options.title_field, *(options.keep_fields or ())]
    columns = [name for name in dict.fromkeys(wanted) if name and name in names]
    rows = parquet.metadata.num_rows
    if rows == 0:
        yield Problem(source, None, "empty input (no rows)", nbytes=file_size(path))
        return
    per_row = file_size(path) / rows
    number, done = 0, 0
    for batch in parquet.iter_batches(batch_size=batch_rows, columns=columns):
        for obj in batch.to_pylist():
            number += 1
            nbytes = int(number * per_row) - done
            done += nbytes
            yield record_from_mapping(obj, source, number, options, nbytes, "column")
