"""Figures and dates of another time than the story's are other facts: the story's year comes
from the folder's dated articles, so undated ones and pieces written years later get it too."""

from __future__ import annotations

from pathlib import Path

from claimcheck.models import Status
from claimcheck.pipeline import run
from claimcheck.sources import load_sources

MANIFEST = """\
a.txt:
  published: "2021-01-10"
b.txt:
  published: "2021-01-11"
"""
DATED_A = (
    "A Sriwijaya Air jet crashed into the Java Sea on Saturday, killing all 62 people on board."
)
DATED_B = "The jet crashed into the sea on Saturday. All 62 people on board were killed."
UNDATED = (
    "Rescuers searched the Java Sea for a second day for the jet and its 62 passengers.\n\n"
    "The Boeing 737-500 crashed minutes after takeoff on Saturday.\n\n"
    "In October 2018, a Lion Air Boeing 737 MAX plane crashed into the sea off Jakarta, "
    "killing all 189 people on board."
)


def _story(folder: Path, undated: str = UNDATED) -> Path:
    folder.mkdir()
    (folder / "sources.yaml").write_text(MANIFEST)
    (folder / "a.txt").write_text(DATED_A)
    (folder / "b.txt").write_text(DATED_B)
    (folder / "c.txt").write_text(undated)
    return folder


def test_every_article_gets_its_folders_story_year(tmp_path: Path) -> None:
    sources = load_sources([_story(tmp_path / "crash")]).sources
    assert [(s.id, s.published is None, s.story_year) for s in sources] == [
        ("a.txt", False, 2021),
        ("b.txt", False, 2021),
        ("c.txt", True, 2021),
    ]


def test_an_earlier_crash_in_an_undated_article_is_another_fact(tmp_path: Path) -> None:
    report = run([_story(tmp_path / "crash")])
    by_subject = {(f.rule, f.subject): f for f in report.findings}
    assert ("casualty_count", "people:killed@2018") in by_subject
    assert ("date", "crash@2018") in by_subject
    killed = by_subject[("casualty_count", "people:killed")]
    assert killed.status is Status.AGREE
    assert {c.source for c in killed.claims} == {"a.txt", "b.txt"}
    crash = by_subject[("date", "crash")]
    assert crash.status is not Status.CONFLICT


def test_a_piece_written_years_later_dates_the_storys_own_events(tmp_path: Path) -> None:
    folder = _story(tmp_path / "crash", undated="x")
    (folder / "d.txt").write_text(
        "Five years ago, on January 9, 2021, a Sriwijaya Air jet crashed into the Java Sea."
    )
    (folder / "sources.yaml").write_text(MANIFEST + 'd.txt:\n  published: "2026-01-09"\n')
    report = run([folder])
    subjects = {f.subject for f in report.findings if f.rule == "date"}
    assert "crash" in subjects
    assert not any(s.startswith("crash@") for s in subjects)
