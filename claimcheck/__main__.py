"""`python -m claimcheck` and the `claimcheck` command: Ctrl-C handled before the slow imports."""

from __future__ import annotations

from typing import NoReturn

from claimcheck import interrupt


def main() -> NoReturn:
    """Install the signal handling first, so a Ctrl-C while pydantic and pint load is one line
    and exit 130 too; then run the CLI and leave without interpreter shutdown."""
    interrupt.install()
    from claimcheck.cli import main as cli_main

    interrupt.exit_now(cli_main())


if __name__ == "__main__":  # not when a spawned worker re-imports the main module
    main()
