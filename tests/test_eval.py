"""Accuracy against the gold files: floors that catch regressions, and the matcher's rules.

The floors in tests/gold/floors.yaml are what was measured when the gold was committed; a
change that lowers any per-kind F1, the micro F1 or the number of facts whose findings reach
the gold verdict fails here. The unit tests pin down what counts as a match.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from claimcheck.cli_eval import eval_command
from claimcheck.evaluate import (
    BUILTIN_KINDS,
    Gold,
    GoldClaim,
    GoldError,
    GoldFact,
    KindScore,
    Predicted,
    StoryResult,
    evaluate_gold,
    find_gold_files,
    judge_fact,
    load_gold,
    main,
    match_claims,
    value_agrees,
)
from claimcheck.models import DateValue, Interval, Person, Quotation, Status, Value

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold"
FLOORS: dict[str, Any] = yaml.safe_load((GOLD_DIR / "floors.yaml").read_text("utf-8"))
CORPUS_STORY = REPO.parent / "shared" / "corpora" / "biden-xi-bali-2022"


def _needs_story(story: str) -> None:
    if story != "seeds" and not CORPUS_STORY.is_dir():
        pytest.skip("../shared/corpora is not beside the repo")


@pytest.fixture(scope="module")
def results() -> dict[str, StoryResult]:
    """One pipeline run per story, shared by the floor tests."""
    out = {}
    for story, floor in FLOORS.items():
        if story != "seeds" and not CORPUS_STORY.is_dir():
            continue
        out[story] = evaluate_gold(load_gold(REPO / floor["gold"]))
    return out


# --------------------------------------------------------------------------- the gold files


@pytest.mark.parametrize("story", sorted(FLOORS))
def test_gold_spans_quote_their_text(story: str) -> None:
    _needs_story(story)
    gold = load_gold(REPO / FLOORS[story]["gold"])  # load_gold checks every span too
    for claim in gold.claims:
        text = (gold.folder / claim.source).read_text("utf-8")
        assert text[claim.start : claim.end] == claim.quote, claim.id


@pytest.mark.parametrize("story", sorted(FLOORS))
def test_gold_facts_are_consistent(story: str) -> None:
    """Every claim is in exactly its own fact; verdicts fit the number of sources."""
    _needs_story(story)
    gold = load_gold(REPO / FLOORS[story]["gold"])
    in_facts = [c for fact in gold.facts for c in fact.claims]
    assert sorted(in_facts) == sorted(c.id for c in gold.claims)
    for fact in gold.facts:
        claims = [gold.claim(c) for c in fact.claims]
        assert {c.fact for c in claims} == {fact.id}
        assert {c.kind for c in claims} == {fact.kind}
        assert fact.kind in BUILTIN_KINDS
        single = len({c.source for c in claims}) == 1
        assert (fact.verdict is Status.SINGLE_SOURCE) == single, fact.id
        if fact.camps:
            assert sorted(c for camp in fact.camps for c in camp) == sorted(fact.claims)


def test_gold_dir_holds_both_stories() -> None:
    assert [p.parent.name for p in find_gold_files(GOLD_DIR)] == ["biden-xi-bali-2022", "seeds"]


# --------------------------------------------------------------------------- floors


@pytest.mark.parametrize(
    ("story", "kind"), [(story, kind) for story in sorted(FLOORS) for kind in BUILTIN_KINDS]
)
def test_f1_per_kind_stays_above_its_floor(
    results: dict[str, StoryResult], story: str, kind: str
) -> None:
    _needs_story(story)
    floor = FLOORS[story]["f1"].get(kind)
    score = results[story].kind(kind)
    if floor is None:
        assert score.f1 is None, f"{story} {kind}: now scored ({score.f1}); add a floor"
        return
    assert score.f1 is not None and score.f1 + 1e-9 >= floor, (
        f"{story} {kind}: F1 {score.f1} < floor {floor} "
        f"(gold {score.gold}, predicted {score.predicted}, matched {score.matched})"
    )


@pytest.mark.parametrize("story", sorted(FLOORS))
def test_micro_f1_and_findings_stay_above_their_floors(
    results: dict[str, StoryResult], story: str
) -> None:
    _needs_story(story)
    result = results[story]
    assert result.micro.f1 is not None
    assert result.micro.f1 + 1e-9 >= FLOORS[story]["micro_f1"]
    assert result.facts_correct >= FLOORS[story]["findings_correct"], [
        f.fact for f in result.facts if not f.correct
    ]


# --------------------------------------------------------------------------- the matcher


def gold(kind: str, start: int, end: int, value: dict[str, Any], cid: str = "g1") -> GoldClaim:
    return GoldClaim(cid, "a.txt", kind, start, end, "x" * (end - start), f"{kind}:f", value)


def pred(
    kind: str,
    start: int,
    end: int,
    value: Value,
    source: str = "a.txt",
    finding: str = "F1",
    status: Status = Status.AGREE,
    group: int = 1,
) -> Predicted:
    return Predicted(
        kind, source, start, end, "x", value, "shown", finding, f"{kind}:s", status, group
    )


def test_overlapping_intervals_match() -> None:
    g = gold("troop_count", 0, 10, {"stated": 100000, "low": 98000, "high": 102000})
    p = pred("troop_count", 5, 20, Interval(low=90000, high=110000, stated=100000, hedge="about"))
    m = match_claims([g], [p])
    assert len(m.pairs) == 1 and not m.errors
    assert [c.category for c in m.caveats] == ["range_differs"]


def test_the_same_stated_figure_matches_whatever_the_hedge() -> None:
    g = gold("duration", 0, 9, {"stated": 120, "low": 117.6, "high": 122.4})
    p = pred("duration", 0, 9, Interval(low=200, high=None, low_open=True, stated=120))
    assert value_agrees("duration", g.value, p.value)


def test_nearly_and_over_the_same_figure_do_not_overlap() -> None:
    nearly = {"stated": 3, "low": 2.55, "high": 3, "high_open": True}
    over = Interval(low=3, high=None, low_open=True, stated=None)
    assert not value_agrees("duration", nearly, over)
    closed = Interval(low=3, high=4, stated=None)
    assert value_agrees("duration", {"low": 2.5, "high": 3}, closed)


def test_a_wrong_figure_on_the_right_span_is_a_wrong_value() -> None:
    g = gold("count", 0, 12, {"stated": 57, "low": 55.86, "high": 58.14})
    p = pred("count", 0, 12, Interval(low=46.06, high=47.94, stated=47))
    m = match_claims([g], [p])
    assert not m.pairs
    assert [e.category for e in m.errors] == ["wrong_value"]


def test_spans_that_do_not_overlap_are_a_miss_and_a_spurious_claim() -> None:
    g = gold("count", 0, 12, {"stated": 57, "low": 55.86, "high": 58.14})
    p = pred("count", 12, 20, Interval(low=55.86, high=58.14, stated=57))
    other_source = pred("count", 0, 12, Interval(low=55.86, high=58.14, stated=57), "b.txt")
    other_kind = pred("troop_count", 0, 12, Interval(low=55.86, high=58.14, stated=57))
    m = match_claims([g], [p, other_source, other_kind])
    assert sorted(e.category for e in m.errors) == ["missed", "spurious", "spurious", "spurious"]


def test_each_claim_matches_once_and_a_second_is_a_duplicate() -> None:
    g = gold("date", 0, 30, {"iso": "2022-01-13"})
    first = pred("date", 0, 17, DateValue(weekday=3))
    second = pred("date", 19, 30, DateValue(year=2022, month=1, day=13))
    m = match_claims([g], [first, second])
    assert len(m.pairs) == 1
    [spurious] = m.errors
    assert spurious.category == "spurious" and spurious.note is not None


def test_the_matching_is_maximal() -> None:
    """A greedy pairing would give the first gold claim the only prediction the second fits."""
    g1 = gold("date", 0, 20, {"weekday": "Monday"}, "g1")
    g2 = gold("date", 10, 30, {"iso": "2022-01-10"}, "g2")
    p1 = pred("date", 12, 18, DateValue(year=2022, month=1, day=10))
    p2 = pred("date", 0, 5, DateValue(weekday=0))
    assert len(match_claims([g1, g2], [p1, p2]).pairs) == 2


@pytest.mark.parametrize(
    ("gold_value", "predicted", "agrees"),
    [
        ({"weekday": "Monday"}, DateValue(year=2022, month=1, day=10), True),
        ({"weekday": "Monday"}, DateValue(year=2022, month=1, day=11), False),
        ({"iso": "2022-01-10"}, DateValue(weekday=0, resolution="weekday"), True),
        ({"iso": "2022-01-10"}, DateValue(weekday=1, resolution="weekday"), False),
        ({"iso": "--01-12"}, DateValue(year=2022, month=1, day=12), True),
        ({"iso": "--01-12"}, DateValue(year=2022, month=1, day=13), False),
        ({"iso": "2022-01-12"}, DateValue(), False),
    ],
)
def test_dates_agree_when_every_part_both_know_is_the_same(
    gold_value: dict[str, Any], predicted: DateValue, agrees: bool
) -> None:
    assert value_agrees("date", gold_value, predicted) is agrees


def test_participants_and_speakers_are_the_same_person_across_spellings() -> None:
    ryabkov = {"person": "sergei-ryabkov", "name": "Sergei Ryabkov"}
    assert value_agrees("participant", ryabkov, Person(person="x-ryabkov", name="Sergey Ryabkov"))
    assert not value_agrees(
        "participant", ryabkov, Person(person="alexander-grushko", name="Alexander Grushko")
    )
    speaker = {"speaker": "joe-biden", "speaker_name": "Joe Biden"}
    said = Quotation(speaker="biden", speaker_name="Mr. Biden", text="t", normalized="t")
    assert value_agrees("quote", speaker, said)
    other = Quotation(speaker="xi-jinping", speaker_name="Xi", text="t", normalized="t")
    assert not value_agrees("quote", speaker, other)


def test_one_person_with_two_roles_is_matched_to_the_role_the_tool_found() -> None:
    minister = {"person": "zbigniew-rau", "name": "Zbigniew Rau", "role": "foreign minister"}
    chairman = {"person": "zbigniew-rau", "name": "Zbigniew Rau", "role": "chairman"}
    g1 = gold("participant", 0, 50, minister, "g1")
    g2 = gold("participant", 30, 50, chairman, "g2")
    p = pred(
        "participant", 30, 50, Person(person="zbigniew-rau", name="Zbigniew Rau", role="chairman")
    )
    m = match_claims([g1, g2], [p])
    assert [g.id for g, _ in m.pairs] == ["g2"]
    assert [(e.category, e.gold) for e in m.errors] == [
        ("missed", "Zbigniew Rau, foreign minister")
    ]


def test_f1_conventions() -> None:
    assert KindScore("date", gold=0, predicted=0, matched=0).f1 is None
    assert KindScore("date", gold=0, predicted=3, matched=0).f1 == 0.0
    assert KindScore("date", gold=4, predicted=0, matched=0).f1 == 0.0
    score = KindScore("date", gold=32, predicted=28, matched=27)
    assert score.f1 == 0.9 and score.precision == 27 / 28 and score.recall == 27 / 32


# --------------------------------------------------------------------------- findings


def _story(claims: list[GoldClaim], fact: GoldFact) -> Gold:
    return Gold(Path("gold.yaml"), "t", Path("."), tuple(claims), (fact,))


def _two_sources() -> tuple[list[GoldClaim], list[Interval]]:
    a = GoldClaim("a1", "a.txt", "duration", 0, 5, "xxxxx", "duration:f", {"stated": 3})
    b = GoldClaim("b1", "b.txt", "duration", 0, 5, "xxxxx", "duration:f", {"stated": 3.5})
    return [a, b], [Interval(low=2.94, high=3.06, stated=3), Interval(low=3.43, high=3.57)]


def test_a_conflict_fact_needs_a_conflict_finding_separating_its_claims() -> None:
    claims, values = _two_sources()
    fact = GoldFact("duration:f", "duration", "f", Status.CONFLICT, ("a1", "b1"))
    story = _story(claims, fact)
    split = [
        pred("duration", 0, 5, values[0], "a.txt", "F", Status.CONFLICT, 1),
        pred("duration", 0, 5, values[1], "b.txt", "F", Status.CONFLICT, 2),
    ]
    assert judge_fact(fact, story, split).correct
    same_side = [
        pred("duration", 0, 5, values[0], "a.txt", "F", Status.CONFLICT, 1),
        pred("duration", 0, 5, values[1], "b.txt", "F", Status.CONFLICT, 1),
    ]
    assert not judge_fact(fact, story, same_side).correct


def test_an_agree_fact_needs_an_agreement_and_no_conflict_splitting_it() -> None:
    claims, values = _two_sources()
    fact = GoldFact("duration:f", "duration", "f", Status.AGREE, ("a1", "b1"))
    story = _story(claims, fact)
    agreed = [
        pred("duration", 0, 5, values[0], "a.txt", "F", Status.AGREE),
        pred("duration", 0, 5, values[1], "b.txt", "F", Status.AGREE),
    ]
    assert judge_fact(fact, story, agreed).correct
    singles = [
        pred("duration", 0, 5, values[0], "a.txt", "F1", Status.SINGLE_SOURCE),
        pred("duration", 0, 5, values[1], "b.txt", "F2", Status.SINGLE_SOURCE),
    ]
    assert not judge_fact(fact, story, singles).correct


# --------------------------------------------------------------------------- gold files and CLI


def test_a_span_that_does_not_quote_its_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "story").mkdir()
    (tmp_path / "story" / "a.txt").write_text("Talks lasted four hours.", "utf-8")
    claim = {"id": "a-01", "source": "a.txt", "kind": "duration", "start": 13, "end": 23,
             "quote": "four hours", "fact": "duration:talks", "value": {"stated": 4}}  # fmt: skip
    data = {"story": "t", "folder": "story", "claims": [claim], "facts": []}
    (tmp_path / "gold.yaml").write_text(yaml.safe_dump(data), "utf-8")
    assert load_gold(tmp_path / "gold.yaml").claims[0].quote == "four hours"
    claim["start"], claim["end"] = 12, 22
    (tmp_path / "gold.yaml").write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(GoldError, match="a-01"):
        load_gold(tmp_path / "gold.yaml")


def test_eval_command_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(eval_command, [str(GOLD_DIR / "seeds"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "findings:" in result.output
    data = json.loads(out.read_text("utf-8"))
    [story] = data["stories"]
    assert story["story"] == "seeds"
    assert set(story["kinds"]) == set(BUILTIN_KINDS)
    assert {"missed", "wrong_value", "spurious"} >= {e["category"] for e in story["errors"]}


def test_a_folder_without_gold_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(tmp_path)])
    assert result.exit_code == 2
    assert main([str(tmp_path)]) == 2
