import json

import pytest
from click.testing import CliRunner

from framewatch.cli import main
from framewatch.data.taxonomy import LABELS
from tests.conftest import SEED_ARTICLE


@pytest.fixture
def runner():
    return CliRunner()


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))


def test_every_command_has_help_with_an_example(runner):
    for path, command in all_commands(main):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example:" in (command.help or ""), f"{' '.join(path)} has no example in its help"


def test_labels_command_prints_taxonomy_order(runner):
    result = runner.invoke(main, ["labels"])
    assert result.exit_code == 0
    positions = [result.output.index(label) for label in LABELS]
    assert positions == sorted(positions)
    assert json.loads(runner.invoke(main, ["labels", "--json"]).output)["labels"][0]["name"] == LABELS[0]


def test_score_seed_article(runner):
    result = runner.invoke(main, ["score", str(SEED_ARTICLE)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    assert record["id"] == "seed_article.txt" and set(record["scores"]) == set(LABELS)
    assert record["labels"] and record["evidence"]
    for evidence in record["evidence"]:
        assert text[evidence["start"]:evidence["end"]] == evidence["text"]


def test_score_jsonl_and_stdin(runner, tmp_path):
    data = tmp_path / "docs.jsonl"
    data.write_text('{"id": "a", "text": "Officials declined to comment."}\n\n{"text": "It rained."}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["score", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert ids == ["a", f"{data}:3"]
    piped = runner.invoke(main, ["score", "-"], input='{"id": "x", "text": "Hello there."}\n')
    assert json.loads(piped.output)["id"] == "x"


@pytest.mark.parametrize("content, message", [
    (b"", "empty input"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_bad_files_give_one_line_errors(runner, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(main, ["score", str(bad)])
    assert result.exit_code == 1
    assert message in result.output and str(bad) in result.output
    assert "Traceback" not in result.output


def test_malformed_jsonl_line_goes_to_errors_file_naming_file_and_line(runner, tmp_path):
    data = tmp_path / "docs.jsonl"
    data.write_text('{"id": "a", "text": "Fine."}\n{"id": "b", "text": \n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["score", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output  # a bad record is logged and the run goes on
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a"]
    errors = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert errors == [{"source": str(data), "line": 2, "id": None, "error": errors[0]["error"]}]
    assert errors[0]["error"].startswith("malformed JSON")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl", "out.jsonl", "out.jsonl.errors.jsonl"]


def test_malformed_jsonl_with_fail_fast_names_file_and_line_and_writes_nothing(runner, tmp_path):
    data = tmp_path / "docs.jsonl"
    data.write_text('{"id": "a", "text": "Fine."}\n{"id": "b", "text": \n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["score", str(data), "-o", str(out), "--fail-fast"])
    assert result.exit_code == 1
    assert f"{data}:2: malformed JSON" in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data]  # no temporary file left behind


def test_failure_while_writing_leaves_no_partial_file(tmp_path):
    from framewatch.io.atomic import atomic_path

    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8") as handle:
            handle.write('{"id": "a"}\n')
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_missing_text_field(runner, tmp_path):
    data = tmp_path / "docs.jsonl"
    data.write_text('{"id": "a", "body": "x"}\n')
    result = runner.invoke(main, ["score", str(data)])
    assert result.exit_code == 1 and "docs.jsonl:1: missing or empty string field 'text'" in result.output
