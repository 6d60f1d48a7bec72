"""Scoring a run against an editor's `expected.yaml`: conflicts found, agreements split.

An expected conflict counts as found when one conflict finding puts claims overlapping two of
its quotes (from different sources) in different camps. An agreement is split when a conflict
of severity error puts two of its quotes in different camps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claimcheck.models import Finding, Report, Severity, Status
from claimcheck.pipeline import run


@dataclass(frozen=True)
class StoryScore:
    story: str
    conflicts_found: int
    conflicts_expected: int
    agreements_split: int
    agreements_expected: int
    error_conflicts: int
    lines: list[str] = field(default_factory=list)


def _spans(story: Path, quotes: dict[str, str]) -> dict[str, tuple[int, int]]:
    spans = {}
    for name, quote in quotes.items():
        text = (story / name).read_text("utf-8")
        start = text.find(quote)
        if start >= 0:
            spans[name] = (start, start + len(quote))
    return spans


def _camps_hit(finding: Finding, spans: dict[str, tuple[int, int]]) -> dict[str, set[int]]:
    hit: dict[str, set[int]] = {}
    for claim in finding.claims:
        span = spans.get(claim.source)
        if span and claim.start < span[1] and claim.end > span[0]:
            hit.setdefault(claim.source, set()).add(claim.group)
    return hit


def _opposed(hit: dict[str, set[int]]) -> bool:
    sources = sorted(hit)
    return any(not (hit[a] & hit[b]) for i, a in enumerate(sources) for b in sources[i + 1 :])


def score(story: Path, report: Report | None = None) -> StoryScore:
    expected: dict[str, Any] = yaml.safe_load((story / "expected.yaml").read_text("utf-8"))
    report = report or run([story])
    conflicts = [f for f in report.findings if f.status is Status.CONFLICT]
    lines = []
    found = 0
    for item in expected.get("conflicts", []):
        spans = _spans(story, item["quotes"])
        hits = [f for f in conflicts if _opposed(_camps_hit(f, spans))]
        found += bool(hits)
        mark = "found " if hits else "missed"
        lines.append(f"  {mark} conflict {item['kind']}: {item['subject']}")
    split = 0
    for item in expected.get("agreements", []):
        spans = _spans(story, item["quotes"])
        bad = [
            f for f in conflicts if f.severity is Severity.ERROR and _opposed(_camps_hit(f, spans))
        ]
        split += bool(bad)
        if bad:
            lines.append(f"  SPLIT  agreement {item['kind']}: {item['subject']} by {bad[0].id}")
    for f in conflicts:
        lines.append(f"    reported {f.severity.value:7} {f.kind:11} {f.subject_label}")
    return StoryScore(
        story=story.name,
        conflicts_found=found,
        conflicts_expected=len(expected.get("conflicts", [])),
        agreements_split=split,
        agreements_expected=len(expected.get("agreements", [])),
        error_conflicts=sum(1 for f in conflicts if f.severity is Severity.ERROR),
        lines=lines,
    )


def stories(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "expected.yaml").is_file())
