"""Figures agree when their ranges overlap (and, where the rule says so, floors are close)."""

from __future__ import annotations

from functools import partial

from claimcheck.compare import register
from claimcheck.compare.camps import any_source_pair_disagrees
from claimcheck.compare.verdicts import NumberedValues, value_verdict
from claimcheck.models import Claim, Fact, Interval, Severity, Status, Verdict
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


def _vague_word(claim: Claim) -> str | None:
    """'hundreds' of 'hundreds of soldiers': the word of a range no figure was written for
    (not '6,000 to 8,000', which is stated)."""
    value = claim.value
    if isinstance(value, Interval) and value.stated is None and value.hedge != "range":
        return value.hedge
    return None


@register("interval")
def compare_intervals(fact: Fact, rule: Rule) -> Verdict:
    config = rule.compare
    assert isinstance(config, IntervalComparator)
    compatible = partial(
        _compatible, tolerance=config.tolerance, floors_within=config.floors_within
    )
    verdict = value_verdict(fact, rule, compatible, _vagueness)
    if verdict.status is not Status.CONFLICT or verdict.severity is not None:
        return verdict
    written = [c for c in fact.claims if _vague_word(c) is None]
    if len(written) == len(fact.claims):
        return verdict
    numbered = NumberedValues(written)
    if any_source_pair_disagrees(written, numbered.of, numbered.comparing(compatible)):
        return verdict
    # Only a word such as 'hundreds' stands against the figures: worth a look, not an error
    # ('hundreds of soldiers, police and volunteers' may count more than the soldiers).
    vague = sorted({f"'{word}'" for c in fact.claims if (word := _vague_word(c)) is not None})
    detail = f"Only a figure given in words ({', '.join(vague)}) differs from the others."
    return verdict.model_copy(
        update={"severity": Severity.WARNING, "detail": verdict.detail or detail}
    )
