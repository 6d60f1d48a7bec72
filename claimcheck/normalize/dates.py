"""Resolving date mentions against the publication date and the date mentioned just before."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from claimcheck.models import DateValue, RawClaim
from claimcheck.normalize import Normalized, SourceContext, register
from claimcheck.rules import Rule

Resolution = Literal["absolute", "relative", "chained", "weekday"]
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def from_date(day: dt.date, resolution: Resolution) -> DateValue:
    return DateValue(
        year=day.year,
        month=day.month,
        day=day.day,
        weekday=day.weekday(),
        resolution=resolution,
    )


def resolve(
    parts: dict[str, str],
    published: dt.date | None,
    previous: DateValue | None,
    story_year: int | None = None,
) -> DateValue | None:
    """The date a mention means, or None when nothing can pin it down (or it leaves the
    calendar: "tomorrow" in an article dated 9999-12-31)."""
    try:
        return _resolve(parts, published, previous, story_year)
    except (OverflowError, ValueError):
        return None


def _resolve(
    parts: dict[str, str],
    published: dt.date | None,
    previous: DateValue | None,
    story_year: int | None,
) -> DateValue | None:
    """The date a mention means, or None when nothing can pin it down."""
    form = parts["form"]
    if form in ("absolute", "month"):
        month = int(parts["month"])
        day = int(parts["day"]) if "day" in parts else None
        weekday = int(parts["weekday"]) if "weekday" in parts else None
        year = (
            int(parts["year"])
            if "year" in parts
            else _infer_year(month, day, weekday, published, previous, story_year)
        )
        if year is not None and day is not None:
            try:
                full = from_date(dt.date(year, month, day), "absolute")
            except ValueError:
                return None
            if (
                weekday is not None
                and weekday != full.weekday
                and ("year" in parts or published is not None)
            ):
                # 'Thursday, September 20' of 2017, a Wednesday: the weekday written is kept,
                # so the date fits neither another source's Wednesday nor its Thursday
                return full.model_copy(update={"weekday": weekday})
            return full
        if day is not None and not _exists(month, day):
            return None  # "30 February"
        return DateValue(year=year, month=month, day=day, weekday=weekday, resolution="absolute")
    if form == "weekday":
        weekday = int(parts["weekday"])
        if published is None:
            return DateValue(weekday=weekday, resolution="weekday")
        modifier = parts.get("modifier", "")
        delta = (published.weekday() - weekday) % 7
        if modifier in ("future", "next"):
            ahead = (weekday - published.weekday()) % 7
            if modifier == "next" and ahead == 0:
                ahead = 7
            return from_date(published + dt.timedelta(days=ahead), "relative")
        if modifier == "last" and delta == 0:
            delta = 7
        return from_date(published - dt.timedelta(days=delta), "relative")
    if form in ("relative", "ago"):
        if published is None:
            return None
        return from_date(published + dt.timedelta(days=int(parts["offset"])), "relative")
    if form == "chained":
        if previous is None:
            return None
        offset = int(parts["offset"])
        if previous.date is not None:
            return from_date(previous.date + dt.timedelta(days=offset), "chained")
        if previous.month is not None and previous.day is not None:
            # No year known: count days in a leap year, then forget the year again.
            shifted = dt.date(2000, previous.month, previous.day) + dt.timedelta(days=offset)
            return DateValue(month=shifted.month, day=shifted.day, resolution="chained")
        if previous.weekday is not None and previous.day is None:
            return DateValue(weekday=(previous.weekday + offset) % 7, resolution="chained")
        return None
    return None


def _exists(month: int, day: int) -> bool:
    try:
        dt.date(2000, month, day)  # a leap year: 29 February exists
    except ValueError:
        return False
    return True


def _year_of_weekday(story_year: int | None, month: int, day: int, weekday: int) -> int | None:
    """'Tuesday, June 6' in an undated piece of a 2023 story: 6 June 2023 was a Tuesday, so
    the weekday written confirms the story's year (the same day falls on a Tuesday again
    only five or more years away). A weekday that does not fit leaves the year unknown."""
    if story_year is None:
        return None
    try:
        fits = dt.date(story_year, month, day).weekday() == weekday
    except ValueError:
        return None  # 29 February of a common year
    return story_year if fits else None


def _infer_year(
    month: int,
    day: int | None,
    weekday: int | None,
    published: dt.date | None,
    previous: DateValue | None,
    story_year: int | None,
) -> int | None:
    """A date written without a year is in the publication year, or the one before if it
    would otherwise fall more than two months after publication; undated, in the year of the
    date before it, or in the story's year when its weekday fits that year."""
    if published is not None:
        try:
            candidate = dt.date(published.year, month, day or 1)
        except ValueError:
            return published.year
        if candidate - published > dt.timedelta(days=62):
            return published.year - 1
        return published.year
    if previous is not None and previous.year is not None:
        return previous.year
    if day is not None and weekday is not None:
        return _year_of_weekday(story_year, month, day, weekday)
    return None


def describe(value: DateValue) -> str:
    if value.date is not None:
        actual = WEEKDAY_NAMES[value.date.weekday()]
        if value.weekday is not None and value.weekday != value.date.weekday():
            return f"{value.date.isoformat()} (a {actual}, written {WEEKDAY_NAMES[value.weekday]})"
        return f"{value.date.isoformat()} ({actual})"
    pieces = []
    if value.weekday is not None:
        pieces.append(WEEKDAY_NAMES[value.weekday])
    if value.month is not None:
        month = MONTH_NAMES[value.month - 1]
        pieces.append(f"{month} {value.day}" if value.day else month)
    if value.year is not None:
        pieces.append(str(value.year))
    known = " ".join(pieces) or "unknown"
    return f"{known} (year unknown)" if value.year is None and value.month else known


@register("date")
def normalize_date(raw: RawClaim, rule: Rule, ctx: SourceContext) -> Normalized:
    previous = ctx.last_date_before(raw.span.start)
    value = resolve(raw.parts, ctx.source.published, previous, ctx.source.story_year)
    if value is None:
        return None
    ctx.add_date(raw.span.start, value)
    if "days" in raw.parts:  # the event's, not the date's: chains count from the day itself
        value = value.model_copy(update={"days": int(raw.parts["days"])})
        return value, f"{describe(value)}, of a {value.days}-day event"
    return value, describe(value)


def compatible(a: DateValue, b: DateValue) -> bool:
    """Every part both dates know must match; a weekday must match the other's full date.

    An event of several days ('the two-day summit ended on Sunday') has several dates: two
    full dates fewer days apart than it lasts are its days, and a weekday or a day with no
    year cannot tell them apart (not a conflict: unresolved)."""
    span = max(a.days or 1, b.days or 1)
    if span > 1:
        if a.date is None or b.date is None:
            return True
        return abs((a.date - b.date).days) < span
    for field in ("year", "month", "day", "weekday"):
        x, y = getattr(a, field), getattr(b, field)
        if x is not None and y is not None and x != y:
            return False
    return True


def pins_down(loose: DateValue, known: DateValue) -> bool:
    """Whether `known` is evidently the day `loose` speaks of, not merely not contradicted.

    Same month and day, or a bare weekday matching a full date. Used to attach a claim that
    lacks a place to the one event it belongs to; a mere absence of contradiction is too weak.
    """
    if not compatible(loose, known):
        return False
    if loose.month is not None and loose.day is not None:
        return known.month == loose.month and known.day == loose.day
    if loose.weekday is not None and loose.day is None:
        return known.date is not None
    return False
