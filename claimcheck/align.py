"""Alignment: claims about the same fact are grouped by key, never compared all against all.

A subject may carry a qualifier that pins down which fact it is: a place ("meeting:geneva") or
a day ("talks@2022-01-10"). A claim whose qualifier is missing or weaker (no place; a bare
weekday) joins the one group it can only belong to; when it could belong to several, it is left
on its own as unresolved rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from claimcheck.collector import cycle_collection_paused
from claimcheck.models import Claim, DateValue, Fact, claim_order
from claimcheck.normalize import ANCHOR_SEPARATOR, OWNER_SEPARATOR, WEEKDAYS
from claimcheck.normalize.dates import compatible, pins_down

PLACE_SEPARATOR = ":"
# 'talks@2019', 'troops@2021-04', 'people@2019-W23' (a week earlier); not a full date
_OTHER_TIME = re.compile(r"\d{4}(?:-\d{2}|-W\d{2})?")
UNRESOLVED = "#unresolved"


@cycle_collection_paused()
def align(claims: Iterable[Claim]) -> list[Fact]:
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[(claim.rule, claim.subject)].append(claim)
    _merge_anchors(groups)
    _merge_owners(groups)
    _merge_places(groups)
    _unresolve_several_events(groups)
    facts = []
    for (rule, subject), members in groups.items():
        if not members:
            continue
        members.sort(key=claim_order)
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
    return max({c.subject_label for c in members}, key=lambda label: (len(label), label))


def _qualifier_label(subject: str) -> str:
    if UNRESOLVED in subject:
        return " (which one is unclear)"
    _, anchor = _split(subject, ANCHOR_SEPARATOR)
    if _is_other_time(anchor):
        assert anchor is not None
        if "-W" in anchor:  # a week: 'in the week of 2019-06-03'
            year, week = anchor.split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
            return f" in the week of {monday.isoformat()}"
        return f" in {anchor}"  # a year: 'the talks in 2019'
    return f" on {anchor}" if anchor else ""


def _split(subject: str, separator: str) -> tuple[str, str | None]:
    base, sep, qualifier = subject.partition(separator)
    return (base, qualifier) if sep else (subject, None)


def _merge_anchors(groups: dict[tuple[str, str], list[Claim]]) -> None:
    """'talks@Monday' joins the one 'talks@<a Monday>'; bare 'talks' joins the only anchor."""
    families: dict[tuple[str, str], list[str]] = defaultdict(list)
    # The full dates of each family's owners together: 'talks~ryabkov@Monday' is dated by
    # the 'talks@2022-01-10' of a source that names no one ('~', see `_merge_owners`).
    days_of_owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rule, subject in list(groups):
        base, anchor = _split(subject, ANCHOR_SEPARATOR)
        families[(rule, base)].append(subject)
        if _full_date(anchor) is not None:
            assert anchor is not None
            days_of_owners[(rule, _split(base, OWNER_SEPARATOR)[0])].add(anchor)
    for (rule, base), subjects in families.items():
        dated = [s for s in subjects if _full_date(_split(s, ANCHOR_SEPARATOR)[1]) is not None]
        days = days_of_owners.get((rule, _split(base, OWNER_SEPARATOR)[0]), set())
        for subject in subjects:
            qualifier = _split(subject, ANCHOR_SEPARATOR)[1]
            if qualifier is None or subject in dated:
                continue
            targets = [d for d in dated if _anchor_fits(qualifier, _split(d, ANCHOR_SEPARATOR)[1])]
            if not targets:
                fits = sorted(day for day in days if _anchor_fits(qualifier, day))
                targets = [f"{base}{ANCHOR_SEPARATOR}{fits[0]}"] if len(fits) == 1 else []
            if len(targets) == 1:
                groups[(rule, targets[0])].extend(groups.pop((rule, subject)))
        # What is left of the family: merging above only moved claims into its dated subjects.
        # A year alone ('talks@2019') names another event: the bare subject is this one's.
        anchored = sorted(
            s
            for s in set(subjects)
            if s != base
            and (rule, s) in groups
            and not _is_other_time(_split(s, ANCHOR_SEPARATOR)[1])
        )
        if (rule, base) in groups and anchored:
            loose = groups.pop((rule, base))
            if len(anchored) == 1:
                groups[(rule, anchored[0])].extend(loose)
            else:
                _leave_unresolved(groups, rule, base, loose)


def _merge_owners(groups: dict[tuple[str, str], list[Claim]]) -> None:
    """'100,000 troops' whose owner goes unnamed joins the one owner the story's counts name
    ('troops~russia'); where they name several, it is compared with none of them."""
    owned: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule, subject in sorted(groups):
        # 'troops~russian@2017' is owned in 2017: the owners of a year are merged apart.
        unanchored, anchor = _split(subject, ANCHOR_SEPARATOR)
        base, owner = _split(unanchored, OWNER_SEPARATOR)
        if owner is not None:
            owned[(rule, base if anchor is None else f"{base}{ANCHOR_SEPARATOR}{anchor}")].append(
                subject
            )
    for (rule, base), subjects in owned.items():
        if (rule, base) not in groups:
            continue
        loose = groups.pop((rule, base))
        if len(subjects) == 1:
            groups[(rule, subjects[0])].extend(loose)
        else:
            _leave_unresolved(groups, rule, base, loose)


def _is_other_time(qualifier: str | None) -> bool:
    """'2019', or a month ('2021-04'): another time's event, as a full date is not."""
    return qualifier is not None and _OTHER_TIME.fullmatch(qualifier) is not None


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


def _unplaced_dates(subject: str, members: list[Claim]) -> bool:
    """A group of dates of an event named by no place, day or claim of its own ('meeting')."""
    if PLACE_SEPARATOR in subject or ANCHOR_SEPARATOR in subject or UNRESOLVED in subject:
        return False
    return all(isinstance(c.value, DateValue) for c in members)


def _merge_places(groups: dict[tuple[str, str], list[Claim]]) -> None:
    """A date with an event but no place joins the one placed group whose dates it matches."""
    placed_by_base: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule, subject in sorted(groups):
        base, _ = _split(subject, PLACE_SEPARATOR)
        if base != subject:
            placed_by_base[(rule, base)].append(subject)
    dates: dict[tuple[str, str], _GroupDates] = {}

    def dates_of(rule: str, subject: str) -> _GroupDates:
        if (rule, subject) not in dates:
            dates[(rule, subject)] = _GroupDates(groups[(rule, subject)])
        return dates[(rule, subject)]

    for rule, subject in sorted(groups):
        placed = placed_by_base.get((rule, subject), [])
        if not placed or not _unplaced_dates(subject, groups[(rule, subject)]):
            continue
        loose = groups.pop((rule, subject))
        leftovers = []
        for claim in loose:
            assert isinstance(claim.value, DateValue)
            targets = [p for p in placed if dates_of(rule, p).pinned_by(claim.value)]
            if len(targets) > 1 and _same_full_date(
                claim.value, [dates_of(rule, p) for p in targets]
            ):
                # "Bali" and "Indonesia" on the same day: whichever, the date is the same.
                targets = [max(targets, key=lambda p: (len(dates_of(rule, p).sources), p))]
            if len(targets) == 1:
                groups[(rule, targets[0])].append(claim)
                dates_of(rule, targets[0]).add(claim)
            else:
                leftovers.append(claim)
        _leave_unresolved(groups, rule, subject, leftovers)


class _GroupDates:
    """The distinct dates and the sources of a placed group, kept up to date as claims join,
    so attaching a thousand loose claims does not walk a thousand members each time."""

    def __init__(self, members: list[Claim]) -> None:
        self.values: dict[DateValue, None] = {}
        self.full_dates: set[dt.date] = set()  # of the values that give one
        self.sources: set[str] = set()
        self._pins: dict[DateValue, bool] = {}
        for claim in members:
            self.add(claim)

    def add(self, claim: Claim) -> None:
        self.sources.add(claim.source)
        if isinstance(claim.value, DateValue) and claim.value not in self.values:
            self.values[claim.value] = None
            if claim.value.date is not None:
                self.full_dates.add(claim.value.date)
            self._pins.clear()

    def pinned_by(self, loose: DateValue) -> bool:
        known = self._pins.get(loose)
        if known is None:
            known = self._pins[loose] = any(pins_down(loose, v) for v in self.values)
        return known


def _same_full_date(value: DateValue, candidates: list[_GroupDates]) -> bool:
    """Whether every candidate group gives one and the same full date, the claim's."""
    dates = set().union(*(group.full_dates for group in candidates))
    return len(dates) == 1 and value.date in (None, *dates)


def _unresolve_several_events(groups: dict[tuple[str, str], list[Claim]]) -> None:
    """An event named by no place ('the address') whose dates disagree within one source
    ('the address on June 24', 'Monday's address') is several events: which claim speaks of
    which is unclear, so none is compared with another source's."""
    for rule, subject in sorted(groups):
        members = groups[(rule, subject)]
        if not members or not _unplaced_dates(subject, members):
            continue
        by_source: dict[str, set[DateValue]] = defaultdict(set)
        for claim in members:
            assert isinstance(claim.value, DateValue)
            by_source[claim.source].add(claim.value)
        if any(
            not compatible(a, b) for values in by_source.values() for a in values for b in values
        ):
            _leave_unresolved(groups, rule, subject, groups.pop((rule, subject)))


def _leave_unresolved(
    groups: dict[tuple[str, str], list[Claim]], rule: str, base: str, claims: list[Claim]
) -> None:
    """Claims that could belong to several facts stand alone, each its own source's claim."""
    for claim in claims:
        key = f"{base}{UNRESOLVED}/{claim.source}/{claim.start}"
        groups[(rule, key)].append(claim)
