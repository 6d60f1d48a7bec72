"""Robustness tests: hypothesis profiles, and a harness for runs of the real executable.

`HYPOTHESIS_PROFILE=fuzz` runs every property with 10,000 examples; the default profile keeps
`pytest tests/robustness` fast enough for every commit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
# The default run is derandomised so CI is repeatable; the fuzz profile explores freely.
settings.register_profile(
    "robustness",
    max_examples=200,
    deadline=None,
    suppress_health_check=_HEALTH,
    derandomize=True,
)
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=_HEALTH)
settings.load_profile(
    "fuzz" if os.environ.get("HYPOTHESIS_PROFILE", "").strip() == "fuzz" else "robustness"
)


class Harness:
    """Corpora in tmp folders and runs of `python -m claimcheck` on them."""

    repo_root = Path(__file__).resolve().parents[2]
    seeds = repo_root / "seeds"
    report_names = ("claimcheck.md", "claimcheck.json", "claimcheck.sarif")

    def build_corpus(
        self, folder: Path, copies: int, variant: int = 0, seeds: Sequence[int] | None = None
    ) -> Path:
        """The seed articles (those numbered in `seeds`, else all) `copies` times over, their
        figures edited per copy, with a manifest.

        Copy k of seed i is `{k:03d}{i}_<hash>.txt` (short names stay unique); every
        "NNN,000" figure becomes NNN + 5·((k + variant) mod 9) thousand, so copies disagree.
        """
        folder.mkdir(parents=True, exist_ok=True)
        manifest = yaml.safe_load((self.seeds / "sources.yaml").read_text(encoding="utf-8"))
        entries: dict[str, object] = {}
        for k in range(copies):
            shift = 5 * ((k + variant) % 9)
            for i, seed in enumerate(sorted(self.seeds.glob("*.txt"))):
                if seeds is not None and i not in seeds:
                    continue
                text = seed.read_text(encoding="utf-8")
                if shift:
                    text = re.sub(r"\b(\d{1,3}),000\b", partial(_thousands, shift=shift), text)
                name = f"{k:03d}{i}_{seed.name.split('_', 1)[1]}"
                (folder / name).write_text(text, encoding="utf-8")
                entries[name] = (manifest or {}).get(seed.name) or {}
        (folder / "sources.yaml").write_text(yaml.safe_dump(entries), encoding="utf-8")
        return folder

    def argv(self, *args: str | Path) -> list[str]:
        return [sys.executable, "-m", "claimcheck", *(str(a) for a in args)]

    def env(self) -> dict[str, str]:
        """A child's environment: this checkout importable, no CI or claimcheck settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMCHECK_", "GITHUB_"))}
        paths = [str(self.repo_root), os.environ.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        return env

    def run(
        self,
        args: Sequence[str | Path],
        cwd: Path,
        timeout: float = 120,
        env: Mapping[str, str] | None = None,
    ) -> tuple[subprocess.CompletedProcess[bytes], float]:
        """Run to completion: (result, wall time in seconds). `env` adds to `self.env()`."""
        start = time.monotonic()
        result = subprocess.run(
            self.argv(*args), cwd=cwd, env={**self.env(), **(env or {})}, capture_output=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        return result, time.monotonic() - start

    @staticmethod
    def read_dir(out: Path) -> dict[str, bytes]:
        """Every file in `out` (hidden ones included) by name; {} when `out` does not exist."""
        if not out.is_dir():
            return {}
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    @staticmethod
    def write_dir(files: dict[str, bytes], out: Path) -> None:
        """Make `out` hold exactly `files` (an empty dict removes `out`)."""
        shutil.rmtree(out, ignore_errors=True)
        if files:
            out.mkdir(parents=True)
            for name, data in files.items():
                (out / name).write_bytes(data)


def _thousands(match: re.Match[str], shift: int) -> str:
    return f"{int(match.group(1)) + shift},000"


@pytest.fixture(scope="session")
def harness() -> Harness:
    return Harness()
