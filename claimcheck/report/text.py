"""Linter-style terminal output: `path:line:col: severity rule message [id]`, then a total.

Editors and terminals turn `path:line:col:` into a link to the dissenting claim. Only the
conflicts that need attention are listed (not suppressed, not already in the baseline); the
last line says how many were left out so nothing disappears silently.
"""

from __future__ import annotations

import re
from collections import Counter

from claimcheck.models import Finding, Report, Severity, Status
from claimcheck.report.json import valid_unicode
from claimcheck.report.sarif import primary_claim, reportable, source_order

# Line breaks and control/bidi characters: an article must not be able to forge extra lines or
# send escape sequences to the terminal through a quoted message.
_UNSAFE = re.compile(r"\r\n|[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(value: str) -> str:
    """Printable single-line text."""
    return _UNSAFE.sub(" ", valid_unicode(value))


def finding_line(finding: Finding, paths: dict[str, str], order: dict[str, int]) -> str:
    claim = primary_claim(finding, order)
    where = f"{paths.get(claim.source, claim.source)}:{claim.line}:{claim.column}"
    return one_line(
        f"{where}: {finding.severity.value} {finding.rule} {finding.message} [{finding.id}]"
    )


def render(report: Report) -> str:
    """The conflict lines in report order, then one summary line; always ends in a newline."""
    paths = {source.id: source.path for source in report.sources}
    order = source_order(report)
    shown = [f for f in report.findings if reportable(f) and f.claims]
    lines = [finding_line(f, paths, order) for f in shown]

    conflicts = [f for f in report.findings if f.status is Status.CONFLICT]
    severities = Counter(f.severity for f in shown)
    counts = ", ".join(
        f"{severities[s]} {s.value}" for s in sorted(Severity, key=lambda s: -s.rank)
    )
    noun = "conflict" if len(shown) == 1 else "conflicts"
    summary = f"claimcheck: {len(shown)} {noun} ({counts})"
    suppressed = sum(1 for f in conflicts if f.suppressed)
    unchanged = sum(1 for f in conflicts if not f.suppressed and f.baseline_state == "unchanged")
    hidden = []
    if suppressed:
        hidden.append(f"{suppressed} suppressed")
    if unchanged:
        hidden.append(f"{unchanged} unchanged from baseline")
    if hidden:
        summary += f", not shown: {', '.join(hidden)}"
    s = report.summary
    summary += f"; {s.sources} sources, {s.claims} claims, {s.findings} facts"
    lines.append(summary)
    return "\n".join(lines) + "\n"


__all__ = ["finding_line", "one_line", "render"]
