"""Generalisation: the three dev stories in ../shared/corpora, scored against the editor's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.expected import score, stories

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"

pytestmark = pytest.mark.skipif(
    not CORPORA.is_dir(), reason="../shared/corpora is not beside the repo"
)


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    return {story.name: score(story) for story in stories(CORPORA)}


def test_at_least_ten_of_the_fourteen_expected_conflicts_are_found(scores: dict) -> None:
    found = sum(s.conflicts_found for s in scores.values())
    expected = sum(s.conflicts_expected for s in scores.values())
    assert expected == 14
    assert found >= 10, "\n".join(line for s in scores.values() for line in s.lines)


def test_no_expected_agreement_is_split_by_an_error(scores: dict) -> None:
    for name, result in scores.items():
        assert result.agreements_split == 0, (name, result.lines)


@pytest.mark.parametrize(
    "story", ["ankara-prisoner-swap-2024", "biden-xi-bali-2022", "wagner-mutiny-2023"]
)
def test_every_story_has_a_found_conflict(scores: dict, story: str) -> None:
    assert scores[story].conflicts_found >= 1
