"""The command line: parses options and wires the pipeline stages together, nothing more."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from claimcheck import __version__
from claimcheck.errors import ExitCode, UserError
from claimcheck.models import Report, Severity, Status

ISSUES_URL = "https://github.com/claimcheck/claimcheck/issues"
FAIL_LEVELS = ("error", "warning", "info", "never")


class DefaultGroup(click.Group):
    """`claimcheck PATH...` runs `check`; `claimcheck rules` and the like run subcommands."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in ("--help", "-h"):
            args = [self.default_command, *args]  # the main command's options are what users need
        elif not args or (args[0] not in self.commands and args[0] != "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="claimcheck")
def cli() -> None:
    """Check that news articles about one story agree on the facts.

    Run `claimcheck PATH...` (the `check` command) on a folder of articles.
    """


@cli.command(epilog="Other commands: `claimcheck rules` lists the loaded rules.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default="reports",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder the reports are written to.",
)
@click.option(
    "--format",
    "formats",
    default="md,json",
    show_default=True,
    help="Report formats, comma-separated (md, json).",
)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A folder of YAML rules added to the defaults (repeatable).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default="error",
    show_default=True,
    help="Exit 1 when a conflict of this severity or worse is found.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extract sources in this many processes (same output).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print every finding, and tracebacks on bugs.")
def check(
    paths: tuple[Path, ...],
    out_dir: Path,
    formats: str,
    rule_dirs: tuple[Path, ...],
    fail_on: str,
    jobs: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Extract, compare and report the claims in the articles under PATHS."""
    from claimcheck.pipeline import run
    from claimcheck.report import get_formatter, write_reports
    from claimcheck.report.terminal import render_summary

    format_names = [f for f in (part.strip() for part in formats.split(",")) if f]
    if not format_names:
        raise UserError("--format: name at least one format")
    for name in format_names:
        get_formatter(name)
    report = run(paths, rule_dirs=rule_dirs, jobs=jobs)
    written = write_reports(report, out_dir, format_names)
    if not quiet:
        click.echo(render_summary(report, verbose=verbose), nl=False)
        for path in written:
            click.echo(f"wrote {path.as_posix()}")
    raise SystemExit(int(exit_code_for(report, fail_on)))


@cli.command("rules")
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A folder of YAML rules added to the defaults (repeatable).",
)
def list_rules(rule_dirs: tuple[Path, ...]) -> None:
    """List the loaded rules: id, kind, severity, extractor and comparator, file."""
    from claimcheck.rules import load_rules

    ruleset = load_rules(rule_dirs)
    for rule in ruleset.rules:
        source = _relative(ruleset.rule_files[rule.id])
        types = f"{rule.extract.type}/{rule.compare.type}"
        click.echo(f"{rule.id:14} {rule.kind:14} {rule.severity.value:8} {types:22} {source}")


def _relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def exit_code_for(report: Report, fail_on: str) -> ExitCode:
    """The one place findings become an exit code."""
    if fail_on == "never":
        return ExitCode.OK
    threshold = Severity(fail_on).rank
    for finding in report.findings:
        if finding.status is Status.CONFLICT and finding.severity.rank >= threshold:
            return ExitCode.FINDINGS
    return ExitCode.OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code so tests can call it without a subprocess."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args or "--verbose" in args
    try:
        cli.main(args=args, prog_name="claimcheck", standalone_mode=False)
    except SystemExit as exc:
        return _code_of(exc.code)
    except UserError as exc:
        _error(str(exc))
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        _error(exc.format_message())
        return int(ExitCode.USAGE)
    except click.exceptions.Abort:
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        _error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _quiet_broken_pipe()
        return int(ExitCode.OK)
    except Exception as exc:  # a bug: short message, traceback only when asked for
        if verbose:
            traceback.print_exc()
        _error(
            f"internal error: {type(exc).__name__}: {exc}. Please report it at {ISSUES_URL}"
            + ("" if verbose else " (run with -v for the traceback)")
        )
        return int(ExitCode.INTERNAL)
    return int(ExitCode.OK)


def _code_of(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _error(str(code))
    return int(ExitCode.USAGE)


def _error(message: str) -> None:
    click.echo(f"claimcheck: error: {message}", err=True)


def _quiet_broken_pipe() -> None:
    """After `claimcheck … | head` closes the pipe, exit without a second error at shutdown."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
