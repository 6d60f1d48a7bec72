"""The one-screen summary a linter prints: conflicts as path:line:col lines, then counts."""

from __future__ import annotations

from claimcheck.models import Finding, Report, Status
from claimcheck.report.text import one_line


def render_summary(report: Report, verbose: bool = False) -> str:
    """Results, for stdout: one line per conflict (and agreement with -v), then the counts."""
    paths = {source.id: source.path for source in report.sources}
    lines = []
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


def render_notes(report: Report, quiet: bool = False) -> str:
    """What went wrong around the results, for stderr: files skipped or guessed at, unused
    suppressions, stale baseline entries. Quiet keeps only the warnings."""
    lines = []
    for note in report.skipped:
        if note.kind == "unreadable":
            lines.append(f"warning: {one_line(note.path)}: {one_line(note.reason)}")
        elif not quiet:
            lines.append(f"skipped {one_line(note.path)}: {one_line(note.reason)}")
    for note in report.decoding_warnings:
        lines.append(f"warning: {one_line(note.path)}: {one_line(note.reason)}")
    paths = {source.id: source.path for source in report.sources}
    for unused in report.unused_suppressions:
        where = one_line(paths.get(unused.source, unused.source))
        lines.append(f"warning: {where}:{unused.line}: unused suppression of {unused.rule}")
    for entry in () if quiet else report.stale_baseline:
        lines.append(
            f"note: baseline entry {entry.fingerprint[:12]} ({entry.rule}: {entry.subject}) "
            "no longer occurs: remove it"
        )
    unreadable = sum(1 for note in report.skipped if note.kind == "unreadable")
    if unreadable:
        lines.append(f"{unreadable} file{'s' if unreadable != 1 else ''} skipped")
    return "".join(line + "\n" for line in lines)


def _finding_line(finding: Finding, paths: dict[str, str]) -> str:
    first = finding.claims[-1] if finding.status is Status.CONFLICT else finding.claims[0]
    location = f"{one_line(paths.get(first.source, first.source))}:{first.line}:{first.column}"
    label = finding.severity.value if finding.status is Status.CONFLICT else "agree"
    state = ""
    if finding.suppressed:
        state = " (suppressed)"
    elif finding.baseline_state == "unchanged":
        state = " (in baseline)"
    return (
        f"{location}: {label} {finding.rule} [{finding.id}] "
        f"{one_line(finding.subject_label)}: {one_line(finding.message)}{state}"
    )
