import json

import numpy as np
import pytest
from click.testing import CliRunner

from framewatch.cli import main
from framewatch.data.corpus import Passage
from framewatch.data.taxonomy import LABELS
from framewatch.training import selection as S


def passage(doc: str, index: int, text: str) -> Passage:
    return Passage(f"{doc}:{index}", doc, "wcep", index, 0, len(text), text, "")


DOCS = {f"d{i}": [passage(f"d{i}", j, f"sentence number {j} of document {i}") for j in range(4)] for i in range(10)}
ALL = [p for doc in DOCS.values() for p in doc]


def test_random_takes_one_sentence_per_document_before_a_second():
    picks = S.pick_random(ALL, 12, seed=3)
    docs = [p.passage.doc_id for p in picks]
    assert len(set(docs[:10])) == 10 and len(picks) == 12
    assert all(p.sampling == "random" for p in picks)
    assert S.pick_random(ALL, 12, seed=3) == picks


def test_short_passages_and_bare_citations_are_never_picked():
    junk = [passage("x", 0, "(Reuters) (AP via Yahoo)"), passage("x", 1, "Thank you."),
            passage("x", 2, "Three people are killed in a blast.")]
    assert [p.passage.text for p in S.pick_random(junk, 5)] == ["Three people are killed in a blast."]


def test_search_caps_passages_per_document():
    picks = S.pick_search(ALL, r"number [0-3]", 100, seed=1, max_per_doc=2)
    per_doc = {}
    for pick in picks:
        per_doc[pick.passage.doc_id] = per_doc.get(pick.passage.doc_id, 0) + 1
    assert len(picks) == 20 and set(per_doc.values()) == {2}
    assert all(p.sampling == "cue_search" for p in picks)
    with pytest.raises(S.SelectionError, match="not a regular expression"):
        S.pick_search(ALL, "(", 3)


def test_model_picks_go_round_the_labels_closest_to_the_threshold_or_highest():
    proba = np.full((len(ALL), len(LABELS)), 0.01, dtype=np.float32)
    proba[0, 0], proba[1, 0], proba[2, 1] = 0.5, 0.9, 0.45
    thresholds = np.full(len(LABELS), 0.5, dtype=np.float32)
    uncertain = S.pick_by_model(ALL, proba, thresholds, 2, "model_uncertain", "m")
    assert [p.passage.passage_id for p in uncertain] == [ALL[0].passage_id, ALL[2].passage_id]
    confident = S.pick_by_model(ALL, proba, thresholds, 1, "model_confident", "m", labels=[LABELS[0]])
    assert confident[0].passage is ALL[1] and "model m" in confident[0].method


def test_batch_round_trip_keeps_sampling_and_merge_checks_labels(tmp_path):
    picks = S.pick_random(ALL, 5, seed=0) + S.pick_search(ALL, "number 3", 2, seed=0)
    batch, side = S.write_batch(picks, tmp_path / "b.jsonl")
    assert side.name == "b.sampling.jsonl"
    rows = [json.loads(line) for line in batch.read_text().splitlines()]
    assert set(rows[0]) == {"id", "doc_id", "source", "context", "text"}  # nothing about how it was picked
    labelled = tmp_path / "labels.jsonl"
    labelled.write_text("".join(json.dumps({"id": r["id"], "labels": ["anonymous_source"] if i == 0 else []}) + "\n"
                                for i, r in enumerate(rows[:-1])))
    merged, unlabelled = S.merge_labels([batch], [labelled])
    assert len(merged) == len(rows) - 1 and unlabelled == [rows[-1]["id"]]
    by_id = {m.id: m for m in merged}
    assert by_id[rows[0]["id"]].labels == ("anonymous_source",)
    sampling = {r.passage.passage_id: r.sampling for r in picks}
    assert all(m.sampling == sampling[m.id] for m in merged)
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": rows[0]["id"], "labels": []}) + "\n")
    with pytest.raises(S.SelectionError, match=r"labelled \[\] here and \['anonymous_source'\] at .*labels.jsonl:1"):
        S.read_labels([labelled, other])
    stray = tmp_path / "stray.jsonl"
    stray.write_text(json.dumps({"id": "nowhere:1", "labels": []}) + "\n")
    with pytest.raises(S.SelectionError, match="in none of the batches"):
        S.merge_labels([batch], [stray])


def test_split_mixes_batches_and_keeps_every_pick(tmp_path):
    picks = S.pick_random(ALL, 25, seed=0)
    paths = S.split_batches(picks, 10, tmp_path, "t")
    assert [p.name for p in paths] == ["t01.jsonl", "t02.jsonl", "t03.jsonl"]
    back = [pick for path in paths for pick in S.read_batch(path)]
    assert sorted(p.passage.passage_id for p in back) == sorted(p.passage.passage_id for p in picks)


def test_holdout_keeps_grouped_units_together_and_skips_excluded():
    units = {"state_hrr": {f"country{i}": [f"hrr-{year}-country{i}" for year in (2016, 2017)] for i in range(10)},
             "wcep": {f"w{i}": [f"w{i}"] for i in range(10)}}
    held = S.hold_out_documents(units, {"state_hrr": 0.3, "wcep": 0.5}, seed=1, exclude={"w0", "w1"})
    countries = {doc.split("-")[2] for doc in held if doc.startswith("hrr")}
    assert len(countries) == 3 and all(f"hrr-{y}-{c}" in held for c in countries for y in (2016, 2017))
    assert len([d for d in held if d.startswith("w")]) == 4 and not {"w0", "w1"} & set(held)


def test_cli_export_then_merge(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"a{i}", "outlet": "paper", "text": f"Officials said the town fell. "
                                        f"A source said {i} soldiers surrendered."}) + "\n" for i in range(6)))
    batch = tmp_path / "batch.jsonl"
    runner = CliRunner()
    result = runner.invoke(main, ["annotate", "export", str(feed), "--strategy", "cue_search", "--query", "surrender",
                                  "-n", "4", "--source-field", "outlet", "-o", str(batch)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in batch.read_text().splitlines()]
    assert len(rows) == 4 and all("surrendered" in r["text"] and r["source"] == "paper" for r in rows)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"id": r["id"], "labels": ["collapse_narrative"]}) + "\n" for r in rows))
    out = tmp_path / "labelled.jsonl"
    result = runner.invoke(main, ["annotate", "merge", str(batch), "--labels", str(labels), "-o", str(out)])
    assert result.exit_code == 0, result.output
    merged = [json.loads(line) for line in out.read_text().splitlines()]
    assert {m["sampling"] for m in merged} == {"cue_search"} and all(m["doc_id"].startswith("a") for m in merged)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": rows[0]["id"], "labels": ["collapse"]}) + "\n")
    result = runner.invoke(main, ["annotate", "merge", str(batch), "--labels", str(bad), "-o", str(out)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output and "unknown labels ['collapse']" in result.output
