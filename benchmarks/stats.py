"""Paired ratios and their confidence intervals: how the CPU tables compare contenders.

This machine drifts: a contender's median CPU time per request moves by 10-20 % from one run to
the next, and within a run, whole stretches run slower when something else takes a core. A
ratio of two medians taken over the whole run carries that drift into the comparison.

The CPU phase runs in interleaved rounds (:func:`benchmarks.harness.measure_cpu`): in each round
every contender runs one batch of the same operation, back to back. Dividing a contender's
sample by the reference's sample *from the same round* gives one paired ratio per round, and
drift that lasts longer than a round cancels out of it. The tables report the median of those
per-round ratios and a 95 % confidence interval for it.

The interval is a percentile bootstrap: draw ``len(ratios)`` ratios with replacement, take
their median, repeat ``resamples`` times, and take the 2.5th and 97.5th percentiles of those
medians (linear interpolation between the closest ranks). It assumes nothing about the shape
of the distribution, which matters here because slow rounds make it skewed. The generator is
``random.Random(seed)``, so the same samples always give the same interval. With few rounds
the interval is coarse: the bootstrap median can only take values from the data (or midpoints
of two of them), so the bounds never leave ``[min(ratios), max(ratios)]``.

:func:`verdict` reads an interval against a threshold: ``below`` when the whole interval is
under it, ``above`` when the whole interval is over it, ``inconclusive`` when it straddles it.
Against 1.0 that says whether a contender costs less or more than the reference at this run's
resolution. Against 1.05 it asks whether it costs at most 5 % more.

Everything here is pure Python on plain lists of floats, so a reader can recompute the tables
from the per-round samples in a results JSON.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 0

Verdict = Literal["below", "above", "inconclusive"]


def median(values: Sequence[float]) -> float:
    """The middle value; the mean of the two middle values for an even count."""
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def percentile(ordered: Sequence[float], q: float) -> float:
    """The ``q``-quantile (0 <= q <= 1) of already sorted values, interpolating linearly
    between the closest ranks (rank ``q * (n - 1)``, as numpy's default)."""
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile {q} outside [0, 1]")
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def paired_ratios(samples: Sequence[float], reference: Sequence[float]) -> list[float]:
    """``samples[i] / reference[i]`` for every round ``i``: both lists come from the same
    interleaved rounds, in round order."""
    if len(samples) != len(reference):
        raise ValueError(f"unpaired samples: {len(samples)} against {len(reference)} rounds")
    if any(r <= 0 for r in reference):
        raise ValueError("reference samples must be positive")
    return [s / r for s, r in zip(samples, reference, strict=True)]


def bootstrap_ci(
    values: Sequence[float],
    *,
    confidence: float = CONFIDENCE,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the median of ``values``: ``(low, high)``."""
    if not values:
        raise ValueError("bootstrap of no values")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence {confidence} outside (0, 1)")
    rng = random.Random(seed)
    n = len(values)
    medians = sorted(median(rng.choices(values, k=n)) for _ in range(resamples))
    tail = (1.0 - confidence) / 2
    return percentile(medians, tail), percentile(medians, 1.0 - tail)


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """``(median, min, max)``: a few phases' values, so that their spread stays visible."""
    return median(values), float(min(values)), float(max(values))


def verdict(low: float, high: float, threshold: float = 1.0) -> Verdict:
    """Where the interval ``[low, high]`` lies relative to ``threshold``."""
    if high < threshold:
        return "below"
    if low > threshold:
        return "above"
    return "inconclusive"


@dataclass(frozen=True)
class PairedRatio:
    """The median of per-round paired ratios with its bootstrap interval."""

    median: float
    low: float
    high: float
    rounds: int

    def verdict(self, threshold: float = 1.0) -> Verdict:
        return verdict(self.low, self.high, threshold)

    def as_dict(self, digits: int = 4) -> dict[str, float | int | str]:
        return {
            "median": round(self.median, digits),
            "low": round(self.low, digits),
            "high": round(self.high, digits),
            "rounds": self.rounds,
            "verdict": self.verdict(),
        }


def paired_ratio(
    samples: Sequence[float],
    reference: Sequence[float],
    *,
    confidence: float = CONFIDENCE,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> PairedRatio:
    """Median paired ratio of ``samples`` to ``reference`` and its bootstrap interval."""
    ratios = paired_ratios(samples, reference)
    low, high = bootstrap_ci(ratios, confidence=confidence, resamples=resamples, seed=seed)
    return PairedRatio(median(ratios), low, high, len(ratios))
