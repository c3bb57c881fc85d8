"""Scoring on a Ray cluster: the rows of local scoring, computed by actors that each load the model once.

:func:`score_dataset` maps a ``ray.data.Dataset`` of documents through a pool of actors (``map_batches`` with a
callable class, so the model loads once per actor, not once per batch). Batches stream from the readers through the
actors to the writers; nothing is materialised. Each output row has the fields of ``framewatch score`` (``id``, the
kept columns, ``scores``, ``labels``, ``evidence``, ``n_sentences``, optionally ``text``) and an ``error`` field:
null for a scored document, the reason for a record that could not be scored (its ``id`` kept when it had one).
:func:`write_scored` writes the scored rows and the errors with Ray's own writers, into ``OUT/`` and
``OUT/errors/``, staged in ``OUT.partial/`` and renamed when complete.

Differences from the local engine, by design of a distributed run: every record needs an id (there is no global
line number to derive one from), a repeated id is not renamed, and an interrupted run is rerun rather than resumed.

Ray is optional: ``pip install 'framewatch[ray]'``.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Sequence

from framewatch.io.records import DEFAULT_MAX_CHARS

RAY_OUTPUT_FORMATS = ("jsonl", "parquet")


def _schema(labels: Sequence[str], keep: Sequence[str], passages: bool, include_text: bool) -> Any:
    """The Arrow schema of every output batch (fixed, so batches with no evidence still match the others)."""
    import pyarrow as pa

    from framewatch.io.writers import scored_arrow_fields

    kept = [(name, pa.string()) for name in keep]
    text = [("text", pa.string()), ("title", pa.string())] if include_text and not passages else []
    return pa.schema([("id", pa.string()), *kept, *scored_arrow_fields(labels, passages), *text,
                      ("error", pa.string())])


class DocumentScorer:
    """The actor class: loads the model once, then scores a batch of rows into a table of output rows.

    A row without an id, or that local scoring would report (text missing, empty, not a string, with lone
    surrogates, or over ``max_chars`` with its title), becomes an error row instead of stopping the batch.
    """

    def __init__(self, model: Any, text_column: str, id_column: str, title_column: str | None, keep: Sequence[str],
                 options: Any, max_chars: int) -> None:
        from framewatch.io.records import ReadOptions
        from framewatch.scoring import _load_model

        self.model = _load_model(model)
        self.id_column, self.keep, self.options = id_column, list(keep), options
        self.read_options = ReadOptions(text_field=text_column, id_field=id_column, title_field=title_column,
                                        max_chars=max_chars)
        self.schema = _schema(options.label_names, self.keep, options.passages, options.include_text)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        from framewatch.io.records import Problem, record_from_mapping, record_id_of
        from framewatch.scoring import score_batch

        rows = batch.to_pylist() if hasattr(batch, "to_pylist") else batch.to_dict("records")
        good, out = [], []
        for row in rows:
            fields = {name: _cell(row.get(name)) for name in self.keep}
            if record_id_of(row.get(self.id_column)) is None:  # a distributed run has no line number to derive one
                out.append({"id": None, **fields,
                            "error": f"no {self.id_column!r}: the Ray engine needs an id in every record"})
                continue
            item = record_from_mapping(row, "ray", 0, self.read_options, 0, "string field")  # local scoring's checks
            if isinstance(item, Problem):
                out.append({"id": item.id, **fields, "error": item.error})
            else:
                good.append((item.id, item.text, fields, item.title))
        for _, _, scored in score_batch(self.model, good, self.options) if good else []:
            out.extend({**row, "error": None} for row in scored)
        return pa.Table.from_pylist(out, schema=self.schema)


def _cell(value: Any) -> str | None:
    """A kept column as text (JSON for structured values), as one Arrow string column can hold any of them."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def score_dataset(dataset: Any, model: Any = "default", text_column: str = "text", id_column: str | None = None, *,
                  title_column: str | None = None, keep_columns: Sequence[str] = (),
                  labels: Sequence[str] | None = None,
                  min_score: float | None = None, passages: bool = False, include_text: bool = False,
                  batch_size: int = 32, num_actors: int | tuple[int, int] | None = None,
                  num_cpus_per_actor: float = 1, max_chars: int = DEFAULT_MAX_CHARS) -> Any:
    """Score a ``ray.data.Dataset`` of documents; returns a (lazy) Dataset of output rows with an ``error`` field.

    Parameters
    ----------
    dataset : rows with a text column and an id column.
    model : a shipped model name or a model directory reachable from every node (or a loaded model, which Ray
        then ships to each actor).
    text_column, id_column : where the text and id are; ``id_column=None`` uses ``"id"``.
    title_column : a title scored before the text (its evidence carries ``"field": "title"``), as ``--title-field``.
    keep_columns : columns copied into each output row (as text).
    labels, min_score, passages, include_text : as for ``framewatch score``
        (:class:`~framewatch.scoring.OutputOptions`).
    batch_size : documents per actor call.
    num_actors : actors in the pool, or a (min, max) range Ray scales within; None lets Ray choose. Each actor holds
        its CPUs for the whole run, so leave the cluster CPUs for the reading and writing tasks too (on a 2-CPU
        node: one actor), or the run waits for a CPU that never frees.
    num_cpus_per_actor : CPUs reserved per actor (its torch threads).

    Examples
    --------
    >>> import ray, framewatch.ray                                                  # doctest: +SKIP
    >>> docs = ray.data.read_json("news/*.jsonl")                                  # doctest: +SKIP
    >>> scored = framewatch.ray.score_dataset(docs, id_column="url", num_actors=4)  # doctest: +SKIP
    >>> scored.filter(lambda row: row["error"] is None).write_parquet("scored/")   # doctest: +SKIP
    """
    from framewatch.scoring import OutputOptions, keep_field_clash

    options = OutputOptions(None if labels is None else tuple(labels), min_score, passages, include_text)
    clash = "'error' is an output key; rename that field" if "error" in keep_columns else \
        keep_field_clash(keep_columns, options, title_column)
    if clash:
        raise ValueError(f"keep column {clash}")
    return dataset.map_batches(
        DocumentScorer, batch_size=batch_size, batch_format="pyarrow", concurrency=num_actors,
        num_cpus=num_cpus_per_actor,
        fn_constructor_kwargs={"model": model, "text_column": text_column, "id_column": id_column or "id",
                               "title_column": title_column, "keep": list(keep_columns), "options": options,
                               "max_chars": max_chars},
    )


def write_scored(scored: Any, out: str | Path, fmt: str = "jsonl") -> dict[str, Path]:
    """Run ``scored`` once and write its rows to ``out/`` and its errors to ``out/errors/`` with Ray's writers.

    The run is staged in ``out.partial/`` (scored once into Parquet, then split into rows and errors without
    scoring again) and renamed to ``out`` only when complete, so ``out`` never holds half a run.
    """
    import ray
    from ray.data.expressions import col

    if fmt not in RAY_OUTPUT_FORMATS:
        raise ValueError(f"Ray output format must be one of {RAY_OUTPUT_FORMATS}, found {fmt!r}")
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    if out.exists() or partial.exists():
        raise FileExistsError(f"{out if out.exists() else partial} exists: choose a new output directory")
    staged = partial / "_staged"
    scored.write_parquet(str(staged))
    table = ray.data.read_parquet(str(staged))
    write = (lambda ds, path: ds.write_json(path)) if fmt == "jsonl" else (lambda ds, path: ds.write_parquet(path))
    write(table.filter(expr=col("error").is_null()).drop_columns(["error"]), str(partial / "rows"))
    write(table.filter(expr=col("error").is_not_null()).select_columns(["id", "error"]), str(partial / "errors"))
    (partial / "errors").mkdir(exist_ok=True)  # Ray writes no directory for an empty dataset
    shutil.rmtree(staged)
    rows = partial / "rows"
    for part in rows.iterdir():
        part.rename(partial / part.name)
    rows.rmdir()
    partial.rename(out)
    return {"rows": out, "errors": out / "errors"}


def read_inputs(paths: Sequence[str]) -> Any:
    """A Ray Dataset of the rows of JSONL, Parquet or CSV files (by extension), read by Ray's own readers."""
    import ray

    kinds = {".jsonl": ray.data.read_json, ".json": ray.data.read_json, ".parquet": ray.data.read_parquet,
             ".pq": ray.data.read_parquet, ".csv": ray.data.read_csv}
    suffixes = {Path(path).suffix.lower() for path in paths}
    if len(suffixes) != 1 or not suffixes <= set(kinds):
        raise ValueError(f"the Ray engine reads JSONL, Parquet or CSV files of one kind; found {sorted(suffixes)} "
                         "(score other formats with the local engine)")
    return kinds[suffixes.pop()]([str(path) for path in paths])


def score_files(paths: Sequence[str], out: str | Path, *, model: Any = "default", read_options: Any = None,
                output_options: Any = None, to: str = "jsonl", batch_size: int = 32, num_actors: int | None = None,
                address: str | None = None) -> dict[str, Path]:
    """What ``framewatch score --engine ray`` runs: join (or start) a cluster, read ``paths`` with Ray's readers,
    score them with :func:`score_dataset` and write rows and errors with :func:`write_scored`."""
    import ray

    from framewatch.io.records import ReadOptions
    from framewatch.scoring import OutputOptions

    read = read_options or ReadOptions()
    options = output_options or OutputOptions()
    if not paths:
        raise ValueError("--engine ray needs input files")
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
    scored = score_dataset(read_inputs(paths), model=model, text_column=read.text_field, id_column=read.id_field,
                           title_column=read.title_field, keep_columns=read.keep_fields or (),
                           labels=options.labels, min_score=options.min_score, passages=options.passages,
                           include_text=options.include_text, batch_size=batch_size, num_actors=num_actors,
                           max_chars=read.max_chars)
    return write_scored(scored, out, to)


__all__ = ["DocumentScorer", "read_inputs", "score_dataset", "score_files", "write_scored"]
