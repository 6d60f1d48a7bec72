"""Dates agree when every part both know is the same (a bare weekday matches its dates)."""

from __future__ import annotations

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
    return value_verdict(fact, rule, compatible, _vagueness)
