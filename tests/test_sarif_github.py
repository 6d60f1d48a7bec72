"""SARIF, GitHub annotations and linter lines: valid SARIF, right locations, safe escaping."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimcheck.models import (
    Finding,
    FindingClaim,
    Interval,
    Report,
    ReportSource,
    RuleInfo,
    Severity,
    Status,
    Summary,
    Suppression,
)
from claimcheck.pipeline import run
from claimcheck.report import (
    FORMATTERS,
    get_formatter,
    github,
    render_stdout,
    sarif,
    text,
    write_reports,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "seeds"
TROOPS_CASE = REPO_ROOT / "tests" / "fixtures" / "conflict_troops_003_175k"
SARIF_SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def seed_report() -> Report:
    """The seeds, read from the repo root so source paths are `seeds/…` as in CI."""
    with contextlib.chdir(REPO_ROOT):
        return run([Path("seeds")])


@pytest.fixture(scope="module")
def troops_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The seeds with 003 saying 175,000 troops: an error-level conflict."""
    root = tmp_path_factory.mktemp("troops")
    folder = root / "articles"
    folder.mkdir()
    for path in SEEDS.iterdir():
        if path.is_file():
            shutil.copyfile(path, folder / path.name)
    for path in TROOPS_CASE.glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
    with contextlib.chdir(root):
        return run([Path("articles")])


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"official SARIF schema not found at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif_of(report: Report, validator: jsonschema.Draft4Validator) -> dict[str, Any]:
    """Render, check it is valid against the official schema, and parse it back."""
    data: dict[str, Any] = json.loads(sarif.render(report))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return data


def conflicts_of(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.status is Status.CONFLICT]


def with_findings(report: Report, findings: list[Finding]) -> Report:
    return report.model_copy(update={"findings": tuple(findings)})


def spot(location: dict[str, Any]) -> tuple[str, int]:
    physical = location["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]["startLine"]


def claim_spot(report: Report, claim: FindingClaim) -> tuple[str, int]:
    paths = {s.id: s.path for s in report.sources}
    return sarif.artifact_uri(paths[claim.source]), claim.line


# --------------------------------------------------------------------------- hand-built report


def fclaim(
    source: str, quote: str, group: int, line: int = 3, column: int = 5, display: str = "x"
) -> FindingClaim:
    return FindingClaim(
        source=source,
        quote=quote,
        start=0,
        end=len(quote),
        line=line,
        column=column,
        value=Interval(low=1, high=2),
        display=display,
        group=group,
    )


def finding(
    fid: str,
    severity: Severity,
    message: str = "values differ",
    claims: tuple[FindingClaim, ...] = (),
    **update: Any,
) -> Finding:
    claims = claims or (
        fclaim("a.txt", "100,000 troops", 1, line=2),
        fclaim("b.txt", "100,000 soldiers", 1, line=4),
        fclaim("c.txt", "175,000 troops", 2, line=6, column=9),
    )
    data: dict[str, Any] = {
        "id": fid,
        "kind": "troop_count",
        "rule": "troop_count",
        "subject": "troops",
        "subject_label": "Russian troops",
        "status": Status.CONFLICT,
        "severity": severity,
        "message": message,
        "sources": tuple(sorted({c.source for c in claims})),
        "claims": claims,
        "fingerprint": f"fp-{fid}",
    }
    data.update(update)
    return Finding(**data)


def hand_report(*findings: Finding) -> Report:
    sources = tuple(
        ReportSource(id=name, path=f"news/{name}", published=None, published_from=None)
        for name in ("a.txt", "b.txt", "c.txt")
    )
    return Report(
        version="0.1.0",
        sources=sources,
        summary=Summary(
            sources=3,
            claims=9,
            findings=len(findings),
            conflicts=len(findings),
            agreements=0,
            single_source=0,
            by_severity={},
        ),
        rules=(
            RuleInfo(
                id="troop_count",
                kind="troop_count",
                severity=Severity.ERROR,
                description="How many troops. A second sentence.",
                file="claimcheck:troop_count.yaml",
            ),
        ),
        findings=findings,
    )


# --------------------------------------------------------------------------- SARIF


def test_seed_sarif_is_valid(seed_report: Report, validator: jsonschema.Draft4Validator) -> None:
    data = sarif_of(seed_report, validator)
    assert data["version"] == "2.1.0"
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run_,) = data["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    driver = run_["tool"]["driver"]
    assert driver["name"] == "claimcheck"
    assert driver["version"] == seed_report.version
    assert [r["id"] for r in driver["rules"]] == [r.id for r in seed_report.rules]
    for rule, descriptor in zip(seed_report.rules, driver["rules"], strict=True):
        assert descriptor["fullDescription"]["text"] == rule.description
        assert descriptor["defaultConfiguration"]["level"] == sarif.LEVELS[rule.severity]
    assert [a["location"]["uri"] for a in run_["artifacts"]] == [
        s.path for s in seed_report.sources
    ]
    assert len(run_["results"]) == len(conflicts_of(seed_report)) >= 1


def test_seed_sarif_is_deterministic(seed_report: Report) -> None:
    text_ = sarif.render(seed_report)
    assert text_ == sarif.render(seed_report)
    assert text_.endswith("}\n")
    assert json.dumps(json.loads(text_), indent=2, ensure_ascii=False, sort_keys=True) + "\n" == (
        text_
    )


@pytest.mark.parametrize("which", ["seed_report", "troops_report"])
def test_results_point_at_the_claims(
    which: str, request: pytest.FixtureRequest, validator: jsonschema.Draft4Validator
) -> None:
    report: Report = request.getfixturevalue(which)
    data = sarif_of(report, validator)
    results = data["runs"][0]["results"]
    conflicts = conflicts_of(report)
    assert len(results) == len(conflicts)
    rule_ids = [r.id for r in report.rules]
    for result, found in zip(results, conflicts, strict=True):
        assert result["ruleId"] == found.rule
        assert rule_ids[result["ruleIndex"]] == found.rule
        assert result["level"] == sarif.LEVELS[found.severity]
        assert result["partialFingerprints"] == {"claimcheck/v1": found.fingerprint}
        assert result["properties"]["findingId"] == found.id
        assert result["properties"]["kind"] == found.kind
        assert result["properties"]["subject"] == found.subject
        assert result["message"]["text"].startswith(
            found.message.replace("[", "\\[").replace("]", "\\]")
        )

        spots = [claim_spot(report, c) for c in found.claims]
        top = max(c.group for c in found.claims)
        (primary,) = result["locations"]
        assert spot(primary) in [claim_spot(report, c) for c in found.claims if c.group == top]
        related = [spot(r) for r in result["relatedLocations"]]
        assert all(s in spots for s in related)
        expected = list(spots)
        expected.remove(spot(primary))
        assert sorted(related) == sorted(expected)
        ids = [r["id"] for r in result["relatedLocations"]]
        assert len(set(ids)) == len(ids)
        assert all(" says " in r["message"]["text"] for r in result["relatedLocations"])


def test_injected_troop_conflict(
    troops_report: Report, validator: jsonschema.Draft4Validator
) -> None:
    """175,000 in 003 puts it in camp 2 beside 002's "upwards of 100,000"; 002 comes first."""
    data = sarif_of(troops_report, validator)
    (result,) = [r for r in data["runs"][0]["results"] if r["ruleId"] == "troop_count"]
    assert result["level"] == "error"
    (found,) = [f for f in conflicts_of(troops_report) if f.rule == "troop_count"]
    top = max(c.group for c in found.claims)
    dissenting = [c for c in found.claims if c.group == top]
    first = min(dissenting, key=lambda c: [s.id for s in troops_report.sources].index(c.source))
    assert spot(result["locations"][0]) == claim_spot(troops_report, first)

    by_file: dict[str, dict[str, Any]] = {}
    for location in [*result["locations"], *result["relatedLocations"]]:
        by_file.setdefault(spot(location)[0], location)
    location = by_file["articles/003_1724ca28d10d83eb.txt"]
    region = location["physicalLocation"]["region"]
    text003 = (TROOPS_CASE / "003_1724ca28d10d83eb.txt").read_text(encoding="utf-8")
    row = text003.split("\n")[region["startLine"] - 1]
    snippet = row[region["startColumn"] - 1 : region["endColumn"] - 1]
    assert snippet == region["snippet"]["text"] == "roughly 175,000 Russian troops"
    assert location["message"]["text"].startswith("003 says roughly 175,000")


def test_levels_map(troops_report: Report, validator: jsonschema.Draft4Validator) -> None:
    base = conflicts_of(troops_report)[0]
    variants = [
        base.model_copy(update={"id": f"CC-{sev.value}", "severity": sev}) for sev in Severity
    ]
    data = sarif_of(with_findings(troops_report, variants), validator)
    assert [r["level"] for r in data["runs"][0]["results"]] == ["note", "warning", "error"]


def test_agreements_and_single_source_are_not_results(
    seed_report: Report, validator: jsonschema.Draft4Validator
) -> None:
    others = [f for f in seed_report.findings if f.status is not Status.CONFLICT]
    assert others
    data = sarif_of(with_findings(seed_report, others), validator)
    assert data["runs"][0]["results"] == []


def test_suppressions_and_baseline_state(
    troops_report: Report, validator: jsonschema.Draft4Validator
) -> None:
    base = conflicts_of(troops_report)[0]
    plain = base.model_copy(update={"id": "CC-plain"})
    new = base.model_copy(update={"id": "CC-new", "baseline_state": "new"})
    in_source = base.model_copy(
        update={
            "id": "CC-insource",
            "suppressions": (
                Suppression(
                    kind="inSource",
                    source="003_1724ca28d10d83eb.txt",
                    line=4,
                    justification="checked with the reporter",
                ),
            ),
        }
    )
    external = base.model_copy(
        update={
            "id": "CC-external",
            "baseline_state": "unchanged",
            "suppressions": (Suppression(kind="external"),),
        }
    )
    report = with_findings(troops_report, [plain, new, in_source, external])
    results = sarif_of(report, validator)["runs"][0]["results"]
    by_id = {r["properties"]["findingId"]: r for r in results}
    assert "baselineState" not in by_id["CC-plain"]
    assert "suppressions" not in by_id["CC-plain"]
    assert by_id["CC-new"]["baselineState"] == "new"
    assert by_id["CC-external"]["baselineState"] == "unchanged"
    assert by_id["CC-external"]["suppressions"] == [{"kind": "external", "status": "accepted"}]
    (sup,) = by_id["CC-insource"]["suppressions"]
    assert sup["kind"] == "inSource"
    assert sup["status"] == "accepted"
    assert sup["justification"] == "checked with the reporter"
    assert spot(sup["location"]) == ("articles/003_1724ca28d10d83eb.txt", 4)


def test_region_counts_code_points_and_lines(validator: jsonschema.Draft4Validator) -> None:
    claims = (
        fclaim("a.txt", "😀 100,000", 1, line=2, column=3),
        fclaim("c.txt", "about\n175,000 [1](0) troops", 2, line=6, column=9),
    )
    report = hand_report(finding("CC-1", Severity.ERROR, "see [here](0)", claims=claims))
    result = sarif_of(report, validator)["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (6, 9)
    assert (region["endLine"], region["endColumn"]) == (7, len("175,000 [1](0) troops") + 1)
    related = result["relatedLocations"][0]["physicalLocation"]["region"]
    # One code point for the emoji (two UTF-16 units): the run says unicodeCodePoints.
    assert (related["startLine"], related["startColumn"]) == (2, 3)
    assert (related["endLine"], related["endColumn"]) == (2, 3 + len("😀 100,000"))
    assert result["message"]["text"] == "see \\[here\\](0)"


def test_artifact_uris_are_uri_references() -> None:
    assert sarif.artifact_uri("seeds/a b%.txt") == "seeds/a%20b%25.txt"
    assert sarif.artifact_uri("/tmp/x#1.txt") == "file:///tmp/x%231.txt"
    assert sarif.artifact_uri("C:/news/a.txt") == "file:///C:/news/a.txt"


def test_lone_surrogates_stay_out(validator: jsonschema.Draft4Validator) -> None:
    report = hand_report(finding("CC-1", Severity.ERROR, "bad \ud800 text"))
    out = sarif.render(report)
    out.encode("utf-8")
    assert "\ufffd" in out


# --------------------------------------------------------------------------- GitHub


def test_github_escapes_data_and_properties() -> None:
    assert github.escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert github.escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    nasty = finding(
        "CC-1",
        Severity.ERROR,
        "50% said: a, b\r\n::error::forged",
        detail="x\ny",
        subject_label="troops: 1,000",
    )
    (line,) = github.render(hand_report(nasty)).splitlines()
    assert line == (
        "::error file=news/c.txt,line=6,col=9,endLine=6,endColumn=22,"
        "title=claimcheck troop_count%3A troops%3A 1%2C000"
        "::50%25 said: a, b%0D%0A::error::forged%0Ax%0Ay"
    )


def test_github_paths_in_properties_are_escaped() -> None:
    report = hand_report(finding("CC-1", Severity.WARNING))
    sources = tuple(
        s.model_copy(update={"path": "news/a,b:c.txt"}) if s.id == "c.txt" else s
        for s in report.sources
    )
    out = github.render(report.model_copy(update={"sources": sources}))
    assert out.startswith("::warning file=news/a%2Cb%3Ac.txt,line=6,")


def test_github_order_and_selection() -> None:
    report = hand_report(
        finding("CC-n1", Severity.INFO),
        finding("CC-w1", Severity.WARNING),
        finding("CC-e1", Severity.ERROR),
        finding("CC-w2", Severity.WARNING, message="second warning"),
        finding("CC-sup", Severity.ERROR, suppressions=(Suppression(kind="external"),)),
        finding("CC-old", Severity.ERROR, baseline_state="unchanged"),
        finding("CC-new", Severity.ERROR, message="new one", baseline_state="new"),
        finding("CC-agree", Severity.ERROR, status=Status.AGREE),
    )
    lines = github.render(report).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error",
        "::error",
        "::warning",
        "::warning",
        "::notice",
    ]
    assert lines[1].endswith("::new one")
    assert lines[3].endswith("::second warning")
    assert not any("forged" in line for line in lines)


def test_github_multi_line_claim_has_no_columns() -> None:
    claims = (fclaim("a.txt", "one", 1), fclaim("b.txt", "two\nlines", 2, line=8))
    (line,) = github.render(hand_report(finding("CC-1", Severity.ERROR, claims=claims))).split(
        "\n"
    )[:1]
    assert line.startswith("::error file=news/b.txt,line=8,endLine=9,title=")
    assert ",col=" not in line


def test_github_primary_ties_break_by_source_order() -> None:
    claims = (
        fclaim("a.txt", "one", 1),
        fclaim("c.txt", "two", 2, line=9),
        fclaim("b.txt", "two", 2, line=7),
    )
    out = github.render(hand_report(finding("CC-1", Severity.ERROR, claims=claims)))
    assert out.startswith("::error file=news/b.txt,line=7,")


def test_append_step_summary(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    assert github.append_step_summary("# x\n", {}) is None
    assert github.append_step_summary("# x\n", {"GITHUB_STEP_SUMMARY": ""}) is None
    env = {"GITHUB_STEP_SUMMARY": str(target)}
    assert github.append_step_summary("# first report\n", env) == target
    assert github.append_step_summary("# second — report", env) == target
    assert target.read_text(encoding="utf-8") == "# first report\n# second — report\n"


# --------------------------------------------------------------------------- text


def test_text_lines() -> None:
    report = hand_report(
        finding("CC-e1", Severity.ERROR, "a\nb \x1b[31mred"),
        finding("CC-w1", Severity.WARNING),
        finding("CC-sup", Severity.ERROR, suppressions=(Suppression(kind="external"),)),
        finding("CC-old", Severity.ERROR, baseline_state="unchanged"),
    )
    lines = text.render(report).splitlines()
    assert lines == [
        "news/c.txt:6:9: error troop_count a b  [31mred [CC-e1]",
        "news/c.txt:6:9: warning troop_count values differ [CC-w1]",
        "claimcheck: 2 conflicts (1 error, 1 warning, 0 info), not shown: 1 suppressed, "
        "1 unchanged from baseline; 3 sources, 9 claims, 4 facts",
    ]


def test_text_on_seeds(seed_report: Report) -> None:
    lines = text.render(seed_report).splitlines()
    conflicts = conflicts_of(seed_report)
    assert len(lines) == len(conflicts) + 1
    for line, found in zip(lines[:-1], conflicts, strict=True):
        assert line.startswith("seeds/")
        assert line.endswith(f"[{found.id}]")
        assert f": {found.severity.value} {found.rule} " in line


# --------------------------------------------------------------------------- registry


def test_registry(tmp_path: Path) -> None:
    assert get_formatter("sarif").filename == "claimcheck.sarif"
    assert get_formatter("SARIF") is FORMATTERS["sarif"]
    assert get_formatter("github").to_stdout
    assert get_formatter("txt") is get_formatter("text")
    assert get_formatter("text").to_stdout
    assert not get_formatter("json").to_stdout

    report = hand_report(finding("CC-1", Severity.ERROR))
    out = tmp_path / "out"
    assert write_reports(report, out, ["github", "text"]) == []
    assert not out.exists()
    written = write_reports(report, out, ["sarif", "github", "json", "txt"])
    assert sorted(p.name for p in written) == ["claimcheck.json", "claimcheck.sarif"]
    assert sorted(p.name for p in out.iterdir()) == ["claimcheck.json", "claimcheck.sarif"]

    printed = render_stdout(report, ["json", "text", "github", "txt"])
    assert printed == text.render(report) + github.render(report)
    assert render_stdout(report, ["md", "sarif"]) == ""
