"""`claimcheck eval GOLD_DIR`: how accurate claimcheck is against hand-annotated gold files.

Registered on the main command with `cli.add_command(eval_command)`. A bad gold file is a
user's mistake: one line, exit code 2, as for the other commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from claimcheck.errors import ExitCode, UserError


class EvalError(click.ClickException):
    """A gold file or folder that cannot be used, reported in one line with exit code 2."""

    exit_code = int(ExitCode.USAGE)


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--json",
    "json_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the scores, every fact and every miss as JSON (e.g. eval.json).",
)
@click.option(
    "--misses",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="List this many misses per story (missed claims, wrong values, spurious claims).",
)
def eval_command(gold_dir: Path, json_file: Path | None, misses: int) -> None:
    """Score extraction (P/R/F1 per claim kind) and findings against gold files.

    GOLD_DIR holds one gold.yaml, or subfolders each holding one (a gold.yaml path works too).
    Each story is run through the real pipeline; the figures are printed as a table.
    """
    from claimcheck.evaluate import evaluate, format_table, write_json

    try:
        result = evaluate(gold_dir)
    except UserError as exc:
        raise EvalError(str(exc)) from None
    click.echo(format_table(result, misses=misses), nl=False)
    if json_file is not None:
        write_json(result, json_file)
        click.echo(f"wrote {json_file}", err=True)
