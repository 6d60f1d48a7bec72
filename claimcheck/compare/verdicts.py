"""The verdict logic every value comparator shares: source-level agreement, camps, messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from claimcheck.compare.camps import split_camps
from claimcheck.models import Claim, Fact, Status, Verdict
from claimcheck.rules import Rule


def short_source(source_id: str) -> str:
    """'000_6e4f8e082c0ffab3.txt' reads as '000' in messages; other ids stay whole."""
    stem = source_id.rsplit("/", 1)[-1]
    head = stem.split("_", 1)[0]
    return head if head != stem and head else stem.rsplit(".", 1)[0]


def conflicting_sources(
    claims: Sequence[Claim], compatible: Callable[[Claim, Claim], bool]
) -> list[tuple[str, str]]:
    """Pairs of sources none of whose claims agree with any claim of the other.

    A source that gives two dates for 'the meeting in Geneva' (a Sunday dinner and the
    Monday talks) is not contradicted by a source that gives only one of them.
    """
    by_source: dict[str, list[Claim]] = {}
    for claim in claims:
        by_source.setdefault(claim.source, []).append(claim)
    names = sorted(by_source)
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if not any(compatible(x, y) for x in by_source[a] for y in by_source[b]):
                pairs.append((a, b))
    return pairs


def value_verdict(
    fact: Fact,
    rule: Rule,
    compatible: Callable[[Claim, Claim], bool],
    vagueness: Callable[[Claim], float] | None = None,
) -> Verdict:
    camps = split_camps(fact.claims, compatible, vagueness)
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
    if conflicting_sources(fact.claims, compatible):
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
