"""Figures as written become numbers; hedged figures become the ranges they can mean."""

from __future__ import annotations

import math

import pytest

from claimcheck.models import Interval
from claimcheck.normalize.numbers import HedgeTable, overlaps, parse_number
from claimcheck.rules import load_rules


@pytest.fixture(scope="module")
def hedges() -> HedgeTable:
    """The hedge table of the default rules (rules/hedges.yaml)."""
    ruleset = load_rules()
    return HedgeTable(
        hedges=ruleset.hedges, vague=ruleset.vague_numbers, exact_width=ruleset.exact_width
    )


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("100", 100),
        ("100,000", 100_000),
        ("1,000,000", 1_000_000),
        ("3.5", 3.5),
        ("1,234.5", 1234.5),
        ("100k", 100_000),
        ("100K", 100_000),
        ("1.5 million", 1_500_000),
        ("2 billion", 2_000_000_000),
        ("7 thousand", 7_000),
        ("3½", 3.5),
        ("2¼", 2.25),
        (" 42 ", 42),
        ("one", 1),
        ("twelve", 12),
        ("twenty-four", 24),
        ("twenty four", 24),
        ("one hundred thousand", 100_000),
        ("One Hundred Thousand", 100_000),
        ("two hundred and fifty", 250),
        ("one hundred and one", 101),
        ("fifty-five thousand", 55_000),
        ("a hundred", 100),
        ("a thousand", 1_000),
        ("three-and-a-half", 3.5),
        ("three and a half", 3.5),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a million", 500_000),
        ("Half a dozen", 6),
    ],
)
def test_parse_number_reads_figures_written_any_way(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "troops", "12 monkeys", "1,00", "half", "and", "dozen", "½", "-"],
)
def test_parse_number_rejects_junk(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["one two", "five six", "twenty thirty"])
def test_parse_number_rejects_word_sequences_that_are_not_one_number(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_rejects_a_bare_article() -> None:
    assert parse_number("a") is None


# --------------------------------------------------------------------------- hedges


def test_bare_figure_is_a_small_band_of_exact_width(hedges: HedgeTable) -> None:
    width = hedges.exact_width
    assert 0 < width < 0.1
    interval = hedges.interval(100_000, None)
    assert interval.low == pytest.approx(100_000 * (1 - width))
    assert interval.high == pytest.approx(100_000 * (1 + width))
    assert not interval.low_open and not interval.high_open
    assert interval.stated == 100_000
    assert interval.hedge is None


@pytest.mark.parametrize("word", ["about", "around", "roughly", "some", "About", "approximately"])
def test_band_hedges_surround_the_figure_wider_than_a_bare_figure(
    hedges: HedgeTable, word: str
) -> None:
    bare = hedges.interval(100_000, None)
    interval = hedges.interval(100_000, word)
    assert interval.high is not None and bare.high is not None
    assert interval.low < bare.low < 100_000 < bare.high < interval.high
    assert interval.low == pytest.approx(90_000)
    assert interval.high == pytest.approx(110_000)
    assert interval.hedge == word.lower()
    assert interval.stated == 100_000


@pytest.mark.parametrize("word", ["upwards of", "more than", "over", "Upwards  of"])
def test_above_hedges_open_the_lower_bound_with_no_upper_bound(
    hedges: HedgeTable, word: str
) -> None:
    interval = hedges.interval(100_000, word)
    assert interval.low == 100_000
    assert interval.low_open is True
    assert interval.high is None
    assert interval.hedge == " ".join(word.lower().split())


@pytest.mark.parametrize("word", ["just over", "a little over", "slightly more than"])
def test_just_over_is_a_little_above_the_figure_not_anything_above(
    hedges: HedgeTable, word: str
) -> None:
    interval = hedges.interval(30, word)  # 'a little over half an hour' (in minutes)
    assert interval.low == 30 and interval.low_open is True
    assert interval.high is not None and 38 < interval.high < 45


@pytest.mark.parametrize("word", ["almost", "nearly"])
def test_almost_and_nearly_end_open_at_the_figure(hedges: HedgeTable, word: str) -> None:
    interval = hedges.interval(8, word)
    assert interval.high == 8
    assert interval.high_open is True
    assert 0 < interval.low < 8
    assert interval.low_open is False


def test_up_to_means_zero_to_the_figure(hedges: HedgeTable) -> None:
    interval = hedges.interval(175_000, "up to")
    assert (interval.low, interval.high) == (0, 175_000)
    assert not interval.low_open and not interval.high_open


def test_at_least_is_closed_at_the_figure(hedges: HedgeTable) -> None:
    interval = hedges.interval(100, "at least")
    assert (interval.low, interval.high, interval.low_open) == (100, None, False)


def test_unknown_hedge_word_is_a_bare_figure(hedges: HedgeTable) -> None:
    assert hedges.interval(100, "perhaps") == hedges.interval(100, None)


def test_factor_converts_the_figure_and_the_range(hedges: HedgeTable) -> None:
    interval = hedges.interval(2_000, "some", unit="km", factor=1.609344)
    assert interval.stated == pytest.approx(3218.688)
    assert interval.low == pytest.approx(3218.688 * 0.9)
    assert interval.high == pytest.approx(3218.688 * 1.1)
    assert interval.unit == "km"


def test_tens_of_thousands_is_ten_to_ninety_nine_thousand(hedges: HedgeTable) -> None:
    interval = hedges.vague_interval("tens of  Thousands")
    assert interval is not None
    assert (interval.low, interval.high) == (10_000, 99_999)
    assert interval.stated is None
    assert interval.hedge is not None and interval.hedge.lower() == "tens of thousands"


def test_unknown_vague_phrase_has_no_range(hedges: HedgeTable) -> None:
    assert hedges.vague_interval("umpteen") is None


def test_every_default_interval_contains_or_bounds_its_figure(hedges: HedgeTable) -> None:
    words = sorted({w for h in hedges.hedges for w in h.words})
    for word in [None, *words]:
        interval = hedges.interval(50, word)
        high = math.inf if interval.high is None else interval.high
        assert interval.low <= 50 <= high, word


# --------------------------------------------------------------------------- overlaps


def test_nearly_and_over_the_same_figure_do_not_overlap(hedges: HedgeTable) -> None:
    nearly, over = hedges.interval(3, "nearly"), hedges.interval(3, "over")
    assert not overlaps(nearly, over)
    assert not overlaps(over, nearly)


def test_nearly_overlaps_the_bare_figure(hedges: HedgeTable) -> None:
    nearly, bare = hedges.interval(3, "nearly"), hedges.interval(3, None)
    assert overlaps(nearly, bare)
    assert overlaps(bare, nearly)


def test_over_overlaps_a_larger_figure(hedges: HedgeTable) -> None:
    over, larger = hedges.interval(3, "over"), hedges.interval(3.5, None)
    assert overlaps(over, larger)
    assert overlaps(larger, over)


def test_over_does_not_reach_down_to_a_smaller_figure(hedges: HedgeTable) -> None:
    assert not overlaps(hedges.interval(3, "over"), hedges.interval(2.5, None))


def test_disjoint_closed_ranges_do_not_overlap_and_touching_ones_do() -> None:
    a = Interval(low=1, high=2)
    assert not overlaps(a, Interval(low=2.5, high=3))
    assert overlaps(a, Interval(low=2, high=3))  # share the value 2
    assert not overlaps(a, Interval(low=2, high=3, low_open=True))  # 2 excluded


def test_two_open_ended_ranges_always_overlap() -> None:
    assert overlaps(Interval(low=10, high=None), Interval(low=1_000_000, high=None, low_open=True))


def test_tolerance_widens_closed_bounds_only() -> None:
    a, b = Interval(low=90, high=100), Interval(low=104, high=110)
    assert not overlaps(a, b)
    assert overlaps(a, b, tolerance=0.05)
    a_open = Interval(low=90, high=100, high_open=True)
    assert not overlaps(a_open, Interval(low=100, high=110, low_open=True), tolerance=0.5)
