"""A new claim kind, `casualty_count`, added with a YAML rule file only: no Python changes.

The `quantity` extractor reads a figure (maybe hedged: "at least 40") followed within a few
words by one of the rule's nouns ("deaths", "dead"). It does not read a noun before its figure
("killed 30 people", "the death toll rose to 30"), so the nouns are the words that come after
a death toll: "40 deaths", "12 dead", "30 people killed".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import chdir, describe, describe_all, load_report, run_cli

CASUALTY_RULE = """\
id: casualty_count
kind: casualty_count
description: >
  How many people died. Figure first, then the noun: "at least 40 deaths", "12 dead",
  "30 people killed". Injured, missing or displaced people are different facts.
severity: error
extract:
  type: quantity
  nouns:
    deaths: deaths
    dead: deaths
    fatalities: deaths
    people killed: deaths
    people dead: deaths
    lives: deaths
    casualties: casualties
  subject_labels:
    deaths: people killed
    casualties: casualties (killed and injured)
  max_gap_words: 2
  modifiers_forbidden: [injured, wounded, missing, hurt, displaced, more, other, new]
  context_forbidden: [injured, wounded, missing, evacuated, displaced]
  determiners_forbidden: [the, these, those]
  min_value: 1
compare:
  type: interval
  tolerance: 0.0
messages:
  conflict: "{sources_values}: the death tolls do not match."
  agree: "{count} sources agree on the death toll: {value}."
"""

# An invented story: three reports of one flood. A and C agree, B gives a far lower toll.
ARTICLES = {
    "flood_a.txt": (
        "Floods sweep Marlow Vale\n"
        "Heavy rain sent the River Alder over its banks in Marlow Vale on Tuesday night.\n"
        "By Thursday the regional emergency service had confirmed at least 40 deaths, and "
        "rescuers said the toll could still rise as the water receded.\n"
        "Around 300 homes were flooded and the main bridge was closed.\n"
    ),
    "flood_b.txt": (
        "Officials in Marlow Vale said that 12 deaths had been recorded after the River Alder "
        "flooded the town centre.\n"
        "The mayor called the figure terrible but final, and thanked the volunteers.\n"
    ),
    "flood_c.md": (
        "---\n"
        "published: 2023-03-09\n"
        "---\n"
        "# Marlow Vale counts the cost\n\n"
        "The floods in Marlow Vale have left nearly 45 dead, according to the regional "
        "emergency service, which has asked residents to stay away from the river.\n"
    ),
}
STORY = ("flood_a.txt", "flood_b.txt", "flood_c.md")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "casualty_count.yaml").write_text(CASUALTY_RULE, encoding="utf-8")
    return tmp_path


def run(story: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    out = story / "out"
    code, _, stderr = run_cli([story / "story", "--out", out, "-q", *extra])
    return code, load_report(out), stderr


def test_new_kind_reports_a_conflict(story: Path) -> None:
    code, report, stderr = run(story, "--rules", str(story / "rules"))
    assert code == 1, f"an error-severity casualty conflict fails the run: {stderr}"
    facts = [f for f in report["findings"] if f["kind"] == "casualty_count"]
    assert facts, describe_all(report)
    conflict = [f for f in facts if f["status"] == "conflict"]
    assert len(conflict) == 1, describe_all(report)
    fact = conflict[0]
    assert fact["rule"] == "casualty_count"
    assert fact["severity"] == "error"
    assert fact["subject"] == "deaths"
    assert fact["subject_label"] == "people killed"
    assert set(fact["sources"]) == set(STORY), describe(fact)
    groups = {c["source"]: c["group"] for c in fact["claims"]}
    assert groups["flood_a.txt"] == groups["flood_c.md"] == 1, describe(fact)
    assert groups["flood_b.txt"] == 2, describe(fact)
    quotes = {c["source"]: c["quote"] for c in fact["claims"]}
    assert quotes == {
        "flood_a.txt": "at least 40 deaths",
        "flood_b.txt": "12 deaths",
        "flood_c.md": "nearly 45 dead",
    }
    assert "death tolls do not match" in fact["message"]


def test_new_kind_agrees_when_tolls_are_compatible(story: Path) -> None:
    text = ARTICLES["flood_b.txt"].replace("12 deaths", "more than 41 deaths")
    (story / "story" / "flood_b.txt").write_text(text, encoding="utf-8")
    code, report, stderr = run(story, "--rules", str(story / "rules"))
    assert code == 0, stderr
    facts = [f for f in report["findings"] if f["kind"] == "casualty_count"]
    assert [f["status"] for f in facts] == ["agree"], describe_all(report)
    assert set(facts[0]["sources"]) == set(STORY)


def test_without_rules_the_kind_does_not_exist(story: Path) -> None:
    code, report, stderr = run(story)
    assert code == 0, stderr
    assert "casualty_count" not in {f["kind"] for f in report["findings"]}
    assert "casualty_count" not in (story / "out" / "claimcheck.md").read_text(encoding="utf-8")


def test_rules_command_lists_the_new_rule(story: Path) -> None:
    with chdir(story):
        code, stdout, stderr = run_cli(["rules", "--rules", "rules"])
    assert code == 0, stderr
    lines = [line for line in stdout.splitlines() if line.startswith("casualty_count ")]
    assert len(lines) == 1, stdout
    assert "quantity/interval" in lines[0]
    assert "rules/casualty_count.yaml" in lines[0]
