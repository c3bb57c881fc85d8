"""Hostile input for every reader and for the scoring helpers, generated with hypothesis.

Properties: no exception escapes a reader (a bad record or file is a Problem with its source, and with its line
for line-based formats, and reading goes on with the next one); every Record has a str id and str text that can be
written as UTF-8; ``score_iter`` with ``on_error`` never raises and accounts for every input; evidence offsets index
the text they came from.

Two profiles: ``quick`` (the default, 50 examples per reader, for CI) and ``long`` (10,000 per reader), chosen with
``FRAMEWATCH_FUZZ=long``. ``bench/fuzz.py`` runs the long profile and prints cases and crashes per reader; it reads
the counts this module writes to ``$FRAMEWATCH_FUZZ_STATS`` when that is set.
"""
from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import json
import os
import tempfile
import traceback
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framewatch.io.readers import INTERNAL_ERROR, read_path, read_stdin, read_stream
from framewatch.io.readers.html import html_to_text
from framewatch.io.readers.parquet import read_parquet
from framewatch.io.records import Problem, ReadOptions, Record

_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
           HealthCheck.function_scoped_fixture]
settings.register_profile("quick", max_examples=50, deadline=None, suppress_health_check=_CHECKS,
                          print_blob=True, database=None)
settings.register_profile("long", max_examples=10_000, deadline=None, suppress_health_check=_CHECKS,
                          print_blob=True, database=None)
PROFILE = "long" if os.environ.get("FRAMEWATCH_FUZZ") == "long" else "quick"
FUZZ = settings(settings.get_profile(PROFILE))
"""Applied to each property test (not loaded globally, so other modules' hypothesis settings stay as they are)."""

STATS: dict[str, dict[str, object]] = defaultdict(lambda: {"cases": 0, "crashes": set()})


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    path = os.environ.get("FRAMEWATCH_FUZZ_STATS")
    if path:
        stats = {name: {"cases": value["cases"], "crashes": sorted(value["crashes"])} for name, value in STATS.items()}
        Path(path).write_text(json.dumps(stats, indent=1), encoding="utf-8")


def counted(reader: str, run, *args, **kwargs):
    """Run one case of ``reader``, counting it and (by exception type and place) any crash, then re-raising."""
    STATS[reader]["cases"] += 1
    try:
        return run(*args, **kwargs)
    except Exception as error:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        STATS[reader]["crashes"].add(f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}")
        raise


# ---------------------------------------------------------------------------------------------- strategies

SPECIALS = ["", " ", "\n", "\r\n", "\x00", "\x1b[31m", "\u202e", "\u200f", "\u200b", "\ufeff", "\ufffd", "\ud800",
            "\udcff", "\U0001f4a5", "<script>alert(1)</script>", "</mark>", '"', "&amp;", "&lol9;", "]]>", "\\",
            "e\u0301", "\u0645\u0631\u062d\u0628\u0627", "NaN", "null", "\t", "\x85", "\u2028"]
unicode = st.text(st.characters(blacklist_categories=()), max_size=60)  # every code point, surrogates included
hostile = st.one_of(unicode, st.sampled_from(SPECIALS), st.lists(st.sampled_from(SPECIALS + ["word", ". "]),
                                                                 max_size=12).map("".join))
huge = st.builds(lambda piece, n: piece * n, st.sampled_from(["x", "ab. ", "\u00e9", "\U0001f4a5", " "]),
                 st.integers(1000, 400_000))
text_value = st.one_of(hostile, hostile, huge)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 30), st.floats(),
                        text_value)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(hostile, inner, max_size=4)),
                          max_leaves=12)
options = st.builds(ReadOptions, text_field=st.sampled_from(["text", "body", ""]),
                    id_field=st.sampled_from([None, None, "id", "url"]),
                    title_field=st.sampled_from([None, "title", "text"]),
                    keep_fields=st.sampled_from([None, (), ("lang",), ("title", "lang", "nested")]),
                    max_chars=st.sampled_from([5, 100, 200_000]),
                    encoding=st.sampled_from([None, None, "auto", "cp1252", "utf-16", "latin-1"]))


def deep(n: int) -> str:
    return "[" * n + "]" * n


# ---------------------------------------------------------------------------------------------- properties


def check(items: list, source: str, *, lines: bool) -> tuple[list[Record], list[Problem]]:
    """The invariants every reader keeps; returns the records and problems."""
    records, problems = [], []
    for item in items:
        assert isinstance(item, (Record, Problem)), item
        if isinstance(item, Record):
            assert isinstance(item.id, str) and isinstance(item.text, str), item
            assert item.title is None or isinstance(item.title, str)
            item.id.encode("utf-8"), item.text.encode("utf-8"), (item.title or "").encode("utf-8")
            json.dumps(item.fields, ensure_ascii=False, allow_nan=False).encode("utf-8")
            assert item.text.strip() or (item.title or "").strip()
            records.append(item)
        else:
            assert item.source == source and isinstance(item.error, str) and item.error
            assert not item.error.startswith(INTERNAL_ERROR), item.error
            json.dumps(item.to_dict(), ensure_ascii=False, allow_nan=False).encode("utf-8")
            if lines and item.line is not None:
                assert isinstance(item.line, int) and item.line >= 1
            problems.append(item)
    return records, problems


def read_checked(data: bytes, source: str, fmt: str, read_options, *, lines: bool) -> list:
    """Read ``data`` as ``fmt`` from a stream named ``source`` and check every item it yields."""
    items = list(read_stream(stream(data), source, "fuzz", fmt, read_options))
    check(items, source, lines=lines)
    return items


def stream(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))


# ---------------------------------------------------------------------------------------------- JSONL

def _encode_line(obj, ascii_only: bool) -> bytes:
    return json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


json_line = st.one_of(
    st.builds(_encode_line, st.dictionaries(st.sampled_from(["id", "text", "body", "title", "lang", "nested", "url"]),
                                            json_value, max_size=6), st.booleans()),
    st.builds(_encode_line, json_value, st.booleans()),
    st.builds(lambda n: deep(n).encode(), st.integers(1, 200_000)),
    st.builds(lambda n: b'{"text": "x", "n": ' + b"9" * n + b"}", st.integers(4000, 6000)),
    st.binary(max_size=200),
    st.builds(lambda line, cut: line[:cut], st.builds(_encode_line, st.fixed_dictionaries({"text": hostile}),
                                                      st.booleans()), st.integers(0, 30)),
)


@FUZZ
@given(st.lists(json_line, max_size=8), options, st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]))
def test_jsonl_reader_survives_hostile_lines(lines, read_options, head):
    data = head + b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"

    def case():
        items = read_checked(data, "fuzz.jsonl", "jsonl", read_options, lines=True)
        if read_options.encoding is None and not head:
            physical = data.split(b"\n")
            physical[0] = physical[0].removeprefix(b"\xef\xbb\xbf")  # a BOM opening the file is not content
            nonblank = [line for line in physical if line.strip()]
            assert len([i for i in items if i.line is not None]) == len(nonblank)  # every line accounted for

    counted("jsonl", case)


# ---------------------------------------------------------------------------------------------- CSV and TSV

cell = st.one_of(hostile, huge, st.integers().map(str), st.just(""))


def _csv_bytes(header, rows, delimiter, ascii_only):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    return text.encode("ascii", "backslashreplace") if ascii_only else text.encode("utf-8", "surrogatepass")


csv_data = st.one_of(
    st.builds(_csv_bytes, st.lists(st.sampled_from(["id", "text", "body", "title", "lang", "url", "", "text"]),
                                   min_size=1, max_size=5),
              st.lists(st.lists(cell, max_size=6), max_size=6), st.sampled_from([",", "\t"]), st.booleans()),
    st.binary(max_size=300),
    st.builds(lambda head, body: head + body, st.sampled_from([b"id,text\n", b"text\n", b"\xef\xbb\xbfid,text\n"]),
              st.binary(max_size=300)),
    st.builds(lambda n: b"id,text\n1,\"" + b"x" * n, st.integers(0, 3_000_000)),  # an unterminated quoted cell
)


@FUZZ
@given(csv_data, options, st.sampled_from(["csv", "tsv"]))
def test_csv_reader_survives_hostile_rows(data, read_options, fmt):
    counted("csv", read_checked, data, "fuzz.csv", fmt, read_options, lines=True)


# ---------------------------------------------------------------------------------------------- Parquet

column = st.one_of(
    st.lists(st.one_of(st.none(), hostile.map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))), min_size=1,
             max_size=5),
    st.lists(st.one_of(st.none(), st.integers(-(2 ** 63), 2 ** 63 - 1)), min_size=1, max_size=5),
    st.lists(st.one_of(st.none(), st.floats()), min_size=1, max_size=5),
    st.lists(st.one_of(st.none(), st.lists(st.text(max_size=5), max_size=3)), min_size=1, max_size=5),
    st.lists(st.one_of(st.none(), st.binary(max_size=20)), min_size=1, max_size=5),
    st.lists(st.one_of(st.none(), st.fixed_dictionaries({"a": st.integers(0, 9)})), min_size=1, max_size=5),
    st.lists(st.none(), min_size=1, max_size=5),
)


@FUZZ
@given(st.dictionaries(st.sampled_from(["id", "text", "body", "title", "lang", "url", "nested"]), column, max_size=5),
       options, st.sampled_from(["table", "table", "truncated", "garbage"]), st.integers(0, 2000))
def test_parquet_reader_survives_hostile_columns(columns, read_options, kind, cut):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    size = min((len(v) for v in columns.values()), default=1)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "fuzz.parquet"
        if kind == "garbage":
            path.write_bytes(b"PAR1" + bytes(range(256)) * (cut % 7) + b"PAR1")
        else:
            table = pa.table({name: values[:size] for name, values in columns.items()}) if columns else \
                pa.table({"other": [1]})
            pq.write_table(table, path, row_group_size=2)
            if kind == "truncated":
                data = path.read_bytes()
                path.write_bytes(data[: cut % max(1, len(data))])

        def case():
            items = list(read_parquet(path, "fuzz.parquet", read_options))
            check(items, "fuzz.parquet", lines=True)

        counted("parquet", case)


# ---------------------------------------------------------------------------------------------- RSS and Atom

def _escape(text: str, raw: bool) -> str:
    if raw:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _feed(kind, entries, raw, prolog):
    items = []
    for title, body, link, guid in entries:
        title, body, link, guid = (_escape(v, raw) for v in (title, body, link, guid))
        if kind == "rss":
            items.append(f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
                         f"<description>{body}</description></item>")
        else:
            items.append(f"<entry><title type=\"html\">{title}</title><id>{guid}</id><link href=\"{link}\"/>"
                         f"<content type=\"html\">{body}</content></entry>")
    if kind == "rss":
        doc = f'<rss version="2.0"><channel><title>t</title>{"".join(items)}</channel></rss>'
    else:
        doc = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{"".join(items)}</feed>'
    return (prolog + doc).encode("utf-8", "surrogatepass")


PROLOGS = ['<?xml version="1.0"?>\n', "", '<?xml version="1.0" encoding="latin-1"?>',
           '<!DOCTYPE rss [<!ENTITY a "AAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
           '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>']
feed_data = st.one_of(
    st.builds(_feed, st.sampled_from(["rss", "atom"]),
              st.lists(st.tuples(text_value, text_value, hostile, hostile), max_size=4), st.booleans(),
              st.sampled_from(PROLOGS)),
    st.binary(max_size=400),
    st.builds(lambda n: b'<rss version="2.0"><channel>' + b"<item>" * n, st.integers(1, 50_000)),
    st.builds(lambda data, cut: data[:cut], st.builds(_feed, st.just("rss"), st.lists(
        st.tuples(hostile, hostile, hostile, hostile), max_size=3), st.booleans(), st.just("")), st.integers(0, 300)),
)


@FUZZ
@given(feed_data, options)
def test_feed_reader_survives_hostile_feeds(data, read_options):
    counted("feed", read_checked, data, "fuzz.rss", "feed", read_options, lines=False)


# ---------------------------------------------------------------------------------------------- HTML

def _page(title, paragraphs, nesting, raw):
    body = "".join(f"<p>{_escape(p, raw)}</p>" for p in paragraphs)
    body = "<div>" * nesting + body + "</div>" * nesting
    return (f"<html><head><title>{_escape(title, raw)}</title></head><body><article><h1>{_escape(title, raw)}</h1>"
            f"{body}</article></body></html>").encode("utf-8", "surrogatepass")


html_data = st.one_of(
    st.builds(_page, hostile, st.lists(text_value, max_size=4), st.integers(0, 3000), st.booleans()),
    st.binary(max_size=400),
    st.builds(lambda text: text.encode("utf-8", "surrogatepass"), hostile),
)


@FUZZ
@given(html_data, options)
def test_html_reader_survives_hostile_pages(data, read_options):
    counted("html", read_checked, data, "fuzz.html", "html", read_options, lines=False)


@FUZZ
@given(st.one_of(hostile, st.builds(lambda n: "<b>" * n + "x", st.integers(0, 100_000))))
def test_html_to_text_survives_hostile_markup(markup):
    counted("html_to_text", lambda: isinstance(html_to_text(markup), str) or pytest.fail("not a str"))


# ---------------------------------------------------------------------------------------------- text

def _encoded(text, codec, bom):
    return (codecs.lookup(codec).name in ("utf-8",) and bom and codecs.BOM_UTF8 or b"") + \
        text.encode(codec, "surrogatepass" if codec.startswith("utf") else "replace")


text_data = st.one_of(
    st.builds(_encoded, text_value, st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "utf-16-be"]),
              st.booleans()),
    st.binary(max_size=400),
    st.builds(lambda bom, data: bom + data, st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                             codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                                                             codecs.BOM_UTF32_BE]), st.binary(max_size=200)),
)


@FUZZ
@given(text_data, options, st.sampled_from(["text", "auto"]))
def test_text_reader_and_sniffing_survive_hostile_bytes(data, read_options, fmt):
    def case():
        read_checked(data, "fuzz.txt", fmt, read_options, lines=False)
        stdin = list(read_stdin(io.BytesIO(data), fmt, read_options))  # a pipe, read through the adapter
        check(stdin, "<stdin>", lines=False)

    counted("text", case)


# ---------------------------------------------------------------------------------------------- compressed

@FUZZ
@given(st.lists(st.builds(_encode_line, st.fixed_dictionaries({"id": hostile, "text": hostile}), st.booleans()),
                min_size=1, max_size=6),
       st.sampled_from(["truncate", "garble", "append", "not-gzip", "bzip2"]), st.integers(0, 10_000),
       st.sampled_from([".jsonl.gz", ".csv.gz", ".txt.gz"]))
def test_broken_compression_is_a_problem_not_a_crash(lines, damage, where, suffix):
    data = gzip.compress(b"\n".join(lines) + b"\n")
    if damage == "truncate":
        data = data[: where % len(data)]
    elif damage == "garble":
        position = where % len(data)
        data = data[:position] + bytes([data[position] ^ 0x5A]) + data[position + 1:]
    elif damage == "append":
        data = data + bytes(range(where % 64))
    elif damage == "not-gzip":
        data = b"\n".join(lines)
    else:
        data = bz2.compress(data)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"fuzz{suffix}"
        path.write_bytes(data)

        def case():
            items = list(read_path(path))
            check(items, str(path), lines=True)

        counted("gzip", case)


# ---------------------------------------------------------------------------------------------- scoring

score_item = st.one_of(
    hostile, text_value, st.none(), st.integers(), st.binary(max_size=10), st.lists(hostile, max_size=2),
    st.dictionaries(st.sampled_from(["id", "text", "title", "lang"]), json_value, max_size=4),
    st.builds(lambda i, t: Record(i, t, "<fuzz>"), hostile, hostile),
)


@FUZZ
@given(st.lists(score_item, max_size=6), st.booleans(), st.sampled_from([None, "title"]), st.integers(1, 4))
def test_score_iter_with_on_error_never_raises(tiny_lexical, items, passages, title_field, batch_size):
    import framewatch

    def case():
        problems = []
        rows = list(framewatch.score_iter(items, tiny_lexical, passages=passages, title_field=title_field,
                                          keep_fields=("lang",), include_text=True, batch_size=batch_size,
                                          on_error=problems.append))
        assert all(isinstance(row["id"], str) for row in rows)
        assert len(rows) + len(problems) == len(items) or passages  # every input scored or reported
        for problem in problems:
            assert isinstance(problem, Problem) and problem.source and problem.error
        for row in rows:
            json.dumps(row, ensure_ascii=False)
            for evidence in ([] if passages else row["evidence"]):
                held = row.get("title") if evidence.get("field") == "title" else row["text"]
                assert held[evidence["start"]:evidence["end"]] == evidence["text"]

    counted("score_iter", case)


@FUZZ
@given(text_value.map(lambda text: text.encode("utf-8", "replace").decode("utf-8")))
def test_score_document_takes_any_text(tiny_lexical, text):
    # Lone surrogates are left out: the sentence splitter (framewatch.data.text, via sentencex) encodes the text
    # and raises UnicodeEncodeError on them. Every reader and score_iter report such text as a problem first.
    def case():
        doc = tiny_lexical.score_document(text)
        for evidence in doc.evidence:
            assert text[evidence.start:evidence.end] == evidence.text

    counted("score_document", case)
