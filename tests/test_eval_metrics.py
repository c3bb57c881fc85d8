"""Metric functions on tiny cases computed by hand."""
import numpy as np
import pytest

from framewatch.eval import metrics as M


def column(values):
    return np.array(values)[:, None]


def test_prf_hand_computed():
    np.testing.assert_allclose(M.per_label_prf(column([1, 1, 0, 0]), column([1, 0, 1, 0]))[0], (0.5, 0.5, 0.5))
    np.testing.assert_allclose(M.per_label_prf(column([1, 1, 1, 0]), column([1, 1, 0, 0]))[0], (1.0, 2 / 3, 0.8))


def test_label_without_positives_and_model_that_predicts_nothing():
    y_true = np.array([[1, 0], [0, 0], [1, 0]])
    nothing = np.zeros_like(y_true)
    table = M.per_label_prf(y_true, nothing)
    np.testing.assert_array_equal(table, np.zeros((2, 3)))
    assert M.macro_f1(y_true, nothing) == 0.0 and M.micro_f1(y_true, nothing) == 0.0
    # a label with no positives that the model does predict: precision 0, recall 0
    np.testing.assert_array_equal(M.per_label_prf(column([0, 0, 0]), column([1, 0, 0]))[0], (0.0, 0.0, 0.0))
    assert M.pr_auc([0, 0, 0], [0.2, 0.5, 0.1]) is None


def test_micro_pools_and_macro_averages():
    y_true = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])
    y_pred = np.array([[1, 0], [1, 0], [0, 0], [1, 0]])
    # label 0: tp 2, fp 1, fn 0 → F1 0.8; label 1: tp 0 → F1 0
    assert M.macro_f1(y_true, y_pred) == pytest.approx(0.4)
    # pooled: tp 2, predicted 3, actual 4 → 4/7
    assert M.micro_f1(y_true, y_pred) == pytest.approx(4 / 7)


def test_pr_auc_perfect_and_inverted():
    assert M.pr_auc([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8]) == pytest.approx(1.0)
    assert M.pr_auc([1, 0, 0, 0], [0.1, 0.9, 0.8, 0.7]) == pytest.approx(0.25)


def test_ece_hand_computed():
    scores = np.array([0.9, 0.9, 0.1, 0.1])
    y = np.array([1, 0, 0, 0])
    # bin 0.9: mean 0.9 vs rate 0.5 (gap 0.4, 2 items); bin 0.1: 0.1 vs 0 (gap 0.1, 2 items)
    assert M.expected_calibration_error(y, scores) == pytest.approx(0.25)
    assert M.expected_calibration_error(np.array([1, 0]), np.array([1.0, 0.0])) == pytest.approx(0.0)


def test_document_bootstrap_keeps_documents_whole():
    groups = ["a", "a", "b", "c", "c", "c"]
    rng = np.random.default_rng(0)
    for _ in range(20):
        idx = M.resample_indices(groups, len(groups), rng)
        drawn = [groups[i] for i in idx]
        for doc in set(drawn):
            assert drawn.count(doc) % groups.count(doc) == 0


def test_bootstrap_interval_contains_the_estimate():
    y_true = np.array([1, 0, 1, 1, 0, 0, 1, 0] * 5)
    y_pred = np.array([1, 0, 0, 1, 0, 1, 1, 0] * 5)
    f1 = lambda i: M.micro_f1(column(y_true[i]), column(y_pred[i]))  # noqa: E731
    low, high = M.bootstrap_ci(f1, len(y_true), n_resamples=200)
    assert low <= f1(np.arange(len(y_true))) <= high and low < high


def test_paired_bootstrap_of_identical_models_is_zero():
    y = np.array([[1], [0], [1], [0]])
    pred = np.array([[1], [0], [0], [0]])
    stat = lambda i: M.macro_f1(y[i], pred[i])  # noqa: E731
    result = M.paired_bootstrap(stat, stat, 4, n_resamples=50)
    assert result["difference"] == 0 and result["ci_low"] == result["ci_high"] == 0
    assert result["p_not_better"] == 1.0


def test_recall_at_precision_is_the_best_operating_point():
    y = np.array([1, 1, 0, 1, 0, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    # thresholds from the top: P/R = 1/.25, 1/.5, .67/.5, .75/.75, .6/.75, .5/.75, .57/1, .5/1
    assert M.recall_at_precision(y, scores, 0.60) == pytest.approx(0.75)
    assert M.recall_at_precision(y, scores, 0.55) == pytest.approx(1.0)
    assert M.recall_at_precision(y, scores, 1.01) == 0.0
    assert M.recall_at_precision(np.zeros(4, dtype=int), scores[:4], 0.6) is None
