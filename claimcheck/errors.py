"""Errors a user can fix, and the exit codes every outcome maps to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3
    INTERRUPTED = 130


class UserError(Exception):
    """A mistake in the user's input or options: one line, exit code 2, never a traceback."""

    exit_code = ExitCode.USAGE


class SourceError(UserError):
    """An article that cannot be read."""


class RuleError(UserError):
    """A rule file that cannot be loaded; the message names file, line and field."""
