"""Acceptance checks on the five unmodified seed articles (the January 2022 Russia–West talks)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
from helpers import (
    REPO_ROOT,
    SEEDS,
    conflicts,
    describe,
    describe_all,
    findings,
    load_report,
    seed_names,
    seeds_run,
)

S000, S001, S002, S003, S004 = seed_names()
SCHEMA_FILE = REPO_ROOT / "schemas" / "claimcheck-report.schema.json"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return load_report(seeds_run()[1])


def span_of(source: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of `phrase` in a seed (its `occurrence`-th appearance)."""
    text = (SEEDS / source).read_text(encoding="utf-8")
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(phrase, start + 1)
        assert start >= 0, f"{phrase!r} not in {source}"
    return start, start + len(phrase)


def overlaps(claim: dict[str, Any], source: str, span: tuple[int, int]) -> bool:
    return claim["source"] == source and claim["start"] < span[1] and claim["end"] > span[0]


def findings_with(
    report: dict[str, Any], source: str, span: tuple[int, int]
) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if any(overlaps(c, source, span) for c in f["claims"])]


def iso(value: dict[str, Any]) -> str | None:
    if value.get("type") != "date" or None in (
        value.get("year"),
        value.get("month"),
        value.get("day"),
    ):
        return None
    return dt.date(value["year"], value["month"], value["day"]).isoformat()


# --------------------------------------------------------------------------- (a) troops


def test_troop_count_agrees_across_001_to_004(report: dict[str, Any]) -> None:
    span = span_of(S001, "100,000 Russian troops")
    facts = [f for f in findings_with(report, S001, span) if f["kind"] == "troop_count"]
    assert len(facts) == 1, describe_all(report)
    fact = facts[0]
    assert fact["status"] == "agree", describe(fact)
    assert {S001, S002, S003, S004} <= set(fact["sources"]), describe(fact)
    assert {c["source"] for c in fact["claims"]} >= {S001, S002, S003, S004}
    for source, phrase in [
        (S002, "upwards of 100,000 Russian soldiers"),
        (S003, "roughly 100,000 Russian troops"),
        (S004, "around 100,000 troops"),
    ]:
        assert any(overlaps(c, source, span_of(source, phrase)) for c in fact["claims"]), phrase


# --------------------------------------------------------------------------- (b) dates


@pytest.mark.parametrize(
    ("place", "day"),
    [("geneva", "2022-01-10"), ("brussels", "2022-01-12"), ("vienna", "2022-01-13")],
)
def test_meeting_dates_agree(report: dict[str, Any], place: str, day: str) -> None:
    placed = [f for f in findings(report, "date") if place in f["subject"].lower()]
    with_day = [f for f in placed if any(iso(c["value"]) == day for c in f["claims"])]
    assert with_day, f"no date fact for {place} on {day}:\n{describe_all(report)}"
    main = max(with_day, key=lambda f: len(f["sources"]))
    assert main["status"] == "agree", describe(main)
    assert len(main["sources"]) >= 3, describe(main)
    assert not [f for f in placed if f["status"] == "conflict"], describe_all(report)
    days = {iso(c["value"]) for c in main["claims"]} - {None}
    assert days == {day}, describe(main)


# --------------------------------------------------------------------------- (c) duration


def test_eight_hours_of_talks_agree(report: dict[str, Any]) -> None:
    almost = span_of(S001, "almost eight hours")
    eight = span_of(S003, "eight hours")
    facts = [f for f in findings_with(report, S001, almost) if f["kind"] == "duration"]
    assert len(facts) == 1, describe_all(report)
    fact = facts[0]
    assert any(overlaps(c, S003, eight) for c in fact["claims"]), describe(fact)
    assert fact["status"] == "agree", describe(fact)


# --------------------------------------------------------------------------- (d) no errors


def test_no_error_conflict(report: dict[str, Any]) -> None:
    errors = [f for f in conflicts(report) if f["severity"] == "error"]
    assert not errors, "\n".join(describe(f) for f in errors)
    assert report["summary"]["by_severity"]["error"] == 0


def test_exit_code_is_zero_with_default_fail_on() -> None:
    code, _ = seeds_run()
    assert code == 0


# --------------------------------------------------------------------------- (e)-(g) traps


def test_other_members_and_allies_never_conflict(report: dict[str, Any]) -> None:
    members = span_of(S000, "29 other members")
    allies = span_of(S000, "30 allies")
    for fact in conflicts(report):
        assert not (
            any(overlaps(c, S000, members) for c in fact["claims"])
            and any(overlaps(c, S000, allies) for c in fact["claims"])
        ), describe(fact)


def test_casualties_are_not_troops(report: dict[str, Any]) -> None:
    sentence = span_of(S002, "in casualties, which could run to the tens of thousands")
    troops = [f for f in findings_with(report, S002, sentence) if f["kind"] == "troop_count"]
    assert not troops, "\n".join(describe(f) for f in troops)


def test_june_summit_is_not_the_january_talks(report: dict[str, Any]) -> None:
    june = span_of(S002, "summit with Putin in Geneva in June")
    june_line = span_of(S002, "Some European diplomats said Putin’s recent actions")
    geneva = [
        f
        for f in findings(report, "date")
        if "geneva" in f["subject"].lower()
        and any(iso(c["value"]) == "2022-01-10" for c in f["claims"])
    ]
    assert geneva, describe_all(report)
    for fact in geneva:
        for claim in fact["claims"]:
            assert not overlaps(claim, S002, june), describe(fact)
            assert not overlaps(claim, S002, (june_line[0], june[1])), describe(fact)
            assert claim["value"].get("month") in (None, 1), describe(fact)


# --------------------------------------------------------------------------- participants


def _people_facts(report: dict[str, Any], surname: str) -> list[dict[str, Any]]:
    """Participant facts with a claim naming `surname` (any spelling of the first name)."""
    return [
        f
        for f in findings(report, "participant")
        if any(
            surname in (c["value"].get("name", "") + " " + c["display"] + " " + c["quote"]).lower()
            for c in f["claims"]
        )
    ]


@pytest.mark.parametrize(
    ("surname", "sources"),
    [("sherman", {S002, S003}), ("ryabkov", {S001, S002, S003})],
    ids=["sherman-leads-us", "ryabkov-leads-russia"],
)
def test_delegation_leaders(report: dict[str, Any], surname: str, sources: set[str]) -> None:
    """Sherman and Ryabkov lead the delegations: a participant fact each, never a conflict."""
    facts = _people_facts(report, surname)
    assert facts, f"no participant fact names {surname}:\n{describe_all(report)}"
    for fact in facts:
        assert fact["status"] in ("agree", "single_source"), describe(fact)
    named_by = {c["source"] for f in facts for c in f["claims"]}
    assert named_by & sources, f"{surname}: expected claims from {sorted(sources)}"


# --------------------------------------------------------------------------- report shape


def test_report_validates_against_schema(report: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_summary_matches_findings(report: dict[str, Any]) -> None:
    summary = report["summary"]
    statuses = [f["status"] for f in report["findings"]]
    assert summary["sources"] == 5 == len(report["sources"])
    assert summary["findings"] == len(report["findings"])
    assert summary["conflicts"] == statuses.count("conflict")
    assert summary["agreements"] == statuses.count("agree")
    assert summary["single_source"] == statuses.count("single_source")
    assert [s["id"] for s in report["sources"]] == seed_names()
