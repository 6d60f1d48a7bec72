"""Dates agree when every part both know is the same (a bare weekday matches its dates)."""

from __future__ import annotations

from functools import partial

from claimcheck.compare import register
from claimcheck.compare.verdicts import value_verdict
from claimcheck.models import Claim, DateValue, Fact, Verdict
from claimcheck.normalize.dates import compatible
from claimcheck.rules import Rule


def _vagueness(claim: Claim) -> float:
    """Full dates found the camps; month-and-day, then bare weekdays, join them."""
    value = claim.value
    assert isinstance(value, DateValue)
    known = sum(x is not None for x in (value.year, value.month, value.day))
    return float(3 - known) + (0.5 if value.weekday is None else 0.0)


@register("date")
def compare_dates(fact: Fact, rule: Rule) -> Verdict:
    span = max((_days(claim) for claim in fact.claims), default=1)
    check = compatible if span == 1 else partial(_days_of_one_event, span=span)
    return value_verdict(fact, rule, check, _vagueness)


def _days(claim: Claim) -> int:
    value = claim.value
    assert isinstance(value, DateValue)
    return value.days or 1


def _days_of_one_event(a: DateValue, b: DateValue, span: int) -> bool:
    """A source says the event lasted `span` days ('the two-day summit ended on Wednesday'):
    'opened on Tuesday' and 'met on Wednesday' in two others may both be right, so full dates
    fewer days apart than that are not set against each other."""
    if a.date is not None and b.date is not None:
        return abs((a.date - b.date).days) < span
    return compatible(a, b)
