"""Report formatters, and writing their output so a reader never sees a half-written file.

Formatters only render a finished `Report`: they never compute, filter or re-sort findings.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck.errors import UserError
from claimcheck.models import Report
from claimcheck.report import json as json_format
from claimcheck.report import markdown

REPORT_STEM = "claimcheck"
_EXTENSION = re.compile(r"^[a-z0-9]+$")


@dataclass(frozen=True)
class Formatter:
    """One output format. The file name is fixed by `extension`, never by user input."""

    name: str
    extension: str
    render: Callable[[Report], str]
    description: str = ""

    def __post_init__(self) -> None:
        if not _EXTENSION.match(self.extension):
            raise ValueError(f"formatter {self.name!r}: bad extension {self.extension!r}")

    @property
    def filename(self) -> str:
        return f"{REPORT_STEM}.{self.extension}"


FORMATTERS: dict[str, Formatter] = {
    f.name: f
    for f in (
        Formatter("markdown", "md", markdown.render, "Markdown for editors"),
        Formatter("json", "json", json_format.render, "JSON for tools"),
    )
}


def get_formatter(name: str) -> Formatter:
    """Look a format up by name or by extension (`markdown` or `md`)."""
    key = name.strip().lower()
    if key in FORMATTERS:
        return FORMATTERS[key]
    for formatter in FORMATTERS.values():
        if formatter.extension == key:
            return formatter
    known = ", ".join(sorted(FORMATTERS))
    raise UserError(f"unknown report format {name!r}; known formats: {known}")


def write_reports(report: Report, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write `claimcheck.<ext>` for each format into `out_dir`; returns the paths written.

    Every report is rendered before anything touches the disk, then each is written to a
    temp file beside its target, fsynced and `os.replace`d into place: a crash or a failing
    formatter leaves the previous reports intact and no partial file behind.
    """
    formatters: dict[str, Formatter] = {}
    for name in formats:
        formatter = get_formatter(name)
        formatters.setdefault(formatter.filename, formatter)
    rendered = [(f.filename, f.render(report).encode("utf-8")) for f in formatters.values()]

    temps: list[tuple[Path, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for filename, data in rendered:
            target = out_dir / filename
            with tempfile.NamedTemporaryFile(
                dir=out_dir, prefix=f".{filename}.", suffix=".tmp", delete=False
            ) as handle:
                temps.append((Path(handle.name), target))
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, _mode_for(target))
        for temp, target in temps:
            os.replace(temp, target)
        _fsync_dir(out_dir)
    except OSError as error:
        raise UserError(f"cannot write reports to {out_dir}: {error.strerror or error}") from error
    finally:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
    return [target for _, target in temps]


def _mode_for(target: Path) -> int:
    """Keep an existing report's permissions; temp files start as 0600, too strict to share."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o644


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable too (POSIX only; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["FORMATTERS", "Formatter", "get_formatter", "write_reports"]
