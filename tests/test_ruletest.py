"""Rule test cases as data: the built-in rules' cases, the harness, `claimcheck rules`, the schema.

The `rules` group is tested on its own with click's CliRunner (standalone mode: a `UserError`
is turned into a `click.ClickException` with exit code 2 by the group itself), and through
`claimcheck.cli.main` once the main command registers it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from claimcheck.cli_rules import rules_group
from claimcheck.errors import RuleError
from claimcheck.rules import DEFAULT_RULES_DIR, load_rule_file, load_rules
from claimcheck.ruletest import CaseResult, explain_rule, run_rule_tests

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = REPO_ROOT / "schemas" / "claimcheck-rules.schema.json"
BUILTIN_RULES = (
    "area",
    "casualty_count",
    "count",
    "date",
    "distance",
    "duration",
    "length",
    "office",
    "participant",
    "quote",
    "troop_count",
)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(rules_group, [str(a) for a in args], catch_exceptions=False)


def user_pack(tmp_path: Path, tests: list[dict[str, Any]], rule_id: str = "my_troops") -> Path:
    """A user's rule pack: the built-in troop rule under a new id, with the given cases."""
    rule = yaml.safe_load((DEFAULT_RULES_DIR / "troop_count.yaml").read_text(encoding="utf-8"))
    rule.update(id=rule_id, tests=tests)
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    path = folder / f"{rule_id}.yaml"
    path.write_text(yaml.safe_dump(rule, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


BROKEN_CASE = {
    "name": "wrong expectation",
    "text": "About 40,000 troops were put on alert.",
    "claims": [{"quote": "About 40,000 troops", "value": "about 50,000"}],
}


# --------------------------------------------------------------------------- built-in cases


@pytest.fixture(scope="module")
def builtin_results() -> list[CaseResult]:
    return run_rule_tests(load_rules())


@pytest.mark.parametrize("rule_id", BUILTIN_RULES)
def test_builtin_rule_cases_pass(rule_id: str, builtin_results: list[CaseResult]) -> None:
    results = [r for r in builtin_results if r.rule == rule_id]
    assert results, f"{rule_id} has no test cases"
    failures = [r.describe() for r in results if r.status in ("fail", "xpass")]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("rule_id", BUILTIN_RULES)
def test_builtin_rules_have_positive_negative_and_comparison_cases(rule_id: str) -> None:
    cases = load_rules().rule(rule_id).tests
    must_find = [c for c in cases if c.claims]
    must_not = [c for c in cases if c.no_claims or c.not_claims]
    compared = {c.finding for c in cases if c.sources}
    assert len(must_find) >= 3 and len(must_not) >= 3, rule_id
    assert {"conflict", "agree", "none"} <= compared, rule_id


def test_xfail_cases_give_their_reason(builtin_results: list[CaseResult]) -> None:
    xfails = [r for r in builtin_results if r.status == "xfail"]
    assert all(r.reason and r.detail for r in xfails)


# --------------------------------------------------------------------------- the harness


def test_a_broken_case_fails_and_names_rule_file_and_case(tmp_path: Path) -> None:
    pack = user_pack(tmp_path, [BROKEN_CASE])
    results = run_rule_tests(load_rules([pack]), only_files=[str(pack / "my_troops.yaml")])
    assert [(r.rule, r.case, r.status) for r in results] == [
        ("my_troops", "wrong expectation", "fail")
    ]
    line = results[0].describe()
    assert line.startswith("FAIL my_troops ") and "my_troops.yaml: wrong expectation: " in line
    assert "'about 50,000'" in line and "about 40,000" in line


def test_only_files_limits_the_rules_run(tmp_path: Path) -> None:
    pack = user_pack(tmp_path, [BROKEN_CASE])
    ruleset = load_rules([pack])
    assert {r.rule for r in run_rule_tests(ruleset, only_files=[])} == set()
    assert {r.rule for r in run_rule_tests(ruleset)} == {*BUILTIN_RULES, "my_troops"}


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ({"text": "About 40,000 troops were put on alert.", "claims": ["40,000 troops"]},
         "fail", "no claim '40,000 troops'; found 'About 40,000 troops'"),
        ({"text": "About 40,000 troops were put on alert.", "claims": ["50,000 troops"]},
         "fail", "'50,000 troops' is not in the text"),
        ({"text": "About 40,000 troops were put on alert.", "no_claims": True},
         "fail", "expected no claims; found 'About 40,000 troops'"),
        ({"text": "About 40,000 troops were put on alert.", "not_claims": ["40,000"]},
         "fail", "'40,000' must not be claimed"),
        ({"text": "About 40,000 troops.", "claims": [{"quote": "About 40,000 troops",
                                                      "subject": "tanks"}]},
         "fail", "subject 'troops'; expected subject 'tanks'"),
        ({"sources": {"a.txt": "About 40,000 troops.", "b.txt": "About 41,000 troops."},
          "finding": "conflict"}, "fail", "expected conflict, got agree: agree on 'troops'"),
        ({"sources": {"a.txt": "40,000 troops.", "b.txt": "90,000 troops."},
          "finding": "conflict", "severity": "warning"},
         "fail", "expected a warning conflict, got error"),
        ({"sources": {"a.txt": "40,000 troops."}, "published": {"c.txt": "2023-01-02"},
          "finding": "none"}, "fail", "'published' names no source: c.txt"),
        ({"text": "About 40,000 troops.", "no_claims": True, "xfail": "known bug"},
         "xfail", "known bug"),
        ({"text": "About 40,000 troops.", "claims": ["About 40,000 troops"], "xfail": "fixed"},
         "xpass", "passes: drop xfail"),
    ],
)  # fmt: skip
def test_case_outcomes_and_reasons(
    tmp_path: Path, case: dict[str, Any], status: str, reason: str
) -> None:
    pack = user_pack(tmp_path, [{"name": "the case", **case}])
    results = run_rule_tests(load_rules([pack]), only_files=[str(pack / "my_troops.yaml")])
    assert len(results) == 1
    assert results[0].status == status
    assert reason in results[0].reason, results[0].reason


def test_values_match_iso_dates_names_and_displays(tmp_path: Path) -> None:
    results = {r.case: r for r in run_rule_tests(load_rules())}
    # Built-in cases written with each form of value: ISO date, person name, display head.
    assert results["absolute date with a place"].status == "pass"
    assert results["name, then the role with its owner"].status == "pass"
    assert results["hedged kilometres from a place"].status == "pass"


def test_a_case_published_by_its_dateline(tmp_path: Path) -> None:
    case = {
        "name": "dateline",
        "text": "KYIV, March 4, 2021 — Some 4,000 troops arrived on Wednesday.",
        "claims": [{"quote": "Some 4,000 troops", "value": "some 4,000"}],
    }
    results = run_rule_tests(load_rules([user_pack(tmp_path, [case])]), only_files=None)
    assert [r.status for r in results if r.rule == "my_troops"] == ["pass"]


def test_duplicate_case_names_fail(tmp_path: Path) -> None:
    case = {"name": "twice", "text": "About 40,000 troops.", "claims": ["About 40,000 troops"]}
    pack = user_pack(tmp_path, [case, case])
    results = run_rule_tests(load_rules([pack]), only_files=[str(pack / "my_troops.yaml")])
    assert [r.status for r in results] == ["pass", "fail"]
    assert "another case of my_troops has this name" in results[1].reason


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"name": "n"}, "either 'text' or 'sources'"),
        ({"name": "n", "text": "t", "sources": {"a.txt": "t"}}, "either 'text' or 'sources'"),
        ({"name": "n", "text": "t"}, "needs 'claims', 'no_claims' or 'not_claims'"),
        ({"name": "n", "sources": {"a.txt": "t"}}, "needs 'finding'"),
        ({"name": "n", "text": "t", "claims": ["t"], "no_claims": True}, "contradict"),
        ({"name": "n", "text": "t", "no_claims": True, "finding": "agree"}, "need 'sources'"),
        ({"name": "n", "text": "t", "no_claims": True, "colour": "red"}, "colour"),
    ],
)
def test_malformed_cases_are_rule_errors_with_file_line_and_field(
    tmp_path: Path, case: dict[str, Any], message: str
) -> None:
    pack = user_pack(tmp_path, [case])
    with pytest.raises(RuleError) as error:
        load_rule_file(pack / "my_troops.yaml")
    text = str(error.value)
    assert "my_troops.yaml:" in text and "tests.0" in text and message in text


# --------------------------------------------------------------------------- explain


def test_explain_troop_count_has_description_settings_and_example() -> None:
    ruleset = load_rules()
    text = explain_rule(ruleset.rule("troop_count"), ruleset.rule_files["troop_count"], ruleset)
    assert text.startswith("troop_count: kind troop_count, severity error\n")
    assert "file: claimcheck:troop_count.yaml" in text
    assert "How many troops or soldiers a force numbers." in text
    assert "extract: quantity" in text and "nouns: troops, troop, soldiers" in text
    assert "compare: interval" in text
    assert "Example (test case 'bare figure'" in text
    assert "'175,000 soldiers' -> troops deployed: 175,000" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_explain_without_passing_cases(tmp_path: Path) -> None:
    ruleset = load_rules([user_pack(tmp_path, [BROKEN_CASE])])
    text = explain_rule(ruleset.rule("my_troops"), ruleset.rule_files["my_troops"], ruleset)
    assert "Example: none (1 test case, none passing with claims)." in text


# --------------------------------------------------------------------------- the CLI group


def test_rules_lists_the_loaded_rules(tmp_path: Path) -> None:
    result = invoke("--rules", user_pack(tmp_path, []))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [*BUILTIN_RULES, "my_troops"]
    assert "troop_count    troop_count    error    quantity/interval" in result.output
    assert "claimcheck:troop_count.yaml" in result.output


def test_rules_test_passes_on_the_builtin_rules() -> None:
    result = invoke("test")
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert re.fullmatch(r"\d+ passed, 0 failed(, \d+ xfailed)?", result.output.splitlines()[-1])


def test_rules_test_fails_on_a_broken_user_case(tmp_path: Path) -> None:
    result = invoke("test", user_pack(tmp_path, [BROKEN_CASE]))
    assert result.exit_code == 1
    fails = [line for line in result.output.splitlines() if line.startswith("FAIL ")]
    assert len(fails) == 1
    assert fails[0].startswith("FAIL my_troops ")
    assert "pack/my_troops.yaml: wrong expectation: claim 'About 40,000 troops' has" in fails[0]
    last = result.output.splitlines()[-1]
    assert re.fullmatch(r"\d+ passed, 1 failed(, \d+ xfailed)?", last), last


def test_rules_test_takes_rules_folders_as_option_too(tmp_path: Path) -> None:
    result = invoke("test", "--rules", user_pack(tmp_path, [BROKEN_CASE]))
    assert result.exit_code == 1
    assert "FAIL my_troops" in result.output


def test_rules_test_reports_an_xpass_without_failing(tmp_path: Path) -> None:
    case = {**BROKEN_CASE, "claims": ["About 40,000 troops"], "xfail": "was a bug"}
    result = invoke("test", user_pack(tmp_path, [case]))
    assert result.exit_code == 0
    assert "XPASS my_troops" in result.output and "passes: drop xfail" in result.output
    assert "1 xpassed" in result.output.splitlines()[-1]


def test_rules_test_verbose_lists_every_case() -> None:
    result = invoke("test", "-v")
    assert result.exit_code == 0
    assert "PASS troop_count claimcheck:troop_count.yaml: bare figure" in result.output
    assert "FAIL" not in result.output.replace("XFAIL", "")


def test_rules_explain() -> None:
    result = invoke("explain", "troop_count")
    assert result.exit_code == 0
    assert "How many troops or soldiers a force numbers." in result.output
    assert "Example (test case" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("explain", "troop"), "unknown rule 'troop'; did you mean 'troop_count'?"),
        (("explain", "zzz"), "unknown rule 'zzz'; loaded rules: area, casualty_count, count, date"),
        (("test", "no-such-folder"), "no-such-folder: rules folder not found"),
        (("explain", "count", "--rules", "no-such-folder"), "rules folder not found"),
    ],
)
def test_user_errors_exit_2_in_one_line(args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_broken_rule_file_exits_2(tmp_path: Path) -> None:
    pack = user_pack(tmp_path, [{"name": "n"}])
    result = invoke("test", pack)
    assert result.exit_code == 2
    assert "my_troops.yaml:" in result.output and "tests.0'" in result.output


def _wired() -> bool:
    from claimcheck.cli import cli

    return cli.commands.get("rules") is rules_group


@pytest.mark.skipif(not _wired(), reason="claimcheck.cli does not register rules_group yet")
def test_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    from claimcheck.cli import main

    assert main(["rules", "test"]) == 0
    assert main(["rules", "explain", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("claimcheck: error: unknown rule 'nope'")


# --------------------------------------------------------------------------- the schema


def test_committed_rules_schema_is_current() -> None:
    from claimcheck.rules_schema import render_schema

    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "regenerate: python -m claimcheck.rules_schema > schemas/claimcheck-rules.schema.json"
    )


def _as_json(path: Path) -> Any:
    """As an editor's YAML language server sees the file: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize("path", sorted(DEFAULT_RULES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_builtin_rule_files_validate_against_the_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(_as_json(path)))
    assert not errors, [e.message for e in errors]


def test_schema_rejects_an_unknown_case_key(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    path = user_pack(tmp_path, [{**BROKEN_CASE, "colour": "red"}]) / "my_troops.yaml"
    assert not jsonschema.Draft202012Validator(schema).is_valid(_as_json(path))


# --------------------------------------------------------------------------- integrations


def test_pre_commit_hook_checks_the_article_folder() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "claimcheck" and hook["entry"] == "claimcheck"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["args"][0] == "articles/"


def test_action_runs_claimcheck_and_exits_with_its_code() -> None:
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(action["inputs"]) >= {"paths", "args", "version", "sarif"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert "--format md,json,sarif,github" in scripts
    assert any(
        step.get("uses", "").startswith("github/codeql-action/upload-sarif@") for step in steps
    )
    assert "steps.run.outputs.exit-code" in steps[-1]["env"]["CLAIMCHECK_EXIT"]
    assert "${{ inputs." not in scripts, "inputs reach scripts through env, never inline"
