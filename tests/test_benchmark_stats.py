"""The benchmark's statistics (``benchmarks/stats.py``) on small inputs computed by hand, and the
CPU summary and table row built from them."""

from __future__ import annotations

import random

import pytest

from benchmarks import harness, report, stats


def test_median_odd_even_and_single() -> None:
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert stats.median([5.0]) == 5.0
    with pytest.raises(ValueError):
        stats.median([])


def test_percentile_interpolates_between_closest_ranks() -> None:
    assert stats.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.25) == 2.0
    assert stats.percentile([10.0, 20.0], 0.5) == 15.0
    # rank 0.975 * 3 = 2.925: 3 + 0.925 * (4 - 3)
    assert stats.percentile([1.0, 2.0, 3.0, 4.0], 0.975) == pytest.approx(3.925)
    assert stats.percentile([7.0], 0.025) == 7.0
    with pytest.raises(ValueError):
        stats.percentile([1.0], 1.5)


def test_paired_ratios_divide_round_by_round() -> None:
    assert stats.paired_ratios([2.0, 3.0, 9.0], [4.0, 3.0, 3.0]) == [0.5, 1.0, 3.0]
    with pytest.raises(ValueError, match="unpaired"):
        stats.paired_ratios([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="positive"):
        stats.paired_ratios([1.0], [0.0])


def test_paired_ratio_cancels_drift_between_rounds() -> None:
    # The reference drifts by 2x across rounds; the contender costs 0.9 of it in every round.
    drf = [100.0, 200.0, 150.0, 120.0, 180.0]
    ours = [90.0, 180.0, 135.0, 108.0, 162.0]
    ratio = stats.paired_ratio(ours, drf)
    assert ratio == stats.PairedRatio(median=0.9, low=0.9, high=0.9, rounds=5)
    assert ratio.verdict() == "below"
    assert ratio.as_dict() == {
        "median": 0.9,
        "low": 0.9,
        "high": 0.9,
        "rounds": 5,
        "verdict": "below",
    }


def test_bootstrap_ci_of_two_values() -> None:
    # Resampled medians of [1, 3] are 1, 2 or 3 with probabilities 1/4, 1/2, 1/4: out of 2000,
    # far more than the 2.5 % (50) at each end are 1 and 3, so the bounds are the data's ends.
    assert stats.bootstrap_ci([1.0, 3.0]) == (1.0, 3.0)


def test_bootstrap_ci_of_constant_values_is_a_point() -> None:
    assert stats.bootstrap_ci([1.25] * 7) == (1.25, 1.25)


def test_bootstrap_ci_contains_the_median_and_stays_within_the_data() -> None:
    ratios = [0.95, 0.97, 0.92, 1.01, 0.94, 0.96, 0.93, 0.98, 0.99, 0.90, 0.95]
    low, high = stats.bootstrap_ci(ratios)
    assert min(ratios) <= low <= stats.median(ratios) == 0.95 <= high <= max(ratios)
    assert low < high
    narrow_low, narrow_high = stats.bootstrap_ci(ratios, confidence=0.5)
    assert low <= narrow_low <= narrow_high <= high


def test_bootstrap_ci_is_deterministic_for_a_seed() -> None:
    ratios = [1.10, 0.95, 1.30, 1.02, 0.99, 1.20, 1.05]
    first = stats.bootstrap_ci(ratios, seed=7)
    random.seed(12345)  # the global generator plays no part
    random.random()
    assert stats.bootstrap_ci(ratios, seed=7) == first
    assert stats.bootstrap_ci(ratios, seed=7, resamples=500) == stats.bootstrap_ci(
        ratios, seed=7, resamples=500
    )


def test_bootstrap_ci_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        stats.bootstrap_ci([])
    with pytest.raises(ValueError):
        stats.bootstrap_ci([1.0], confidence=1.0)


def test_verdict_against_a_threshold() -> None:
    assert stats.verdict(0.90, 0.96) == "below"
    assert stats.verdict(1.02, 1.10) == "above"
    assert stats.verdict(0.98, 1.03) == "inconclusive"
    assert stats.verdict(0.98, 1.00) == "inconclusive"  # touching the threshold is not below
    assert stats.verdict(0.98, 1.03, threshold=1.05) == "below"
    assert stats.verdict(1.06, 1.08, threshold=1.05) == "above"


def test_spread() -> None:
    assert stats.spread([3.0, 1.0, 2.0, 10.0]) == (2.5, 1.0, 10.0)


def test_cpu_summary_and_table_row() -> None:
    samples = {
        "list": {
            "drf": harness.Samples(cpu_us=[100.0, 200.0], wall_us=[110.0, 210.0]),
            "floor": harness.Samples(cpu_us=[50.0, 100.0], wall_us=[55.0, 105.0]),
            "ours": harness.Samples(cpu_us=[90.0, 220.0], wall_us=[95.0, 230.0]),
        }
    }
    summary = harness.summarise_cpu(samples)["list"]
    ours = summary["ours"]
    assert ours["cpu_us"] == [90.0, 220.0]
    assert ours["cpu_us_median"] == 155.0
    # ours / drf by round: 0.9 and 1.1; ours / floor: 1.8 and 2.2
    assert ours["ratio_to_drf"] == {
        "median": 1.0,
        "low": 0.9,
        "high": 1.1,
        "rounds": 2,
        "verdict": "inconclusive",
    }
    assert ours["ratio_to_floor"] == {
        "median": 2.0,
        "low": 1.8,
        "high": 2.2,
        "rounds": 2,
        "verdict": "above",
    }
    assert summary["floor"]["ratio_to_drf"]["median"] == 0.5
    assert summary["drf"]["ratio_to_drf"]["verdict"] == "inconclusive"

    lines = report._cpu_table(harness.summarise_cpu(samples), {"rounds": 2, "batch": 25})
    assert "| list | drf | 150 | ref | 2.00 [2.00\u20132.00] |  |" in lines
    assert "|  | floor | 75 | 0.50 [0.50\u20130.50] | ref | lower |" in lines
    assert "|  | ours | 155 | 1.00 [0.90\u20131.10] | 2.00 [1.80\u20132.20] | \u2248 |" in lines
