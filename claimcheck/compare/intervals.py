"""Figures agree when their ranges overlap."""

from __future__ import annotations

from functools import partial

from claimcheck.compare import register
from claimcheck.compare.verdicts import value_verdict
from claimcheck.models import Claim, Fact, Interval, Verdict
from claimcheck.normalize.numbers import overlaps
from claimcheck.rules import IntervalComparator, Rule


def _compatible(a: Interval, b: Interval, tolerance: float) -> bool:
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
    return value_verdict(fact, rule, partial(_compatible, tolerance=config.tolerance), _vagueness)
