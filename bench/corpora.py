"""How claimcheck does on the dev corpora: expected conflicts found, agreements wrongly split.

Usage: python bench/corpora.py [../shared/corpora] [--verbose]
Reads each story's expected.yaml (what a careful editor finds) and runs the real pipeline on
the story folder. An expected conflict counts as found when one conflict finding of that kind
puts claims overlapping two of its quotes (from different sources) in different camps. An
agreement is split when a conflict of severity error puts two of its quotes in different camps.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

import sys as _s, types as _t, importlib.util as _u
for _n in ["claimcheck.extract.participant","claimcheck.extract.quotation","claimcheck.normalize.names","claimcheck.normalize.quotations","claimcheck.compare.people","claimcheck.compare.quotations"]:
    if _u.find_spec(_n) is None: _s.modules[_n]=_t.ModuleType(_n)
from claimcheck.models import Finding, Severity, Status
from claimcheck.pipeline import run


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
    return any(
        hit[a] != hit[b] and not (hit[a] & hit[b])
        for i, a in enumerate(sources)
        for b in sources[i + 1 :]
    )


def evaluate(story: Path, verbose: bool) -> tuple[int, int, int, int]:
    expected = yaml.safe_load((story / "expected.yaml").read_text("utf-8"))
    report = run([story])
    conflicts = [f for f in report.findings if f.status is Status.CONFLICT]
    found = 0
    for item in expected.get("conflicts", []):
        spans = _spans(story, item["quotes"])
        hits = [f for f in conflicts if _opposed(_camps_hit(f, spans))]
        found += bool(hits)
        if verbose:
            mark = "FOUND " if hits else "missed"
            print(f"  {mark} conflict {item['kind']}: {item['subject']}")
    split = 0
    for item in expected.get("agreements", []):
        spans = _spans(story, item["quotes"])
        bad = [
            f for f in conflicts
            if f.severity is Severity.ERROR and _opposed(_camps_hit(f, spans))
        ]
        split += bool(bad)
        if verbose and bad:
            print(f"  SPLIT  agreement {item['kind']}: {item['subject']} by {bad[0].id}")
    errors = sum(1 for f in conflicts if f.severity is Severity.ERROR)
    if verbose:
        for f in conflicts:
            print(f"    reported {f.severity.value:7} {f.kind:11} {f.subject_label}: {f.message[:110]}")
    return found, len(expected.get("conflicts", [])), split, errors


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"
    totals = [0, 0, 0, 0]
    print(f"{'story':28} {'conflicts found':>16} {'agreements split':>17} {'error conflicts':>16}")
    for story in sorted(p for p in root.iterdir() if (p / "expected.yaml").is_file()):
        if verbose:
            print(story.name)
        found, total, split, errors = evaluate(story, verbose)
        agreements = len(yaml.safe_load((story / "expected.yaml").read_text("utf-8"))["agreements"])
        print(f"{story.name:28} {found:>9} of {total:<4} {split:>10} of {agreements:<4} {errors:>16}")
        totals = [totals[0] + found, totals[1] + total, totals[2] + split, totals[3] + errors]
    print(f"{'total':28} {totals[0]:>9} of {totals[1]:<4} {totals[2]:>10} {'':7} {totals[3]:>16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
