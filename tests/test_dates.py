"""Date mentions: resolving them against the publication date, and finding them in text."""

from __future__ import annotations

import datetime as dt

import pytest

from claimcheck.extract import compile_rules, extract_source
from claimcheck.models import Claim, DateValue, RawClaim, Source
from claimcheck.normalize import Tables, normalize_source
from claimcheck.normalize.dates import compatible, from_date, pins_down, resolve
from claimcheck.rules import RuleSet, load_rules

# --------------------------------------------------------------------------- helpers

PUBLISHED = dt.date(2022, 1, 12)  # a Wednesday


def ruleset_for(*rule_ids: str) -> RuleSet:
    ruleset = load_rules()
    return ruleset.model_copy(update={"rules": tuple(r for r in ruleset.rules if r.id in rule_ids)})


def find(text: str, published: dt.date | None = PUBLISHED) -> tuple[list[RawClaim], list[Claim]]:
    """Raw date mentions and normalised date claims of one tiny article."""
    ruleset = ruleset_for("date")
    source = Source(id="a.txt", path="a.txt", text=text, published=published)
    raw = extract_source(source, compile_rules(ruleset))
    return raw, normalize_source(source, raw, Tables(ruleset))


def day(year: int, month: int, d: int) -> DateValue:
    return from_date(dt.date(year, month, d), "absolute")


def ymd(value: object) -> tuple[int | None, int | None, int | None] | None:
    if value is None:
        return None
    assert isinstance(value, DateValue)
    return (value.year, value.month, value.day)


MONDAY = DateValue(weekday=0, resolution="weekday")


# --------------------------------------------------------------------------- resolve


def test_absolute_date_with_year_needs_no_publication_date() -> None:
    value = resolve({"form": "absolute", "month": "1", "day": "10", "year": "2022"}, None, None)
    assert value is not None
    assert value.date == dt.date(2022, 1, 10)
    assert value.weekday == 0
    assert value.resolution == "absolute"


def test_absolute_date_without_year_takes_the_publication_year() -> None:
    value = resolve({"form": "absolute", "month": "1", "day": "10"}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2022, 1, 10)


def test_december_date_in_a_january_article_is_the_previous_year() -> None:
    value = resolve({"form": "absolute", "month": "12", "day": "28"}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2021, 12, 28)


def test_absolute_date_without_year_or_publication_keeps_month_and_day() -> None:
    value = resolve({"form": "absolute", "month": "1", "day": "12"}, None, None)
    assert value is not None
    assert (value.year, value.month, value.day, value.weekday) == (None, 1, 12, None)
    assert value.date is None


def test_weekday_written_with_a_day_confirms_the_story_year_of_an_undated_piece() -> None:
    tuesday_june_6 = {"form": "absolute", "month": "6", "day": "6", "weekday": "1"}
    value = resolve(tuesday_june_6, None, None, story_year=2023)  # a Tuesday in 2023
    assert value is not None and value.date == dt.date(2023, 6, 6)
    # In 2022, 6 June was a Monday: the weekday does not confirm the year, which stays unknown.
    unknown = resolve(tuesday_june_6, None, None, story_year=2022)
    assert unknown == DateValue(month=6, day=6, weekday=1, resolution="absolute")
    # Without a weekday the story's year is no evidence either.
    bare = resolve({"form": "absolute", "month": "6", "day": "6"}, None, None, story_year=2023)
    assert bare is not None and bare.year is None


def test_year_comes_from_the_previous_date_when_there_is_no_publication_date() -> None:
    value = resolve({"form": "absolute", "month": "1", "day": "12"}, None, day(2022, 1, 10))
    assert value is not None and value.date == dt.date(2022, 1, 12)


def test_impossible_date_resolves_to_nothing() -> None:
    assert (
        resolve({"form": "absolute", "month": "2", "day": "30", "year": "2022"}, None, None) is None
    )


@pytest.mark.parametrize(
    ("weekday", "expected"),
    [
        (0, dt.date(2022, 1, 10)),  # Monday: the Monday before
        (2, dt.date(2022, 1, 12)),  # Wednesday: the publication day itself
        (4, dt.date(2022, 1, 7)),  # Friday: last week's
    ],
)
def test_weekday_is_the_most_recent_on_or_before_publication(
    weekday: int, expected: dt.date
) -> None:
    value = resolve({"form": "weekday", "weekday": str(weekday)}, PUBLISHED, None)
    assert value is not None
    assert value.date == expected
    assert value.resolution == "relative"


def test_future_weekday_is_on_or_after_publication() -> None:
    value = resolve({"form": "weekday", "weekday": "0", "modifier": "future"}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2022, 1, 17)


def test_next_weekday_is_never_the_publication_day() -> None:
    value = resolve({"form": "weekday", "weekday": "2", "modifier": "next"}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2022, 1, 19)


def test_last_weekday_on_the_same_weekday_is_a_week_before() -> None:
    value = resolve({"form": "weekday", "weekday": "2", "modifier": "last"}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2022, 1, 5)


def test_last_weekday_on_another_weekday_is_the_most_recent() -> None:
    value = resolve({"form": "weekday", "weekday": "0", "modifier": "last"}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2022, 1, 10)


def test_weekday_without_publication_date_keeps_only_the_weekday() -> None:
    value = resolve({"form": "weekday", "weekday": "0"}, None, None)
    assert value == DateValue(weekday=0, resolution="weekday")
    assert value.date is None


@pytest.mark.parametrize(("offset", "expected"), [(0, 12), (-1, 11), (1, 13)])
def test_today_yesterday_tomorrow(offset: int, expected: int) -> None:
    value = resolve({"form": "relative", "offset": str(offset)}, PUBLISHED, None)
    assert value is not None and value.date == dt.date(2022, 1, expected)


def test_relative_day_without_publication_date_resolves_to_nothing() -> None:
    assert resolve({"form": "relative", "offset": "-1"}, None, None) is None


def test_chained_from_a_full_date() -> None:
    value = resolve({"form": "chained", "offset": "2"}, None, day(2022, 1, 10))
    assert value is not None
    assert value.date == dt.date(2022, 1, 12)
    assert value.resolution == "chained"


def test_chained_from_a_weekday_only_date_keeps_a_weekday() -> None:
    assert resolve({"form": "chained", "offset": "2"}, None, MONDAY) == DateValue(
        weekday=2, resolution="chained"
    )
    backwards = resolve({"form": "chained", "offset": "-1"}, None, MONDAY)
    assert backwards is not None and backwards.weekday == 6


def test_chained_with_nothing_before_resolves_to_nothing() -> None:
    assert resolve({"form": "chained", "offset": "2"}, PUBLISHED, None) is None


# --------------------------------------------------------------------------- compatible / pins_down

JAN_12_NO_YEAR = DateValue(month=1, day=12)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (MONDAY, day(2022, 1, 10), True),
        (MONDAY, day(2022, 1, 11), False),
        (JAN_12_NO_YEAR, day(2022, 1, 12), True),
        (JAN_12_NO_YEAR, day(2022, 1, 10), False),
        (JAN_12_NO_YEAR, day(2021, 1, 12), True),
        (day(2022, 1, 10), day(2022, 1, 10), True),
        (day(2022, 1, 10), day(2021, 1, 10), False),
        (MONDAY, MONDAY, True),
        (MONDAY, JAN_12_NO_YEAR, True),  # nothing known to both
        (DateValue(year=2022, month=1), day(2022, 1, 10), True),
        (DateValue(month=1, day=10, weekday=0), DateValue(month=1, day=10, weekday=2), False),
        # An event of several days: its days are its dates, the day after it is not.
        (day(2022, 1, 10).model_copy(update={"days": 2}), day(2022, 1, 11), True),
        (day(2022, 1, 10).model_copy(update={"days": 2}), day(2022, 1, 9), True),
        (day(2022, 1, 10).model_copy(update={"days": 2}), day(2022, 1, 12), False),
        (day(2022, 1, 10).model_copy(update={"days": 7}), day(2022, 1, 16), True),
        (day(2022, 1, 10).model_copy(update={"days": 7}), day(2022, 1, 17), False),
        (day(2022, 1, 10).model_copy(update={"days": 3}), DateValue(weekday=4), True),
    ],
)
def test_compatible_is_symmetric_and_compares_known_parts(
    a: DateValue, b: DateValue, expected: bool
) -> None:
    assert compatible(a, b) is expected
    assert compatible(b, a) is expected


@pytest.mark.parametrize(
    ("loose", "known", "expected"),
    [
        (MONDAY, day(2022, 1, 10), True),
        (MONDAY, day(2022, 1, 11), False),
        (MONDAY, MONDAY, False),  # a weekday is not evidence of a weekday
        (JAN_12_NO_YEAR, day(2022, 1, 12), True),
        (JAN_12_NO_YEAR, day(2022, 1, 13), False),
        (day(2022, 1, 12), day(2022, 1, 12), True),
        (DateValue(year=2022, month=1), day(2022, 1, 10), False),  # merely not contradicted
        (MONDAY, JAN_12_NO_YEAR, False),
    ],
)
def test_pins_down(loose: DateValue, known: DateValue, expected: bool) -> None:
    assert pins_down(loose, known) is expected


# --------------------------------------------------------------------------- finder level


def test_absolute_date_tied_to_event_and_place() -> None:
    raw, claims = find("On January 10th diplomats met in Geneva.")
    assert [(r.span.quote, r.subject) for r in raw] == [("January 10th", "meeting:geneva")]
    assert raw[0].parts == {"form": "absolute", "month": "1", "day": "10"}
    assert raw[0].span.start == 3 and raw[0].span.line == 1 and raw[0].span.column == 4
    assert [(c.subject, ymd(c.value)) for c in claims] == [("meeting:geneva", (2022, 1, 10))]
    assert "Geneva" in claims[0].subject_label


def test_chained_date_follows_the_date_before() -> None:
    text = (
        "On January 10th diplomats met in Geneva. Two days later the council convened in Brussels."
    )
    raw, claims = find(text)
    assert raw[1].span.quote == "Two days later"
    assert raw[1].parts == {"form": "chained", "offset": "2"}
    by_subject = {c.subject: c.value for c in claims}
    assert ymd(by_subject["meeting:brussels"]) == (2022, 1, 12)
    assert by_subject["meeting:brussels"] == from_date(dt.date(2022, 1, 12), "chained")


def test_chained_date_after_a_weekday_in_an_undated_article_keeps_a_weekday() -> None:
    text = "On Monday diplomats met in Geneva. Two days later the council convened in Brussels."
    _, claims = find(text, published=None)
    by_subject = {c.subject: c.value for c in claims}
    assert by_subject["meeting:geneva"] == DateValue(weekday=0, resolution="weekday")
    assert by_subject["meeting:brussels"] == DateValue(weekday=2, resolution="chained")


def test_weekday_in_a_dated_article_becomes_a_full_date() -> None:
    _, claims = find("Diplomats met in Geneva on Monday.")
    assert [(c.subject, ymd(c.value)) for c in claims] == [("meeting:geneva", (2022, 1, 10))]


def test_future_weekday_in_text() -> None:
    _, claims = find("Talks will resume on Friday in Geneva.")
    assert [ymd(c.value) for c in claims] == [(2022, 1, 14)]


def test_yesterday_in_text() -> None:
    _, claims = find("Yesterday the ministers met in Paris.")
    assert [(c.subject, ymd(c.value)) for c in claims] == [("meeting:paris", (2022, 1, 11))]


def test_dateline_is_not_an_event_claim() -> None:
    raw, claims = find("Ankara, August 2, 2024: The ministers met in Ankara.")
    assert len(raw) == 1
    assert raw[0].span.quote == "August 2, 2024"
    assert raw[0].subject == ""
    assert raw[0].parts.get("dateline") == "1"
    assert claims == []


def test_dateline_does_not_hide_the_event_date_after_it() -> None:
    _, claims = find("Ankara, August 2, 2024: The ministers met in Ankara on Thursday.")
    assert [(c.subject, c.value) for c in claims] == [
        ("meeting:ankara", from_date(dt.date(2022, 1, 6), "relative"))  # the Thursday before
    ]


def test_date_without_event_word_is_context_only() -> None:
    raw, claims = find("The weather on January 10th was cold.")
    assert [(r.span.quote, r.subject) for r in raw] == [("January 10th", "")]
    assert claims == []


def test_context_only_date_still_anchors_a_chain() -> None:
    text = "It was cold on January 10th. Two days later the council convened in Brussels."
    _, claims = find(text)
    assert [(c.subject, ymd(c.value)) for c in claims] == [("meeting:brussels", (2022, 1, 12))]


def test_adjective_after_the_is_not_a_place() -> None:
    raw, _ = find("On January 10th diplomats met in the Swiss city.")
    assert [r.subject for r in raw] == ["meeting"]


def test_acronym_is_not_a_place() -> None:
    raw, _ = find("Diplomats met at NATO on January 10th.")
    assert [r.subject for r in raw] == ["meeting"]


def test_nearest_place_wins_when_a_sentence_names_two() -> None:
    text = (
        "There will be the council meeting in Brussels on January 12 "
        "and the OSCE meeting in Vienna on January 13."
    )
    raw, claims = find(text)
    assert [(r.span.quote, r.subject) for r in raw] == [
        ("January 12", "meeting:brussels"),
        ("January 13", "meeting:vienna"),
    ]
    assert [ymd(c.value) for c in claims] == [(2022, 1, 12), (2022, 1, 13)]


def test_lower_case_may_is_not_a_month() -> None:
    raw, _ = find("Diplomats may meet in Geneva 10 times.")
    assert raw == []


def test_undated_article_keeps_month_and_day_without_year() -> None:
    _, claims = find("On January 12 diplomats met in Geneva.", published=None)
    assert [c.value for c in claims] == [DateValue(month=1, day=12, resolution="absolute")]


def test_this_weekday_after_will_is_in_the_future() -> None:
    _, claims = find("Talks will resume this Friday in Geneva.")
    assert [ymd(c.value) for c in claims] == [(2022, 1, 14)]


def test_sentence_initial_in_names_the_place() -> None:
    raw, _ = find("In Geneva diplomats met on January 10th.")
    assert [r.subject for r in raw] == ["meeting:geneva"]


def test_wire_dateline_with_agency_is_not_an_event_claim() -> None:
    raw, _ = find("GENEVA, January 10 (Reuters) - Diplomats met in Geneva.")
    assert [(r.span.quote, r.subject) for r in raw] == [("January 10", "")]
