"""Figures agree when their ranges overlap (and, where the rule says so, floors are close)."""

from __future__ import annotations

from functools import partial

from claimcheck.compare import register
from claimcheck.compare.verdicts import value_verdict
from claimcheck.models import Claim, Fact, Interval, Verdict
from claimcheck.normalize.numbers import overlaps
from claimcheck.rules import IntervalComparator, Rule


def _compatible(a: Interval, b: Interval, tolerance: float, floors_within: float | None) -> bool:
    if floors_within is not None and a.high is None and b.high is None:
        higher = max(a.low, b.low)
        if higher > 0 and higher - min(a.low, b.low) > floors_within * higher:
            return False  # 'more than 2,200' and 'more than 2,700'
    return overlaps(a, b, tolerance)


def _vagueness(claim: Claim) -> float:
    """Relative width of the range; open-ended ranges are the vaguest."""
    value = claim.value
    assert isinstance(value, Interval)
    if value.high is None:
        return float("inf")
    scale = max(abs(value.stated or 0.0), abs(value.high), 1e-9)
    return (value.high - value.low) / scale


@register("interval")
def compare_intervals(fact: Fact, rule: Rule) -> Verdict:
    config = rule.compare
    assert isinstance(config, IntervalComparator)
    return value_verdict(
        fact,
        rule,
        partial(_compatible, tolerance=config.tolerance, floors_within=config.floors_within),
        _vagueness,
    )
