"""Who holds a role: sources agree when they name the same person, whatever the spelling."""

from __future__ import annotations

from collections.abc import Sequence

from claimcheck.compare import register
from claimcheck.compare.camps import split_camps_by
from claimcheck.compare.verdicts import NumberedValues, short_source
from claimcheck.models import Claim, Fact, Person, Severity, Status, Verdict
from claimcheck.normalize.names import same_person
from claimcheck.rules import Rule


def _person(claim: Claim) -> Person:
    assert isinstance(claim.value, Person)
    return claim.value


def same_holder(a: Person, b: Person) -> bool:
    """One person: the same id, or spellings no folding joins (Lukashenka ~ Lukashenko)."""
    return a.person == b.person or same_person(a.name, b.name)


def _names(camp: Sequence[Claim]) -> str:
    return " / ".join(dict.fromkeys(_person(c).name for c in camp))


def _sources(camp: Sequence[Claim]) -> list[str]:
    return sorted({short_source(c.source) for c in camp})


@register("person")
def compare_people(fact: Fact, rule: Rule) -> Verdict:
    numbered = NumberedValues(fact.claims)
    camps = split_camps_by(fact.claims, numbered.of, numbered.comparing(same_holder))
    label = fact.subject_label
    sources = fact.sources  # a pass over every claim: once
    values = [f"{', '.join(_sources(camp))} {_verb(camp)} {_names(camp)}" for camp in camps]
    fields = {
        "subject": label,
        "value": _names(camps[0]),
        "count": len(sources),
        "source": short_source(sources[0]),
        "sources_values": "; ".join(values),
    }
    if len(sources) < 2:
        return Verdict(
            status=Status.SINGLE_SOURCE,
            camps=tuple(camps),
            message=rule.messages.single_source.format(**fields),
        )
    if len(camps) == 1:
        return Verdict(
            status=Status.AGREE, camps=tuple(camps), message=rule.messages.agree.format(**fields)
        )
    if _held_by_several(camps):
        # One source names two people for this role: it is shared, or changed hands within
        # the story. Another source naming one of them contradicts nothing.
        return Verdict(
            status=Status.AGREE,
            camps=tuple(camps),
            message=f"{'; '.join(values)} as {label}: one source names several holders, "
            "so the role is shared or changed hands; not a conflict.",
            severity=Severity.INFO,
        )
    return Verdict(
        status=Status.CONFLICT,
        camps=tuple(camps),
        message=rule.messages.conflict.format(**fields),
    )


def _verb(camp: Sequence[Claim]) -> str:
    return "names" if len({c.source for c in camp}) == 1 else "name"


def _held_by_several(camps: Sequence[Sequence[Claim]]) -> bool:
    seen: dict[str, int] = {}
    for index, camp in enumerate(camps):
        for claim in camp:
            if seen.setdefault(claim.source, index) != index:
                return True
    return False
