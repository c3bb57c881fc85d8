"""``framewatch trends``: per-(group, period) label shares with Wilson intervals and mean scores, from scored JSONL,
CSV, Parquet and directories of parts; sparse periods, skipped rows with file:line, the PNG and the escaped page."""
import base64
import csv
import io
import json
import math
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from framewatch.cli import main
from framewatch.data.taxonomy import LABELS
from framewatch.io.records import InputError
from framewatch.trends import (aggregate, mean_interval, parse_date, period_start, render_html, trends_csv,
                               wilson_interval, write_trends)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIRST, SECOND = LABELS[0], LABELS[1]


def doc(number, source, published, first=0.1, flagged=(), **extra):
    """A scored document row as framewatch score writes it (every label scored 0.1 but FIRST)."""
    scores = {label: 0.1 for label in LABELS}
    scores[FIRST] = first
    return {"id": f"d{number}", "source": source, "published": published, **extra, "scores": scores,
            "labels": list(flagged), "evidence": [], "n_sentences": 3}


def write_jsonl(path, rows):
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows),
                    encoding="utf-8")
    return path


def sample_rows():
    """Two outlets over two ISO weeks; week of Mon 2024-01-29 crosses into February."""
    rows = []
    # outlet a, week 2024-01-29: 10 documents (Mon 29 Jan .. Sun 4 Feb), 3 flagged FIRST
    days = ["2024-01-29", "2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-02-03", "2024-02-04",
            "Thu, 01 Feb 2024 10:00:00 +0000", "2024-01-28T23:30:00-05:00", "2024-02-04T23:59:59Z"]
    for number, day in enumerate(days):
        rows.append(doc(number, "a", day, first=0.9 if number < 3 else 0.2, flagged=[FIRST] if number < 3 else []))
    # outlet b, week 2024-02-05: 4 documents with FIRST scores 0.2, 0.4, 0.6, 0.8, none flagged
    for number, score in enumerate([0.2, 0.4, 0.6, 0.8], start=20):
        rows.append(doc(number, "b", "Mon, 05 Feb 2024 09:00:00 +0100", first=score))
    return rows


def by_key(trends):
    return {(row.group, row.period.isoformat()): row for row in trends.rows}


# ---------------------------------------------------------------------------------------------- dates and periods


def test_periods_of_day_week_and_month():
    thursday = date(2024, 2, 1)
    assert period_start(thursday, "day") == thursday
    assert period_start(thursday, "week") == date(2024, 1, 29)  # ISO week crossing the month: its Monday
    assert period_start(date(2024, 2, 4), "week") == date(2024, 1, 29)  # Sunday closes that week
    assert period_start(date(2024, 2, 5), "week") == date(2024, 2, 5)
    assert period_start(date(2025, 1, 1), "week") == date(2024, 12, 30)  # and across a year
    assert period_start(thursday, "month") == date(2024, 2, 1)
    assert period_start(date(2024, 1, 31), "month") == date(2024, 1, 1)
    with pytest.raises(ValueError, match="unknown --freq 'year'"):
        period_start(thursday, "year")


@pytest.mark.parametrize("value, expected", [
    ("2024-01-31", date(2024, 1, 31)),
    ("2024-01-31T23:30:00", date(2024, 1, 31)),  # naive: taken as it is
    ("2024-01-31T23:30:00-05:00", date(2024, 2, 1)),  # aware: UTC
    ("2024-02-01T01:00:00+02:00", date(2024, 1, 31)),
    ("2024-01-31T23:30:00Z", date(2024, 1, 31)),
    ("Wed, 31 Jan 2024 23:30:00 -0500", date(2024, 2, 1)),  # RSS
    ("Thu, 01 Feb 2024 00:30:00 GMT", date(2024, 2, 1)),
    (datetime(2024, 1, 31, 23, 30, tzinfo=timezone.utc), date(2024, 1, 31)),
    (date(2024, 1, 31), date(2024, 1, 31)),
    ("yesterday", None), ("", None), (None, None), (20240131, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_weeks_months_and_days_from_rss_and_aware_dates(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", sample_rows())
    weeks = by_key(aggregate(path, by="source", freq="week", min_documents=4))
    assert sorted(weeks) == [("a", "2024-01-29"), ("b", "2024-02-05")]
    assert weeks["a", "2024-01-29"].documents == 10  # 28 Jan 23:30 -05:00 is Monday 29 Jan in UTC
    months = by_key(aggregate(path, by="source", freq="month"))
    assert {key: row.documents for key, row in months.items()} == {
        ("a", "2024-01-01"): 4, ("a", "2024-02-01"): 6, ("b", "2024-02-01"): 4}
    days = by_key(aggregate(path, by="source", freq="day"))
    assert days["a", "2024-02-01"].documents == 2  # ISO and RSS date of the same day
    assert days["a", "2024-02-04"].documents == 2
    assert days["b", "2024-02-05"].documents == 4  # 09:00 +01:00 is still the 5th in UTC
    assert ("a", "2024-01-28") not in days


# ---------------------------------------------------------------------------------------------- statistics


def test_wilson_and_mean_intervals_against_hand_computed_values():
    low, high = wilson_interval(3, 10)
    assert (low, high) == pytest.approx((0.1078, 0.6032), abs=1e-4)
    assert wilson_interval(0, 5) == pytest.approx((0.0, 0.4345), abs=1e-4)
    assert wilson_interval(5, 5) == pytest.approx((0.5655, 1.0), abs=1e-4)
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    # 0.2, 0.4, 0.6, 0.8: mean 0.5, sample sd sqrt(0.2 / 3); m2 = 0.2
    assert mean_interval(0.5, 0.2, 4) == pytest.approx((0.5 - 1.96 * math.sqrt(0.2 / 3) / 2,
                                                         0.5 + 1.96 * math.sqrt(0.2 / 3) / 2))
    assert mean_interval(0.1, 0.12, 4) == pytest.approx((0.0, 0.296))  # 0, 0, 0, 0.4: clipped at 0
    assert all(math.isnan(v) for v in mean_interval(0.3, 0.0, 1))


def test_shares_intervals_and_sparse_rows(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", sample_rows())
    trends = aggregate(path, by="source", freq="week", min_documents=5)
    rows = by_key(trends)
    a, b = rows["a", "2024-01-29"].labels[FIRST], rows["b", "2024-02-05"].labels[FIRST]
    assert (a.documents, a.flagged, a.share) == (10, 3, pytest.approx(0.3))
    assert (a.share_low, a.share_high) == pytest.approx((0.1078, 0.6032), abs=1e-4)
    assert a.mean_score == pytest.approx((3 * 0.9 + 7 * 0.2) / 10)
    assert (b.share, b.share_low, b.share_high) == pytest.approx((0.0, 0.0, 0.4899), abs=1e-4)
    half = 1.96 * math.sqrt(0.2 / 3) / 2
    assert (b.mean_score, b.mean_low, b.mean_high) == pytest.approx((0.5, 0.5 - half, 0.5 + half))
    assert rows["b", "2024-02-05"].labels[SECOND].share == 0.0
    assert trends.labels == LABELS
    assert [(row.group, row.sparse) for row in trends.rows] == [("a", False), ("b", True)]  # 4 < 5
    assert all(row.sparse for row in aggregate(path, by="source", freq="week").rows)  # default 20
    assert not any(row.sparse for row in aggregate(path, by="source", freq="week", min_documents=4).rows)

    table = list(csv.DictReader(io.StringIO(trends_csv(trends))))
    assert [(r["group"], r["period"], r["documents"], r["sparse"]) for r in table] == [
        ("a", "2024-01-29", "10", "false"), ("b", "2024-02-05", "4", "true")]
    assert (table[0][f"{FIRST}_share"], table[0][f"{FIRST}_share_low"], table[0][f"{FIRST}_share_high"]) == \
        ("0.3000", "0.1078", "0.6032")
    assert table[1][f"{FIRST}_mean_score"] == "0.5000"
    assert float(table[1][f"{FIRST}_mean_low"]) == pytest.approx(0.5 - half, abs=1e-4)


def test_one_group_without_by_and_the_date_field_fallback(tmp_path):
    rows = [doc(1, "a", "2024-03-04"), doc(2, "b", None, date="2024-03-05"), doc(3, "c", None)]
    rows[2]["seen"] = "2024-03-06"
    path = write_jsonl(tmp_path / "scored.jsonl", rows)
    trends = aggregate(path, freq="week")
    assert [(row.group, row.period, row.documents) for row in trends.rows] == [("all", date(2024, 3, 4), 2)]
    assert trends.skipped["no usable date"].count == 1
    assert trends.skipped["no usable date"].first.startswith(f"{path}:3: no date")
    named = aggregate(path, freq="week", date_field="seen")
    assert named.documents == 1 and named.skipped["no usable date"].count == 2


# ---------------------------------------------------------------------------------------------- bad input


def test_bad_rows_are_counted_and_skipped_with_file_and_line(tmp_path):
    good = sample_rows()[:3]
    passage = {**doc(9, "a", "2024-01-29"), "sentence": 0}
    path = write_jsonl(tmp_path / "scored.jsonl", [
        good[0], "{not json", passage, {"foo": 1}, "", doc(5, "a", None), doc(6, "a", "yesterday"),
        doc(7, None, "2024-01-29"), good[1], {**doc(8, "a", "2024-01-30"), "scores": {FIRST: "high"}},
        [1, 2], good[2],
    ])
    trends = aggregate(path, by="source", freq="week")
    assert trends.documents == 3 and trends.read == 6
    counts = {reason: (item.count, item.first) for reason, item in trends.skipped.items()}
    assert counts["malformed line"][0] == 1 and counts["malformed line"][1].startswith(f"{path}:2: malformed JSON")
    assert counts["passage row"] == (1, f"{path}:3: a passage row; trends need document rows (score without "
                                        f"--passages)")
    assert counts["not a scored document"][0] == 3
    assert counts["not a scored document"][1].startswith(f"{path}:4: not a scored document")
    deep = write_jsonl(tmp_path / "deep.jsonl", [good[0], "[" * 100_000, good[1]])  # over the parser's recursion
    deep_trends = aggregate(deep, by="source", freq="week")
    assert deep_trends.documents == 2
    assert deep_trends.skipped["malformed line"].first == f"{deep}:2: malformed JSON (nested too deeply)"
    assert counts["no usable date"][0] == 2 and counts["no usable date"][1].startswith(f"{path}:6: no date")
    assert counts["no group value"] == (1, f"{path}:8: no 'source' value")
    assert trends.skipped_rows == 8
    summary = trends.describe()
    assert "skipped 8 rows" in summary and f"{path}:2" in summary and "\n" not in summary


def test_unknown_freq_missing_by_field_and_nothing_scored_are_errors(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", sample_rows())
    with pytest.raises(ValueError, match="unknown --freq 'year'"):
        aggregate(path, by="source", freq="year")
    with pytest.raises(InputError, match="no row has a value for --by 'outlet'.*source"):
        aggregate(path, by="outlet", freq="week")
    with pytest.raises(InputError, match="no row has a 'seen' field"):
        aggregate(path, freq="week", date_field="seen")
    junk = write_jsonl(tmp_path / "junk.jsonl", ["{oops", {"id": 1}])
    with pytest.raises(InputError, match=r"no scored documents .*junk.jsonl:1: malformed JSON"):
        aggregate(junk, freq="week")
    with pytest.raises(InputError, match="no such file"):
        aggregate(tmp_path / "missing.jsonl", freq="week")


# ---------------------------------------------------------------------------------------------- formats


def test_jsonl_parts_parquet_and_csv_give_the_same_table(tmp_path):
    pytest.importorskip("pyarrow")
    from framewatch.io.writers import write_csv, write_parquet

    rows = sample_rows()
    single = write_jsonl(tmp_path / "scored.jsonl", rows)
    expected = trends_csv(aggregate(single, by="source", freq="week", min_documents=5))

    parts = tmp_path / "parts"
    parts.mkdir()
    write_jsonl(parts / "part-0002.jsonl", rows[8:])  # smaller than part 1: name order, not size
    write_jsonl(parts / "part-0001.jsonl", rows[:8])
    (parts / "_SUCCESS").write_text("")
    write_jsonl(parts / ".part-0003.jsonl.crc", ["not a part"])
    from_parts = aggregate(parts, by="source", freq="week", min_documents=5)
    assert from_parts.inputs == [str(parts / "part-0001.jsonl"), str(parts / "part-0002.jsonl")]
    assert trends_csv(from_parts) == expected and not from_parts.skipped

    parquet = tmp_path / "scored.parquet"
    write_parquet(single, parquet, passages=False, labels=LABELS)  # exactly what framewatch score writes
    import pyarrow.parquet as pq
    schema = pq.read_schema(parquet)
    assert str(schema.field("scores").type).startswith("struct") and str(schema.field("labels").type).startswith(
        "list")
    assert trends_csv(aggregate(parquet, by="source", freq="week", min_documents=5)) == expected

    with open(tmp_path / "scored.csv", "w", encoding="utf-8", newline="") as out:
        write_csv(single, out, passages=False, labels=LABELS)
    assert trends_csv(aggregate(tmp_path / "scored.csv", by="source", freq="week", min_documents=5)) == expected

    both = aggregate([parts, parquet], by="source", freq="week", min_documents=5)
    assert by_key(both)["a", "2024-01-29"].documents == 20


# ---------------------------------------------------------------------------------------------- outputs


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


def test_outputs_escape_hostile_names_and_inline_the_png(tmp_path):
    hostile = '<script>alert("x")</script>'
    rows = sample_rows() + [doc(40, hostile, "2024-02-06"), doc(41, "b", "2024-02-07", published_by="x")]
    source = write_jsonl(tmp_path / "<img src=x onerror=alert(1)>.jsonl", rows + ["{broken"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    trends = aggregate(source, by="source", freq="week", min_documents=5)
    files = write_trends(trends, out)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "trends.csv", "trends.html", "trends.png"]
    assert (out / "keep.txt").read_text() == "mine"
    assert files.png.read_bytes().startswith(PNG_SIGNATURE)

    page = files.html.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and parser.tags.count("img") == 1
    assert "&lt;script&gt;" in page
    text = "".join(parser.text)
    assert hostile in text and "<img src=x onerror=alert(1)>.jsonl" in text
    assert "1 malformed line" in text and "sparse" in text
    assert base64.b64decode(parser.images[0].removeprefix("data:image/png;base64,")) == files.png.read_bytes()
    assert list(csv.reader(io.StringIO(files.csv.read_text(encoding="utf-8"))))[1][0] == hostile


def test_more_than_ten_groups_plots_the_largest_ten_and_says_so(tmp_path):
    rows = [doc(f"{g}-{i}", f"outlet{g:02d}", "2024-01-01") for g in range(12) for i in range(g + 1)]
    trends = aggregate(write_jsonl(tmp_path / "scored.jsonl", rows), by="source", freq="month", min_documents=1)
    assert trends.groups()[:2] == ["outlet11", "outlet10"]
    page = render_html(trends, PNG_SIGNATURE)
    assert "Showing the 10 of 12 groups with most documents" in page
    plotted = page.split("Plotted groups:")[1].split("</figcaption>")[0]
    assert "outlet02" in plotted and "outlet01" not in plotted and "outlet00" not in plotted
    assert "outlet00" in page  # the table lists every group


def test_cli_end_to_end_and_one_line_errors(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", sample_rows() + ["{bad"])
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["trends", str(path), "--by", "source", "--freq", "week",
                                       "--min-documents", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"trends.csv", "trends.png", "trends.html"}
    assert "2 groups × 2 weeks" in result.output and f"{path}:15" in result.output
    assert list(csv.DictReader(open(out / "trends.csv", encoding="utf-8")))[1]["sparse"] == "true"

    for args, message in ((["--by", "outlet", "--freq", "week"], "Error: no row has a value for --by 'outlet'"),
                          (["--freq", "year"], "Error: unknown --freq 'year'; expected one of day, week, month")):
        result = CliRunner().invoke(main, ["trends", str(path), *args, "-o", str(tmp_path / "err")])
        assert result.exit_code == 1
        assert result.output.startswith(message) and result.output.count("\n") == 1
        assert not (tmp_path / "err").exists()
