"""The verdict logic every value comparator shares: source-level agreement, camps, messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from claimcheck.compare.camps import any_source_pair_disagrees, split_camps_by
from claimcheck.models import Claim, Fact, Status, Value, Verdict, value_key
from claimcheck.rules import Rule


@lru_cache(maxsize=1 << 16)
def short_source(source_id: str) -> str:
    """'000_6e4f8e082c0ffab3.txt' reads as '000' in messages; other ids stay whole.
    (Worked out once per source: messages name each source once per claim.)"""
    stem = source_id.rsplit("/", 1)[-1]
    head = stem.split("_", 1)[0]
    return head if head != stem and head else stem.rsplit(".", 1)[0]


class NumberedValues:
    """A fact's distinct values, numbered once, so that camps and source checks key claims by
    small ints instead of hashing and comparing pydantic values (Python code) again and again.

    Values are told apart by `value_key`; the first claim stating a value stands for every
    claim stating it, as it would as a key.
    """

    def __init__(self, claims: Sequence[Claim]) -> None:
        self.values: list[Value] = []
        self._of_claim: dict[int, int] = {}
        seen: dict[tuple[object, ...], int] = {}
        for claim in claims:
            value = claim.value
            key = value_key(value)
            number = seen.get(key)
            if number is None:
                number = seen[key] = len(self.values)
                self.values.append(value)
            self._of_claim[id(claim)] = number

    def of(self, claim: Claim) -> int:
        return self._of_claim[id(claim)]

    def comparing(self, compatible: Callable[[Any, Any], bool]) -> Callable[[int, int], bool]:
        values = self.values

        def numbered(a: int, b: int) -> bool:
            return compatible(values[a], values[b])

        return numbered


def value_verdict(
    fact: Fact,
    rule: Rule,
    compatible: Callable[[Any, Any], bool],
    vagueness: Callable[[Claim], float] | None = None,
) -> Verdict:
    """The verdict of a comparator that looks only at normalised values (`compatible` takes
    two values), so claims stating the same value are compared once."""
    numbered = NumberedValues(fact.claims)
    fits = numbered.comparing(compatible)
    camps = split_camps_by(fact.claims, numbered.of, fits, vagueness)
    sources = fact.sources
    if len(sources) < 2:
        return Verdict(
            status=Status.SINGLE_SOURCE,
            camps=tuple(camps),
            message=rule.messages.single_source.format(
                source=short_source(sources[0]),
                value=_camp_value(camps[0]),
                count=1,
                sources_values=_sources_values(camps),
            ),
        )
    if any_source_pair_disagrees(fact.claims, numbered.of, fits):
        return Verdict(
            status=Status.CONFLICT,
            camps=tuple(camps),
            message=rule.messages.conflict.format(
                sources_values=_sources_values(camps),
                count=len(sources),
                value=_camp_value(camps[0]),
                source=short_source(sources[0]),
            ),
        )
    return Verdict(
        status=Status.AGREE,
        camps=tuple(camps),
        message=rule.messages.agree.format(
            count=len(sources),
            value=_camp_value(camps[0]),
            sources_values=_sources_values(camps),
            source=short_source(sources[0]),
        ),
    )


def _camp_value(camp: Sequence[Claim]) -> str:
    return "; ".join(dict.fromkeys(c.display for c in camp))


def _sources_values(camps: Sequence[Sequence[Claim]]) -> str:
    """'001, 003 say about 100,000 [90,000–110,000]; 002 says 175,000'."""
    phrases = []
    for camp in camps:
        names = sorted({short_source(c.source) for c in camp})
        verb = "says" if len(names) == 1 else "say"
        phrases.append(f"{', '.join(names)} {verb} {_camp_value(camp)}")
    return "; ".join(phrases)
