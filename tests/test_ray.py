"""Scoring on a local Ray cluster gives the rows of local scoring, and bad records go to the errors with their id."""
import glob
import itertools
import json

import pytest

ray = pytest.importorskip("ray")

from click.testing import CliRunner  # noqa: E402

from framewatch.cli import main  # noqa: E402
from framewatch.data.corpus import read_documents  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """200 real documents of the shipped corpus (EUvsDisinfo claims and FA-KES articles), plus two bad records."""
    corpus = read_documents()
    claims = itertools.islice((d for d in corpus if d.source == "euvsdisinfo"), 170)
    articles = itertools.islice((d for d in read_documents() if d.source.startswith("fakes_syria")), 30)
    rows = [{"id": d.doc_id, "text": d.text, "source": d.source} for d in itertools.chain(claims, articles)]
    path = tmp_path_factory.mktemp("ray") / "docs.jsonl"
    bad = [{"id": "empty-text", "text": "  ", "source": "x"}, {"id": "no-text", "source": "x"}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows + bad))
    return path, rows


def read_rows(pattern: str) -> dict[str, dict]:
    return {row["id"]: row for path in sorted(glob.glob(pattern)) for row in map(json.loads, open(path))}


def test_ray_scores_equal_local_scores(cluster, documents, tmp_path):
    import framewatch.ray

    path, rows = documents
    local = tmp_path / "local.jsonl"
    result = CliRunner().invoke(main, ["score", str(path), "-o", str(local), "--keep-fields", "source", "-q"])
    assert result.exit_code == 0, result.output
    expected = read_rows(str(local))
    # one actor on the two logical CPUs: the other is left to the reading and writing tasks
    scored = framewatch.ray.score_dataset(ray.data.read_json(str(path)), keep_columns=["source"], num_actors=1)
    framewatch.ray.write_scored(scored, tmp_path / "ray")
    got = read_rows(str(tmp_path / "ray" / "*.json*"))
    assert set(got) == set(expected) == {row["id"] for row in rows}
    for record_id, row in expected.items():
        other = got[record_id]
        assert other["labels"] == row["labels"] and other["source"] == row["source"]
        assert other["n_sentences"] == row["n_sentences"]
        for label, score in row["scores"].items():
            assert abs(other["scores"][label] - score) <= 1e-6, (record_id, label)
        assert [(e["start"], e["end"]) for e in other["evidence"]] == [(e["start"], e["end"]) for e in row["evidence"]]
    errors = read_rows(str(tmp_path / "ray" / "errors" / "*"))
    assert set(errors) == {"empty-text", "no-text"}
    assert "empty string field 'text'" in errors["no-text"]["error"]
    local_errors = {json.loads(line)["id"] for line in open(f"{local}.errors.jsonl")}
    assert local_errors == set(errors)


def test_a_record_without_id_is_an_error_not_a_crash(cluster, tmp_path):
    import framewatch.ray

    items = [{"id": "a", "text": "Officials declined to comment."}, {"text": "No id."}]
    scored = framewatch.ray.score_dataset(ray.data.from_items(items), model="lexical", num_actors=1)
    rows = sorted(scored.take_all(), key=lambda row: row["error"] or "")
    assert rows[0]["id"] == "a" and rows[0]["error"] is None and rows[0]["scores"]
    assert rows[1]["id"] is None and "needs an id" in rows[1]["error"]
    with pytest.raises(FileExistsError):
        (tmp_path / "out").mkdir()
        framewatch.ray.write_scored(scored, tmp_path / "out")


def test_cli_engine_ray_writes_rows_and_errors(cluster, documents, tmp_path):
    path, rows = documents
    out = tmp_path / "scored"
    result = CliRunner().invoke(main, ["score", str(path), "-o", str(out), "--engine", "ray", "--num-actors", "1",
                                       "-m", "lexical", "--keep-fields", "source"])
    assert result.exit_code == 0, result.output
    assert set(read_rows(str(out / "*.json*"))) == {row["id"] for row in rows}
    assert set(read_rows(str(out / "errors" / "*"))) == {"empty-text", "no-text"}
    result = CliRunner().invoke(main, ["score", str(path), "--engine", "ray"])
    assert result.exit_code == 2 and "needs -o DIR" in result.output



class Batch(list):
    """Rows as Ray hands them to an actor (``to_pylist``), without Arrow's own limits on what a column holds."""

    def to_pylist(self) -> list:
        return list(self)


def test_actor_rows_apply_the_checks_of_local_scoring():
    """The actor reports what local scoring reports: a NaN id is missing, lone surrogates and a title that takes the
    record over max_chars are errors; and kept columns cannot take output keys."""
    import framewatch.ray
    from framewatch.scoring import OutputOptions

    scorer = framewatch.ray.DocumentScorer("lexical", "text", "id", "title", [], OutputOptions(), max_chars=40)
    rows = scorer(Batch([
        {"id": "ok", "text": "Officials declined to comment.", "title": "Short"},
        {"id": "surrogate", "text": "Broken \ud800 text.", "title": None},
        {"id": "long", "text": "Officials declined to comment.", "title": "A title of twenty-odd chars"},
        {"id": float("nan"), "text": "No usable id.", "title": None},
    ])).to_pylist()
    errors = {row["id"]: row["error"] for row in rows}
    assert errors["ok"] is None
    assert "lone surrogates" in errors["surrogate"] and "with its title" in errors["long"]
    assert "needs an id" in errors[None]
    for keep, options in ((["field"], OutputOptions(passages=True)), (["error"], OutputOptions())):
        with pytest.raises(ValueError, match="is an output key"):
            framewatch.ray.score_dataset(None, keep_columns=keep, labels=options.labels, passages=options.passages)
