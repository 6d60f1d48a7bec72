"""Seed variants with one injected change each: see tests/fixtures/README.md for the format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import (
    FIXTURES,
    SEEDS,
    SEVERITY_RANK,
    build_variant,
    conflicts,
    describe_all,
    findings,
    load_report,
    load_yaml,
    run_cli,
)

CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
KNOWN_KEYS = {
    "description",
    "edits",
    "conflicts",
    "agrees",
    "no_conflict_kinds",
    "max_severity",
    "xfail",
}


def _outcome_params() -> list[Any]:
    """Cases for the tests that run the tool; a case with `xfail: <reason>` is a known bug."""
    params = []
    for case in CASES:
        reason = (load_yaml(case / "expected.yaml") or {}).get("xfail")
        marks = [pytest.mark.xfail(reason=str(reason), strict=False)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


OUTCOME_CASES = _outcome_params()


def expected_of(case: Path) -> dict[str, Any]:
    data = load_yaml(case / "expected.yaml")
    assert isinstance(data, dict), f"{case.name}/expected.yaml must be a mapping"
    unknown = set(data) - KNOWN_KEYS
    assert not unknown, f"{case.name}/expected.yaml: unknown keys {sorted(unknown)}"
    assert data.get("description"), f"{case.name}/expected.yaml: description is required"
    assert data.get("edits"), f"{case.name}/expected.yaml: edits is required"
    assert data.get("conflicts") or data.get("max_severity"), (
        f"{case.name}/expected.yaml: a case expects conflicts or bounds them with max_severity"
    )
    return data


def expected_exit_code(expected: dict[str, Any]) -> int:
    """With the default `--fail-on error`: 1 when an error conflict is expected, else 0."""
    if any(c.get("severity", "error") == "error" for c in expected.get("conflicts") or []):
        return 1
    return 0


def run_case(case: Path, tmp_path: Path) -> dict[str, Any]:
    """Build the variant and run `claimcheck <folder> --out <out> --fail-on never -q`."""
    folder = build_variant(case, tmp_path)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli([folder, "--out", out, "--fail-on", "never", "-q"])
    assert code == 0, f"--fail-on never must exit 0, got {code}: {stderr}"
    assert stdout == "", "-q prints nothing"
    return load_report(out)


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 12
    names = {c.name for c in CASES}
    assert any(n.startswith("conflict_") for n in names)
    assert any(n.startswith("same_") for n in names)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_names_known_kinds(case: Path) -> None:
    """A misspelt kind would make `no_conflict_kinds` pass vacuously."""
    from claimcheck.rules import load_rules

    kinds = {rule.kind for rule in load_rules().rules}
    expected = expected_of(case)
    named = set(expected.get("no_conflict_kinds") or [])
    named |= {c["kind"] for c in (expected.get("conflicts") or []) + (expected.get("agrees") or [])}
    assert named <= kinds, (
        f"{case.name}: unknown kinds {sorted(named - kinds)}; known: {sorted(kinds)}"
    )
    assert expected.get("max_severity", "error") in ("error", "warning", "info", "none")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_one_edit_of_the_seeds(case: Path) -> None:
    """The fixture's articles are the seeds with exactly the edits listed, byte for byte."""
    expected = expected_of(case)
    edited: dict[str, str] = {}
    for edit in expected["edits"]:
        name, find, replace = edit["file"], edit["find"], edit["replace"]
        assert (SEEDS / name).is_file(), f"{name} is not a seed"
        text = edited.get(name) or (SEEDS / name).read_bytes().decode("utf-8")
        found = text.count(find)
        if edit.get("count", 1) == "all":
            assert found >= 1, f"{find!r} not in {name}"
        else:
            assert found == edit.get("count", 1), f"{find!r} occurs {found} times in {name}"
        assert find != replace
        edited[name] = text.replace(find, replace)
    files = {p.name for p in case.iterdir() if p.is_file()} - {"expected.yaml"}
    assert files == set(edited), "a case folder holds only the edited articles and expected.yaml"
    for name, text in edited.items():
        assert (case / name).read_bytes() == text.encode("utf-8"), f"{case.name}/{name}"


@pytest.mark.parametrize("case", OUTCOME_CASES)
def test_case_findings(case: Path, tmp_path: Path) -> None:
    expected = expected_of(case)
    report = run_case(case, tmp_path)
    everything = describe_all(report)

    for want in expected.get("conflicts") or []:
        hits = [f for f in conflicts(report, want["kind"]) if want["source"] in f["sources"]]
        assert hits, (
            f"{case.name}: expected a {want['kind']} conflict naming {want['source']}; got:\n"
            f"{everything}"
        )
        if "severity" in want:
            assert any(f["severity"] == want["severity"] for f in hits), (
                f"{case.name}: {want['kind']} conflict should be {want['severity']}:\n{everything}"
            )
        # Against two or more agreeing sources, the edited one stands apart from camp 1.
        crowded = [f for f in hits if len(f["sources"]) > 2]
        assert all(
            any(c["source"] == want["source"] and c["group"] > 1 for c in f["claims"])
            for f in crowded
        ), f"{case.name}: {want['source']} should be in a dissenting camp:\n{everything}"

    for want in expected.get("agrees") or []:
        hits = [
            f
            for f in findings(report, want["kind"], "agree")
            if set(want["sources"]) <= set(f["sources"])
        ]
        assert hits, (
            f"{case.name}: expected {want['kind']} agreement of {want['sources']}:\n{everything}"
        )

    for kind in expected.get("no_conflict_kinds") or []:
        assert not conflicts(report, kind), (
            f"{case.name}: unexpected {kind} conflict:\n{everything}"
        )

    limit = expected.get("max_severity")
    if limit is not None:
        too_high = [
            f
            for f in conflicts(report)
            if limit == "none" or SEVERITY_RANK[f["severity"]] > SEVERITY_RANK[limit]
        ]
        assert not too_high, f"{case.name}: conflicts above {limit}:\n{everything}"


@pytest.mark.parametrize("case", OUTCOME_CASES)
def test_case_exit_code(case: Path, tmp_path: Path) -> None:
    """The default `--fail-on error` exits 1 exactly when an error conflict is expected."""
    expected = expected_of(case)
    folder = build_variant(case, tmp_path)
    code, _, stderr = run_cli([folder, "--out", tmp_path / "out", "--format", "json", "-q"])
    assert code == expected_exit_code(expected), stderr
    lowest = min(
        (SEVERITY_RANK[c.get("severity", "error")] for c in expected.get("conflicts") or []),
        default=None,
    )
    if lowest is not None and lowest < SEVERITY_RANK["error"]:
        level = next(k for k, v in SEVERITY_RANK.items() if v == lowest)
        code, _, stderr = run_cli(
            [folder, "--out", tmp_path / "out", "--format", "json", "-q", "--fail-on", level]
        )
        assert code == 1, f"--fail-on {level} should fail on the expected {level} conflict"
