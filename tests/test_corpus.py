import gzip
import json

import pytest

from framewatch.data import corpus as C
from tests.conftest import FIXTURES

ROOT = FIXTURES / "corpus"
MUC = ROOT / "muc34_latam_conflict/data/muc/raw_files/muc34/TASK/CORPORA"


def test_fakes_loader():
    docs = list(C.load_fakes(ROOT / "fakes_syria/FA-KES-Dataset.csv"))
    assert len(docs) == 3
    assert docs[0].doc_id.startswith("fakes:") and docs[0].source.startswith("fakes_syria/")
    assert docs[0].date == "2017-04-05" and "nerve agent" in docs[0].title


def test_press_and_speech_loaders():
    putin = list(C.load_press(ROOT / "kremlin_zelenskyy_press/press_release_data/putin.csv", "kremlin_press"))
    speeches = list(C.load_speeches(ROOT / "zelensky_speeches/data/zelensky_speeches.csv"))
    assert [d.source for d in putin] == ["kremlin_press"] * 2 and putin[0].date == "2022-06-24"
    assert speeches[0].date == "2022-07-24" and speeches[0].text.startswith("Good health to you")


def test_muc_loader_splits_items_joins_wrapped_lines_and_reads_header():
    docs = list(C.load_muc(MUC / "dev/dev-muc3-0001-0100"))
    assert [d.doc_id for d in docs] == ["muc:DEV-MUC3-0001", "muc:DEV-MUC3-0002"]
    first = docs[0]
    assert first.date == "1990-01-03" and "COPREFA" in first.title
    assert first.text.startswith("THE ARCE BATTALION COMMAND HAS REPORTED")
    assert "FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN] IN SAN MIGUEL" in first.text  # wrapped line joined
    mixed = list(C.load_muc(MUC / "tst4/tst4-muc4.mixed-case"))
    assert mixed[0].text.startswith("Police sources have reported")


def test_re3d_and_szeged_and_euvsdisinfo_loaders():
    re3d = list(C.load_re3d(ROOT / "re3d_syria_iraq/CENTCOM/documents.json"))
    assert re3d[0].source == "re3d/CENTCOM" and re3d[0].text.startswith("Photographs of U.S. service members")
    wiki = list(C.load_szeged(ROOT / "szeged_uncertainty/corpora/old/wiki.xml"))
    assert wiki[0].title == "Tim Witherspoon" and "<" not in wiki[0].text
    eu = list(C.load_euvsdisinfo(ROOT / "euvsdisinfo_titles/data/posts.csv"))
    assert len(eu) == 5 and eu[0].text == "German special services helped Navalny"


def test_modern_loaders_read_the_common_format_with_subsources():
    unsc = list(C.load_document_jsonl(ROOT / "unsc_ukraine_debates/documents.jsonl.gz", "unsc", "speaker"))
    assert [d.source.split("/")[0] for d in unsc] == ["unsc", "unsc"] and "/" in unsc[0].source
    wcep = list(C.load_document_jsonl(ROOT / "wikipedia_current_events/documents.jsonl.gz", "wcep"))
    assert wcep[0].doc_id == "wcep-2010-01-01" and wcep[0].date == "2010-01-01" and wcep[0].source == "wcep"
    hrr = list(C.load_document_jsonl(ROOT / "state_human_rights_reports/documents.jsonl.gz", "state_hrr", "country"))
    assert hrr[0].date is None and hrr[0].source == "state_hrr/Afghanistan"


def test_modern_loader_names_file_line_and_missing_field(tmp_path):
    bad = tmp_path / "documents.jsonl.gz"
    with gzip.open(bad, "wt") as handle:
        handle.write('{"doc_id": "a", "title": "t", "text": "fine"}\n{"doc_id": "b", "text": "no title"}\n')
    with pytest.raises(C.CorpusError, match=r"documents.jsonl.gz:2: expected string fields \['title'\]"):
        list(C.load_document_jsonl(bad, "x"))


def test_bad_records_name_file_and_line(tmp_path):
    bad = tmp_path / "documents.json"
    bad.write_text('{"_id": "a", "text": "fine"}\n{"_id": "b", "text": \n')
    with pytest.raises(C.CorpusError, match=r"documents.json:2: .*malformed JSON"):
        list(C.load_re3d(bad))
    csv_file = tmp_path / "posts.csv"
    csv_file.write_text("date,id\n2020-01-01,x\n")
    with pytest.raises(C.CorpusError, match="expected columns"):
        list(C.load_euvsdisinfo(csv_file))
    empty = tmp_path / "empty.csv"
    empty.write_text("date,id,title\n2020-01-01,https://x/y/,\n")
    with pytest.raises(C.CorpusError, match=r"empty.csv:2: record .* has no text"):
        list(C.load_euvsdisinfo(empty))


MODERN = {"wcep", "whitehouse_press", "state_press", "whitehouse_briefings", "state_hrr", "wikinews", "unsc"}
LEGACY = {"fakes_syria", "kremlin_press", "zelenskyy_press", "zelensky_speeches", "muc34", "re3d", "szeged_wiki",
          "euvsdisinfo"}


def test_build_is_deterministic_and_writes_one_shard_per_modern_source(tmp_path):
    first = C.build_corpus(ROOT, tmp_path / "a")
    second = C.build_corpus(ROOT, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {p.name for p in first} == {C.LEGACY_SHARD} | {f"{family}.jsonl.gz" for family in MODERN}
    assert C.corpus_files(tmp_path / "a")[0].name == C.LEGACY_SHARD
    docs = list(C.read_documents(tmp_path / "a"))
    assert {C.source_family(d.source) for d in docs} == LEGACY | MODERN
    assert len({d.doc_id for d in docs}) == len(docs)
    with gzip.open(tmp_path / "a" / C.LEGACY_SHARD, "rt") as handle:
        assert set(json.loads(handle.readline())) == {"doc_id", "source", "title", "date", "text"}
    legacy = {C.source_family(d.source) for d in C.read_documents(tmp_path / "a" / C.LEGACY_SHARD)}
    assert legacy == LEGACY


def test_missing_source_files_are_named(tmp_path):
    with pytest.raises(C.CorpusError, match="not found"):
        C.load_sources(tmp_path)


def test_passages_have_offsets_and_context():
    docs = list(C.load_muc(MUC / "dev/dev-muc3-0001-0100"))
    passages = list(C.iter_passages(docs))
    by_doc = {d.doc_id: d for d in docs}
    assert passages[0].context == "" and passages[1].context == passages[0].text
    for p in passages:
        assert by_doc[p.doc_id].text[p.start:p.end] == p.text
        assert p.passage_id == f"{p.doc_id}:{p.index}"


def test_shipped_corpus_covers_every_source():
    families = {C.source_family(d.source) for d in C.read_documents()}
    assert families == LEGACY | MODERN
