"""Shared helpers for the end-to-end tests: build seed variants, run the CLI, read reports."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MANIFEST_NAMES = ("sources.yaml", "sources.yml")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def seed_files() -> list[Path]:
    """The seed articles and, when present, their manifest."""
    files = sorted(SEEDS.glob("*.txt"))
    files += [SEEDS / name for name in MANIFEST_NAMES if (SEEDS / name).is_file()]
    return files


def seed_names() -> list[str]:
    return [p.name for p in sorted(SEEDS.glob("*.txt"))]


def build_variant(case_dir: Path | None, tmp_path: Path, name: str = "articles") -> Path:
    """Copy the seeds into `tmp_path/name`, then overwrite them with the case's articles."""
    folder = tmp_path / name
    folder.mkdir(parents=True)
    for path in seed_files():
        shutil.copyfile(path, folder / path.name)
    if case_dir is not None:
        for path in sorted(case_dir.iterdir()):
            if path.name != "expected.yaml" and path.is_file():
                shutil.copyfile(path, folder / path.name)
    return folder


def run_cli(args: Sequence[str]) -> tuple[int, str, str]:
    """`claimcheck.cli.main(args)` in this process: (exit code, stdout, stderr)."""
    from claimcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def run_subprocess(
    args: Sequence[str], cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m claimcheck ARGS` in a real child process."""
    env = dict(os.environ)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *[str(a) for a in args]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def load_report(out_dir: Path) -> dict[str, Any]:
    return json.loads((out_dir / "claimcheck.json").read_text(encoding="utf-8"))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def findings(
    report: dict[str, Any], kind: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    return [
        f
        for f in report["findings"]
        if (kind is None or f["kind"] == kind) and (status is None or f["status"] == status)
    ]


def conflicts(report: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    return findings(report, kind, "conflict")


def describe(finding: dict[str, Any]) -> str:
    """One line per finding, for assertion messages."""
    quotes = "; ".join(
        f"{c['source'][:3]}:{c['quote']!r}={c['display']}" for c in finding["claims"]
    )
    return (
        f"{finding['status']}/{finding['severity']} {finding['kind']} "
        f"{finding['subject']!r}: {quotes}"
    )


def describe_all(report: dict[str, Any]) -> str:
    return "\n".join(describe(f) for f in report["findings"])


_SEEDS_RUN: dict[str, tuple[int, Path]] = {}


def seeds_run() -> tuple[int, Path]:
    """`claimcheck seeds/ --out <tmp> -q` from the repo root, run once per test process.

    Returns the exit code and the output folder; several test modules read the same reports.
    """
    if "run" not in _SEEDS_RUN:
        out = Path(tempfile.mkdtemp(prefix="claimcheck-seeds-"))
        atexit.register(shutil.rmtree, out, True)
        with chdir(REPO_ROOT):
            code, _, stderr = run_cli(["seeds/", "--out", out, "-q"])
        assert code in (0, 1), stderr
        _SEEDS_RUN["run"] = (code, out)
    return _SEEDS_RUN["run"]
