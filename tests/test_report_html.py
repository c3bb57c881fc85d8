"""``framewatch report``: a self-contained page with highlighted evidence, a legend and score bars; rendered in
headless Chromium where it is installed."""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from framewatch.cli import main
from framewatch.data.taxonomy import LABELS
from framewatch.io.records import InputError
from framewatch.report import COLOURS, read_scored, render_document, write_report

FEEDS = Path(__file__).with_name("fixtures") / "feeds"
CHROMIUM = next((p for p in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome")) if p and
                 Path(p).exists()), None)


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> Path:
    """The feed, Atom, HTML and TSV fixtures scored with their text, as framewatch score writes them."""
    out = tmp_path_factory.mktemp("scored") / "scored.jsonl"
    args = ["score", "-q", "--with-text", "-o", str(out)] + [str(FEEDS / name) for name in
                                                             ("world.rss", "conflict.atom", "article.html",
                                                              "articles.tsv")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def rows_of(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_report_command_writes_a_self_contained_page(scored, tmp_path):
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(scored), "-o", str(page), "--title", "Morning <feeds>"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "10 of 10 documents" in result.output
    markup = page.read_text(encoding="utf-8")
    assert markup.startswith("<!doctype html>") and "<title>Morning &lt;feeds&gt;</title>" in markup
    assert not re.search(r"<(script|link|img|iframe)\b", markup)  # no scripts, no external resources
    assert not re.search(r"""(src|href)=["'](?!https?://[^"']*example)""", markup)
    for label in LABELS:
        assert f"<b>{label}</b>" in markup  # the legend
    rows = rows_of(scored)
    assert markup.count('<article class="doc"') == len(rows)
    assert markup.count('<mark class="ev') == sum(len(r["evidence"]) for r in rows)
    bars = len(re.findall(r'<div class="bar[ "]', markup))
    assert bars == len(rows) * len(LABELS) + len(LABELS)  # a bar per label per document, and the overview


def test_evidence_is_highlighted_in_place_and_escaped():
    text = 'Intro <b>bold</b>.\nOfficials declined to comment on "the report".\nEnd.'
    start = text.index("Officials")
    end = text.index("\nEnd")
    row = {"id": "doc<1>", "scores": {label: 0.1 for label in LABELS}, "labels": ["official_denial"],
           "evidence": [{"start": start, "end": end, "text": text[start:end],
                         "scores": {**{label: 0.1 for label in LABELS}, "official_denial": 0.93},
                         "labels": ["official_denial"]},
                        {"start": 0, "end": 3, "text": "not what the text says", "scores": {}, "labels": ["x"]}],
           "n_sentences": 3, "text": text, "link": "javascript:alert(1)"}
    markup = render_document(row, 1)
    assert "Intro &lt;b&gt;bold&lt;/b&gt;." in markup and "<h2>doc&lt;1&gt;</h2>" in markup
    highlighted = re.search(r'<mark class="ev c2" title="official_denial 0.93">(.*?)<span', markup).group(1)
    assert highlighted == "Officials declined to comment on &#34;the report&#34;."
    assert 'class="offsets">[0:3]' in markup  # misaligned evidence is listed apart, not guessed into place
    assert "href=\"javascript" not in markup
    assert 'style="width:93.0%"' not in markup and 'style="width:10.0%"' in markup


def test_long_texts_are_cut_to_windows_around_the_evidence():
    text = "Filler sentence here. " * 2000 + "Officials declined to comment." + " More filler." * 2000
    start = text.index("Officials")
    row = {"id": "long", "scores": {l: 0.0 for l in LABELS}, "labels": [], "n_sentences": 1, "text": text,
           "evidence": [{"start": start, "end": start + 30, "text": text[start:start + 30],
                         "scores": {"official_denial": 0.9}, "labels": ["official_denial"]}]}
    markup = render_document(row, 1)
    assert len(markup) < 5000 and markup.count('<span class="gap">…</span>') == 2


def test_without_text_the_evidence_sentences_are_listed(tmp_path):
    row = {"id": "a", "scores": {l: 0.5 for l in LABELS}, "labels": ["anonymous_source"], "n_sentences": 2,
           "evidence": [{"start": 0, "end": 10, "text": "A source said", "scores": {"anonymous_source": 0.9},
                         "labels": ["anonymous_source"]}]}
    summary = write_report([row, {**row, "id": "b", "scores": {l: 0.1 for l in LABELS}}], tmp_path / "r.html",
                           sort="score", limit=1)
    markup = (tmp_path / "r.html").read_text()
    assert (summary.documents, summary.shown) == (2, 1) and "<h2>a</h2>" in markup and "<h2>b</h2>" not in markup
    assert "score with --with-text" in markup and "A source said" in markup


def test_bad_report_lines_are_skipped_and_counted_like_score_does(tmp_path):
    passages = tmp_path / "passages.jsonl"
    passages.write_text(json.dumps({"id": "a", "sentence": 0, "scores": {}}) + "\n")
    summary = write_report(passages, tmp_path / "p.html")
    assert (summary.documents, summary.problems) == (0, 1) and "passages.jsonl:1: a passage row" in summary.first_problem
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "scores": {}}\n{"id": \n{"id": "b", "scores": {"x": "high"}}\n[1, 2]\n'
                      '{"id": "c", "scores": {"anonymous_source": 0.7}, "labels": ["anonymous_source"]}\n')
    result = CliRunner().invoke(main, ["report", str(broken), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "2 of 2 documents" in result.output and "skipped 3 malformed lines" in result.output
    assert f"{broken}:2: malformed JSON (Expecting value, column 8)" in result.output  # no "at at column"
    page = (tmp_path / "r.html").read_text()
    assert "3 malformed lines of the input skipped" in page and page.count('<article class="doc"') == 2
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "\n" + broken.read_text().splitlines()[-1] + "\n")
    problems = []
    assert [row["id"] for row in read_scored(deep, problems.append)] == ["c"]
    assert problems == [f"{deep}:1: malformed JSON (nested too deeply)"]
    with pytest.raises(InputError, match="malformed JSON"):
        list(read_scored(broken))  # the library raises unless told what to do with a bad line


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium); "
                                             "the page is still checked as HTML by the other tests")
def test_report_renders_in_headless_chromium(scored, tmp_path):
    from PIL import Image

    page = tmp_path / "report.html"
    write_report(scored, page, sort="score")
    shot = tmp_path / "report.png"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=1280,1800",
               f"--screenshot={shot}", page.as_uri()]
    subprocess.run(command, capture_output=True, timeout=90, check=False)
    assert shot.exists(), "Chromium wrote no screenshot"
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1800)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, bars and highlights, not a blank or error page
    counts = {pixel: n for n, pixel in colours}
    rendered = [c for c in COLOURS if counts.get(tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)), 0) >= 100]
    assert len(rendered) == len(COLOURS), f"label colours drawn: {rendered}"  # legend swatches and badges
    header = image.crop((0, 0, 1280, 60)).getcolors(maxcolors=1 << 16)
    assert max(header)[1] == (0x1F, 0x29, 0x37)  # the page header rendered with its stylesheet


EVIL = '<script>alert(1)</script>"\'</mark><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>'


class _Page:
    """Tags, attributes and text of a page as html.parser sees it (what a browser would build)."""

    def __init__(self, markup: str) -> None:
        from html.parser import HTMLParser

        self.tags, self.text = [], []
        page = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                page.tags.append((tag, attrs))

            def handle_startendtag(self, tag, attrs):
                page.tags.append((tag, attrs))

            def handle_endtag(self, tag):
                page.tags.append(("/" + tag, []))

            def handle_data(self, data):
                page.text.append(data)

        parser = Parser(convert_charrefs=True)
        parser.feed(markup)
        parser.close()


def test_hostile_text_title_id_and_link_end_up_escaped(tmp_path):
    data = tmp_path / "evil.jsonl"
    rows = [{"id": EVIL, "title": f"Officials declined to comment. {EVIL}", "link": "javascript:alert(4)",
             "published": EVIL, "text": f"Officials declined to comment on the reports. {EVIL} The ministry said 40 "
                                        f"militants were killed in the strikes. {EVIL}"},
            {"id": "two", "title": EVIL, "link": " JaVaScRiPt:alert(5)", "text": f"{EVIL}\nA source who requested "
                                                                              f"anonymity said the talks failed."}]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    scored = tmp_path / "scored.jsonl"
    result = CliRunner().invoke(main, ["score", "-q", "-m", "lexical", str(data), "-o", str(scored), "--with-text",
                                       "--title-field", "title", "--keep-fields", "link,published"])
    assert result.exit_code == 0, result.output
    out = rows_of(scored)
    assert any(e.get("field") == "title" for e in out[0]["evidence"])  # highlighted inside the shown title too
    page_path = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(scored), "-o", str(page_path)])
    assert result.exit_code == 0, result.output
    page = _Page(page_path.read_text(encoding="utf-8"))
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)  # no event handler
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), value
    assert names.count("mark") == names.count("/mark") and names.count("mark") == sum(len(r["evidence"]) for r in out)
    text = "".join(page.text)
    assert text.count(EVIL) >= 5  # id, title, date and the text show it, as text
    assert "javascript:alert(4)" in text  # a link that is not http(s) is shown, not linked
