"""A new claim kind, `damage_count`, added with a YAML rule file only: no Python changes.

The `quantity` extractor reads a figure (maybe hedged: "at least 40") followed within a few
words by one of the rule's nouns ("homes", "houses"). Counts of something else a flood did
("homes flooded") are kept apart by the rule's qualifiers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import chdir, describe, describe_all, load_report, run_cli

DAMAGE_RULE = """\
id: damage_count
kind: damage_count
description: >
  How many homes a disaster destroyed. Figure first, then the noun: "at least 40 homes",
  "12 houses destroyed". Homes flooded or damaged are different facts.
severity: error
extract:
  type: quantity
  nouns:
    homes: homes
    houses: homes
    dwellings: homes
  subject_labels:
    "homes:destroyed": homes destroyed
  qualifiers:
    homes:
      destroyed: [destroyed, razed, swept away, flattened]
  require_qualifier: true
  max_gap_words: 2
  modifiers_forbidden: [more, other, new]
  context_forbidden: [damaged, flooded]
  min_value: 1
compare:
  type: interval
  tolerance: 0.0
messages:
  conflict: "{sources_values}: the counts of homes destroyed do not match."
  agree: "{count} sources agree on the homes destroyed: {value}."
"""

# An invented story: three reports of one flood. A and C agree, B gives a far lower count.
ARTICLES = {
    "flood_a.txt": (
        "Floods sweep Marlow Vale\n"
        "Heavy rain sent the River Alder over its banks in Marlow Vale on Tuesday night.\n"
        "By Thursday the regional emergency service had counted at least 40 homes destroyed, "
        "and engineers said more could still fall as the water receded.\n"
        "Around 300 homes were flooded and the main bridge was closed.\n"
    ),
    "flood_b.txt": (
        "Officials in Marlow Vale said that 12 homes had been destroyed after the River Alder "
        "flooded the town centre.\n"
        "The mayor called the figure terrible but final, and thanked the volunteers.\n"
    ),
    "flood_c.md": (
        "---\n"
        "published: 2023-03-09\n"
        "---\n"
        "# Marlow Vale counts the cost\n\n"
        "The floods in Marlow Vale swept away nearly 45 houses, according to the regional "
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
    (rules / "damage_count.yaml").write_text(DAMAGE_RULE, encoding="utf-8")
    return tmp_path


def run(story: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    out = story / "out"
    code, _, stderr = run_cli([story / "story", "--out", out, "-q", *extra])
    return code, load_report(out), stderr


def test_new_kind_reports_a_conflict(story: Path) -> None:
    code, report, stderr = run(story, "--rules", str(story / "rules"))
    assert code == 1, f"an error-severity conflict of the new kind fails the run: {stderr}"
    facts = [f for f in report["findings"] if f["kind"] == "damage_count"]
    assert facts, describe_all(report)
    conflict = [f for f in facts if f["status"] == "conflict"]
    assert len(conflict) == 1, describe_all(report)
    fact = conflict[0]
    assert fact["rule"] == "damage_count"
    assert fact["severity"] == "error"
    assert fact["subject"] == "homes:destroyed"
    assert fact["subject_label"] == "homes destroyed"
    assert set(fact["sources"]) == set(STORY), describe(fact)
    groups = {c["source"]: c["group"] for c in fact["claims"]}
    assert groups["flood_a.txt"] == groups["flood_c.md"] == 1, describe(fact)
    assert groups["flood_b.txt"] == 2, describe(fact)
    quotes = {c["source"]: c["quote"] for c in fact["claims"]}
    assert quotes == {
        "flood_a.txt": "at least 40 homes",
        "flood_b.txt": "12 homes",
        "flood_c.md": "nearly 45 houses",
    }
    assert "homes destroyed do not match" in fact["message"]


def test_new_kind_agrees_when_counts_are_compatible(story: Path) -> None:
    text = ARTICLES["flood_b.txt"].replace("12 homes", "more than 41 homes")
    (story / "story" / "flood_b.txt").write_text(text, encoding="utf-8")
    code, report, stderr = run(story, "--rules", str(story / "rules"))
    assert code == 0, stderr
    facts = [f for f in report["findings"] if f["kind"] == "damage_count"]
    assert [f["status"] for f in facts] == ["agree"], describe_all(report)
    assert set(facts[0]["sources"]) == set(STORY)


def test_without_rules_the_kind_does_not_exist(story: Path) -> None:
    code, report, stderr = run(story)
    assert code == 0, stderr
    assert "damage_count" not in {f["kind"] for f in report["findings"]}
    assert "damage_count" not in (story / "out" / "claimcheck.md").read_text(encoding="utf-8")


def test_rules_command_lists_the_new_rule(story: Path) -> None:
    with chdir(story):
        code, stdout, stderr = run_cli(["rules", "--rules", "rules"])
    assert code == 0, stderr
    lines = [line for line in stdout.splitlines() if line.startswith("damage_count ")]
    assert len(lines) == 1, stdout
    assert "quantity/interval" in lines[0]
    assert "rules/damage_count.yaml" in lines[0]
