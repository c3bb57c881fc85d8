"""Readers of every input format: records with ids, text and fields; problems with file and line, never raised."""
import gzip
import io
import json
from pathlib import Path

import pytest

from framewatch.io.readers import format_of, read_hf_dataset, read_inputs, read_path, read_stdin, sniff_format
from framewatch.io.readers.html import html_to_text
from framewatch.io.records import Problem, ReadOptions, Record

FEEDS = Path(__file__).with_name("fixtures") / "feeds"


def split(items):
    records = [i for i in items if isinstance(i, Record)]
    problems = [i for i in items if isinstance(i, Problem)]
    return records, problems


def read(path, fmt="auto", **options):
    return split(list(read_path(path, fmt, ReadOptions(**options))))


# ---------------------------------------------------------------------------------------------- formats


def test_rss_entries_have_guid_ids_stripped_html_and_a_separate_title():
    records, problems = read(FEEDS / "world.rss")
    assert [r.id for r in records] == ["fw-world-20240305-001", "fw-world-20240305-002", "fw-world-20240305-003"]
    first = records[0]
    assert first.title == "Ministry says dozens of fighters killed in overnight strikes"
    assert first.text.startswith("The defence ministry")  # the body alone: evidence offsets index it
    assert "40 militants" in first.text and "<" not in first.text
    assert first.fields == {"title": "Ministry says dozens of fighters killed in overnight strikes",
                            "link": "https://frontline-wire.example/world/2024/03/05/overnight-strikes",
                            "published": "Tue, 05 Mar 2024 07:12:00 +0000"}
    assert '"simply fallen apart"' in records[1].text  # entity-escaped HTML in <description>
    assert "track(" not in records[2].text and "previous round" in records[2].text  # content:encoded, script dropped
    assert [(p.id, p.line) for p in problems] == [("fw-world-20240305-004", None)]
    assert "entry 4" in problems[0].error and "missing or empty" in problems[0].error


def test_atom_entries_use_content_over_summary_and_strip_html_titles():
    records, problems = read(FEEDS / "conflict.atom")
    assert not problems
    assert [r.id for r in records] == ["tag:efm.example,2024:morale-0306", "tag:efm.example,2024:hospital-0306",
                                       "tag:efm.example,2024:snow-0306"]
    assert records[0].fields["title"] == "Governor: enemy morale is collapsing"
    assert "verge of collapse" in records[0].text  # the longer content, not the summary
    assert "cynical provocation" in records[1].text  # xhtml content
    assert records[2].fields["published"] == "2024-03-06T09:40:00Z"  # updated when no published date


def test_html_article_main_text_without_boilerplate():
    records, problems = read(FEEDS / "article.html")
    assert not problems and len(records) == 1
    record = records[0]
    assert record.id == "article.html"
    assert record.text.startswith("Strike on fuel depot: what we know")  # the page's text opens with its headline,
    assert record.title is None and record.fields["title"] == "Strike on fuel depot: what we know"  # not scored twice
    assert "condition of anonymity" in record.text and "Firefighters" in record.text
    for boilerplate in ("cookies", "All rights reserved", "Privacy", "dataLayer", "Ceasefire talks stall"):
        assert boilerplate not in record.text
    assert record.fields["link"] == "https://frontline-wire.example/world/2024/03/04/fuel-depot-strike"
    assert record.fields["published"].startswith("2024-03-04")


def test_csv_with_named_fields_multiline_cells_and_line_numbers():
    records, problems = read(FEEDS / "articles.csv", text_field="body", id_field="url", title_field="headline",
                             keep_fields=("section",))
    assert [r.id.rsplit("/", 1)[1] for r in records] == ["bridge", "market", "losses"]
    assert [r.line for r in records] == [2, 5, 6]
    assert records[0].title == "Bridge hit in second strike" and records[0].text.startswith("Officials said")
    assert "\n\nA spokesman" in records[0].text  # the quoted cell's blank line survives
    assert records[1].title == 'Market reopens, traders "cautiously hopeful"'
    assert records[0].fields == {"section": "world"}
    assert [(p.line, p.id) for p in problems] == [(7, "https://example-news.test/2024/02/12/blank")]
    assert "missing or empty column 'body'" in problems[0].error


def test_csv_without_the_text_column_is_one_problem_naming_the_columns():
    records, problems = read(FEEDS / "articles.csv")
    assert not records and len(problems) == 1
    assert problems[0].line == 1 and "no column 'text'" in problems[0].error and "headline" in problems[0].error


def test_tsv_and_jsonl_ids_and_kept_fields():
    records, _ = read(FEEDS / "articles.tsv", keep_fields=("source",))
    assert [(r.id, r.fields["source"]) for r in records] == [("tsv-001", "wire"), ("tsv-002", "local"),
                                                             ("tsv-003", "wire")]
    records, _ = read(FEEDS / "articles.jsonl", title_field="title", keep_fields=("lang", "missing"))
    assert [r.id for r in records] == ["jl-001", "jl-002", "jl-003"]
    assert records[0].title == "Drone attack claims" and not records[0].text.startswith("Drone attack claims")
    assert records[2].text.startswith("Farmers")
    assert records[0].fields == {"lang": "en", "missing": None}


def test_jsonl_derived_ids_are_file_and_line(tmp_path):
    data = tmp_path / "docs.ndjson"
    data.write_text('\n{"text": "One."}\n{"text": "Two.", "id": 7}\n')
    records, _ = read(data)
    assert [r.id for r in records] == [f"{data}:2", "7"]


def test_gzip_jsonl_streams(tmp_path):
    data = tmp_path / "docs.jsonl.gz"
    with gzip.open(data, "wt") as handle:
        handle.write('{"id": "z", "text": "Officials declined to comment."}\n')
    assert format_of(data) == "jsonl"
    records, _ = read(data)
    assert [r.id for r in records] == ["z"]


def test_parquet_rows_in_batches(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in (FEEDS / "articles.jsonl").read_text().splitlines()]
    rows.append({"id": None, "text": None, "lang": "en", "published": "2024-03-03", "title": None})
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "docs.parquet", row_group_size=2)
    records, problems = split(list(read_path(tmp_path / "docs.parquet", "auto", ReadOptions(keep_fields=("lang",)))))
    assert [(r.id, r.line, r.fields) for r in records] == [("jl-001", 1, {"lang": "en"}), ("jl-002", 2, {"lang": "en"}),
                                                           ("jl-003", 3, {"lang": "en"})]
    assert [(p.line, p.id) for p in problems] == [(4, f"{tmp_path / 'docs.parquet'}:4")]
    missing = split(list(read_path(tmp_path / "docs.parquet", "auto", ReadOptions(text_field="body"))))[1]
    assert "no column 'body'" in missing[0].error


def test_saved_hugging_face_dataset_every_split_or_one(tmp_path):
    datasets = pytest.importorskip("datasets")
    rows = [json.loads(line) for line in (FEEDS / "articles.jsonl").read_text().splitlines()]
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows[:2]),
                          "test": datasets.Dataset.from_list(rows[2:])}).save_to_disk(str(tmp_path / "hf"))
    records, problems = split(list(read_hf_dataset(tmp_path / "hf", ReadOptions(keep_fields=("published",)))))
    assert not problems
    assert [r.id for r in records] == ["jl-001", "jl-002", "jl-003"]
    assert records[2].source == f"{tmp_path / 'hf'}/test" and records[2].fields == {"published": "2024-03-02"}
    only = split(list(read_hf_dataset(tmp_path / "hf", ReadOptions(id_field="lang"), split="test")))[0]
    assert [r.id for r in only] == ["en"]


def test_folder_is_read_recursively_in_sorted_order_skipping_unknown_files():
    records, problems = read(FEEDS / "texts")
    assert not problems
    assert [r.id for r in records] == ["texts/kremlin_briefing.txt", "texts/2024-03/notes.md",
                                       "texts/2024-03/shelling.txt"]
    assert records[0].text.startswith("Spokesman dismisses reports of mobilisation\n")


@pytest.mark.parametrize("data, fmt", [
    (b'{"text": "Hello."}\n', "jsonl"),
    (b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
    (b"<html><body><p>Hi</p></body></html>", "html"),
    (b"Officials declined to comment.", "text"),
])
def test_sniffing_standard_input(data, fmt):
    assert sniff_format(data) == fmt


def test_stdin_jsonl_feed_and_text():
    records, _ = split(list(read_stdin(io.BytesIO(b'{"id": "x", "text": "Hello there."}\n'))))
    assert [r.id for r in records] == ["x"]
    records, _ = split(list(read_stdin(io.BytesIO((FEEDS / "conflict.atom").read_bytes()))))
    assert len(records) == 3
    records, _ = split(list(read_stdin(io.BytesIO(b"Officials declined to comment."))))
    assert [(r.id, r.source) for r in records] == [("stdin", "<stdin>")]


def test_html_to_text_puts_blocks_on_lines_and_drops_scripts():
    markup = "<p>One &amp; two</p><div>Three<br>four <script>evil()</script><b>five</b></div>tail"
    assert html_to_text(markup) == "One & two\nThree\nfour five\ntail"
    assert html_to_text("plain   text") == "plain text"


# ---------------------------------------------------------------------------------------------- malformed records


def test_every_kind_of_bad_jsonl_line_is_a_problem_and_reading_goes_on(tmp_path):
    data = tmp_path / "bad.jsonl"
    huge = json.dumps({"id": "huge", "text": "x" * 3000})
    data.write_bytes(b"\n".join([
        b'{"id": "ok-1", "text": "Officials declined to comment."}',
        b'{"id": "broken", "text": ',
        b'["not", "an", "object"]',
        b'{"id": "no-text", "body": "x"}',
        b'{"id": "blank", "text": "   "}',
        b'{"id": "number", "text": 42}',
        b'{"id": "latin1", "text": "caf\xe9"}',
        huge.encode(),
        b'{"id": "long", "text": "' + b"y" * 150 + b'"}',
        b'{"id": "ok-2", "text": "It rained."}',
    ]) + b"\n")
    records, problems = read(data, max_chars=100)
    assert [r.id for r in records] == ["ok-1", "ok-2"]
    found = {p.line: p.error for p in problems}
    assert sorted(found) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert found[2].startswith("malformed JSON")
    assert found[3] == "expected a JSON object, found list"
    assert found[4] == found[5] == "missing or empty string field 'text'"
    assert found[6].startswith("string field 'text' is int")
    assert found[7].startswith("not UTF-8 text")
    assert found[8].startswith("oversized record")  # line over the byte cap: skipped unread
    assert found[9].startswith("oversized record: 150 characters")
    assert all(p.source == str(data) for p in problems)
    assert {p.line: p.id for p in problems}[9] == "long"


def test_line_cap_keeps_oversized_lines_out_of_memory(tmp_path):
    data = tmp_path / "big.jsonl"
    data.write_text('{"text": "' + "z" * (3 << 20) + '"}\n{"id": "after", "text": "Fine."}\n')
    records, problems = read(data, max_chars=1000)  # the cap is 1 MiB: the 3 MiB line is never held whole
    assert [r.id for r in records] == ["after"] and problems[0].line == 1


def test_bad_csv_rows(tmp_path):
    data = tmp_path / "bad.csv"
    data.write_bytes(b"id,text\n1,Fine text.\n2,caf\xe9\n3,a,b\n4,\n5," + b"w" * 50 + b"\n6,Also fine.\n")
    records, problems = read(data, max_chars=20)
    assert [r.id for r in records] == ["1", "6"]
    found = {p.line: p.error for p in problems}
    assert found[3].startswith("not UTF-8") and found[4].startswith("malformed row: 3 fields")
    assert found[5].startswith("missing or empty") and found[6].startswith("oversized record")


@pytest.mark.parametrize("content, message", [
    (b"", "empty input"),
    (b"  \n ", "empty input"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"z" * 500, "oversized record"),
])
def test_bad_text_files(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    records, problems = read(bad, max_chars=100)
    assert not records and message in problems[0].error and problems[0].source == str(bad)


def test_bad_feed_parquet_and_missing_file(tmp_path):
    (tmp_path / "empty.xml").write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title>'
                                        '</channel></rss>')
    (tmp_path / "junk.atom").write_text("{this is not xml")
    (tmp_path / "fake.parquet").write_bytes(b"PAR1 not really")
    for name, message in [("empty.xml", "a feed without entries"), ("junk.atom", "not a valid RSS/Atom feed"),
                          ("fake.parquet", "not a Parquet file"), ("missing.jsonl", "no such file")]:
        records, problems = read(tmp_path / name)
        assert not records and message in problems[0].error, problems
    (tmp_path / "broken.rss").write_text('<rss version="2.0"><channel>\n<item><title>Officials declined to comment'
                                         '</title></item>\n<item><title>two</channel></rss>')
    records, problems = read(tmp_path / "broken.rss")  # feedparser recovers entries; the breakage is reported
    assert [(r.title, r.text) for r in records] == [("Officials declined to comment", "")]  # a title and no body
    assert problems[0].error == "malformed XML (mismatched tag); 2 entries recovered"
    assert problems[1].error == "entry 2: missing or empty title and text"


def test_read_inputs_chains_files_and_stdin():
    items = list(read_inputs([str(FEEDS / "articles.tsv"), "-"], stdin=io.BytesIO(b'{"id": "s", "text": "Hi."}\n')))
    assert [i.id for i in items] == ["tsv-001", "tsv-002", "tsv-003", "s"]


# ---------------------------------------------------------------------------------------------- hostile documents

LAUGHS = '<!DOCTYPE {root} [\n<!ENTITY lol "lol">\n' + "".join(
    f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">\n' for i in range(1, 10)) + "]>\n"
QUADRATIC = '<!DOCTYPE rss [\n<!ENTITY a "' + "A" * 100_000 + '">\n]>\n'


def hostile_documents(folder: Path, target: str) -> dict[str, str]:
    """Feeds and pages that try to read ``target`` (a local file or URL) through external entities, or to blow up
    by entity expansion."""
    system = f'<!ENTITY xxe SYSTEM "{target}">'
    parameter = f'<!ENTITY % remote SYSTEM "{target}">\n%remote;'
    documents = {
        "xxe.rss": f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{system}\n{parameter}\n]>\n<rss version="2.0"><channel>'
                   "<title>&xxe;</title><item><guid>x1</guid><title>Officials declined &xxe; to comment</title>"
                   "<description>The ministry said &xxe; 40 militants were killed.</description></item>"
                   "</channel></rss>",
        "xxe.atom": f'<?xml version="1.0"?>\n<!DOCTYPE feed [{system}]>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                    "<title>t</title><entry><id>x2</id><title>&xxe;</title><content type=\"html\">Officials said "
                    "&amp;xxe; and &xxe; nothing.</content></entry></feed>",
        "xxe.html": f"<!DOCTYPE html [{system}]>\n<html><head><title>Strike &xxe;</title></head><body><article>"
                    "<h1>Strike</h1><p>Officials declined to comment on &xxe; the reports of the strike near the "
                    "river crossing on Sunday evening.</p><p>A second paragraph gives enough words for the page "
                    "to count as an article with a main text.</p></article></body></html>",
        "laughs.rss": LAUGHS.format(root="rss") + '<rss version="2.0"><channel><title>t</title><item><guid>l1</guid>'
                      "<title>Laughs &lol9;</title><description>Officials said &lol9; nothing.</description></item>"
                      "</channel></rss>",
        "laughs.html": LAUGHS.format(root="html") + "<html><head><title>&lol9;</title></head><body><article><p>"
                       "Officials declined to comment on &lol9; the reports of the strike near the river.</p><p>More "
                       "words so that the page has a main text worth extracting here.</p></article></body></html>",
        "quadratic.rss": QUADRATIC + '<rss version="2.0"><channel><title>t</title><item><guid>q1</guid><title>Q'
                         "</title><description>" + "&a;" * 50_000 + "</description></item></channel></rss>",
    }
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    return documents


def test_external_entities_read_no_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7f3a9c")
    hostile_documents(tmp_path, secret.as_uri())
    (tmp_path / "path.rss").write_text(str(tmp_path / "xxe.rss"))  # feedparser would open bytes naming a file
    outputs = []
    for name in ("xxe.rss", "xxe.atom", "xxe.html", "path.rss"):
        records, problems = read(tmp_path / name)
        outputs.append(repr(records) + repr(problems))
        assert records or name == "path.rss"
        assert not any("x1" == r.id for r in records) or name == "xxe.rss"
    assert "TOPSECRET" not in "".join(outputs)
    records, problems = read(tmp_path / "path.rss")
    assert not records  # its content is a path, not a feed: that file is not read in its place
    from click.testing import CliRunner

    from framewatch.cli import main

    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["score", "-q", "-m", "lexical", "--with-text", "-o", str(out),
                                       *(str(tmp_path / n) for n in ("xxe.rss", "xxe.atom", "xxe.html", "path.rss"))])
    assert result.exit_code == 0, result.output
    written = out.read_text() + (tmp_path / "out.jsonl.errors.jsonl").read_text() + result.output
    assert "TOPSECRET" not in written and "x1" in written


def test_external_entities_make_no_network_request(tmp_path):
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    try:
        hostile_documents(tmp_path, f"http://127.0.0.1:{server.getsockname()[1]}/secret.dtd")
        for name in ("xxe.rss", "xxe.atom", "xxe.html"):
            read(tmp_path / name)
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected
    finally:
        server.close()


def test_entity_expansion_is_bounded_in_time_and_memory(tmp_path):
    """Billion laughs and quadratic blowup, read under a 1.5 GB address-space limit: each in well under 5 s."""
    import subprocess
    import sys

    hostile_documents(tmp_path, "file:///dev/null")
    code = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from framewatch.io.readers import read_path
from framewatch.io.records import Record
result = {}
for name in sys.argv[1:]:
    started = time.perf_counter()
    items = list(read_path(name))
    texts = [i.text + (i.title or "") for i in items if isinstance(i, Record)]
    result[name] = [time.perf_counter() - started, max(map(len, texts), default=0), [str(i) for i in items
                                                                                     if not isinstance(i, Record)]]
print(json.dumps(result))
"""
    names = [str(tmp_path / n) for n in ("laughs.rss", "laughs.html", "quadratic.rss")]
    done = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    for name, (seconds, longest, problems) in json.loads(done.stdout).items():
        assert seconds < 5, (name, seconds)
        assert longest < 200_000, (name, longest)  # nothing expanded: the text is about as long as the file
        assert not any("MemoryError" in p or "too large" in p for p in problems), problems


def test_short_entity_literals_still_work_and_wide_declarations_are_refused(tmp_path):
    feed = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n<!ENTITY co "ACME">\n]>\n'
            '<rss version="2.0"><channel><title>t</title><item><guid>e1</guid><title>Officials&nbsp;declined &co;'
            '</title><description>Officials declined to comment.</description></item></channel></rss>')
    (tmp_path / "ok.rss").write_text(feed)
    records, problems = read(tmp_path / "ok.rss")
    assert [r.title for r in records] == ["Officials declined ACME"] and not problems  # (no-break space folded)
    (tmp_path / "wide.rss").write_bytes(b"\xff\xfe" + feed.encode("utf-16-le"))
    records, problems = read(tmp_path / "wide.rss")
    assert not records and "refused" in problems[0].error
