"""``framewatch score`` end to end: every input and output format, filters, the errors file, resuming after a
SIGKILL, workers, and the library helpers ``score_iter`` and ``batch_scorer``.

Tests compare runs with each other (resumed vs uninterrupted, CSV vs JSONL, 2 workers vs 1) rather than fixed
scores, so they hold whichever model is the shipped default.
"""
import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import framewatch
from framewatch.cli import main
from framewatch.data.corpus import CORPUS_DIR, LEGACY_SHARD
from framewatch.data.taxonomy import LABELS
from framewatch.io.state import IdSet, UniqueIds
from tests.conftest import ROOT

FEEDS = Path(__file__).with_name("fixtures") / "feeds"


@pytest.fixture
def runner():
    return CliRunner()


def score(runner, *args, input=None):
    result = runner.invoke(main, ["score", "--quiet", *map(str, args)], input=input)
    return result


def rows_of(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def corpus_jsonl(path: Path, n: int, max_chars: int = 1500) -> Path:
    """The first ``n`` corpus documents (cut to ``max_chars``) as JSONL with their ids."""
    with gzip.open(CORPUS_DIR / LEGACY_SHARD, "rt", encoding="utf-8") as corpus, open(path, "w", encoding="utf-8") as out:
        for _, line in zip(range(n), corpus):
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["doc_id"], "text": doc["text"][:max_chars]}) + "\n")
    return path


# ---------------------------------------------------------------------------------------------- inputs


@pytest.mark.parametrize("name, args, ids", [
    ("world.rss", [], ["fw-world-20240305-001", "fw-world-20240305-002", "fw-world-20240305-003"]),
    ("conflict.atom", [], ["tag:efm.example,2024:morale-0306", "tag:efm.example,2024:hospital-0306",
                           "tag:efm.example,2024:snow-0306"]),
    ("article.html", [], ["article.html"]),
    ("articles.csv", ["--text-field", "body", "--id-field", "url", "--title-field", "headline"],
     ["https://example-news.test/2024/02/11/bridge", "https://example-news.test/2024/02/11/market",
      "https://example-news.test/2024/02/12/losses"]),
    ("articles.tsv", [], ["tsv-001", "tsv-002", "tsv-003"]),
    ("articles.jsonl", [], ["jl-001", "jl-002", "jl-003"]),
    ("articles.jsonl", ["--title-field", "title"], ["jl-001", "jl-002", "jl-003"]),
    ("texts", [], ["texts/kremlin_briefing.txt", "texts/2024-03/notes.md", "texts/2024-03/shelling.txt"]),
])
def test_each_input_format_scores_with_valid_evidence_offsets(runner, tmp_path, name, args, ids):
    out = tmp_path / "out.jsonl"
    result = score(runner, FEEDS / name, "-o", out, "--with-text", *args)
    assert result.exit_code == 0, result.output
    rows = rows_of(out)
    assert [row["id"] for row in rows] == ids
    for row in rows:
        assert list(row["scores"]) == list(LABELS) and set(row["labels"]) <= set(LABELS)
        assert row["n_sentences"] >= 1
        for evidence in row["evidence"]:  # offsets index the text the user holds: the body, or the title
            held = row["title"] if evidence.get("field") == "title" else row["text"]
            assert held[evidence["start"]:evidence["end"]] == evidence["text"]


@pytest.mark.parametrize("name, args, body_of", [
    ("articles.csv", ["--text-field", "body", "--id-field", "url", "--title-field", "headline"], "body"),
    ("articles.jsonl", ["--title-field", "title"], "text"),
    ("world.rss", [], None),
    ("article.html", [], None),
])
def test_evidence_offsets_index_the_body_and_the_title_apart(runner, tmp_path, name, args, body_of):
    """Titles are scored first but not glued to the text: the body column keeps its offsets, and title evidence
    says so and indexes the title."""
    model = "lexical"  # fast, and it finds evidence in these titles
    out = tmp_path / "out.jsonl"
    result = score(runner, FEEDS / name, "-o", out, "--with-text", "-m", model, *args)
    assert result.exit_code == 0, result.output
    rows = rows_of(out)
    source = {}
    if body_of:  # the body the user holds is the input column itself, not a copy framewatch made
        if name.endswith(".csv"):
            import csv

            with open(FEEDS / name, encoding="utf-8", newline="") as handle:
                source = {r["url"]: r for r in csv.DictReader(handle)}
        else:
            source = {r["id"]: r for r in rows_of(FEEDS / name)}
    fields = set()
    for row in rows:
        if source:
            assert row["text"] == source[row["id"]][body_of]
        for evidence in row["evidence"]:
            fields.add(evidence.get("field"))
            held = row["title"] if evidence.get("field") == "title" else row["text"]
            assert held[evidence["start"]:evidence["end"]] == evidence["text"]
            assert 0 <= evidence["start"] < evidence["end"] <= len(held)
    if name != "article.html":  # the page's text opens with its headline, so it has no separate title
        assert "title" in fields, "no evidence in a title: the test would not check title offsets"
    assert None in fields
    passages = tmp_path / "passages.jsonl"
    assert score(runner, FEEDS / name, "-o", passages, "--passages", "-m", model, *args).exit_code == 0
    by_id = {row["id"]: row for row in rows}
    for passage in rows_of(passages):
        row = by_id[passage["id"]]
        held = row["title"] if passage.get("field") == "title" else row["text"]
        assert held[passage["start"]:passage["end"]] == passage["text"]
        assert passage.get("field") in (None, "title")
    if name == "world.rss":  # CSV passages get a "field" column; Parquet always has one (null for the body)
        import csv

        import pyarrow.parquet as pq

        assert score(runner, FEEDS / name, "-o", tmp_path / "p.csv", "--passages", "-m", model).exit_code == 0
        with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
            table = list(csv.DictReader(handle))
        assert [r["field"] for r in table] == [p.get("field", "") for p in rows_of(passages)]
        assert score(runner, FEEDS / name, "-o", tmp_path / "p.parquet", "--passages", "-m", model).exit_code == 0
        assert pq.read_table(tmp_path / "p.parquet").column("field").to_pylist() == [
            p.get("field") for p in rows_of(passages)]
    for row in rows:  # the document score is still the maximum over title and body sentences
        mine = [p for p in rows_of(passages) if p["id"] == row["id"]]
        assert len(mine) == row["n_sentences"]
        for label in LABELS:
            assert row["scores"][label] == pytest.approx(max(p["scores"][label] for p in mine), abs=1e-4)


ENCODED = ("Officials in the régional administration declined to comment on the “report” — a claim that could "
           "not be independently verified.\nThe ministry said 40 militants were killed in the strikes by the café.\n")


@pytest.mark.parametrize("bom, codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                        (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                                        (b"\x00\x00\xfe\xff", "utf-32-be")])
def test_text_with_a_byte_order_mark_is_decoded_and_offsets_skip_the_mark(runner, tmp_path, bom, codec):
    data = tmp_path / "doc.txt"
    data.write_bytes(bom + ENCODED.encode(codec))
    out = tmp_path / "out.jsonl"
    result = score(runner, data, "-o", out, "--with-text", "-m", "lexical")
    assert result.exit_code == 0, result.output  # not "binary file" for UTF-16/32
    [row] = rows_of(out)
    assert row["text"] == ENCODED and row["evidence"]
    for evidence in row["evidence"]:
        assert ENCODED[evidence["start"]:evidence["end"]] == evidence["text"]
    piped = score(runner, "-", "--with-text", "-m", "lexical", input=bom + ENCODED.encode(codec))  # stdin too
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout)["evidence"] == row["evidence"]


def test_a_cp1252_file_needs_encoding_and_reads_with_a_codec_or_auto(runner, tmp_path):
    data = tmp_path / "legacy.txt"
    data.write_bytes(ENCODED.encode("cp1252"))
    out = tmp_path / "out.jsonl"
    result = score(runner, data, "-o", out, "-m", "lexical")
    assert result.exit_code == 1 and "nothing could be scored" in result.output
    [error] = rows_of(tmp_path / "out.jsonl.errors.jsonl")
    assert error["source"] == str(data) and "not UTF-8" in error["error"] and "--encoding" in error["error"]
    for encoding in ("cp1252", "auto"):
        result = score(runner, data, "-o", tmp_path / f"{encoding}.jsonl", "--with-text", "-m", "lexical",
                       "--encoding", encoding)
        assert result.exit_code == 0, result.output
        [row] = rows_of(tmp_path / f"{encoding}.jsonl")
        assert row["text"] == ENCODED and not (tmp_path / f"{encoding}.jsonl.errors.jsonl").exists()
    result = score(runner, data, "--encoding", "no-such-codec")
    assert result.exit_code == 1 and "unknown --encoding 'no-such-codec'" in result.output


def test_encoding_applies_to_csv_and_jsonl_and_utf16_csv_is_transcoded(runner, tmp_path):
    table = tmp_path / "table.csv"
    table.write_bytes(("id,text\na," + ENCODED.replace("\n", " ").strip() + "\n").encode("cp1252"))
    lines = tmp_path / "lines.jsonl"
    lines.write_bytes(json.dumps({"id": "b", "text": ENCODED}, ensure_ascii=False).encode("cp1252") + b"\n")
    result = score(runner, table, lines, "-o", tmp_path / "default.jsonl", "-m", "lexical")
    assert result.exit_code == 1 and "--encoding" in result.output  # both rows are reported, naming the option
    result = score(runner, table, lines, "-o", tmp_path / "out.jsonl", "-m", "lexical", "--with-text",
                   "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["text"]) for r in rows_of(tmp_path / "out.jsonl")] == [
        ("a", ENCODED.replace("\n", " ").strip()), ("b", ENCODED)]
    excel = tmp_path / "excel.csv"  # spreadsheets save "Unicode text" as UTF-16 with a BOM
    excel.write_bytes(b"\xff\xfe" + "id,text\nx,Officials declined to comment.\n".encode("utf-16-le"))
    result = score(runner, excel, "-o", tmp_path / "excel.jsonl", "-m", "lexical", "--with-text")
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["text"]) for r in rows_of(tmp_path / "excel.jsonl")] == [
        ("x", "Officials declined to comment.")]


def test_parquet_and_saved_dataset_inputs(runner, tmp_path):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = rows_of(FEEDS / "articles.jsonl")
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    datasets.Dataset.from_list(records).save_to_disk(str(tmp_path / "hf"))
    assert score(runner, tmp_path / "in.parquet", "-o", tmp_path / "a.jsonl", "--keep-fields", "lang").exit_code == 0
    result = score(runner, "--hf-dataset", tmp_path / "hf", "-o", tmp_path / "b.jsonl", "--keep-fields", "lang")
    assert result.exit_code == 0, result.output
    assert rows_of(tmp_path / "a.jsonl") == rows_of(tmp_path / "b.jsonl")
    assert [row["lang"] for row in rows_of(tmp_path / "a.jsonl")] == ["en"] * 3
    assert score(runner, FEEDS / "articles.jsonl", "--hf-dataset", tmp_path / "hf").exit_code == 2


def test_stdin_and_several_inputs_together(runner, tmp_path):
    result = score(runner, FEEDS / "articles.tsv", "-", input=(FEEDS / "world.rss").read_text())
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids[:3] == ["tsv-001", "tsv-002", "tsv-003"] and ids[3] == "fw-world-20240305-001"
    assert "entry 4" in result.stderr  # problems are warnings on stderr when writing to stdout


# ---------------------------------------------------------------------------------------------- outputs


def test_csv_and_parquet_outputs_hold_the_jsonl_rows(runner, tmp_path):
    import csv

    import pyarrow.parquet as pq

    args = [FEEDS / "world.rss", FEEDS / "conflict.atom"]
    assert score(runner, *args, "-o", tmp_path / "out.jsonl").exit_code == 0
    assert score(runner, *args, "-o", tmp_path / "out.csv").exit_code == 0
    assert score(runner, *args, "-o", tmp_path / "out.data", "--to", "parquet").exit_code == 0
    expected = rows_of(tmp_path / "out.jsonl")
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [r["id"] for r in table] == [r["id"] for r in expected]
    assert list(table[0])[:4] == ["id", "title", "link", "published"]
    for got, want in zip(table, expected):
        assert [float(got[label]) for label in LABELS] == [want["scores"][label] for label in LABELS]
        assert got["labels"] == ";".join(want["labels"]) and json.loads(got["evidence"]) == want["evidence"]
    parquet = pq.read_table(tmp_path / "out.data").to_pylist()
    for row in parquet:  # every Parquet file has the evidence "field" column: null for the text's sentences
        for evidence in row["evidence"]:
            if evidence["field"] is None:
                del evidence["field"]
    assert parquet == expected
    assert any(e.get("field") == "title" for row in expected for e in row["evidence"])
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*tmp"))


def test_csv_to_stdout_and_passages_to_tsv(runner, tmp_path):
    import csv

    result = score(runner, FEEDS / "articles.tsv", "--to", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(result.stdout.splitlines()))
    assert [row["id"] for row in table] == ["tsv-001", "tsv-002", "tsv-003"]
    assert score(runner, FEEDS / "articles.tsv", "--passages", "-o", tmp_path / "p.tsv").exit_code == 0
    with open(tmp_path / "p.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0])[:5] == ["id", "sentence", "start", "end", "text"] and len(rows) == 3


def test_passages_rows_cover_every_sentence(runner, tmp_path):
    assert score(runner, FEEDS / "article.html", "-o", tmp_path / "docs.jsonl", "--with-text").exit_code == 0
    assert score(runner, FEEDS / "article.html", "-o", tmp_path / "sents.jsonl", "--passages").exit_code == 0
    doc = rows_of(tmp_path / "docs.jsonl")[0]
    sentences = rows_of(tmp_path / "sents.jsonl")
    assert [s["sentence"] for s in sentences] == list(range(doc["n_sentences"]))
    for sentence in sentences:
        assert doc["text"][sentence["start"]:sentence["end"]] == sentence["text"] and sentence["id"] == doc["id"]
    for label in LABELS:  # the document score is the highest sentence score
        assert doc["scores"][label] == pytest.approx(max(s["scores"][label] for s in sentences), abs=1e-4)


def test_labels_and_min_score_filters(runner, tmp_path):
    args = [FEEDS / "world.rss", FEEDS / "conflict.atom", FEEDS / "articles.tsv"]
    assert score(runner, *args, "-o", tmp_path / "all.jsonl").exit_code == 0
    every = rows_of(tmp_path / "all.jsonl")
    picked = ["official_denial", "verification_gap"]
    result = score(runner, *args, "-o", tmp_path / "some.jsonl", "--labels", ",".join(picked), "--min-score", "0.5")
    assert result.exit_code == 0, result.output
    some = rows_of(tmp_path / "some.jsonl")
    expected = [r["id"] for r in every if max(r["scores"][l] for l in picked) >= 0.5]
    assert [r["id"] for r in some] == expected
    for row in some:
        assert list(row["scores"]) == picked and set(row["labels"]) <= set(picked)
        assert all(set(e["labels"]) <= set(picked) and e["labels"] for e in row["evidence"])
    result = score(runner, *args, "--labels", "nonsense")
    assert result.exit_code == 1 and "unknown label 'nonsense'" in result.output


def test_keep_fields_cannot_shadow_output_keys(runner):
    result = score(runner, FEEDS / "articles.jsonl", "--keep-fields", "scores")
    assert result.exit_code == 1 and "--keep-fields 'scores'" in result.output


def test_repeated_ids_are_renamed_in_input_order(runner, tmp_path):
    data = tmp_path / "dup.jsonl"
    data.write_text("".join(json.dumps({"id": i, "text": f"Report number {n}."}) + "\n"
                            for n, i in enumerate(["a", "a#2", "a", "b", "a"])))
    assert score(runner, data, "-o", tmp_path / "out.jsonl").exit_code == 0
    assert [r["id"] for r in rows_of(tmp_path / "out.jsonl")] == ["a", "a#2", "a#3", "b", "a#4"]
    unique = UniqueIds()
    assert [unique(i) for i in ["x", "x", "x#2", "x"]] == ["x", "x#2", "x#2#2", "x#3"]


# ---------------------------------------------------------------------------------------------- errors


def test_problems_go_to_the_errors_file_and_the_run_goes_on(runner, tmp_path):
    data = tmp_path / "mixed.jsonl"
    data.write_bytes(b'{"id": "ok", "text": "Officials declined to comment."}\n{"id": "cut", "te\n'
                     b'{"id": "nul", "text": "caf\xe9"}\n{"id": "empty", "text": ""}\n'
                     b'{"id": "big", "text": "' + b"x" * 300 + b'"}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["score", str(data), "-o", str(out), "--max-chars", "200"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in rows_of(out)] == ["ok"]
    errors = rows_of(tmp_path / "out.jsonl.errors.jsonl")
    assert [(e["source"], e["line"], e["id"]) for e in errors] == [
        (str(data), 2, None), (str(data), 3, None), (str(data), 4, "empty"), (str(data), 5, "big")]
    assert [e["error"].split(" ")[0] for e in errors] == ["malformed", "not", "missing", "oversized"]
    assert "1 documents" in result.output and "4 problems" in result.output


def test_custom_errors_path_and_stale_errors_file_removed(runner, tmp_path):
    errors = tmp_path / "logs" / "bad.jsonl"
    assert score(runner, FEEDS / "world.rss", "-o", tmp_path / "out.jsonl", "--errors", errors).exit_code == 0
    assert rows_of(errors)[0]["error"].startswith("entry 4")
    default = tmp_path / "out.jsonl.errors.jsonl"
    default.write_text("stale\n")
    assert score(runner, FEEDS / "articles.tsv", "-o", tmp_path / "out.jsonl").exit_code == 0
    assert not default.exists()  # a clean run leaves no errors file, not even an old one


def test_nothing_scored_exits_non_zero_and_writes_no_output(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n{"id": 2, "text": ""}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["score", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert f"nothing could be scored: {bad}:1: missing or empty string field 'text'" in result.output
    assert not out.exists() and len(rows_of(tmp_path / "out.jsonl.errors.jsonl")) == 2
    assert not list(tmp_path.glob("*.partial"))


def test_fail_fast_stops_at_the_first_problem(runner, tmp_path):
    result = score(runner, FEEDS / "articles.tsv", FEEDS / "world.rss", "-o", tmp_path / "out.jsonl", "--fail-fast",
                   "--batch-size", "1")
    assert result.exit_code == 1
    assert f"{FEEDS / 'world.rss'}: entry 4: missing or empty title and text" in result.output
    assert not (tmp_path / "out.jsonl").exists()
    assert len(rows_of(tmp_path / "out.jsonl.partial")) == 6  # committed batches stay for --resume


def test_existing_partial_needs_resume_and_stdout_cannot_resume(runner, tmp_path):
    (tmp_path / "out.jsonl.partial").write_text("")
    result = score(runner, FEEDS / "articles.tsv", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 1 and "pass --resume" in result.output and "out.jsonl.partial" in result.output
    result = score(runner, FEEDS / "articles.tsv", "--resume")
    assert result.exit_code == 1 and "--resume needs -o" in result.output


# ---------------------------------------------------------------------------------------------- resume


def test_sigkill_midway_then_resume_matches_an_uninterrupted_run(runner, tmp_path):
    data = corpus_jsonl(tmp_path / "corpus.jsonl", 160, 600).read_bytes()
    lines = data.splitlines(keepends=True)
    full = tmp_path / "full.jsonl"
    assert score(runner, "-", "-o", full, input=data).exit_code == 0

    # The run reads standard input, and the test holds back the second half: the process cannot finish, so the
    # SIGKILL lands midway whatever the model's speed.
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    command = [sys.executable, "-m", "framewatch", "score", "-", "-o", str(out), "--batch-size", "4", "-q"]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    process.stdin.write(b"".join(lines[:80]))
    process.stdin.flush()
    deadline = time.monotonic() + 120
    while not (partial.exists() and partial.read_bytes().count(b"\n") >= 40):
        assert process.poll() is None, f"framewatch score stopped: {process.stderr.read()!r}"
        assert time.monotonic() < deadline, "no rows committed in time"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdin.close()
    assert not out.exists()  # the final path never exists half-written
    committed = partial.read_bytes().count(b"\n")
    assert 40 <= committed <= 80

    result = score(runner, "-", "-o", out, "--resume", input=data)
    assert result.exit_code == 0, result.output
    assert not partial.exists()
    resumed, uninterrupted = rows_of(out), rows_of(full)
    assert len({r["id"] for r in resumed}) == len(resumed) == len(lines)  # no duplicates, no gaps
    assert resumed == uninterrupted


def test_killed_while_scoring_a_file_leaves_only_the_partial(tmp_path):
    data = corpus_jsonl(tmp_path / "corpus.jsonl", 400, 800)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "framewatch", "score", str(data), "-o", str(out), "--batch-size", "2", "-q"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = tmp_path / "out.jsonl.partial"
    deadline = time.monotonic() + 120
    while not (partial.exists() and partial.stat().st_size) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if process.returncode != -signal.SIGKILL:
        pytest.skip("the run finished before it could be killed")
    assert not out.exists() and partial.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl", "out.jsonl.errors.jsonl.partial",
                                                          "out.jsonl.partial"]


def test_resume_drops_a_torn_line_and_logs_no_problem_twice(runner, tmp_path):
    data = tmp_path / "docs.jsonl"
    data.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Officials declined to comment on report {i}."})
                            + "\n" for i in range(10)) + "{broken\n")
    full = tmp_path / "full.jsonl"
    assert score(runner, data, "-o", full).exit_code == 0
    lines = full.read_text().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    Path(f"{out}.partial").write_text("".join(lines[:4]) + lines[4][:25])  # killed mid-write
    Path(f"{out}.errors.jsonl.partial").write_text((tmp_path / "full.jsonl.errors.jsonl").read_text())
    result = score(runner, data, "-o", out, "--resume")
    assert result.exit_code == 0, result.output
    assert out.read_text() == full.read_text()
    assert len(rows_of(f"{out}.errors.jsonl")) == 1


def test_resume_in_passages_mode_redoes_the_last_document(runner, tmp_path):
    full = tmp_path / "full.jsonl"
    assert score(runner, FEEDS / "texts", "-o", full, "--passages").exit_code == 0
    rows = full.read_text().splitlines(keepends=True)
    first_doc = sum(1 for line in rows if json.loads(line)["id"] == "texts/kremlin_briefing.txt")
    out = tmp_path / "out.jsonl"
    Path(f"{out}.partial").write_text("".join(rows[: first_doc + 1]))  # one sentence of the second document
    assert score(runner, FEEDS / "texts", "-o", out, "--passages", "--resume").exit_code == 0
    assert out.read_text() == full.read_text()
    Path(f"{out}.partial").write_text("".join(rows[:2]))
    result = score(runner, FEEDS / "texts", "-o", out, "--resume")  # document mode over a passages partial
    assert result.exit_code == 1 and "--passages" in result.output


def test_resume_to_csv_output(runner, tmp_path):
    data = corpus_jsonl(tmp_path / "c.jsonl", 30, 300)
    assert score(runner, data, "-o", tmp_path / "full.csv").exit_code == 0
    assert score(runner, data, "-o", tmp_path / "first.jsonl").exit_code == 0
    Path(tmp_path / "out.csv.partial").write_text("".join(
        (tmp_path / "first.jsonl").read_text().splitlines(keepends=True)[:12]))
    assert score(runner, data, "-o", tmp_path / "out.csv", "--resume").exit_code == 0
    assert (tmp_path / "out.csv").read_text() == (tmp_path / "full.csv").read_text()


# ---------------------------------------------------------------------------------------------- workers, library


def test_two_workers_give_the_same_output_in_the_same_order(runner, tmp_path):
    data = corpus_jsonl(tmp_path / "c.jsonl", 40, 600)
    assert score(runner, data, "-o", tmp_path / "one.jsonl", "--batch-size", "5").exit_code == 0
    result = score(runner, data, "-o", tmp_path / "two.jsonl", "--batch-size", "5", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "one.jsonl").read_text() == (tmp_path / "two.jsonl").read_text()


def test_score_iter_is_lazy_and_matches_the_model():
    model = framewatch.load()
    texts = ["Officials declined to comment on the reports.", "It rained in the capital."]
    pulled = []

    def source():
        for text in texts + [{"id": "x", "text": "A source who requested anonymity said the talks failed."}]:
            pulled.append(text)
            yield text

    rows = framewatch.score_iter(source(), model, batch_size=1)
    first = next(rows)
    assert len(pulled) <= 2  # streaming: it has not read the whole input
    rest = list(rows)
    assert [first["id"]] + [r["id"] for r in rest] == ["0", "1", "x"]
    assert first["scores"] == model.score_document(texts[0]).scores
    with pytest.raises(framewatch.InputError, match="record 1: missing or empty"):
        list(framewatch.score_iter(["fine", {"text": None}], model))
    problems = []
    assert len(list(framewatch.score_iter(["fine", {"text": ""}], model, on_error=problems.append))) == 1
    assert problems[0].line == 1
    sentences = list(framewatch.score_iter(texts, model, passages=True, labels=["official_denial"]))
    assert {tuple(s["scores"]) for s in sentences} == {("official_denial",)}


def test_batch_scorer_with_dataset_map_keeps_columns_and_types():
    datasets = pytest.importorskip("datasets")
    texts = ["It rained.", "Nothing happened.", "Officials declined to comment on the reports.",
             "A source who requested anonymity said 40 soldiers were killed, a claim that could not be verified."]
    dataset = datasets.Dataset.from_dict({"text": texts, "gold": [0, 0, 1, 1]})
    scored = dataset.map(framewatch.batch_scorer(), batched=True, batch_size=2)  # first batch has no evidence
    assert scored.column_names[:2] == ["text", "gold"]
    model = framewatch.load()
    for row, text in zip(scored, texts):
        doc = model.score_document(text)
        assert [row[f"framewatch_{label}"] for label in LABELS] == pytest.approx([doc.scores[l] for l in LABELS])
        assert row["framewatch_labels"] == ";".join(doc.labels)
        assert [e["start"] for e in json.loads(row["framewatch_evidence"])] == [e.start for e in doc.evidence]


def test_id_set_is_exact_across_merges():
    ids = IdSet()
    for i in range(70_000):
        ids.add(f"doc-{i}")
    ids.add("last")
    assert len(ids) == 70_001
    assert all(f"doc-{i}" in ids for i in range(0, 70_000, 997)) and "last" in ids
    assert "doc-70000" not in ids and "doc-" not in ids


def test_import_stays_light():
    code = "import sys, framewatch; print(any(m in sys.modules for m in ('datasets', 'trafilatura', 'feedparser')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
