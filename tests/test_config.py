"""Config files: which one is found, how it merges under the command line, and its errors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from claimcheck.config import (
    CONFIG_ENV,
    LoadedConfig,
    Resolved,
    apply_to_rules,
    load_config,
    load_ruleset,
    render_show,
    resolve,
)
from claimcheck.errors import UserError
from claimcheck.models import Severity
from claimcheck.rules import RuleSet, load_rules

DISABLED_RULE = """\
rules:
  - id: widgets
    kind: widgets
    severity: warning
    enabled: false
    extract:
      type: quantity
      nouns: {widgets: widgets}
    compare:
      type: interval
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root (it holds `.git`) with a `sub/dir` folder the tests run in."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "sub" / "dir").mkdir(parents=True)
    monkeypatch.chdir(root / "sub" / "dir")
    return root


def env(**extra: str) -> dict[str, str]:
    """An environment without CLAIMCHECK_CONFIG and with a home far from the repository."""
    return {"HOME": "/nonexistent-home", **extra}


def load(environ: Mapping[str, str] | None = None, explicit: Path | None = None) -> LoadedConfig:
    return load_config(explicit, env() if environ is None else environ, Path.cwd())


def resolved(cli: Mapping[str, object | None] | None = None, **kwargs: object) -> Resolved:
    return resolve(cli or {}, load(**kwargs))  # type: ignore[arg-type]


def error_of(**kwargs: object) -> str:
    with pytest.raises(UserError) as info:
        resolved(**kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- discovery


def test_no_config_file_gives_the_defaults(repo: Path) -> None:
    result = resolved()
    assert result.config_file is None
    assert set(result.origins.values()) == {"default"}
    assert result.fail_on == "error" and result.min_severity is Severity.INFO
    assert result.format == ("md", "json") and result.out == Path("reports")
    assert result.jobs == 1 and result.rules == () and result.baseline is None
    assert result.enable == result.disable == () and result.severity == {}


def test_nearest_file_is_found_walking_up(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "jobs: 2\n")
    write(repo / "sub" / ".claimcheck.yml", "jobs: 3\n")
    result = resolved()
    assert result.jobs == 3
    assert result.config_file == (repo / "sub" / ".claimcheck.yml").resolve()
    assert result.origins["jobs"].startswith(".claimcheck.yml: ")


def test_walking_up_stops_at_the_repository_root(repo: Path) -> None:
    write(repo.parent / ".claimcheck.yaml", "jobs: 9\n")  # above the folder holding .git
    assert resolved().jobs == 1
    write(repo / ".claimcheck.yaml", "jobs: 2\n")  # the root itself is searched
    assert resolved().jobs == 2


def test_home_folder_is_never_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)  # no .git anywhere: the walk would reach home
    write(home / ".claimcheck.yaml", "jobs: 9\n")
    monkeypatch.chdir(home / "project")
    assert resolved(environ={"HOME": str(home)}).jobs == 1


def test_yaml_beats_pyproject_in_the_same_folder(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.claimcheck]\njobs = 4\n")
    write(repo / ".claimcheck.yaml", "jobs: 2\n")
    assert resolved().jobs == 2


def test_pyproject_table_is_found_and_named(repo: Path) -> None:
    write(repo / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no table: skipped
    write(repo / "pyproject.toml", "[tool.claimcheck]\nfail-on = 'warning'\n")
    result = resolved()
    assert result.fail_on == "warning"
    assert result.origins["fail_on"] == (
        f"pyproject.toml [tool.claimcheck]: {(repo / 'pyproject.toml').resolve().as_posix()}"
    )


def test_env_beats_discovery_and_explicit_beats_env(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "jobs: 2\n")
    write(Path.cwd() / "env.yaml", "jobs: 3\n")
    write(Path.cwd() / "explicit.yaml", "jobs: 4\n")
    from_env = resolved(environ=env(**{CONFIG_ENV: "env.yaml"}))
    assert from_env.jobs == 3 and from_env.origins["jobs"] == f"{CONFIG_ENV}: env.yaml"
    both = resolved(environ=env(**{CONFIG_ENV: "env.yaml"}), explicit=Path("explicit.yaml"))
    assert both.jobs == 4 and both.origins["jobs"] == "--config: explicit.yaml"


def test_missing_explicit_or_env_file_is_an_error(repo: Path) -> None:
    assert error_of(explicit=Path("nope.yaml")) == "nope.yaml: config file not found (--config)"
    message = error_of(environ=env(**{CONFIG_ENV: "gone.yaml"}))
    assert "gone.yaml" in message and CONFIG_ENV in message


# --------------------------------------------------------------------------- resolving


def test_command_line_overrides_the_config_file(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "fail_on: warning\njobs: 2\nrules: [team_rules]\n")
    result = resolved({"fail_on": "never", "jobs": None, "rules": (), "format": "json"})
    assert result.fail_on == "never" and result.origins["fail_on"] == "--fail-on"
    assert result.jobs == 2 and result.origins["jobs"].startswith(".claimcheck.yaml: ")
    assert result.rules == ((repo / "team_rules").resolve(),)  # an empty tuple is "not given"
    assert result.format == ("json",) and result.origins["format"] == "--format"


def test_bad_command_line_value_names_the_option(repo: Path) -> None:
    with pytest.raises(UserError, match=r"^--jobs: "):
        resolve({"jobs": 0}, load())


def test_paths_are_relative_to_the_config_file(repo: Path) -> None:
    write(
        repo / "sub" / ".claimcheck.yaml",
        "rules: [dir/rules, ../shared]\nbaseline: dir/base.json\nmanifest: m/sources.yaml\n"
        "out: dir/out\n",
    )
    result = resolved({"out": Path("mine")})
    assert result.rules == (Path("rules"), (repo / "shared").resolve())  # inside cwd: relative
    assert result.baseline == Path("base.json")
    assert result.manifest == (repo / "sub" / "m" / "sources.yaml").resolve()
    assert result.out == Path("mine")  # the command line's paths stay as typed


# --------------------------------------------------------------------------- errors


def test_unknown_key_names_file_line_and_key(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "jobs: 2\nfail_no: error\n")
    message = error_of()
    assert message.startswith(f"{(repo / '.claimcheck.yaml').resolve().as_posix()}:2: ")
    assert "field 'fail_no': unknown setting (did you mean 'fail_on'?)" in message


def test_wrong_type_names_file_line_and_key(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "jobs: 2\nseverity:\n  count: loud\n")
    assert ".claimcheck.yaml:3: field 'severity.count': Input should be" in error_of()
    write(repo / ".claimcheck.yaml", "jobs: many\n")
    assert ".claimcheck.yaml:1: field 'jobs': Input should be a valid integer" in error_of()


def test_malformed_yaml_names_file_and_line(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "jobs: 2\nrules: [a\n")
    assert ".claimcheck.yaml:3: malformed YAML" in error_of()


def test_key_written_twice_is_an_error(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "fail_on: error\nfail-on: info\n")
    assert ".claimcheck.yaml:2: field 'fail-on': same setting as 'fail_on'" in error_of()


def test_pyproject_errors_name_the_table_key(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.claimcheck]\njobs = 'many'\n")
    assert "pyproject.toml: field '[tool.claimcheck].jobs': Input should be" in error_of()
    write(repo / "pyproject.toml", "[tool.claimcheck]\njobs = \n")
    assert "pyproject.toml:2: malformed TOML: " in error_of()


def test_unknown_format_points_at_the_config(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "format: [md, pdf]\n")
    assert ".claimcheck.yaml:1: field 'format': " in error_of()


# --------------------------------------------------------------------------- rules


def ids(ruleset: RuleSet) -> list[str]:
    return [rule.id for rule in ruleset.rules]


def test_disable_and_severity_apply_to_the_default_rules(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "disable: [quote, date]\nseverity: {count: error}\n")
    ruleset = apply_to_rules(load_rules(), resolved())
    assert "quote" not in ids(ruleset) and "date" not in ids(ruleset)
    assert "troop_count" in ids(ruleset)
    assert load_rules().rule("count").severity is Severity.WARNING
    assert ruleset.rule("count").severity is Severity.ERROR


def test_enable_switches_on_a_rule_disabled_in_its_yaml(repo: Path) -> None:
    write(repo / "extra" / "widgets.yaml", DISABLED_RULE)
    assert "widgets" not in ids(load_rules([repo / "extra"]))
    write(repo / ".claimcheck.yaml", "rules: [extra]\n")
    assert "widgets" not in ids(load_ruleset(resolved()))
    write(repo / ".claimcheck.yaml", "rules: [extra]\nenable: widgets\n")
    ruleset = load_ruleset(resolved())
    assert "widgets" in ids(ruleset) and ruleset.rule("widgets").enabled


def test_unknown_rule_id_names_file_line_and_key(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "disable:\n  - quote\n  - qoute\n")
    with pytest.raises(UserError) as info:
        apply_to_rules(load_rules(), resolved())
    assert ".claimcheck.yaml:3: field 'disable': unknown rule id 'qoute'" in str(info.value)
    write(repo / "pyproject.toml", "[tool.claimcheck]\nseverity = {nope = 'info'}\n")
    (repo / ".claimcheck.yaml").unlink()
    with pytest.raises(UserError, match=r"field '\[tool\.claimcheck\]\.severity\.nope'"):
        apply_to_rules(load_rules(), resolved())


def test_command_line_enable_beats_config_disable(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "disable: [quote]\n")
    assert "quote" in ids(apply_to_rules(load_rules(), resolved({"enable": ["quote"]})))
    write(repo / ".claimcheck.yaml", "disable: [quote]\nenable: [quote]\n")
    with pytest.raises(UserError, match="rule 'quote' is also in 'enable'"):
        apply_to_rules(load_rules(), resolved())


# --------------------------------------------------------------------------- show


def test_render_show_lists_every_setting_with_its_origin(repo: Path) -> None:
    write(repo / ".claimcheck.yaml", "fail_on: warning\n")
    shown = render_show(resolved({"jobs": 4}))
    lines = shown.splitlines()
    assert [line.split(" = ")[0] for line in lines] == [
        "rules",
        "enable",
        "disable",
        "severity",
        "fail_on",
        "min_severity",
        "baseline",
        "format",
        "out",
        "jobs",
        "manifest",
    ]
    config = (repo / ".claimcheck.yaml").resolve().as_posix()
    assert 'fail_on = "warning"' in shown and f"(.claimcheck.yaml: {config})" in shown
    assert any(line.startswith("jobs = 4 ") and line.endswith("(--jobs)") for line in lines)
    assert 'format = ["md", "json"]' in shown and "(default)" in shown
    assert len({line.index("(") for line in lines}) == 1  # origins line up
    assert render_show(resolved({"jobs": 4})) == shown
