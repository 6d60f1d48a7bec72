"""The SARIF 2.1.0 report: conflicts as results that code-scanning tools and IDEs can show.

Only conflicts become results (agreements and single-source facts are not problems). Each
result points at the dissenting claim; the other claims of the finding are related locations,
so a reviewer can jump between the sources that disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote as url_quote

from claimcheck.models import Finding, FindingClaim, Report, Severity, Status, Suppression
from claimcheck.report import json as json_format
from claimcheck.report.markdown import _short_names

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/claimcheck/claimcheck"
FINGERPRINT_KEY = "claimcheck/v1"

LEVELS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)
_MIME_TYPES = {".md": "text/markdown", ".txt": "text/plain"}
_BRACKET = re.compile(r"([\[\]])")


def reportable(finding: Finding) -> bool:
    """A conflict an annotation should show: not suppressed and not already in the baseline."""
    return (
        finding.status is Status.CONFLICT
        and not finding.suppressed
        and finding.baseline_state != "unchanged"
    )


def source_order(report: Report) -> dict[str, int]:
    """Source id → its place in the report, the tie-breaker between dissenting claims."""
    return {source.id: index for index, source in enumerate(report.sources)}


def primary_claim(finding: Finding, order: Mapping[str, int]) -> FindingClaim:
    """The claim to point at: the dissenting camp (highest group), earliest source first.

    Camp 1 is the majority, so the odd one out is where an editor should look first.
    """
    if not finding.claims:
        raise ValueError(f"finding {finding.id} has no claims")
    top = max(claim.group for claim in finding.claims)
    dissenting = [claim for claim in finding.claims if claim.group == top]
    return min(dissenting, key=lambda claim: order.get(claim.source, len(order)))


def claim_end(claim: FindingClaim) -> tuple[int, int]:
    """(endLine, endColumn) just past the quote, in code points, from where it starts.

    Lines break at `\\n` as the pipeline counts them (a `\\r\\n` ends a line the same way).
    """
    newlines = claim.quote.count("\n")
    if newlines == 0:
        return claim.line, claim.column + len(claim.quote)
    return claim.line + newlines, len(claim.quote.rsplit("\n", 1)[1]) + 1


def artifact_uri(path: str) -> str:
    """A URI reference for a report path: relative paths stay relative, percent-encoded.

    A lone surrogate (a path from the library API, never from disk) cannot be UTF-8 encoded
    for percent-encoding: it becomes U+FFFD, as it does in every other format.
    """
    path = json_format.valid_unicode(path)
    if path.startswith("/"):
        return "file://" + url_quote(path, safe="/")
    if _WINDOWS_DRIVE.match(path):
        return "file:///" + url_quote(path, safe="/:")
    return url_quote(path, safe="/")


class _Renderer:
    """Lookups shared by every result, computed once from the report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.order = source_order(report)
        self.paths = {source.id: source.path for source in report.sources}
        self.rule_index = {rule.id: index for index, rule in enumerate(report.rules)}
        ids = list(self.paths)
        for finding in report.findings:
            ids.extend(source for source in finding.sources if source not in ids)
        self.short = _short_names(ids)

    def render(self) -> dict[str, Any]:
        run: dict[str, Any] = {
            "tool": {"driver": self.driver()},
            "columnKind": "unicodeCodePoints",
            "artifacts": [self.artifact(source.path) for source in self.report.sources],
            "results": [
                self.result(finding)
                for finding in self.report.findings
                if finding.status is Status.CONFLICT and finding.claims
            ],
        }
        if self.report.baseline is not None:
            run["properties"] = {"baseline": self.report.baseline}
        return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}

    def driver(self) -> dict[str, Any]:
        rules = [
            {
                "id": rule.id,
                "name": _rule_name(rule.id),
                "shortDescription": {"text": _first_sentence(rule.description) or rule.id},
                "fullDescription": {"text": rule.description or rule.id},
                "defaultConfiguration": {"level": LEVELS[rule.severity]},
                "properties": {"kind": rule.kind, "file": rule.file},
            }
            for rule in self.report.rules
        ]
        return {
            "name": self.report.tool,
            "version": self.report.version,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }

    def artifact(self, path: str) -> dict[str, Any]:
        suffix = PurePosixPath(path).suffix.lower()
        data: dict[str, Any] = {
            "location": {"uri": artifact_uri(path)},
            "roles": ["analysisTarget"],
            "encoding": "utf-8",
        }
        if suffix in _MIME_TYPES:
            data["mimeType"] = _MIME_TYPES[suffix]
        return data

    def result(self, finding: Finding) -> dict[str, Any]:
        primary = primary_claim(finding, self.order)
        message = finding.message
        if finding.detail:
            message = f"{message}\n{finding.detail}"
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": LEVELS[finding.severity],
            "message": _message(message),
            "locations": [self.location(primary, self.says(primary))],
            "relatedLocations": [
                {"id": index, **self.location(claim, self.says(claim))}
                for index, claim in enumerate(c for c in finding.claims if c is not primary)
            ],
            "properties": {
                "findingId": finding.id,
                "kind": finding.kind,
                "subject": finding.subject,
                "subjectLabel": finding.subject_label,
                "sources": list(finding.sources),
            },
        }
        if finding.rule in self.rule_index:
            result["ruleIndex"] = self.rule_index[finding.rule]
        if finding.fingerprint:
            result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
            result["fingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
        if finding.baseline_state is not None:
            result["baselineState"] = finding.baseline_state
        if finding.suppressions:
            result["suppressions"] = [self.suppression(s) for s in finding.suppressions]
        return result

    def says(self, claim: FindingClaim) -> str:
        """`003 says about 127,000 (camp 2)`: tells the camps apart; the quote is the snippet."""
        name = self.short.get(claim.source, claim.source)
        return f"{name} says {claim.display} (camp {claim.group})"

    def location(self, claim: FindingClaim, message: str) -> dict[str, Any]:
        end_line, end_column = claim_end(claim)
        return {
            "physicalLocation": {
                "artifactLocation": self.artifact_location(claim.source),
                "region": {
                    "startLine": claim.line,
                    "startColumn": claim.column,
                    "endLine": end_line,
                    "endColumn": end_column,
                    "snippet": {"text": claim.quote},
                },
            },
            "message": _message(message),
        }

    def artifact_location(self, source: str) -> dict[str, Any]:
        location: dict[str, Any] = {"uri": artifact_uri(self.paths.get(source, source))}
        if source in self.order:
            location["index"] = self.order[source]
        return location

    def suppression(self, suppression: Suppression) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": suppression.kind, "status": "accepted"}
        if suppression.justification:
            data["justification"] = suppression.justification
        if suppression.source is not None and suppression.line is not None:
            data["location"] = {
                "physicalLocation": {
                    "artifactLocation": self.artifact_location(suppression.source),
                    "region": {"startLine": suppression.line},
                }
            }
        return data


def _message(text: str) -> dict[str, str]:
    """A plain-text message. Brackets are escaped: `[text](3)` would be a link in SARIF."""
    return {"text": _BRACKET.sub(r"\\\1", text)}


def _rule_name(rule_id: str) -> str:
    """SARIF wants a name that reads as an identifier: `troop_count` → `TroopCount`."""
    parts = re.split(r"[^0-9A-Za-z]+", rule_id)
    return "".join(part[:1].upper() + part[1:] for part in parts) or rule_id


def _first_sentence(description: str) -> str:
    text = " ".join(description.split())
    match = _FIRST_SENTENCE.match(text)
    return match.group(1) if match else text


def render_data(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data (what `render` dumps), for callers that post-process it."""
    data: dict[str, Any] = json_format._clean(_Renderer(report).render())
    return data


def render(report: Report) -> str:
    """SARIF 2.1.0 JSON, keys sorted and strings valid UTF-8, so equal reports give equal bytes."""
    return (
        json.dumps(
            render_data(report), indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False
        )
        + "\n"
    )


__all__ = [
    "LEVELS",
    "artifact_uri",
    "claim_end",
    "primary_claim",
    "render",
    "render_data",
    "reportable",
    "source_order",
]
