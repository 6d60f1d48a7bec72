"""The one-screen summary a linter prints: conflicts as path:line:col lines, then counts."""

from __future__ import annotations

from claimcheck.models import Finding, Report, Status


def render_summary(report: Report, verbose: bool = False) -> str:
    paths = {source.id: source.path for source in report.sources}
    lines = []
    for note in report.skipped:
        lines.append(f"skipped {note.path}: {note.reason}")
    for finding in report.findings:
        if finding.status is Status.CONFLICT or (verbose and finding.status is Status.AGREE):
            lines.append(_finding_line(finding, paths))
    s = report.summary
    lines.append(
        f"{s.sources} sources, {s.claims} claims, {s.findings} facts: "
        f"{s.conflicts} conflicts ({s.by_severity.get('error', 0)} error, "
        f"{s.by_severity.get('warning', 0)} warning, {s.by_severity.get('info', 0)} info), "
        f"{s.agreements} agree, {s.single_source} single-source"
    )
    return "\n".join(lines) + "\n"


def _finding_line(finding: Finding, paths: dict[str, str]) -> str:
    first = finding.claims[-1] if finding.status is Status.CONFLICT else finding.claims[0]
    location = f"{paths.get(first.source, first.source)}:{first.line}:{first.column}"
    label = finding.severity.value if finding.status is Status.CONFLICT else "agree"
    return (
        f"{location}: {label} {finding.rule} [{finding.id}] "
        f"{finding.subject_label}: {finding.message}"
    )
