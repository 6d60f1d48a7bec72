"""Baselines: accept today's conflicts once, so CI fails only on conflicts that appear later.

A baseline records the unsuppressed CONFLICT findings of one run by `Finding.fingerprint`,
which hashes rule, subject, sources and normalised values but never offsets or line numbers:
an edit elsewhere in an article keeps a conflict "unchanged", while changing a conflicting
figure makes it "new" again (someone must look at the new figure). Baselines only shrink:
entries whose conflict is gone come back as stale, to be deleted, and nothing is ever added
to an existing baseline except by writing it afresh on purpose.

File format (JSON, keys and entries sorted so rewrites give small diffs):

    {"claimcheck_baseline": 1,
     "findings": [{"fingerprint", "rule", "kind", "subject", "subject_label", "sources",
                   "severity", "message"}, ...]}
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from claimcheck import interrupt
from claimcheck.errors import UserError
from claimcheck.models import Finding, Severity, StaleBaselineEntry, Status

BASELINE_VERSION = 1
_VERSION_KEY = "claimcheck_baseline"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BaselineEntry(_Strict):
    """One accepted conflict; everything but the fingerprint is there for the human reader."""

    fingerprint: str
    rule: str
    kind: str
    subject: str
    subject_label: str
    sources: tuple[str, ...]
    severity: Severity
    message: str

    @property
    def order(self) -> tuple[str, str, tuple[str, ...], str]:
        return (self.rule, self.subject, self.sources, self.fingerprint)


class Baseline(_Strict):
    claimcheck_baseline: Literal[1]
    findings: tuple[BaselineEntry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(entry.fingerprint for entry in self.findings)


def baseline_entries(findings: Iterable[Finding]) -> list[BaselineEntry]:
    """The conflicts a baseline accepts: unsuppressed ones (a suppressed conflict is already
    reviewed in the article), one entry per fingerprint, in a stable order."""
    entries: dict[str, BaselineEntry] = {}
    for finding in findings:
        if finding.status is not Status.CONFLICT or finding.suppressed:
            continue
        entries.setdefault(
            finding.fingerprint,
            BaselineEntry(
                fingerprint=finding.fingerprint,
                rule=finding.rule,
                kind=finding.kind,
                subject=finding.subject,
                subject_label=finding.subject_label,
                sources=finding.sources,
                severity=finding.severity,
                message=finding.message,
            ),
        )
    return sorted(entries.values(), key=lambda e: e.order)


def dump_baseline(findings: Iterable[Finding]) -> str:
    """The file's text: deterministic, so the same findings always give the same bytes."""
    document = Baseline(
        claimcheck_baseline=BASELINE_VERSION, findings=tuple(baseline_entries(findings))
    )
    return (
        json.dumps(document.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def write_baseline(path: Path, findings: Iterable[Finding]) -> None:
    """Write atomically (a temporary file in the same folder, then `os.replace`), so a crash
    or a parallel reader never sees half a baseline."""
    text = dump_baseline(findings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _file_mode(path)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        interrupt.track(tmp_name)  # Ctrl-C removes it
    except OSError as exc:
        raise UserError(f"{path}: cannot write baseline ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise UserError(f"{path}: cannot write baseline ({exc.strerror or exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    finally:
        interrupt.untrack(tmp_name)


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new one gets the usual 0o666 minus umask
    (mkstemp alone would leave a private 0o600 file behind)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline; every problem is a one-line UserError naming the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: baseline file not found") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read baseline ({exc.strerror or exc})") from None
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: baseline is not valid UTF-8 (offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}: baseline is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or _VERSION_KEY not in data:
        raise UserError(f"{path}: not a claimcheck baseline (no '{_VERSION_KEY}' version field)")
    version = data[_VERSION_KEY]
    if version != BASELINE_VERSION or isinstance(version, bool):
        raise UserError(
            f"{path}: baseline version {json.dumps(version)} is not supported "
            f"(this claimcheck reads version {BASELINE_VERSION})"
        )
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "baseline"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise UserError(f"{path}: invalid baseline: {where}: {error['msg']}{more}") from None


def apply_baseline(
    findings: Sequence[Finding], baseline: Baseline
) -> tuple[list[Finding], list[StaleBaselineEntry]]:
    """Mark every conflict "unchanged" (in the baseline) or "new"; other findings keep None.

    Entries whose fingerprint matches no conflict any more (suppressed or not) are stale,
    returned sorted by rule, subject, sources and fingerprint.
    """
    accepted = baseline.fingerprints
    marked: list[Finding] = []
    present: set[str] = set()
    for finding in findings:
        if finding.status is Status.CONFLICT:
            present.add(finding.fingerprint)
            state = "unchanged" if finding.fingerprint in accepted else "new"
            finding = finding.model_copy(update={"baseline_state": state})
        marked.append(finding)
    stale = {
        entry.fingerprint: StaleBaselineEntry(
            fingerprint=entry.fingerprint,
            rule=entry.rule,
            subject=entry.subject,
            sources=entry.sources,
        )
        for entry in sorted(baseline.findings, key=lambda e: e.order)
        if entry.fingerprint not in present
    }
    return marked, sorted(
        stale.values(), key=lambda s: (s.rule, s.subject, s.sources, s.fingerprint)
    )
