"""`claimcheck rules`: list the loaded rules, explain one, run their test cases.

Registered on the main command with `cli.add_command(rules_group)`. A `UserError` (a bad rule
file, an unknown rule id) becomes a `click.ClickException` with exit code 2, so the group
behaves the same under `claimcheck.cli.main` (one `claimcheck: error:` line, exit 2) and when
invoked on its own, as `click.testing.CliRunner` does (click's `Error:` line, exit 2).
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from claimcheck.errors import ExitCode, UserError
from claimcheck.rules import RuleSet

F = TypeVar("F", bound=Callable[..., Any])


class RulesError(click.ClickException):
    """A user's mistake, reported in one line with the usage exit code."""

    exit_code = int(ExitCode.USAGE)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except UserError as exc:
        raise RulesError(str(exc)) from None


def _rules_option(function: F) -> F:
    """`--rules DIR`, as the main command takes it."""
    return click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A folder of YAML rules added to the defaults (repeatable).",
    )(function)


def _load(ctx: click.Context, rule_dirs: Sequence[Path]) -> RuleSet:
    """The rules a check would use: defaults, the config file's folders and switches, then the
    group's and the subcommand's --rules folders."""
    import os

    from claimcheck.config import load_config, load_ruleset, resolve

    parent = ctx.parent.params.get("rule_dirs", ()) if ctx.parent is not None else ()
    folders = list(dict.fromkeys([*parent, *rule_dirs]))
    with _user_errors():
        loaded = load_config(None, os.environ, Path.cwd())
        return load_ruleset(resolve({"rules": folders}, loaded))


@click.group("rules", invoke_without_command=True)
@_rules_option
@click.pass_context
def rules_group(ctx: click.Context, rule_dirs: tuple[Path, ...]) -> None:
    """List the loaded rules: id, kind, severity, extractor/comparator, file.

    `claimcheck rules explain ID` says what a rule checks; `claimcheck rules test` runs the
    rules' test cases.
    """
    if ctx.invoked_subcommand is not None:
        return
    from claimcheck.pipeline import display_path

    ruleset = _load(ctx, rule_dirs)
    for rule in ruleset.rules:
        source = display_path(Path(ruleset.rule_files[rule.id]))
        types = f"{rule.extract.type}/{rule.compare.type}"
        click.echo(f"{rule.id:14} {rule.kind:14} {rule.severity.value:8} {types:22} {source}")


@rules_group.command("explain")
@click.argument("rule_id", metavar="ID")
@_rules_option
@click.pass_context
def explain(ctx: click.Context, rule_id: str, rule_dirs: tuple[Path, ...]) -> None:
    """Say what the rule ID checks, how, and show an example from its test cases."""
    from claimcheck.ruletest import explain_rule

    ruleset = _load(ctx, rule_dirs)
    ids = [rule.id for rule in ruleset.rules]
    if rule_id not in ids:
        if rule_id in ruleset.rule_files:
            raise RulesError(
                f"rule '{rule_id}' is disabled ({ruleset.rule_files[rule_id]}: enabled: false)"
            )
        close = difflib.get_close_matches(rule_id, ids, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; loaded rules: {', '.join(ids)}"
        raise RulesError(f"unknown rule '{rule_id}'{hint}")
    with _user_errors():
        text = explain_rule(ruleset.rule(rule_id), ruleset.rule_files[rule_id], ruleset)
    click.echo(text, nl=False)


@rules_group.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path), metavar="[DIR]...")
@_rules_option
@click.option("-v", "--verbose", is_flag=True, help="List passing and xfail cases too.")
@click.pass_context
def test(
    ctx: click.Context, dirs: tuple[Path, ...], rule_dirs: tuple[Path, ...], verbose: bool
) -> None:
    """Run the test cases of the built-in rules and of the rules in each DIR.

    Exit 0 when every case passes (an `xfail` case may fail), 1 when one fails.
    """
    from claimcheck.ruletest import run_rule_tests

    ruleset = _load(ctx, [*rule_dirs, *dirs])
    results = run_rule_tests(ruleset)
    counts = {status: 0 for status in ("pass", "fail", "xfail", "xpass")}
    for result in results:
        counts[result.status] += 1
        if result.status in ("fail", "xpass") or verbose:
            click.echo(result.describe())
            if verbose and result.detail:
                click.echo(f"    ({result.detail})")
    summary = f"{counts['pass']} passed, {counts['fail']} failed"
    extra = [f"{counts[s]} {s}ed" for s in ("xfail", "xpass") if counts[s]]
    click.echo(", ".join([summary, *extra]))
    raise SystemExit(int(ExitCode.FINDINGS if counts["fail"] else ExitCode.OK))
