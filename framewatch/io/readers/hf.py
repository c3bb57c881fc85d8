"""Hugging Face datasets saved with ``save_to_disk``: read from their memory-mapped Arrow files a batch at a time
(``datasets`` imported on use)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from framewatch.io.records import InputError, Item, ReadOptions, record_from_mapping


def read_hf_dataset(path: str | Path, options: ReadOptions | None = None, split: str | None = None,
                    batch_rows: int = 1024) -> Iterator[Item]:
    """Records of a Hugging Face dataset saved with ``save_to_disk`` (every split of a ``DatasetDict`` in order,
    or only ``split``), read from its memory-mapped Arrow files a batch at a time."""
    options = options or ReadOptions()
    source = str(path)
    try:
        import datasets
    except ImportError:  # pragma: no cover - a dependency
        raise InputError("--hf-dataset needs the 'datasets' package (pip install datasets)") from None
    try:
        loaded = datasets.load_from_disk(str(path))
    except (FileNotFoundError, ValueError, OSError) as error:
        raise InputError(f"{path}: not a dataset saved with save_to_disk ({error})") from None
    if isinstance(loaded, datasets.DatasetDict):
        if split is not None and split not in loaded:
            raise InputError(f"{path}: no split {split!r} (splits: {', '.join(loaded)})")
        parts = [(f"{source}/{name}", loaded[name]) for name in loaded if split in (None, name)]
    else:
        if split is not None:
            raise InputError(f"{path}: a single dataset has no splits; drop --split")
        parts = [(source, loaded)]
    for part_source, dataset in parts:
        columns = dataset.column_names
        for name in [options.text_field] + ([options.id_field] if options.id_field else []):
            if name not in columns:
                raise InputError(f"{part_source}: no column {name!r} (columns: {', '.join(columns)}); choose one "
                                 f"with --text-field/--id-field")
        wanted = [options.text_field, options.id_field or "id", options.title_field, *(options.keep_fields or ())]
        keep = [name for name in dict.fromkeys(wanted) if name and name in columns]
        number = 0
        for batch in dataset.select_columns(keep).iter(batch_size=batch_rows):
            for values in zip(*(batch[name] for name in keep)):
                number += 1
                yield record_from_mapping(dict(zip(keep, values)), part_source, number, options, 1, "column")


def hf_dataset_rows(path: str | Path, split: str | None = None) -> int | None:
    """Rows a saved dataset holds (the progress bar's total)."""
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except (FileNotFoundError, ValueError, OSError):
        return None  # the reader reports it
    if isinstance(loaded, datasets.DatasetDict):
        return sum(d.num_rows for name, d in loaded.items() if split in (None, name))
    return loaded.num_rows
