"""claimcheck as a CI gate, run as CI runs it: the real executable in a throwaway git repo.

The story of one pull request after another: an injected conflict fails the build; once
baselined it passes; a second new conflict fails it again; an editor's inline suppression
passes it; when the first conflict is fixed the baseline entry is reported stale.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
TROOPS = (
    "003_1724ca28d10d83eb.txt",
    "roughly 100,000 Russian troops",
    "roughly 175,000 Russian troops",
)
DISTANCE = (
    "001_b178c3dbbc56040d.txt",
    "It’s hard to disagree.",
    "It’s hard to disagree. Russia's eastern military district lies some 1,000 miles from Ukraine.",
)


def claimcheck_executable() -> list[str]:
    found = shutil.which("claimcheck", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "claimcheck"]


def run(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*claimcheck_executable(), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true", **(env or {})},
        timeout=120,
        check=False,
    )


def edit(repo: Path, change: tuple[str, str, str]) -> None:
    name, old, new = change
    path = repo / "articles" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "newsroom"
    shutil.copytree(SEEDS, repo / "articles")
    (repo / ".claimcheck.yaml").write_text(
        "fail_on: error\nout: build/claimcheck\nformat: [md, json, sarif]\n", encoding="utf-8"
    )
    git(repo, "init", "-q")
    git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=CI", "add", ".")
    git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=CI", "commit", "-qm", "seeds")
    return repo


def test_the_gate_over_a_sequence_of_pull_requests(repo: Path) -> None:
    clean = run(repo, "articles/")
    assert clean.returncode == 0, clean.stderr
    assert (repo / "build/claimcheck/claimcheck.sarif").is_file(), "config file was read"

    edit(repo, TROOPS)
    injected = run(repo, "articles/")
    assert injected.returncode == 1, injected.stdout + injected.stderr
    assert "troop_count" in injected.stdout

    recorded = run(repo, "baseline", "articles/", "-o", ".claimcheck-baseline.json")
    assert recorded.returncode == 0, recorded.stderr
    baselined = run(repo, "articles/", "--baseline", ".claimcheck-baseline.json")
    assert baselined.returncode == 0, baselined.stdout + baselined.stderr

    edit(repo, DISTANCE)
    second = run(repo, "articles/", "--baseline", ".claimcheck-baseline.json")
    assert second.returncode == 1, second.stdout + second.stderr
    report = json.loads((repo / "build/claimcheck/claimcheck.json").read_text(encoding="utf-8"))
    states = {
        f["kind"]: f["baseline_state"] for f in report["findings"] if f["status"] == "conflict"
    }
    assert states["troop_count"] == "unchanged" and states["distance"] == "new"

    comment = "<!-- claimcheck-disable-next-line distance -- checked with the map desk -->"
    edit(
        repo, (DISTANCE[0], DISTANCE[2], DISTANCE[2].replace(" Russia's", f"\n{comment}\nRussia's"))
    )
    suppressed = run(repo, "articles/", "--baseline", ".claimcheck-baseline.json")
    assert suppressed.returncode == 0, suppressed.stdout + suppressed.stderr
    sarif = json.loads((repo / "build/claimcheck/claimcheck.sarif").read_text(encoding="utf-8"))
    kinds = [r["properties"]["kind"] for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert "distance" in kinds, "suppressed findings stay in SARIF with a suppression"

    edit(repo, (TROOPS[0], TROOPS[2], TROOPS[1]))  # the troop figure is corrected
    fixed = run(repo, "articles/", "--baseline", ".claimcheck-baseline.json")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    report = json.loads((repo / "build/claimcheck/claimcheck.json").read_text(encoding="utf-8"))
    assert [entry["rule"] for entry in report["stale_baseline"]] == ["troop_count"]


def test_exit_code_three_on_an_internal_error(repo: Path) -> None:
    broken = run(repo, "articles/", env={"CLAIMCHECK_FAULT_INJECTION": "internal-error"})
    assert broken.returncode == 3
    assert "internal error" in broken.stderr and "Traceback" not in broken.stderr
    verbose = run(repo, "articles/", "-v", env={"CLAIMCHECK_FAULT_INJECTION": "internal-error"})
    assert verbose.returncode == 3 and "Traceback" in verbose.stderr


def test_exit_code_does_not_depend_on_format_or_destination(repo: Path) -> None:
    edit(repo, TROOPS)
    codes = {
        run(repo, "articles/", "--format", fmt, "--out", f"out-{fmt}").returncode
        for fmt in ("md", "json", "sarif", "github", "text", "md,json,sarif,github")
    }
    assert codes == {1}
    assert run(repo, "articles/", "--min-severity", "error", "--fail-on", "warning").returncode == 1
    assert run(repo, "articles/", "--fail-on", "never").returncode == 0


def test_config_errors_and_usage_errors_exit_two(repo: Path) -> None:
    (repo / ".claimcheck.yaml").write_text("fail_on: error\ncolour: red\n", encoding="utf-8")
    bad = run(repo, "articles/")
    assert bad.returncode == 2 and ".claimcheck.yaml:2" in bad.stderr and "colour" in bad.stderr
    assert run(repo, "articles/", "--config", "missing.yaml").returncode == 2
    assert run(repo, "articles/", "--no-such-option").returncode == 2
