"""The command line: parses options and wires the pipeline stages together, nothing more."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from claimcheck import __version__, interrupt
from claimcheck.errors import ExitCode, UserError
from claimcheck.models import Finding, Report, Severity, Status

ISSUES_URL = "https://github.com/claimcheck/claimcheck/issues"
FAIL_LEVELS = ("error", "warning", "info", "never")
SEVERITIES = ("info", "warning", "error")


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


def _common_options(function: Any) -> Any:
    """Options that shape a run, shared by `check` and `baseline`."""
    options = [
        click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
                     help="A folder of YAML rules added to the defaults (repeatable)."),
        click.option("--enable", multiple=True, help="Turn a rule on by id (repeatable)."),
        click.option("--disable", multiple=True, help="Turn a rule off by id (repeatable)."),
        click.option("--config", "config_file", type=click.Path(path_type=Path),
                     help="Settings file (default: $CLAIMCHECK_CONFIG, else the nearest "
                     ".claimcheck.yaml or [tool.claimcheck] in pyproject.toml)."),
        click.option("--manifest", type=click.Path(path_type=Path),
                     help="A sources.yaml used for every folder."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     show_default="1", help="Extract sources in this many processes."),
        click.option("--strict", is_flag=True,
                     help="Stop at the first unreadable article (exit 2) instead of skipping it."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None,
                     show_default="50000000", help="Skip articles larger than this many bytes."),
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


@cli.command(epilog="Other commands: `claimcheck baseline`, `claimcheck rules`, "
             "`claimcheck config show`, `claimcheck eval`.")  # fmt: skip
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(path_type=Path),
    show_default="reports",
    help="Folder the report files are written to.",
)
@click.option(
    "--format",
    "formats",
    default=None,
    show_default="md,json",
    help="Formats, comma-separated: md, json, sarif (files); github, text (stdout).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    show_default="error",
    help="Exit 1 when an unreviewed conflict of this severity or worse is found.",
)
@click.option(
    "--min-severity",
    type=click.Choice(SEVERITIES),
    default=None,
    show_default="info",
    help="Show only findings of this severity or worse.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Report only conflicts not recorded in this baseline file.",
)
@_common_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="List agreements too; tracebacks on bugs.")
def check(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    formats: str | None,
    fail_on: str | None,
    min_severity: str | None,
    baseline_file: Path | None,
    rule_dirs: tuple[Path, ...],
    enable: tuple[str, ...],
    disable: tuple[str, ...],
    config_file: Path | None,
    manifest: Path | None,
    jobs: int | None,
    strict: bool,
    max_file_size: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Extract, compare and report the claims in the articles under PATHS."""
    from claimcheck.collector import cycle_collection_paused
    from claimcheck.config import load_ruleset
    from claimcheck.pipeline import run
    from claimcheck.report import get_formatter, render_stdout, write_reports
    from claimcheck.report.terminal import render_notes, render_summary

    settings = _settings(
        config_file,
        out=out_dir,
        format=formats,
        fail_on=fail_on,
        min_severity=min_severity,
        baseline=baseline_file,
        rules=rule_dirs,
        enable=enable,
        disable=disable,
        manifest=manifest,
        jobs=jobs,
    )
    format_names = list(settings.format)
    for name in format_names:
        get_formatter(name)
    with cycle_collection_paused():
        report = run(
            paths,
            ruleset=load_ruleset(settings),
            jobs=settings.jobs,
            baseline=settings.baseline,
            manifest=settings.manifest,
            progress=None if quiet else terminal_progress(),
            **_reading(strict, max_file_size),
        )
        code = exit_code_for(report, settings.fail_on)  # before any filtering: never depends on it
        shown = shown_report(report, settings.min_severity)
        written = write_reports(shown, settings.out, format_names)
    interrupt.settle()
    stdout = render_stdout(shown, format_names)
    if stdout:
        _echo(stdout)
    if any(get_formatter(name).name == "github" for name in format_names):
        from claimcheck.report import github, markdown

        github.append_step_summary(markdown.render(shown), os.environ)
    _echo(render_notes(report, quiet=quiet), err=True)
    if not quiet:
        _echo(render_summary(shown, verbose=verbose), err=bool(stdout))
        for path in written:
            _echo(f"wrote {path.as_posix()}\n", err=True)
    raise SystemExit(int(code))


def _echo(text: str, err: bool = False) -> None:
    """Print, and when the reader has gone (`claimcheck … | head`) stop printing there, quietly.

    The exit code stays the run's verdict: a CI gate piping its output must not pass or
    fail because of a pager. Python's default would be a traceback and exit 120.
    """
    try:
        click.echo(text, nl=False, err=err)
    except BrokenPipeError:
        interrupt.discard_output(sys.stderr if err else sys.stdout)


@cli.command("baseline")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path),
              default=Path(".claimcheck-baseline.json"), show_default=True,
              help="The baseline file to write.")  # fmt: skip
@_common_options
def baseline_command(
    paths: tuple[Path, ...],
    output: Path,
    rule_dirs: tuple[Path, ...],
    enable: tuple[str, ...],
    disable: tuple[str, ...],
    config_file: Path | None,
    manifest: Path | None,
    jobs: int | None,
    strict: bool,
    max_file_size: int | None,
) -> None:
    """Record today's conflicts so CI reports only new ones (`check --baseline FILE`)."""
    from claimcheck.baseline import write_baseline
    from claimcheck.config import load_ruleset
    from claimcheck.pipeline import run

    settings = _settings(
        config_file, rules=rule_dirs, enable=enable, disable=disable, manifest=manifest, jobs=jobs
    )
    settings = replace(settings, baseline=None)  # record everything, not only what is new
    report = run(paths, ruleset=load_ruleset(settings), jobs=settings.jobs,
                 manifest=settings.manifest, **_reading(strict, max_file_size))  # fmt: skip
    write_baseline(output, report.findings)
    recorded = sum(1 for f in report.findings if f.status is Status.CONFLICT and not f.suppressed)
    click.echo(f"recorded {recorded} conflicts in {output.as_posix()}", err=True)


@cli.group("config")
def config_group() -> None:
    """Settings: where they come from."""


@config_group.command("show")
@click.option("--config", "config_file", type=click.Path(path_type=Path),
              help="Settings file to read instead of the one found.")  # fmt: skip
def config_show(config_file: Path | None) -> None:
    """Print every effective setting and where it came from."""
    from claimcheck.config import render_show

    click.echo(render_show(_settings(config_file)), nl=False)


def _register_subcommands() -> None:
    from claimcheck.cli_eval import eval_command
    from claimcheck.cli_rules import rules_group

    cli.add_command(rules_group)
    cli.add_command(eval_command)


_register_subcommands()


def _reading(strict: bool, max_file_size: int | None) -> dict[str, Any]:
    """How articles are read: skip or stop at a bad one; the size limit."""
    options: dict[str, Any] = {"strict": strict}
    if max_file_size is not None:
        options["max_bytes"] = max_file_size
    return options


def _settings(config_file: Path | None, **cli_values: object) -> Any:
    from claimcheck.config import load_config, resolve

    loaded = load_config(config_file, os.environ, Path.cwd())
    return resolve(cli_values, loaded)


PROGRESS_MIN_SOURCES = 200  # below this a run takes a second or two: no bar needed


def terminal_progress() -> Any:
    """A one-line counter on stderr, only on an interactive terminal and only for long runs."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < PROGRESS_MIN_SOURCES:
            return
        if done == total or done % 20 == 0:
            end = "\n" if done == total else ""
            click.echo(f"\rextracting {done}/{total} articles", err=True, nl=False)
            if end:
                click.echo("", err=True)

    return show


def counts_toward_exit(finding: Finding) -> bool:
    """A conflict nobody has reviewed: not suppressed in the article, not in the baseline."""
    return (
        finding.status is Status.CONFLICT
        and not finding.suppressed
        and finding.baseline_state != "unchanged"
    )


def exit_code_for(report: Report, fail_on: str) -> ExitCode:
    """The one place findings become an exit code."""
    if fail_on == "never":
        return ExitCode.OK
    threshold = Severity(fail_on).rank
    for finding in report.findings:
        if counts_toward_exit(finding) and finding.severity.rank >= threshold:
            return ExitCode.FINDINGS
    return ExitCode.OK


def shown_report(report: Report, min_severity: Severity | str) -> Report:
    """The report with only findings at or above `--min-severity` (the summary stays whole)."""
    floor = Severity(min_severity).rank
    if floor == 0:
        return report
    kept = tuple(f for f in report.findings if f.severity.rank >= floor)
    return report.model_copy(update={"findings": kept})


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
        return int(exc.exit_code) if exc.exit_code != 1 else int(ExitCode.USAGE)
    except click.exceptions.Abort:
        _error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        _error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:  # another command's reader went away: nothing is wrong
        interrupt.discard_output(sys.stdout)
        interrupt.discard_output(sys.stderr)
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
