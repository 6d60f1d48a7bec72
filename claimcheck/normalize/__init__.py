"""Normalisation: raw claims of one source become claims with comparable values."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import pairwise
from typing import TYPE_CHECKING

from claimcheck.extract.date import MONTHS, SMALL_NUMBERS
from claimcheck.models import (
    Claim,
    DateValue,
    RawClaim,
    Source,
    Value,
    claim_order,
    share_fields_set,
    trusted,
)
from claimcheck.normalize.numbers import HedgeTable
from claimcheck.rules import MeasureExtractor, ParticipantExtractor, Rule, RuleSet
from claimcheck.text import Document

if TYPE_CHECKING:
    from claimcheck.normalize.names import PeopleIndex


@dataclass(frozen=True)
class Tables:
    """Lookup tables built once per run from the rule files."""

    ruleset: RuleSet

    @cached_property
    def hedges(self) -> HedgeTable:
        return HedgeTable(
            hedges=self.ruleset.hedges,
            vague=self.ruleset.vague_numbers,
            exact_width=self.ruleset.exact_width,
        )

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.ruleset.rules}

    @cached_property
    def date_anchored(self) -> frozenset[str]:
        """The rules whose subject is tied to the date of its sentence."""
        return frozenset(
            r.id for r in self.ruleset.rules if getattr(r.extract, "anchor", "none") == "date"
        )

    @cached_property
    def undated_subjects(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> the subjects of a date-anchored rule that no day dates."""
        return {
            r.id: tuple(r.extract.undated_subjects)
            for r in self.ruleset.rules
            if isinstance(r.extract, MeasureExtractor) and r.extract.undated_subjects
        }

    @cached_property
    def years_only(self) -> frozenset[str]:
        """The year-anchored rules a month does not anchor: a role is held for years."""
        return (
            frozenset(
                r.id for r in self.ruleset.rules if isinstance(r.extract, ParticipantExtractor)
            )
            & self.year_anchored
        )

    @cached_property
    def year_anchored(self) -> frozenset[str]:
        """The rules whose subject is tied only to another time its figure's clause names
        (`SourceContext.other_time_of_clause`)."""
        return frozenset(
            r.id for r in self.ruleset.rules if getattr(r.extract, "anchor", "none") == "year"
        )

    @cached_property
    def people(self) -> PeopleIndex:
        from claimcheck.normalize.names import PeopleIndex

        return PeopleIndex(self.ruleset.people)


@dataclass
class SourceContext:
    """What normalising one source needs: its text, the tables, and the dates seen so far."""

    source: Source
    doc: Document
    tables: Tables
    # (offset, value) of every date mention in document order, for anchors and chains, and
    # their offsets alone, to bisect.
    timeline: list[tuple[int, DateValue]] = field(default_factory=list)
    _offsets: list[int] = field(default_factory=list)

    def add_date(self, offset: int, value: DateValue) -> None:
        """Dates come in document order (see `_FIRST`)."""
        self.timeline.append((offset, value))
        self._offsets.append(offset)

    def dates_in_sentence(self, offset: int) -> list[DateValue]:
        """Dates of the sentence around `offset`, the nearest first; a date in brackets comes
        after those outside ('On August 18 … (local time; August 19, 0:10 a.m. JST)' is the
        18th), unless the offset is in the same brackets."""
        start, end = self.doc.sentence_at(offset)
        low, high = bisect_left(self._offsets, start), bisect_left(self._offsets, end)
        text = self.doc.text
        own = _bracket_of(text, start, offset)
        near = [
            (_bracket_of(text, start, pos) != own, abs(pos - offset), pos, v)
            for pos, v in self.timeline[low:high]
        ]
        return [value for *_, value in sorted(near, key=lambda item: item[:3])]

    def other_year(self, offset: int) -> int | None:
        """A year the sentence around `offset` names, other than the publication year: 'the
        last time the council met, in 2019, it lasted four hours' is not this year's talks.
        An undated source's year is its story's (`Source.story_year`)."""
        published = self.source.published
        year = published.year if published is not None else self.source.story_year
        if year is None:
            return None
        start, end = self.doc.sentence_at(offset)
        years = [
            (abs(m.start() - offset), int(m.group()))
            for m in _YEAR.finditer(self.doc.text, start, end)
            if int(m.group()) != year
        ]
        return min(years)[1] if years else None

    @cached_property
    def _latest_year_named(self) -> int | None:
        return max((int(m.group()) for m in _YEAR.finditer(self.doc.text)), default=None)

    def other_time_of_clause(self, start: int, end: int, *, years_only: bool = False) -> str | None:
        """Another time than the publication's that the clause of the claim at start..end
        names, or that a short clause of its sentence names alone: a year ('In 2014, Russia
        sent 20,000 troops'; 'the deadliest since 2004, when 334 people were killed') or a
        month well before ('About 2,500 troops were there when the withdrawal was announced
        in April') or a time before the story's ('A week earlier, organisers said …'), as
        '2014', '2021-04' or '2019-W23'. A time in another clause ('Russia, which annexed
        Crimea in 2014, has massed 100,000 troops') says nothing of the figure.

        With `years_only`, only a year counts. An undated source's story year is its folder's
        (`Source.story_year`), or else the latest year it names: only another year counts
        ('the 2011 Tohoku quake, which killed about 18,000 people')."""
        published = self.source.published
        years_only = years_only or published is None
        if published is None:
            latest = self.source.story_year or self._latest_year_named
            if latest is None:
                return None
            published = dt.date(latest, 12, 31)
        text = self.doc.text
        s_start, s_end = self.doc.sentence_at(start)
        breaks = [m.start() for m in CLAUSE_BREAK.finditer(text, s_start, s_end)]
        # (the clause around the claim, as `clause_bounds` gives it, from the breaks found)
        first, after = bisect_left(breaks, start), bisect_left(breaks, end)
        clause_start = breaks[first - 1] + 1 if first else s_start
        clause_end = breaks[after] if after < len(breaks) else s_end
        bounds = [s_start, *(b + 1 for b in breaks), s_end + 1]
        if _PARTICIPLE_OPENING.match(text, clause_start, clause_end):
            # '…, when a train fell into a river, killing an estimated 800 people': the
            # participle's clause is the one it follows.
            earlier = [b for b in bounds if b < clause_start]
            if earlier:
                clause_start = earlier[-1]
        # (start, end, whether 'since' before a time makes it no other event's)
        clauses = [(clause_start, clause_end, True)]
        opening = _CLAUSE_OPENING.match(text, clause_start, clause_end)
        # The clauses before the figure's (a short one after it says nothing of it: 'after
        # Finland joined in April').
        before = [(low, high) for low, high in pairwise(bounds) if high <= clause_start]
        antecedents: set[int] = set()
        if opening is not None and before:  # 'since 2004, when ...': the clause it follows
            i = len(before) - 1
            # 'the 2018 Camp Fire in Paradise, California, which killed 85 people'
            while i > 0 and _PLACE_APPOSITION.fullmatch(text, before[i][0], before[i][1] - 1):
                antecedents.add(i)
                i -= 1
            antecedents.add(i)
        for i, (low, high) in enumerate(before):
            if i in antecedents:
                clauses.append((low, high - 1, False))
            elif _short_time_clause(text, low, high - 1, adjacent=high == clause_start):
                clauses.append((low, high - 1, True))
        times: list[tuple[int, str]] = []
        for low, high, since_counts in clauses:
            for pattern, other_time in _TIME_READERS:
                for m in pattern.finditer(text, low, high):
                    if start <= m.start() < end:
                        continue  # the figure itself ('2000 troops')
                    if since_counts and _SINCE.search(text, low, m.start()):
                        continue  # 'since 2020', 'since the war began in October': up to now
                    other = other_time(m, published)
                    if other is not None and years_only and not other.isdigit():
                        other = _year_said(m, published)  # 'In October 2018': 2018
                    if other is not None:
                        times.append((abs(m.start() - start), other))
        return min(times)[1] if times else None

    def year_of_another_time(self, value: DateValue) -> str | None:
        """The year of a date written with its year, when that is another time than the
        story's: not the story's year (`Source.story_year`, its folder's), and more than half a
        year from publication. Such a date is of another event ('In October 2018, a Lion Air
        jet crashed'); a piece written years later dates the story's own events in its year."""
        if value.year is None:
            return None
        story, published = self.source.story_year, self.source.published
        if story is None and published is None:
            return None
        if story is not None and value.year == story:
            return None
        if published is not None:
            when = value.date or dt.date(value.year, value.month or 7, 15 if value.month else 1)
            if abs((published - when).days) <= _OTHER_TIME_DAYS:
                return None
        return str(value.year)

    def last_date_before(self, offset: int) -> DateValue | None:
        index = bisect_right(self._offsets, offset) - 1
        return self.timeline[index][1] if index >= 0 else None


Normalized = tuple[Value, str] | None
Normalizer = Callable[[RawClaim, Rule, SourceContext], Normalized]
_NORMALIZERS: dict[str, Normalizer] = {}
# Extractor types normalised first, in document order, so later ones can use their results.
_FIRST = ("date",)


def _bracket_of(text: str, sentence_start: int, pos: int) -> int:
    """Where the bracket `pos` stands in opens (-1 outside any)."""
    opening = text.rfind("(", sentence_start, pos)
    return opening if opening > text.rfind(")", sentence_start, pos) else -1


def register(extractor_type: str) -> Callable[[Normalizer], Normalizer]:
    def add(function: Normalizer) -> Normalizer:
        _NORMALIZERS[extractor_type] = function
        return function

    return add


def normalize_source(
    source: Source, raw_claims: list[RawClaim], tables: Tables, doc: Document | None = None
) -> list[Claim]:
    """`doc` is the document the claims were extracted from, when the caller still has it
    (its sentences are then not split again)."""
    _load_builtin_types()
    ctx = SourceContext(source=source, doc=doc or Document(source), tables=tables)
    rules, date_anchored = tables.rules, tables.date_anchored
    year_anchored, years_only = tables.year_anchored, tables.years_only
    ordered = sorted(
        raw_claims,
        key=lambda c: (rules[c.rule].extract.type not in _FIRST, c.span.start, c.rule),
    )
    claims: list[Claim] = []
    for raw in ordered:
        rule = rules[raw.rule]
        result = _NORMALIZERS[rule.extract.type](raw, rule, ctx)
        if result is None or not raw.subject:
            continue  # context only (a date with no event), or not a usable figure
        value, display = result
        subject = raw.subject
        if raw.rule in date_anchored and not _undated(subject, tables.undated_subjects, raw.rule):
            subject = anchored_subject(
                subject,
                ctx.dates_in_sentence(raw.span.start),
                partial(ctx.other_year, raw.span.start),
            )
        elif isinstance(value, DateValue) and raw.parts.get("year"):
            other = ctx.year_of_another_time(value)
            if other is not None:  # 'In October 2018, a Lion Air jet crashed': another crash
                subject = f"{subject}{ANCHOR_SEPARATOR}{other}"
        elif raw.rule in year_anchored or raw.rule in date_anchored:
            # (a date-anchored rule's undated subject, 'trapped for 69 days', still belongs to
            # another event when its clause names another year: 'the Chilean miners in 2010')
            other = ctx.other_time_of_clause(
                raw.span.start,
                raw.span.end,
                years_only=raw.rule in years_only or raw.rule in date_anchored,
            )
            if other is not None:
                subject = f"{subject}{ANCHOR_SEPARATOR}{other}"
        span = raw.span
        share_fields_set(value)
        claims.append(
            trusted(  # every field from the validated raw claim and the normaliser's value
                Claim,
                {
                    "kind": raw.kind,
                    "rule": raw.rule,
                    "source": span.source,
                    "quote": span.quote,
                    "start": span.start,
                    "end": span.end,
                    "line": span.line,
                    "column": span.column,
                    "subject": subject,
                    "subject_label": raw.subject_label,
                    "value": value,
                    "display": display,
                },
            )
        )
    claims.sort(key=claim_order)
    return claims


ANCHOR_SEPARATOR = "@"
_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,.]?\d)")
# What ends a clause: punctuation, but not the comma inside a figure ('1,500').
CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[;:()—–]| -(?= )")  # (' - ' stands for a dash)


def clause_bounds(text: str, start: int, end: int, s_start: int, s_end: int) -> tuple[int, int]:
    """The clause around start..end in the sentence s_start..s_end: from just after the last
    clause break before it to the first break after it."""
    low, high = s_start, s_end
    for found in CLAUSE_BREAK.finditer(text, s_start, s_end):  # (the sentence: '1,500' is whole)
        if found.start() < start:
            low = found.end()
        elif found.start() >= end:
            high = found.start()
            break
    return low, high


_CLAUSE_OPENING = re.compile(r"\s*(?:when|which|who|in which|after which)\b", re.IGNORECASE)
_PLACE_APPOSITION = re.compile(r"\s*[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?\s*")  # ', California,'
_PARTICIPLE_OPENING = re.compile(r"\s*(?:[a-z]+ing)\b")  # 'killing', 'leaving', 'injuring'
# 'spoken by phone five times since 2020': a stretch of time up to now, not another year's event.
_SINCE = re.compile(r"\bsince\b[^,;:]{0,48}$", re.IGNORECASE)
# 'In 2014', 'At its peak in 2011': a clause before the figure's that only names a time; not a
# relative or subordinate one ('which annexed Crimea in 2014').
_TIME_CLAUSE_WORDS = 6
_SUBORDINATE_OPENING = re.compile(
    r"\s*(?:which|who|whom|whose|that|where|after|before|when|since|until|as|while|because)\b",
    re.IGNORECASE,
)
# 'Its worst, at the El Teniente mine in 1945, killed 355 people': a phrase of place or time
# set off just before the figure's clause belongs to it, however long.
_ADVERBIAL_CLAUSE_WORDS = 12
_ADVERBIAL_OPENING = re.compile(r"\s*(?:at|in|on|during)\b", re.IGNORECASE)


def _short_time_clause(text: str, low: int, high: int, *, adjacent: bool) -> bool:
    """Whether the clause low..high may give the figure's clause its time: a few words that
    are not a relative or subordinate clause, or a longer phrase of place or time right
    before the figure's clause."""
    if _SUBORDINATE_OPENING.match(text, low, high):
        return False
    words = len(text[low:high].split())
    if words <= _TIME_CLAUSE_WORDS:
        return True
    return (
        adjacent
        and words <= _ADVERBIAL_CLAUSE_WORDS
        and bool(_ADVERBIAL_OPENING.match(text, low, high))
    )


# Month names as written, capitalised ('may' is a verb), an abbreviation with its full stop.
_FULL_MONTHS = [
    max((m for m in MONTHS if MONTHS[m] == n), key=len).capitalize() for n in range(1, 13)
]
_SHORT_MONTHS = [m.capitalize() for m in MONTHS if m.capitalize() not in _FULL_MONTHS]
_OTHER_TIME = re.compile(
    rf"(?P<month>{'|'.join(_FULL_MONTHS)}|(?:{'|'.join(_SHORT_MONTHS)})\.)"
    r"(?:[ \t]+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?[ \t]+(?P<month_year>(?:19|20)\d\d)\b)?"
    rf"|{_YEAR.pattern}"
)
_NEAR_DAYS = 14  # a date this close to publication is of the story's own time
_OTHER_TIME_DAYS = 183  # a date with its year this far from publication is of another event


def _other_time(found: re.Match[str], published: dt.date) -> str | None:
    """'2014', or '2021-04' for a month well before publication: another time's figure."""
    month_name = found.group("month")
    if month_name is None:
        year = int(found.group())
        return None if year == published.year else str(year)
    month = MONTHS[month_name.rstrip(".").lower()]
    if found.group("month_year"):
        year = int(found.group("month_year"))
    else:
        year = published.year if month <= published.month else published.year - 1
    if found.group("day"):
        try:
            day = dt.date(year, month, int(found.group("day")))
        except ValueError:
            return None
        if abs((published - day).days) <= _NEAR_DAYS:
            return None
    elif (published.year * 12 + published.month) - (year * 12 + month) in (0, 1):
        return None  # this month or the last: the story's own time
    return f"{year}-{month:02d}"


def _year_said(found: re.Match[str], published: dt.date) -> str | None:
    """The year a month's date names ('October 2018'), if it names one other than the story's."""
    if found.re is not _OTHER_TIME or not found.group("month_year"):
        return None
    year = found.group("month_year")
    return None if int(year) == published.year else year


# 'A week earlier, organisers said 1.03 million', 'Two weeks earlier, Hurricane Helene killed
# at least 225 people': a time before the story's own. Not 'ago' (a piece written a week on
# says 'a week ago' of the story's own event) nor 'last week' (last week's crash may be it).
_EARLIER = re.compile(
    rf"\b(?:(?P<count>{'|'.join(SMALL_NUMBERS)}|\d{{1,2}})"
    r"[ \t]+(?P<unit>day|week|month|year)s?[ \t]+(?:earlier|before)"
    r"|the[ \t]+(?:(?:previous|preceding)[ \t]+(?P<unit2>week|month|year)"
    r"|(?P<unit3>week|month|year)[ \t]+before))\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_EARLIER_MIN_DAYS = 7  # 'two days earlier' may still be the story's own event


def _earlier_time(found: re.Match[str], published: dt.date) -> str | None:
    """'a week earlier' as the ISO week it names ('2019-W23'), 'two months earlier' as the
    month, 'the previous year' as the year, counted back from publication; none for less
    than a week."""
    unit = (found.group("unit") or found.group("unit2") or found.group("unit3")).lower()
    count_word = (found.group("count") or "one").lower()
    count = int(count_word) if count_word.isdigit() else SMALL_NUMBERS[count_word]
    days = count * _UNIT_DAYS[unit]
    if days < _EARLIER_MIN_DAYS:
        return None
    then = published - dt.timedelta(days=days)
    if unit == "year":
        return str(then.year)
    if unit == "month":
        return f"{then.year}-{then.month:02d}"
    year, week, _ = then.isocalendar()
    return f"{year}-W{week:02d}"


_TIME_READERS = ((_OTHER_TIME, _other_time), (_EARLIER, _earlier_time))

OWNER_SEPARATOR = "~"  # 'troops~russia': whose troops (see the quantity extractor's owners)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def anchored_subject(
    subject: str, dates: list[DateValue], other_year: Callable[[], int | None] | None = None
) -> str:
    """Tie a subject to the day its sentence speaks of: 'talks@2022-01-10' or 'talks@Monday'.

    The nearest date decides; a date with no day or weekday anchors nothing. With no day, a
    year other than the publication year ties it to that year ('talks@2019'): another event.
    """
    for value in dates:
        if value.date is not None:
            return f"{subject}{ANCHOR_SEPARATOR}{value.date.isoformat()}"
        if value.month is not None and value.day is not None:  # no year: ISO 8601 "--MM-DD"
            return f"{subject}{ANCHOR_SEPARATOR}--{value.month:02d}-{value.day:02d}"
        if value.weekday is not None and value.day is None:
            return f"{subject}{ANCHOR_SEPARATOR}{WEEKDAYS[value.weekday]}"
    year = other_year() if other_year is not None else None  # asked only when no day anchors
    return subject if year is None else f"{subject}{ANCHOR_SEPARATOR}{year}"


def _undated(subject: str, undated: dict[str, tuple[str, ...]], rule: str) -> bool:
    """Whether the subject ('trapped_days', 'trapped~x') is one its rule leaves undated."""
    keys = undated.get(rule)
    if not keys:
        return False
    base = subject.partition(OWNER_SEPARATOR)[0]
    return any(base == key or base.startswith(f"{key}_") for key in keys)


def _load_builtin_types() -> None:
    # Imported for their @register side effect.
    from claimcheck.normalize import dates, names, quantities, quotations  # noqa: F401
