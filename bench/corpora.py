"""How claimcheck does on the dev corpora: expected conflicts found, agreements wrongly split.

Usage: python bench/corpora.py [CORPORA_DIR] [--verbose]   (default: ../shared/corpora)
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimcheck.expected import score, stories

DEFAULT_ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else DEFAULT_ROOT
    print(f"{'story':28} {'conflicts found':>16} {'agreements split':>17} {'error conflicts':>16}")
    found = expected = split = errors = 0
    for story in stories(root):
        result = score(story)
        if verbose:
            print(story.name, *result.lines, sep="\n")
        print(
            f"{result.story:28} {result.conflicts_found:>9} of {result.conflicts_expected:<4} "
            f"{result.agreements_split:>10} of {result.agreements_expected:<4} "
            f"{result.error_conflicts:>16}"
        )
        found += result.conflicts_found
        expected += result.conflicts_expected
        split += result.agreements_split
        errors += result.error_conflicts
    print(f"{'total':28} {found:>9} of {expected:<4} {split:>10} {'':7} {errors:>16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
