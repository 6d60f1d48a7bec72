"""Report formatters, and writing their output so a reader never sees a half-written file.

Formatters only render a finished `Report`: they never compute, filter or re-sort findings.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from claimcheck import interrupt
from claimcheck.errors import UserError
from claimcheck.models import Report
from claimcheck.report import github, markdown, sarif, text
from claimcheck.report import json as json_format

REPORT_STEM = "claimcheck"
_EXTENSION = re.compile(r"^[a-z0-9]+$")
# `.claimcheck.md.<pid>-<hex>.tmp` (and, from earlier versions, `.claimcheck.md.<random>.tmp`)
_TEMP_NAME = re.compile(r"^\.claimcheck\.[a-z0-9]+\.(?:(?P<pid>\d+)-[0-9a-f]+|[a-z0-9_]{8})\.tmp$")
STALE_TEMP_SECONDS = 3600  # a live run holds its temp files for milliseconds, not an hour
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class Formatter:
    """One output format. The file name is fixed by `extension`, never by user input.

    A `to_stdout` format (annotations, linter lines) is printed, never written to a file:
    `extension` then only serves as another name to ask for it by.
    """

    name: str
    extension: str
    render: Callable[[Report], str]
    description: str = ""
    to_stdout: bool = False
    # `render`'s output as UTF-8, written piece by piece to a file, for formats that can
    # (see `write_reports`).
    write: Callable[[Report, BinaryIO], None] | None = None

    def __post_init__(self) -> None:
        if not _EXTENSION.match(self.extension):
            raise ValueError(f"formatter {self.name!r}: bad extension {self.extension!r}")

    @property
    def filename(self) -> str:
        return f"{REPORT_STEM}.{self.extension}"

    def encoded(self, report: Report) -> bytes:
        """The file's content: `render`'s output as UTF-8."""
        if self.write is not None:
            buffer = io.BytesIO()
            self.write(report, buffer)
            return buffer.getvalue()
        return self.render(report).encode("utf-8")


FORMATTERS: dict[str, Formatter] = {
    f.name: f
    for f in (
        Formatter("markdown", "md", markdown.render, "Markdown for editors", write=markdown.write),
        Formatter(
            "json",
            "json",
            json_format.render,
            "JSON for tools",
            write=json_format.write,
        ),
        Formatter("sarif", "sarif", sarif.render, "SARIF 2.1.0 for code scanning"),
        Formatter("github", "github", github.render, "GitHub Actions annotations", to_stdout=True),
        Formatter("text", "txt", text.render, "path:line:col lines for terminals", to_stdout=True),
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

    Formats that print to standard output are skipped (see `render_stdout`); when only those
    are asked for, nothing is created, not even `out_dir`.

    Each report is written to a temp file beside its target, fsynced, and only when every
    one is complete are they all `os.replace`d into place: a crash or a failing formatter
    leaves the previous reports intact and no partial file behind. Reports are rendered
    before anything touches the disk, except those a formatter writes piece by piece (the
    JSON), which go straight to their temp file.
    """
    formatters: dict[str, Formatter] = {}
    for name in formats:
        formatter = get_formatter(name)
        if not formatter.to_stdout:
            formatters.setdefault(formatter.filename, formatter)
    rendered: list[tuple[str, bytes | Formatter]] = [
        (f.filename, f if f.write is not None else f.encoded(report)) for f in formatters.values()
    ]
    if not rendered:
        return []

    temps: list[tuple[Path, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(out_dir)
        for filename, data in rendered:
            target = out_dir / filename
            temp = out_dir / f".{filename}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
            interrupt.track(str(temp))  # before it exists: Ctrl-C from here on removes it
            temps.append((temp, target))
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w+b") as handle:
                if isinstance(data, Formatter):
                    assert data.write is not None
                    data.write(report, handle)
                else:
                    handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, _mode_for(target))
        with interrupt.deferred():  # Ctrl-C now waits: all the reports are replaced, or none
            for temp, target in temps:
                os.replace(temp, target)
                interrupt.untrack(str(temp))
        _fsync_dir(out_dir)
    except OSError as error:
        raise UserError(f"cannot write reports to {out_dir}: {error.strerror or error}") from error
    finally:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            interrupt.untrack(str(temp))
    return [target for _, target in temps]


def sweep_stale_temps(out_dir: Path) -> list[Path]:
    """Remove the temp files a killed run left in `out_dir` (nothing runs after SIGKILL).

    Only files named as `write_reports` names them, and only when the run that wrote one is
    gone (its pid, in the name, is dead) or the file is over an hour old: a run writing into
    the same folder right now keeps its own.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        pid = match.group("pid")
        old = now - info.st_mtime > STALE_TEMP_SECONDS
        if old or (pid is not None and int(pid) != os.getpid() and not _alive(int(pid))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (a pid reused since counts as alive: kept)."""
    if os.name != "posix":
        return True  # cannot tell cheaply: rely on the age rule
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def render_stdout(report: Report, formats: Sequence[str]) -> str:
    """The output of the standard-output formats among `formats`, in the order asked, each once.

    Unknown names raise `UserError` like `write_reports`; file formats are ignored here.
    """
    seen: set[str] = set()
    parts: list[str] = []
    for name in formats:
        formatter = get_formatter(name)
        if formatter.to_stdout and formatter.name not in seen:
            seen.add(formatter.name)
            parts.append(formatter.render(report))
    return "".join(parts)


def _mode_for(target: Path) -> int:
    """Keep an existing report's permissions; temp files start as 0600, too strict to share."""
    try:
        info = target.lstat()
    except OSError:
        return 0o644
    # A symlink in its place is replaced, never written through: take no mode from it.
    return 0o644 if stat.S_ISLNK(info.st_mode) else stat.S_IMODE(info.st_mode)


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable too (POSIX only; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = [
    "FORMATTERS",
    "Formatter",
    "get_formatter",
    "render_stdout",
    "sweep_stale_temps",
    "write_reports",
]
