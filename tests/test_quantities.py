"""Counts and measures in tiny texts, read with the default rules."""

from __future__ import annotations

import datetime as dt

import pytest

from claimcheck.align import align
from claimcheck.compare import compare_facts
from claimcheck.extract import compile_rules, extract_source
from claimcheck.models import Claim, Interval, RawClaim, Source, Status
from claimcheck.normalize import Tables, normalize_source
from claimcheck.rules import RuleSet, load_rules

# --------------------------------------------------------------------------- helpers

RULES = ("troop_count", "casualty_count", "count", "distance", "duration", "date")
PUBLISHED = dt.date(2022, 1, 12)


def ruleset_for(*rule_ids: str) -> RuleSet:
    ruleset = load_rules()
    return ruleset.model_copy(update={"rules": tuple(r for r in ruleset.rules if r.id in rule_ids)})


def run(text: str, source_id: str = "a.txt") -> tuple[list[RawClaim], list[Claim]]:
    ruleset = ruleset_for(*RULES)
    source = Source(id=source_id, path=source_id, text=text, published=PUBLISHED)
    raw = extract_source(source, compile_rules(ruleset))
    return raw, normalize_source(source, raw, Tables(ruleset))


def claims_of(text: str, rule: str) -> list[Claim]:
    return [c for c in run(text)[1] if c.rule == rule]


def only(text: str, rule: str) -> Claim:
    claims = claims_of(text, rule)
    assert len(claims) == 1, [(c.rule, c.quote) for c in run(text)[1]]
    return claims[0]


def interval(claim: Claim) -> Interval:
    assert isinstance(claim.value, Interval)
    return claim.value


# --------------------------------------------------------------------------- troop counts


def test_bare_troop_figure() -> None:
    claim = only("Russia has massed 100,000 Russian troops on the border.", "troop_count")
    value = interval(claim)
    assert claim.subject == "troops~russian"
    assert claim.quote == "100,000 Russian troops"
    assert value.stated == 100_000
    assert value.low == pytest.approx(98_000) and value.high == pytest.approx(102_000)
    assert claim.line == 1 and claim.column == len("Russia has massed ") + 1


def test_upwards_of_is_open_above() -> None:
    claim = only("Russia has massed upwards of 100,000 Russian soldiers.", "troop_count")
    value = interval(claim)
    assert claim.subject == "troops~russian"
    assert claim.quote.startswith("upwards of 100,000")
    assert (value.low, value.low_open, value.high) == (100_000, True, None)
    assert value.hedge == "upwards of"


def test_tens_of_thousands_of_combat_troops() -> None:
    claim = only("Russia has massed tens of thousands of combat troops.", "troop_count")
    value = interval(claim)
    assert claim.subject == "troops~russian"
    assert (value.low, value.high) == (10_000, 99_999)


@pytest.mark.parametrize(
    "text", ["Russia has 100k troops there.", "Russia has one hundred thousand troops there."]
)
def test_figures_written_other_ways_are_the_same_troop_count(text: str) -> None:
    value = interval(only(text, "troop_count"))
    assert value.stated == 100_000
    assert value.low == pytest.approx(98_000) and value.high == pytest.approx(102_000)


def test_about_and_up_to_give_their_ranges() -> None:
    about = interval(only("Russia has about 100,000 troops.", "troop_count"))
    up_to = interval(only("Russia has up to 175,000 troops.", "troop_count"))
    assert about.low == pytest.approx(90_000) and about.high == pytest.approx(110_000)
    assert (up_to.low, up_to.high) == (0, 175_000)


_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@pytest.mark.parametrize(
    "sentence, rule",
    [("The deal freed {} prisoners.", "count"), ("The talks lasted {} hours.", "duration")],
)
def test_every_hyphenated_number_word_is_one_figure_not_a_range(sentence: str, rule: str) -> None:
    """'twenty-four' is 24, never the range twenty to four (which read as 4)."""
    text = " ".join(sentence.format(f"{tens}-{unit}") for tens in _TENS for unit in _UNITS)
    stated = [interval(c).stated for c in claims_of(text, rule)]
    assert stated == [float(10 * t + u) for t in range(2, 10) for u in range(1, 10)]


@pytest.mark.parametrize(
    "written, low, high",
    [("20-24", 20, 24), ("20 – 24", 20, 24), ("between 3 and 4", 3, 4), ("three to four", 3, 4),
     ("twenty - thirty", 20, 30), ("3½-4", 3.5, 4)],
)  # fmt: skip
def test_a_range_of_hours_is_the_range_written(written: str, low: float, high: float) -> None:
    value = interval(only(f"The talks lasted {written} hours.", "duration"))
    assert (value.low, value.high, value.stated, value.hedge) == (low, high, None, "range")


def test_casualties_in_the_tens_of_thousands_are_not_a_troop_count() -> None:
    for text in (
        "Officials fear casualties, which could run to the tens of thousands.",
        "Officials fear casualties, which could run to the tens of thousands of troops.",
        "Officials fear casualties, which could run to the tens of thousands, among troops.",
    ):
        assert claims_of(text, "troop_count") == [], text


def test_killed_before_the_figure_is_not_a_troop_count() -> None:
    assert claims_of("The attack killed 300 troops.", "troop_count") == []


def test_small_troop_figure_is_below_min_value() -> None:
    raw, claims = run("Only 5 troops stayed.")
    assert [r.rule for r in raw] == ["troop_count"]
    assert claims == []


def test_figure_is_not_glued_to_a_noun_on_the_next_line() -> None:
    assert claims_of("Russia has 100,000\ntroops near the border.", "troop_count") == []
    raw, claims = run("Jan 15th 2022\nAS RUSSIAN TANKS massed, officials said.")
    assert [c for c in claims if c.rule == "count"] == []
    assert all(r.rule == "date" for r in raw)


def test_a_year_is_not_a_troop_count() -> None:
    assert claims_of("In 2014 Russian troops seized Crimea.", "troop_count") == []


def test_a_year_before_a_count_is_not_the_count() -> None:
    assert interval(only("By 2021 30 countries had joined.", "count")).stated == 30


def test_or_so_after_the_figure_is_a_hedge() -> None:
    value = interval(only("Russia has 100,000 or so troops.", "troop_count"))
    assert value.low == pytest.approx(90_000) and value.high == pytest.approx(110_000)
    assert value.hedge == "or so"


# --------------------------------------------------------------------------- counts


def test_count_noun_names_the_subject() -> None:
    claim = only("Diplomats from 30 countries met.", "count")
    assert claim.subject == "countries"
    assert interval(claim).stated == 30


def test_other_members_are_claimed_but_never_compared() -> None:
    """'the 29 other members' is a count of fact (the gold guideline), but of what is left once
    something is set aside: never the same fact as 'members', nor as another source's others."""
    for text in ("NATO and the 29 other members of NATO met.", "NATO and 29 other members met."):
        (claim,) = claims_of(text, "count")
        assert claim.subject.startswith("other_members#unresolved/")
        assert interval(claim).stated == 29


def test_the_two_countries_is_a_back_reference_not_a_count() -> None:
    assert claims_of("Talks between the two countries failed.", "count") == []
    assert claims_of("Talks between their two countries failed.", "count") == []
    assert interval(only("Two countries met.", "count")).stated == 2  # without the determiner


def test_counts_and_troops_in_one_sentence_are_separate_facts() -> None:
    claims = run("He said 100,000 troops, 5,000 tanks and 30 helicopters were there.")[1]
    assert sorted((c.rule, c.subject, interval(c).stated) for c in claims) == [
        ("count", "helicopters", 30),
        ("count", "tanks", 5_000),
        ("troop_count", "troops", 100_000),
    ]


# --------------------------------------------------------------------------- distances


def test_distance_from_a_place_open_above() -> None:
    claim = only("The base lies over 6,000km from Ukraine.", "distance")
    value = interval(claim)
    assert claim.subject == "ukraine"
    assert (value.low, value.low_open, value.high) == (6_000, True, None)
    assert value.unit == "km"


def test_miles_are_converted_to_km_with_a_band() -> None:
    claim = only("The base is some 2,000 miles from Moscow.", "distance")
    value = interval(claim)
    assert claim.subject == "moscow"
    assert value.unit == "km"
    assert value.stated == pytest.approx(3218.688)
    assert value.low == pytest.approx(3218.688 * 0.9)
    assert value.high == pytest.approx(3218.688 * 1.1)


def test_travelled_distance_is_not_a_distance_from() -> None:
    assert claims_of("The troops travelled 500km from Moscow.", "distance") == []


# --------------------------------------------------------------------------- durations


def test_almost_eight_hours_of_talks() -> None:
    claim = only("They held almost eight hours of talks.", "duration")
    value = interval(claim)
    assert claim.subject.startswith("talks")
    assert (value.high, value.high_open, value.unit) == (8, True, "h")
    assert value.low < 8


def test_three_hour_meeting() -> None:
    claim = only("They held a three-hour meeting.", "duration")
    assert claim.subject.startswith("talks")
    assert interval(claim).stated == 3


def test_minutes_are_converted_to_hours() -> None:
    assert interval(only("The session lasted 90 minutes.", "duration")).stated == pytest.approx(1.5)


def test_duration_is_anchored_to_the_day_of_its_sentence() -> None:
    claim = only("The talks in Geneva on Monday lasted almost eight hours.", "duration")
    assert claim.subject == "talks@2022-01-10"


def test_two_days_later_is_not_a_duration() -> None:
    raw, claims = run("Two days later the talks resumed.")
    assert [r.rule for r in raw] == ["date"]
    assert [c for c in claims if c.rule == "duration"] == []


def test_hours_and_minutes_are_one_duration() -> None:
    assert interval(only("The talks lasted 7 hours and 45 minutes.", "duration")).stated == (
        pytest.approx(7.75)
    )


def test_hours_and_minutes_agree_with_the_same_duration_in_fractions() -> None:
    claims = (
        run("The talks lasted 7 hours and 45 minutes.", "a.txt")[1]
        + run("The talks lasted 7¾ hours.", "b.txt")[1]
    )
    findings = compare_facts(align(claims), ruleset_for(*RULES))
    assert [f.status for f in findings if f.rule == "duration"] == [Status.AGREE]


# --------------------------------------------------------------------------- casualty counts


def test_a_verb_before_a_figure_and_its_noun_gives_one_claim_of_the_whole_figure() -> None:
    text = "Gunmen killed about 1,200 people, and the quake killed more than 4,300 people."
    claims = claims_of(text, "casualty_count")
    assert [(c.quote, c.subject) for c in claims] == [
        ("about 1,200 people", "people:killed"),
        ("more than 4,300 people", "people:killed"),
    ]


def test_a_verb_with_no_noun_after_its_figure_is_a_toll() -> None:
    claims = claims_of("The attack killed 13 and wounded 30, officials said.", "casualty_count")
    assert [(c.quote, c.subject, interval(c).stated) for c in claims] == [
        ("killed 13", "people:killed", 13),
        ("wounded 30", "people:injured", 30),
    ]


def test_a_toll_that_topped_a_figure_is_more_than_it() -> None:
    claim = only("By Tuesday the death toll had topped 5,000.", "casualty_count")
    value = interval(claim)
    assert (value.low, value.high, value.low_open, value.hedge) == (5_000, None, True, "more than")
