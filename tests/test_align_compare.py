"""Alignment groups hand-built claims into facts; the comparators turn facts into findings."""

from __future__ import annotations

import datetime as dt

import pytest

from claimcheck.align import UNRESOLVED, align
from claimcheck.compare import compare_facts
from claimcheck.models import Claim, DateValue, Fact, Finding, Interval, Severity, Status, Value
from claimcheck.normalize.dates import describe as describe_date
from claimcheck.normalize.dates import from_date
from claimcheck.normalize.numbers import HedgeTable
from claimcheck.normalize.numbers import describe as describe_interval
from claimcheck.rules import RuleSet, load_rules

# --------------------------------------------------------------------------- helpers

RULESET: RuleSet = load_rules()
HEDGES = HedgeTable(
    hedges=RULESET.hedges, vague=RULESET.vague_numbers, exact_width=RULESET.exact_width
)
KINDS = {"troop_count": "troop_count", "count": "count", "date": "date", "duration": "duration"}


def claim(source: str, rule: str, subject: str, value: Value, start: int = 0) -> Claim:
    """A normalised claim as a finder and normaliser would make it."""
    if isinstance(value, Interval):
        display = describe_interval(value)
    else:
        assert isinstance(value, DateValue)
        display = describe_date(value)
    return Claim(
        kind=KINDS[rule],
        rule=rule,
        source=source,
        quote=display,
        start=start,
        end=start + len(display),
        line=1,
        column=start + 1,
        subject=subject,
        subject_label=subject.split("@")[0].split(":")[0],
        value=value,
        display=display,
    )


def troops(source: str, figure: float, hedge: str | None = None, start: int = 0) -> Claim:
    return claim(source, "troop_count", "troops", HEDGES.interval(figure, hedge), start)


def day(y: int, m: int, d: int) -> DateValue:
    return from_date(dt.date(y, m, d), "absolute")


MONDAY = DateValue(weekday=0, resolution="weekday")
HOURS = HEDGES.interval(8, "almost", unit="h")


def grouping(facts: list[Fact]) -> dict[tuple[str, str], list[str]]:
    """(rule, subject) -> the sources of its claims, in claim order."""
    return {(f.rule, f.subject): [c.source for c in f.claims] for f in facts}


def compare(claims: list[Claim]) -> list[Finding]:
    return compare_facts(align(claims), RULESET)


def single(claims: list[Claim]) -> Finding:
    findings = compare(claims)
    assert len(findings) == 1, [(f.subject, f.status) for f in findings]
    return findings[0]


def camps(finding: Finding) -> list[tuple[int, str, str]]:
    return sorted((c.group, c.source, c.display) for c in finding.claims)


# --------------------------------------------------------------------------- align


def test_claims_group_by_rule_and_subject() -> None:
    facts = align(
        [
            troops("b.txt", 100_000),
            troops("a.txt", 100_000),
            claim("a.txt", "count", "troops", HEDGES.interval(30, None)),
            claim("a.txt", "count", "tanks", HEDGES.interval(30, None)),
        ]
    )
    assert grouping(facts) == {
        ("count", "tanks"): ["a.txt"],
        ("count", "troops"): ["a.txt"],
        ("troop_count", "troops"): ["a.txt", "b.txt"],  # sorted by source
    }
    fact = next(f for f in facts if f.rule == "troop_count")
    assert fact.sources == ("a.txt", "b.txt")
    assert fact.key == "troop_count:troops"


def test_weekday_anchor_merges_into_the_single_dated_anchor() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks@2022-01-10", HOURS),
            claim("b.txt", "duration", "talks@Monday", HOURS),
        ]
    )
    assert grouping(facts) == {("duration", "talks@2022-01-10"): ["a.txt", "b.txt"]}


def test_weekday_anchor_matching_two_dated_anchors_is_not_merged() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks@2022-01-10", HOURS),
            claim("b.txt", "duration", "talks@2022-01-17", HOURS),
            claim("c.txt", "duration", "talks@Monday", HOURS),
        ]
    )
    assert all(len(f.claims) == 1 for f in facts)
    assert len(facts) == 3


def test_weekday_anchor_on_another_weekday_is_not_merged() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks@2022-01-11", HOURS),  # a Tuesday
            claim("b.txt", "duration", "talks@Monday", HOURS),
        ]
    )
    assert all(len(f.claims) == 1 for f in facts)


def test_bare_subject_joins_the_only_anchored_group() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks@2022-01-10", HOURS),
            claim("b.txt", "duration", "talks", HOURS),
        ]
    )
    assert grouping(facts) == {("duration", "talks@2022-01-10"): ["a.txt", "b.txt"]}


def test_bare_subject_is_unresolved_when_two_anchored_groups_exist() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks@2022-01-10", HOURS),
            claim("b.txt", "duration", "talks@2022-01-11", HOURS),
            claim("c.txt", "duration", "talks", HOURS, start=7),
        ]
    )
    groups = grouping(facts)
    assert groups[("duration", "talks@2022-01-10")] == ["a.txt"]
    assert groups[("duration", "talks@2022-01-11")] == ["b.txt"]
    unresolved = [f for f in facts if UNRESOLVED in f.subject]
    assert len(unresolved) == 1
    assert [c.source for c in unresolved[0].claims] == ["c.txt"]
    assert unresolved[0].subject.startswith("talks")


def test_bare_subject_never_joins_a_year_only_anchor() -> None:
    # 'talks@2019' are another year's talks ('the last time the council met, in 2019').
    facts = align(
        [
            claim("a.txt", "duration", "talks@2019", HOURS),
            claim("b.txt", "duration", "talks", HOURS),
        ]
    )
    assert grouping(facts) == {
        ("duration", "talks@2019"): ["a.txt"],
        ("duration", "talks"): ["b.txt"],
    }


def test_a_year_only_anchor_leaves_the_one_dated_anchor_to_the_bare_subject() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks@2019", HOURS),
            claim("b.txt", "duration", "talks@2022-01-10", HOURS),
            claim("c.txt", "duration", "talks", HOURS),
        ]
    )
    assert grouping(facts) == {
        ("duration", "talks@2019"): ["a.txt"],
        ("duration", "talks@2022-01-10"): ["b.txt", "c.txt"],
    }


TROOPS = HEDGES.interval(100_000, "about")


def test_an_ownerless_count_joins_the_one_owner() -> None:
    facts = align(
        [
            claim("a.txt", "troop_count", "troops~russian", TROOPS),
            claim("b.txt", "troop_count", "troops", TROOPS),
        ]
    )
    assert grouping(facts) == {("troop_count", "troops~russian"): ["a.txt", "b.txt"]}


def test_the_owners_of_another_year_are_merged_apart() -> None:
    # 'Moscow declared 12,700 troops in 2017': neither this year's owner nor its bare count.
    facts = align(
        [
            claim("a.txt", "troop_count", "troops~russian", TROOPS),
            claim("b.txt", "troop_count", "troops", TROOPS),
            claim("c.txt", "troop_count", "troops~russian@2017", TROOPS),
            claim("d.txt", "troop_count", "troops@2017", TROOPS),
        ]
    )
    assert grouping(facts) == {
        ("troop_count", "troops~russian"): ["a.txt", "b.txt"],
        ("troop_count", "troops~russian@2017"): ["c.txt", "d.txt"],
    }


def test_a_placed_count_is_never_joined_by_the_bare_count() -> None:
    # '2,500 Russian troops deployed to Belarus' are part of the 200,000, not their size.
    facts = align(
        [
            claim("a.txt", "troop_count", "troops:belarus~russian", TROOPS),
            claim("b.txt", "troop_count", "troops", TROOPS),
        ]
    )
    assert grouping(facts) == {
        ("troop_count", "troops:belarus~russian"): ["a.txt"],
        ("troop_count", "troops"): ["b.txt"],
    }


def test_a_weekday_with_a_counterpart_is_dated_by_the_day_of_talks_naming_no_one() -> None:
    # 'almost eight hours of talks with Ryabkov on Monday' and 'talks on 10 January lasted
    # eight hours': one day, and the bare length joins the one person its day names.
    facts = align(
        [
            claim("a.txt", "duration", "talks~ryabkov@Monday", HOURS),
            claim("b.txt", "duration", "talks@2022-01-10", HOURS),
        ]
    )
    assert grouping(facts) == {("duration", "talks~ryabkov@2022-01-10"): ["a.txt", "b.txt"]}


def test_lengths_naming_no_one_on_a_day_with_two_counterparts_are_unresolved() -> None:
    facts = align(
        [
            claim("a.txt", "duration", "talks~xi@2023-06-19", HOURS),
            claim("b.txt", "duration", "talks~wang@2023-06-19", HOURS),
            claim("c.txt", "duration", "talks@2023-06-19", HOURS),
        ]
    )
    groups = grouping(facts)
    assert groups[("duration", "talks~xi@2023-06-19")] == ["a.txt"]
    assert groups[("duration", "talks~wang@2023-06-19")] == ["b.txt"]
    assert [f.claims[0].source for f in facts if UNRESOLVED in f.subject] == ["c.txt"]


def test_bare_subjects_without_anchors_stay_together() -> None:
    facts = align(
        [claim("a.txt", "duration", "talks", HOURS), claim("b.txt", "duration", "talks", HOURS)]
    )
    assert grouping(facts) == {("duration", "talks"): ["a.txt", "b.txt"]}


def test_placeless_date_joins_the_placed_group_it_pins_down() -> None:
    facts = align(
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10)),
            claim("b.txt", "date", "meeting:vienna", day(2022, 1, 13)),
            claim("c.txt", "date", "meeting", day(2022, 1, 10)),
            claim("d.txt", "date", "meeting", MONDAY),
        ]
    )
    assert grouping(facts) == {
        ("date", "meeting:geneva"): ["a.txt", "c.txt", "d.txt"],
        ("date", "meeting:vienna"): ["b.txt"],
    }


def test_placeless_date_pinning_down_no_group_is_unresolved() -> None:
    facts = align(
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10)),
            claim("b.txt", "date", "meeting", day(2022, 1, 11)),
        ]
    )
    groups = grouping(facts)
    assert groups[("date", "meeting:geneva")] == ["a.txt"]
    assert [s for (_, s) in groups if UNRESOLVED in s] != []


def test_placeless_date_matching_two_placed_groups_stays_unresolved() -> None:
    facts = align(
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10)),
            claim("b.txt", "date", "meeting:vienna", day(2022, 1, 17)),
            claim("c.txt", "date", "meeting", MONDAY),  # both are Mondays
        ]
    )
    groups = grouping(facts)
    assert groups[("date", "meeting:geneva")] == ["a.txt"]
    assert groups[("date", "meeting:vienna")] == ["b.txt"]
    unresolved = [f for f in facts if UNRESOLVED in f.subject]
    assert [[c.source for c in f.claims] for f in unresolved] == [["c.txt"]]
    assert "unclear" in unresolved[0].subject_label


def test_placeless_date_matching_two_same_day_places_joins_the_best_attested() -> None:
    facts = align(
        [
            claim("a.txt", "date", "meeting:bali", day(2022, 11, 15)),
            claim("b.txt", "date", "meeting:indonesia", day(2022, 11, 15)),
            claim("c.txt", "date", "meeting:indonesia", day(2022, 11, 15)),
            claim("d.txt", "date", "meeting", day(2022, 11, 15)),
        ]
    )
    assert grouping(facts) == {
        ("date", "meeting:bali"): ["a.txt"],
        ("date", "meeting:indonesia"): ["b.txt", "c.txt", "d.txt"],
    }


def test_align_does_not_depend_on_claim_order() -> None:
    claims = [
        claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10)),
        claim("b.txt", "date", "meeting", MONDAY),
        claim("c.txt", "duration", "talks@2022-01-10", HOURS),
        claim("d.txt", "duration", "talks", HOURS),
        troops("e.txt", 100_000),
    ]
    assert align(claims) == align(list(reversed(claims)))


# --------------------------------------------------------------------------- compare


def test_overlapping_ranges_agree() -> None:
    finding = single([troops("001_x.txt", 100_000, "about"), troops("002_y.txt", 100_000)])
    assert finding.status is Status.AGREE
    assert finding.severity is Severity.INFO
    assert finding.sources == ("001_x.txt", "002_y.txt")
    assert {c.group for c in finding.claims} == {1}


def test_disjoint_ranges_conflict_with_the_rule_severity() -> None:
    finding = single([troops("001_x.txt", 100_000, "about"), troops("002_y.txt", 175_000)])
    assert finding.status is Status.CONFLICT
    assert finding.severity is Severity.ERROR  # troop_count.yaml: severity error
    assert "001" in finding.message and "002" in finding.message
    assert "about 100,000" in finding.message and "175,000" in finding.message


def test_only_a_vague_word_against_the_figures_is_a_warning() -> None:
    hundreds = claim("a.txt", "troop_count", "troops", HEDGES.vague_interval("hundreds"))
    finding = single([hundreds, troops("b.txt", 2_000, "some")])
    assert finding.status is Status.CONFLICT and finding.severity is Severity.WARNING
    assert finding.detail is not None and "'hundreds'" in finding.detail
    # Figures that disagree among themselves stay an error, whatever the vague word says.
    finding = single([hundreds, troops("b.txt", 2_000), troops("c.txt", 5_000)])
    assert finding.status is Status.CONFLICT and finding.severity is Severity.ERROR


def test_conflict_severity_follows_the_rule() -> None:
    finding = single(
        [
            claim("a.txt", "count", "tanks", HEDGES.interval(100, None)),
            claim("b.txt", "count", "tanks", HEDGES.interval(200, None)),
        ]
    )
    assert finding.status is Status.CONFLICT
    assert finding.severity is Severity.WARNING  # count.yaml: severity warning


def test_one_source_is_single_source_with_info_severity() -> None:
    finding = single([troops("001_x.txt", 100_000), troops("001_x.txt", 175_000, start=40)])
    assert finding.status is Status.SINGLE_SOURCE
    assert finding.severity is Severity.INFO
    assert finding.sources == ("001_x.txt",)
    assert "001" in finding.message


def test_nearly_and_over_the_same_figure_conflict() -> None:
    finding = single(
        [
            claim("a.txt", "duration", "talks", HEDGES.interval(8, "nearly", unit="h")),
            claim("b.txt", "duration", "talks", HEDGES.interval(8, "over", unit="h")),
        ]
    )
    assert finding.status is Status.CONFLICT


def test_camp_one_is_the_camp_with_most_sources() -> None:
    finding = single(
        [
            # a.txt alone gives two figures of one camp; b and c agree on another.
            troops("a.txt", 175_000),
            troops("a.txt", 176_000, start=50),
            troops("b.txt", 100_000),
            troops("c.txt", 100_000, "about"),
        ]
    )
    assert finding.status is Status.CONFLICT
    groups = {(c.source, c.display.split(" ")[-1]): c.group for c in finding.claims}
    assert {c.group for c in finding.claims if c.source in ("b.txt", "c.txt")} == {1}
    assert {c.group for c in finding.claims if c.source == "a.txt"} == {2}, groups
    assert [c.group for c in finding.claims] == sorted(c.group for c in finding.claims)


def test_source_giving_two_dates_is_not_in_conflict_with_one_of_them() -> None:
    finding = single(
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 9)),
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10), start=30),
            claim("b.txt", "date", "meeting:geneva", day(2022, 1, 10)),
        ]
    )
    assert finding.status is Status.AGREE


def test_different_dates_conflict() -> None:
    finding = single(
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 9)),
            claim("b.txt", "date", "meeting:geneva", day(2022, 1, 10)),
        ]
    )
    assert finding.status is Status.CONFLICT
    assert finding.severity is Severity.ERROR


def test_weekday_agrees_with_the_full_date_on_that_weekday() -> None:
    finding = single(
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10)),
            claim("b.txt", "date", "meeting:geneva", MONDAY),
        ]
    )
    assert finding.status is Status.AGREE


@pytest.mark.parametrize(
    "claims",
    [
        [troops("a.txt", 100_000, "about"), troops("b.txt", 100_000), troops("c.txt", 175_000)],
        [
            troops("a.txt", 3, "nearly"),
            troops("b.txt", 3, "over"),
            troops("c.txt", 3),
            troops("d.txt", 3.5),
        ],
        [
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 9)),
            claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10), start=30),
            claim("b.txt", "date", "meeting:geneva", MONDAY),
            claim("c.txt", "date", "meeting:geneva", day(2022, 1, 11)),
        ],
    ],
)
def test_reversing_claim_order_gives_the_same_findings(claims: list[Claim]) -> None:
    forward, backward = compare(claims), compare(list(reversed(claims)))
    assert [(f.id, f.status, f.severity, camps(f)) for f in forward] == [
        (f.id, f.status, f.severity, camps(f)) for f in backward
    ]
    assert forward == backward


@pytest.mark.parametrize(
    "value",
    [
        HEDGES.interval(100_000, None),
        HEDGES.interval(100_000, "about"),
        HEDGES.interval(100_000, "nearly"),
        HEDGES.interval(100_000, "over"),
        HEDGES.interval(100_000, "up to"),
        HEDGES.interval(100_000, "at least"),
        HEDGES.interval(100_000, "under"),
        HEDGES.vague_interval("tens of thousands"),
    ],
    ids=lambda v: v.hedge or "bare",
)
def test_a_claim_always_agrees_with_itself(value: Interval) -> None:
    finding = single(
        [
            claim("a.txt", "troop_count", "troops", value),
            claim("b.txt", "troop_count", "troops", value),
        ]
    )
    assert finding.status is Status.AGREE


@pytest.mark.parametrize("value", [day(2022, 1, 10), MONDAY, DateValue(month=1, day=12)])
def test_a_date_always_agrees_with_itself(value: DateValue) -> None:
    finding = single(
        [
            claim("a.txt", "date", "meeting:geneva", value),
            claim("b.txt", "date", "meeting:geneva", value),
        ]
    )
    assert finding.status is Status.AGREE


def test_finding_ids_are_stable_and_differ_between_facts() -> None:
    claims = [
        troops("a.txt", 100_000),
        troops("b.txt", 175_000),
        claim("a.txt", "count", "tanks", HEDGES.interval(30, None)),
        claim("a.txt", "date", "meeting:geneva", day(2022, 1, 10)),
        claim("a.txt", "date", "meeting:vienna", day(2022, 1, 10)),
    ]
    first, second = compare(claims), compare(claims)
    assert [f.id for f in first] == [f.id for f in second]
    assert len({f.id for f in first}) == len(first) == 4
    assert all(f.id.startswith("CC-") for f in first)


def test_findings_list_conflicts_first() -> None:
    findings = compare(
        [
            claim("a.txt", "count", "tanks", HEDGES.interval(30, None)),
            troops("a.txt", 100_000),
            troops("b.txt", 175_000),
        ]
    )
    assert [f.status for f in findings] == [Status.CONFLICT, Status.SINGLE_SOURCE]


# --------------------------------------------------------------------------- figures that change


def people(source: str, figure: float) -> Claim:
    return claim(source, "count", "people:rescued", HEDGES.interval(figure, None))


def test_a_count_conflict_between_days_says_when_each_source_was_published() -> None:
    published = {"a.txt": dt.date(2024, 3, 22), "b.txt": dt.date(2024, 3, 24), "c.txt": None}
    claims = [people("a.txt", 8_000), people("b.txt", 12_000), people("c.txt", 12_000)]
    [finding] = compare_facts(align(claims), RULESET, published)
    assert finding.status is Status.CONFLICT
    assert finding.detail == (
        "Published on different days (a on 2024-03-22; b on 2024-03-24): the figure may have "
        "changed as the story developed."
    )


def test_no_timing_detail_for_sources_of_one_day_or_rules_whose_figures_hold() -> None:
    same_day = {"a.txt": dt.date(2024, 3, 22), "b.txt": dt.date(2024, 3, 22)}
    [finding] = compare_facts(
        align([people("a.txt", 8_000), people("b.txt", 12_000)]), RULESET, same_day
    )
    assert finding.status is Status.CONFLICT and finding.detail is None
    two_days = {"a.txt": dt.date(2024, 3, 22), "b.txt": dt.date(2024, 3, 24)}
    assert not RULESET.rule("duration").changes_over_time  # how long the talks lasted
    lengths = [
        claim("a.txt", "duration", "talks", HEDGES.interval(8, None, unit="h")),
        claim("b.txt", "duration", "talks", HEDGES.interval(3, None, unit="h")),
    ]
    [finding] = compare_facts(align(lengths), RULESET, two_days)
    assert finding.status is Status.CONFLICT and finding.detail is None
