"""GitHub Actions output: conflicts as workflow-command annotations, and the job summary.

Annotations are printed to standard output, where the runner turns `::error ...::` lines into
inline comments on the article. GitHub shows only about ten annotations per level and step, so
errors come first. Suppressed and baseline-unchanged findings are not annotated: they are
known and accepted, and would crowd out the new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from claimcheck.errors import UserError
from claimcheck.models import Finding, Report, Severity
from claimcheck.report.json import valid_unicode
from claimcheck.report.sarif import claim_end, primary_claim, reportable, source_order

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"

COMMANDS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(value: str) -> str:
    """Escape a command's message, as `@actions/core` does: a newline must not end the command."""
    return valid_unicode(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value: also `:` and `,`, which would end the value or the properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, paths: Mapping[str, str], order: Mapping[str, int]) -> str:
    """One `::level file=…,line=…::message` line for a conflict, at its dissenting claim."""
    claim = primary_claim(finding, order)
    end_line, end_column = claim_end(claim)
    properties: list[tuple[str, str]] = [
        ("file", paths.get(claim.source, claim.source)),
        ("line", str(claim.line)),
    ]
    if end_line == claim.line:
        # Columns are only allowed on a one-line range; GitHub's endColumn is inclusive.
        properties += [
            ("col", str(claim.column)),
            ("endLine", str(end_line)),
            ("endColumn", str(max(end_column - 1, claim.column))),
        ]
    else:
        properties.append(("endLine", str(end_line)))
    properties.append(("title", f"claimcheck {finding.rule}: {finding.subject_label}"))
    message = finding.message if not finding.detail else f"{finding.message}\n{finding.detail}"
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def render(report: Report) -> str:
    """Annotation lines, errors then warnings then notices; report order within a level."""
    paths = {source.id: source.path for source in report.sources}
    order = source_order(report)
    findings = [f for f in report.findings if reportable(f) and f.claims]
    findings.sort(key=lambda f: -f.severity.rank)
    return "".join(annotation(f, paths, order) + "\n" for f in findings)


def append_step_summary(markdown: str, environ: Mapping[str, str]) -> Path | None:
    """Append the Markdown report to the job summary when running in GitHub Actions.

    Appending (never truncating) keeps what earlier steps or tools wrote to the same file.
    """
    name = environ.get(STEP_SUMMARY_ENV, "")
    if not name:
        return None
    path = Path(name)
    text = valid_unicode(markdown)
    if not text.endswith("\n"):
        text += "\n"
    try:
        with path.open("a", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise UserError(
            f"cannot append to {STEP_SUMMARY_ENV} file {path}: {error.strerror or error}"
        ) from error
    return path


__all__ = [
    "COMMANDS",
    "annotation",
    "append_step_summary",
    "escape_data",
    "escape_property",
    "render",
]
