"""Who holds a role: sources agree when they name the same person, whatever the spelling."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from claimcheck.compare import register
from claimcheck.compare.camps import split_camps_by
from claimcheck.compare.verdicts import NumberedValues, short_source
from claimcheck.models import Claim, Fact, Office, Person, Severity, Status, Verdict
from claimcheck.normalize.names import fold, same_person
from claimcheck.rules import OfficeComparator, Rule


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
    return _verdict(
        fact,
        rule,
        camps,
        label,
        _names,
        # One source names two people for this role: it is shared, or changed hands within
        # the story. Another source naming one of them contradicts nothing.
        several=lambda values: (
            f"{values} as {label}: one source names several holders, "
            "so the role is shared or changed hands; not a conflict."
        ),
    )


def _verdict(
    fact: Fact,
    rule: Rule,
    camps: list[tuple[Claim, ...]],
    subject: str,
    shown: Callable[[Sequence[Claim]], str],
    several: Callable[[str], str],
) -> Verdict:
    """The verdict on camps of people or offices: a source in two camps makes both true."""
    sources = fact.sources  # a pass over every claim: once
    values = [f"{', '.join(_sources(camp))} {_verb(camp)} {shown(camp)}" for camp in camps]
    fields = {
        "subject": subject,
        "value": shown(camps[0]),
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
        return Verdict(
            status=Status.AGREE,
            camps=tuple(camps),
            message=several("; ".join(values)),
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


# --------------------------------------------------------------------------- offices


def _office(claim: Claim) -> Office:
    assert isinstance(claim.value, Office)
    return claim.value


SAME, DIFFERENT, UNRELATED = "same", "different", "unrelated"
# 'Bolivia'/'Bolivian', 'Japan'/'Japanese', 'Iraq'/'Iraqi': one owner, written two ways.
_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ish")


def owners_relation(a: Office, b: Office) -> str:
    """Whether two offices' owners are one, two of a kind, or cannot be set side by side.

    Two owners the rules list (countries, big bodies) are one when their keys are. Two owners
    written out are one when one says less of the other ('county', 'Miami-Dade County';
    'Fire', 'Miami-Dade Fire Rescue') and two of a kind when they share a word but neither
    says less ('Miami', 'Miami-Dade County': a hyphenated word is one word, its parts are
    shared). Otherwise nothing says they differ: 'Rail World Inc' and 'MMA' may be a parent
    and its company, 'Basarnas' an acronym of 'National Search and Rescue Agency', and a
    listed country and a written-out body ('Russian' and 'Kherson') may both be true of one
    office."""
    if a.owner == b.owner:
        return SAME
    if a.owner_written is None and b.owner_written is None:
        return DIFFERENT
    if a.owner_written is None or b.owner_written is None:
        return UNRELATED
    shorter, longer = sorted((_owner_words(a), _owner_words(b)), key=len)
    rest = iter(longer)
    if all(any(_same_word(word, other) for other in rest) for word in shorter):
        return SAME  # (in order, not necessarily adjacent)
    parts = {part for word in longer for part in word.split("-")}
    if any(part in parts for word in shorter for part in word.split("-")):
        return DIFFERENT
    return UNRELATED


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short) and long[len(short) :] in _DEMONYM_ENDINGS


def _owner_words(office: Office) -> list[str]:
    assert office.owner_written is not None
    words = (fold(word).strip(".,") for word in office.owner_written.split())
    return [word.removesuffix("'s").removesuffix("’s") for word in words if word]


def office_fits(generic: frozenset[str], any_role: frozenset[str], a: Office, b: Office) -> bool:
    """Both can be true of one person: a role of the event (head of a delegation) and anything;
    offices of unrelated owners (see `owners_relation`); of one owner, the same role, or a
    generic role ('leader', 'spokesperson') and any other; of two owners of a kind, only
    different roles (a Russian minister may be a Belarusian envoy)."""
    if a.role in any_role or b.role in any_role:
        return True
    relation = owners_relation(a, b)
    if relation == UNRELATED:
        return True
    same_role = a.role == b.role or a.role in generic or b.role in generic
    return same_role if relation == SAME else not same_role


def _offices(camp: Sequence[Claim]) -> str:
    return " / ".join(dict.fromkeys(c.display for c in camp))


@register("office")
def compare_offices(fact: Fact, rule: Rule) -> Verdict:
    config = rule.compare
    assert isinstance(config, OfficeComparator)
    fits = partial(office_fits, frozenset(config.generic_roles), frozenset(config.any_roles))
    numbered = NumberedValues(fact.claims)
    camps = split_camps_by(fact.claims, numbered.of, numbered.comparing(fits))
    name = _office(camps[0][0]).name
    return _verdict(
        fact,
        rule,
        camps,
        name,
        _offices,
        # One source gives the person two offices: people hold several at once, and another
        # source naming one of them contradicts nothing.
        several=lambda values: (
            f"{values}: one source gives {name} several offices, which "
            "people can hold at once; not a conflict."
        ),
    )
