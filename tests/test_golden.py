"""The committed reports are exactly what `claimcheck seeds/` writes from the repo root."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO_ROOT, seeds_run

REGENERATE = (
    "regenerate it from the repo root with `claimcheck seeds/` (writes reports/claimcheck.md "
    "and reports/claimcheck.json), review the diff and commit both files"
)


@pytest.fixture(scope="module")
def fresh() -> Path:
    """What `claimcheck seeds/` writes when run from the repo root (relative paths)."""
    return seeds_run()[1]


@pytest.mark.parametrize("name", ["claimcheck.md", "claimcheck.json"])
def test_committed_report_is_current(fresh: Path, name: str) -> None:
    committed = REPO_ROOT / "reports" / name
    assert committed.is_file(), f"reports/{name} is missing: {REGENERATE}"
    expected = (fresh / name).read_bytes()
    actual = committed.read_bytes()
    if actual != expected:
        old, new = actual.decode("utf-8", "replace"), expected.decode("utf-8", "replace")
        first = next(
            (
                i
                for i, (a, b) in enumerate(zip(old.splitlines(), new.splitlines(), strict=False))
                if a != b
            ),
            min(len(old.splitlines()), len(new.splitlines())),
        )
        pytest.fail(
            f"reports/{name} is stale: it differs from a fresh run from line {first + 1} on; "
            f"{REGENERATE}"
        )
