"""Alignment: claims about the same fact are grouped by key, never compared all against all.

A subject may carry a qualifier that pins down which fact it is: a place ("meeting:geneva") or
a day ("talks@2022-01-10"). A claim whose qualifier is missing or weaker (no place; a bare
weekday) joins the one group it can only belong to; when it could belong to several, it is left
on its own as unresolved rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from claimcheck.models import Claim, DateValue, Fact
from claimcheck.normalize import ANCHOR_SEPARATOR, WEEKDAYS
from claimcheck.normalize.dates import pins_down

PLACE_SEPARATOR = ":"
UNRESOLVED = "#unresolved"


def align(claims: Iterable[Claim]) -> list[Fact]:
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[(claim.rule, claim.subject)].append(claim)
    _merge_anchors(groups)
    _merge_places(groups)
    facts = []
    for (rule, subject), members in groups.items():
        if not members:
            continue
        members.sort(key=lambda c: c.sort_key)
        facts.append(
            Fact(
                kind=members[0].kind,
                subject=subject,
                subject_label=_label(members) + _qualifier_label(subject),
                rule=rule,
                claims=tuple(members),
            )
        )
    facts.sort(key=lambda f: (f.kind, f.subject, f.rule))
    return facts


def _label(members: list[Claim]) -> str:
    """The most specific label any member gives ('meeting in Geneva' over 'meeting')."""
    return max((c.subject_label for c in members), key=lambda label: (len(label), label))


def _qualifier_label(subject: str) -> str:
    if UNRESOLVED in subject:
        return " (which one is unclear)"
    _, anchor = _split(subject, ANCHOR_SEPARATOR)
    return f" on {anchor}" if anchor else ""


def _split(subject: str, separator: str) -> tuple[str, str | None]:
    base, sep, qualifier = subject.partition(separator)
    return (base, qualifier) if sep else (subject, None)


def _merge_anchors(groups: dict[tuple[str, str], list[Claim]]) -> None:
    """'talks@Monday' joins the one 'talks@<a Monday>'; bare 'talks' joins the only anchor."""
    families: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule, subject in list(groups):
        base, _ = _split(subject, ANCHOR_SEPARATOR)
        families[(rule, base)].append(subject)
    for (rule, base), subjects in families.items():
        dated = [s for s in subjects if _full_date(_split(s, ANCHOR_SEPARATOR)[1]) is not None]
        for subject in subjects:
            qualifier = _split(subject, ANCHOR_SEPARATOR)[1]
            if qualifier is None or subject in dated:
                continue
            targets = [d for d in dated if _anchor_fits(qualifier, _split(d, ANCHOR_SEPARATOR)[1])]
            if len(targets) == 1:
                groups[(rule, targets[0])].extend(groups.pop((rule, subject)))
        anchored = sorted(
            s
            for s in {s for (r, s) in groups if r == rule}
            if _split(s, ANCHOR_SEPARATOR)[0] == base and s != base
        )
        if (rule, base) in groups and anchored:
            loose = groups.pop((rule, base))
            if len(anchored) == 1:
                groups[(rule, anchored[0])].extend(loose)
            else:
                _leave_unresolved(groups, rule, base, loose)


def _full_date(qualifier: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(qualifier) if qualifier else None
    except ValueError:
        return None


def _anchor_fits(loose: str, dated: str | None) -> bool:
    """A weekday ('Monday') or a day without a year ('--01-10') fits a full date."""
    day = _full_date(dated)
    if day is None:
        return False
    if loose in WEEKDAYS:
        return WEEKDAYS.index(loose) == day.weekday()
    return loose.startswith("--") and day.strftime("--%m-%d") == loose


def _merge_places(groups: dict[tuple[str, str], list[Claim]]) -> None:
    """A date with an event but no place joins the one placed group whose dates it matches."""
    for rule, subject in sorted(groups):
        if PLACE_SEPARATOR in subject or ANCHOR_SEPARATOR in subject or UNRESOLVED in subject:
            continue
        placed = sorted(
            s
            for (r, s) in groups
            if r == rule and _split(s, PLACE_SEPARATOR)[0] == subject and s != subject
        )
        members = groups[(rule, subject)]
        if not placed or not all(isinstance(c.value, DateValue) for c in members):
            continue
        loose = groups.pop((rule, subject))
        leftovers = []
        for claim in loose:
            targets = [p for p in placed if _any_date_matches(claim, groups[(rule, p)])]
            if len(targets) > 1 and _same_full_date(claim, [groups[(rule, p)] for p in targets]):
                # "Bali" and "Indonesia" on the same day: whichever, the date is the same.
                targets = [
                    max(targets, key=lambda p: (len({c.source for c in groups[(rule, p)]}), p))
                ]
            if len(targets) == 1:
                groups[(rule, targets[0])].append(claim)
            else:
                leftovers.append(claim)
        _leave_unresolved(groups, rule, subject, leftovers)


def _any_date_matches(claim: Claim, members: list[Claim]) -> bool:
    assert isinstance(claim.value, DateValue)
    return any(isinstance(m.value, DateValue) and pins_down(claim.value, m.value) for m in members)


def _same_full_date(claim: Claim, candidates: list[list[Claim]]) -> bool:
    """Whether every candidate group gives one and the same full date, the claim's."""
    dates = {
        m.value.date
        for members in candidates
        for m in members
        if isinstance(m.value, DateValue) and m.value.date is not None
    }
    assert isinstance(claim.value, DateValue)
    return len(dates) == 1 and claim.value.date in (None, *dates)


def _leave_unresolved(
    groups: dict[tuple[str, str], list[Claim]], rule: str, base: str, claims: list[Claim]
) -> None:
    """Claims that could belong to several facts stand alone, each its own source's claim."""
    for claim in claims:
        key = f"{base}{UNRESOLVED}/{claim.source}/{claim.start}"
        groups[(rule, key)].append(claim)
