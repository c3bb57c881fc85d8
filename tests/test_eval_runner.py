"""``framewatch eval`` end to end on a tiny labelled file, including the HTML report in headless Chromium."""
import base64
import json
import shutil
import subprocess

import numpy as np
import pytest
from click.testing import CliRunner

from framewatch.cli import main
from framewatch.data.taxonomy import LABELS
from framewatch.eval import evaluate
from framewatch.eval.report import write_reports

GOLD = [
    {"id": "1", "doc_id": "d1", "source": "fakes_syria/sana", "text": "The ministry said 40 militants were killed.",
     "labels": ["unverified_casualty_claim"]},
    {"id": "2", "doc_id": "d1", "source": "fakes_syria/sana", "text": "Officials declined to comment on the reports.",
     "labels": ["official_denial", "anonymous_source"]},
    {"id": "3", "doc_id": "d2", "source": "muc34", "text": "The weather in the capital was mild on Tuesday.",
     "labels": []},
    {"id": "4", "doc_id": "d3", "source": "muc34", "text": "A source who requested anonymity said the talks failed.",
     "labels": ["anonymous_source"]},
]


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in GOLD))
    return path


@pytest.fixture
def models(tiny_lexical, tmp_path):
    good = tiny_lexical.save_pretrained(tmp_path / "good")
    silent = tiny_lexical.save_pretrained(tmp_path / "silent")
    config = json.loads((silent / "config.json").read_text())
    config["thresholds"] = [1.5] * len(LABELS)  # over any probability: predicts nothing
    (silent / "config.json").write_text(json.dumps(config))
    return str(good), str(silent)


def test_metrics_json_schema_and_values(gold_file, models, tmp_path):
    out = tmp_path / "report"
    result = evaluate(gold_file, models, n_bootstrap=50, with_lfs=False)
    write_reports(result, out)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics == json.loads(json.dumps(result.metrics))
    good, silent = (metrics["models"][m] for m in models)
    for model in (good, silent):
        assert set(model) >= {"macro_f1", "micro_f1", "ece", "per_label"}
        assert set(model["per_label"]) == set(LABELS)
        for row in model["per_label"].values():
            assert set(row) >= {"precision", "recall", "f1", "support", "pr_auc", "threshold"}
    # the silent model predicts nothing: every F1 is 0
    assert silent["macro_f1"] == 0 and silent["micro_f1"] == 0
    assert all(row["predicted"] == 0 for row in silent["per_label"].values())
    # labels without positives in the data have no PR-AUC and support 0
    assert silent["per_label"]["collapse_narrative"] == {**silent["per_label"]["collapse_narrative"],
                                                          "support": 0, "pr_auc": None}
    # the fitted toy model gets its three toy labels right on these sentences
    assert good["per_label"]["unverified_casualty_claim"]["f1"] == 1.0
    assert good["per_label"]["anonymous_source"]["support"] == 2
    assert metrics["data"]["bootstrap"]["unit"] == "document" and metrics["data"]["n_documents"] == 3
    assert set(good["per_source"]) == {"fakes_syria", "muc34"}
    comparison = metrics["comparisons"][0]
    assert comparison["a"] == models[0] and comparison["difference"] == pytest.approx(good["macro_f1"])
    assert good["errors"]["official_denial"]["false_negatives"] or good["per_label"]["official_denial"]["f1"] == 1


def test_report_files(gold_file, models, tmp_path):
    out = tmp_path / "report"
    write_reports(evaluate(gold_file, models, n_bootstrap=20, with_lfs=False), out)
    names = {p.name for p in out.iterdir()}
    assert {"metrics.json", "report.md", "report.html", "reliability.png"} <= names
    assert sum(n.startswith("pr_curves_") for n in names) == 2
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 3 and 'src="http' not in html
    encoded = html.split("data:image/png;base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(encoded)[:4] == b"\x89PNG"
    assert "| model | macro F1" in (out / "report.md").read_text()


def test_unknown_labels_fail_unless_ignored(tmp_path, models):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "Some text.", "labels": ["propaganda"]}) + "\n")
    runner = CliRunner()
    result = runner.invoke(main, ["eval", "--data", str(path), "--model", models[0], "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "gold.jsonl:1: unknown labels ['propaganda']" in result.output
    result = runner.invoke(main, ["eval", "--data", str(path), "--model", models[0], "--out", str(tmp_path / "o"),
                                  "--ignore-unknown", "--bootstrap", "0", "--no-lfs"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "o").with_name(".o.tmp").exists()


def test_malformed_line_is_named(tmp_path, models):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "1", "text": "Fine.", "labels": []}\n{"id": "2", "text": "x", "labels": "nope"}\n')
    result = CliRunner().invoke(main, ["eval", "--data", str(path), "--model", models[0], "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "gold.jsonl:2: field 'labels'" in result.output
    assert not (tmp_path / "o").exists()


def test_out_never_replaces_a_folder_eval_did_not_write(gold_file, models, tmp_path):
    precious = tmp_path / "gold"
    precious.mkdir()
    (precious / "train.jsonl").write_text("keep me\n")
    runner = CliRunner()
    args = ["eval", "--data", str(gold_file), "--model", models[0], "--bootstrap", "0", "--no-lfs"]
    result = runner.invoke(main, args + ["--out", str(precious)])
    assert result.exit_code == 1
    assert "not written by framewatch eval" in result.output and "--overwrite" in result.output
    assert (precious / "train.jsonl").read_text() == "keep me\n"
    # a previous report is replaced whole: nothing stale survives
    report = tmp_path / "report"
    assert runner.invoke(main, args + ["--out", str(report)]).exit_code == 0
    (report / "stale.txt").write_text("from an older run")
    assert runner.invoke(main, args + ["--out", str(report)]).exit_code == 0
    assert not (report / "stale.txt").exists() and (report / "metrics.json").is_file()
    assert runner.invoke(main, args + ["--out", str(precious), "--overwrite"]).exit_code == 0
    assert not (precious / "train.jsonl").exists()


def test_report_directory_gets_the_umask_permissions(gold_file, models, tmp_path):
    import os

    previous = os.umask(0o022)
    try:
        write_reports(evaluate(gold_file, models, n_bootstrap=0, with_lfs=False), tmp_path / "report")
    finally:
        os.umask(previous)
    assert (tmp_path / "report").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "report" / "metrics.json").stat().st_mode & 0o777 == 0o644


def test_hostile_text_is_escaped_in_the_html_report(models, tmp_path):
    from html.parser import HTMLParser

    hostile = '<script>alert(1)</script> " </mark> <img src=x onerror=alert(2)>'
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps({"id": f"{hostile}{i}", "doc_id": f"d{i}", "text": f"{hostile} said {i}.",
                                        "labels": ["anonymous_source"] if i % 2 else []}) + "\n" for i in range(6)))
    write_reports(evaluate(path, models[:1], n_bootstrap=0, with_lfs=False), tmp_path / "report")
    page = (tmp_path / "report" / "report.html").read_text()

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.handlers = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.handlers += [name for name, _ in attrs if name.startswith("on")]

    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and parser.handlers == [] and parser.tags.count("img") == 2  # the two plots
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(chromium() is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_report_html_renders_with_plots_in_headless_chromium(gold_file, models, tmp_path):
    out = tmp_path / "report"
    write_reports(evaluate(gold_file, models, n_bootstrap=20, with_lfs=False), out)
    shot = tmp_path / "shot.png"
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,2400", f"--screenshot={shot}",
         (out / "report.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    from PIL import Image

    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image.shape[0] >= 2000
    # the plots put many distinct non-grey colours on the page; a page of text and tables would not
    colourful = (np.abs(image[..., 0] - image[..., 1]) + np.abs(image[..., 1] - image[..., 2])) > 60
    assert colourful.sum() > 2000


def test_slices_score_only_labels_with_enough_positives():
    from framewatch.eval.runner import MIN_SLICE_POSITIVES, slice_scores

    y = np.zeros((60, len(LABELS)), dtype=np.int8)
    y[:MIN_SLICE_POSITIVES, 0] = 1          # enough positives: scored
    y[:MIN_SLICE_POSITIVES - 1, 1] = 1      # one short: left out, however it is predicted
    predictions = y.copy()
    predictions[:10, 0] = 0                 # half the label-0 positives missed
    scores = slice_scores(y, predictions)
    assert set(scores["labels"]) == {LABELS[0]} and scores["n"] == 60
    assert scores["labels"][LABELS[0]] == pytest.approx(2 * 0.5 / 1.5, abs=1e-4) == scores["macro_f1"]
    assert slice_scores(y[:5], predictions[:5])["macro_f1"] is None
