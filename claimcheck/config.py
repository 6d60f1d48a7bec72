"""Project settings: one config file, merged under the command line, with each value's origin.

Which file: `--config FILE`, else `$CLAIMCHECK_CONFIG`, else the nearest `.claimcheck.yaml`
(or `.claimcheck.yml`) or `pyproject.toml` with a `[tool.claimcheck]` table, walking up from
the working directory and stopping at the repository root (the first folder holding `.git`).
In one folder `.claimcheck.yaml` beats `.claimcheck.yml`, which beats `pyproject.toml`; the
home folder and its parents are never searched, so a run in CI sees what a run on a laptop
sees. Only one file is read: settings are not merged across files.

Precedence per setting: command line > config file > default. Lists replace, never append:
`--rules X` replaces the config's `rules`, so what `claimcheck config show` prints is all there is.
Paths written in a config file are relative to that file's folder; keys may be written
`fail_on` or `fail-on`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from claimcheck.errors import UserError
from claimcheck.models import Severity
from claimcheck.rules import RuleSet, load_rules
from claimcheck.yamlio import line_of, parse_yaml

CONFIG_ENV = "CLAIMCHECK_CONFIG"
YAML_NAMES = (".claimcheck.yaml", ".claimcheck.yml")
PYPROJECT = "pyproject.toml"
TOML_TABLE = "[tool.claimcheck]"
MAX_CONFIG_BYTES = 1_000_000

FailOn = Literal["info", "warning", "error", "never"]
MinSeverity = Literal["info", "warning", "error"]
NonEmpty = Annotated[str, Field(min_length=1)]

PATH_FIELDS = frozenset({"rules", "baseline", "manifest", "out"})
DEFAULTS: dict[str, Any] = {
    "rules": (),
    "enable": (),
    "disable": (),
    "severity": {},
    "fail_on": "error",
    "min_severity": "info",
    "baseline": None,
    "format": ("md", "json"),
    "out": "reports",
    "jobs": 1,
    "manifest": None,
}


class Settings(BaseModel):
    """One layer of settings as written; None means "not set here", so layers can merge."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: list[NonEmpty] | None = Field(default=None, description="Extra rule folders.")
    enable: list[NonEmpty] | None = Field(default=None, description="Rule ids to switch on.")
    disable: list[NonEmpty] | None = Field(default=None, description="Rule ids to switch off.")
    severity: dict[str, Severity] | None = Field(default=None, description="Rule id -> severity.")
    fail_on: FailOn | None = None
    min_severity: MinSeverity | None = None
    baseline: NonEmpty | None = None
    format: list[NonEmpty] | None = None
    out: NonEmpty | None = None
    jobs: Annotated[int, Field(ge=1, strict=True)] | None = None
    manifest: NonEmpty | None = Field(default=None, description="A sources.yaml for every folder.")

    @field_validator("rules", "enable", "disable", mode="before")
    @classmethod
    def _one_item(cls, value: Any) -> Any:
        """`disable: quote` reads as naturally as `disable: [quote]`."""
        return [value] if isinstance(value, str) else value

    @field_validator("format", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        """`format: md,json` like the command line's `--format md,json`."""
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple) and not value:
            raise PydanticCustomError("format_empty", "name at least one format")
        return value


SETTING_NAMES: tuple[str, ...] = tuple(Settings.model_fields)


@dataclass(frozen=True)
class Origin:
    """Where settings came from: the label `config show` prints, and where errors point."""

    label: str
    rank: int  # 0 default, 1 config file, 2 command line: the higher wins a clash
    path: Path | None = None
    shown: str = ""  # the file as errors name it
    node: yaml.Node | None = field(default=None, compare=False, repr=False)
    table: str | None = None  # "[tool.claimcheck]" for pyproject.toml
    toml: bool = False
    spelled: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def where(self, loc: Sequence[str | int], name_depth: int | None = None) -> str:
        """`file:line: field 'key'`, `file: field '[tool.claimcheck].key'` or `--option`."""
        if self.path is None:
            return self.label
        written = [self.spelled.get(str(loc[0]), str(loc[0])), *loc[1:]] if loc else []
        name = ".".join(str(part) for part in written[:name_depth])
        if self.toml:
            prefix = f"{self.table}." if self.table else ""
            return f"{self.shown}: field '{prefix}{name}'"
        line = line_of(self.node, tuple(written))
        return f"{self.shown}{f':{line}' if line else ''}: field '{name}'"


DEFAULT_ORIGIN = Origin(label="default", rank=0)


@dataclass(frozen=True)
class LoadedConfig:
    """The config file's settings (empty when none was found) and where they came from."""

    settings: Settings
    path: Path | None
    origin: Origin
    origins: dict[str, str]  # setting -> label, for the settings this file sets
    cwd: Path


@dataclass(frozen=True)
class Resolved:
    """Every effective setting. Paths are relative to the working directory when inside it."""

    rules: tuple[Path, ...]
    enable: tuple[str, ...]
    disable: tuple[str, ...]
    severity: dict[str, Severity]
    fail_on: FailOn
    min_severity: Severity
    baseline: Path | None
    format: tuple[str, ...]
    out: Path
    jobs: int
    manifest: Path | None
    config_file: Path | None
    origins: dict[str, str]
    sources: dict[str, Origin] = field(repr=False, compare=False)


# --------------------------------------------------------------------------- loading


def load_config(explicit: Path | None, environ: Mapping[str, str], cwd: Path) -> LoadedConfig:
    """Find and read the one config file that applies; no file means every setting unset."""
    cwd = cwd.resolve()
    env_value = environ.get(CONFIG_ENV, "").strip()
    if explicit is not None:
        path, how = _absolute(explicit, cwd), "--config"
        label = f"--config: {_display(path, cwd)}"
    elif env_value:
        path, how = _absolute(Path(env_value), cwd), CONFIG_ENV
        label = f"{CONFIG_ENV}: {_display(path, cwd)}"
    else:
        found = discover(cwd, _home(environ))
        if found is None:
            return LoadedConfig(Settings(), None, DEFAULT_ORIGIN, {}, cwd)
        path, how = found, ""
        kind = f"{PYPROJECT} {TOML_TABLE}" if path.name == PYPROJECT else path.name
        label = f"{kind}: {_display(path, cwd)}"
    if not path.is_file():
        what = "is not a file" if path.exists() else "config file not found"
        raise UserError(f"{_display(path, cwd)}: {what} ({how})")
    settings, origin = _read(path, label, cwd)
    origins = {name: label for name in SETTING_NAMES if getattr(settings, name) is not None}
    return LoadedConfig(settings, path, origin, origins, cwd)


def discover(cwd: Path, home: Path | None = None) -> Path | None:
    """The nearest config file from `cwd` up to the repository root; never in or above home."""
    for folder in (cwd, *cwd.parents):
        if home is None or (folder != home and folder not in home.parents):
            found = _config_in(folder)
            if found is not None:
                return found
        if (folder / ".git").exists():
            return None
    return None


def _config_in(folder: Path) -> Path | None:
    for name in YAML_NAMES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / PYPROJECT
    if pyproject.is_file() and _has_table(pyproject):
        return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    """Only a pyproject.toml that mentions claimcheck is parsed: others are not our business."""
    try:
        raw = pyproject.read_bytes()
    except OSError:
        return False
    if b"claimcheck" not in raw:
        return False
    document = _parse_toml(pyproject, raw, str(pyproject))
    tool = document.get("tool")
    return isinstance(tool, dict) and "claimcheck" in tool


def _home(environ: Mapping[str, str]) -> Path | None:
    home = environ.get("HOME")
    if not home:
        try:
            return Path.home().resolve()
        except RuntimeError:
            return None
    return Path(home).resolve()


def _read(path: Path, label: str, cwd: Path) -> tuple[Settings, Origin]:
    shown = _display(path, cwd)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{shown}: cannot read config file ({exc.strerror})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise UserError(f"{shown}: config file is larger than {MAX_CONFIG_BYTES} bytes")
    node: yaml.Node | None = None
    table: str | None = None
    is_toml = path.suffix == ".toml"
    if is_toml:
        document = _parse_toml(path, raw, shown)
        data: Any = document
        if path.name == PYPROJECT:
            table = TOML_TABLE
            tool = document.get("tool")
            if not isinstance(tool, dict) or "claimcheck" not in tool:
                raise UserError(f"{shown}: no {TOML_TABLE} table")
            data = tool["claimcheck"]
            if not isinstance(data, dict):
                raise UserError(f"{shown}: field '{TOML_TABLE}': must be a table")
    else:
        node, data = _parse_yaml(raw, shown)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise UserError(
                f"{shown}:1: a config file must be a mapping, not {type(data).__name__}"
            )
    origin = Origin(label, 1, path, shown, node, table, is_toml)
    normalized, spelled = _normalize_keys(data, origin)
    origin = Origin(label, 1, path, shown, node, table, is_toml, spelled)
    try:
        return Settings.model_validate(normalized), origin
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown setting" + _hint(str(loc[0]), SETTING_NAMES, "settings")
        raise UserError(f"{origin.where(loc)}: {message}") from None


def _parse_yaml(raw: bytes, shown: str) -> tuple[yaml.Node | None, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{shown}: config file is not UTF-8") from None
    return parse_yaml(text, shown, UserError)


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _parse_toml(path: Path, raw: bytes, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{shown}: config file is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_WHERE.search(message)
        where = f":{match.group(1)}" if match else ""
        problem = _TOML_WHERE.sub("", message) if match else message
        raise UserError(f"{shown}{where}: malformed TOML: {problem}") from None


def _normalize_keys(data: dict[Any, Any], origin: Origin) -> tuple[dict[str, Any], dict[str, str]]:
    """`fail-on` and `fail_on` are one key (TOML favours dashes); writing both is an error."""
    normalized: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise UserError(f"{origin.where((str(key),))}: setting names must be text")
        name = key.replace("-", "_")
        if name in spelled:
            raise UserError(f"{origin.where((key,))}: same setting as '{spelled[name]}'")
        spelled[name] = key
        normalized[name] = value
    return normalized, spelled


# --------------------------------------------------------------------------- resolving


def resolve(cli: Mapping[str, object | None], loaded: LoadedConfig) -> Resolved:
    """Command line over config file over default, one setting at a time.

    `cli` maps setting names (`fail_on`, `rules`, ...) to option values; None or an empty
    sequence means the option was not given. `format` may be the `--format` string "md,json".
    """
    unknown = sorted(set(cli) - set(SETTING_NAMES))
    if unknown:
        raise ValueError(f"resolve(): not settings: {', '.join(unknown)}")
    given = {name: _cli_value(value) for name, value in cli.items() if _given(value)}
    try:
        from_cli = Settings.model_validate(given)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise UserError(f"{_option(str(error['loc'][0]))}: {error['msg']}") from None

    cwd = loaded.cwd
    values: dict[str, Any] = {}
    sources: dict[str, Origin] = {}
    for name in SETTING_NAMES:
        value = getattr(from_cli, name)
        if value is not None:
            origin = Origin(label=_option(name), rank=2)
        elif getattr(loaded.settings, name) is not None:
            value, origin = getattr(loaded.settings, name), loaded.origin
        else:
            value, origin = DEFAULTS[name], DEFAULT_ORIGIN
        if name in PATH_FIELDS and value is not None:
            base = origin.path.parent if origin.path is not None else None
            value = (
                [_place(v, base, cwd) for v in value]
                if name == "rules"
                else _place(value, base, cwd)
            )
        values[name] = value
        sources[name] = origin
    _check_formats(values["format"], sources["format"])
    return Resolved(
        rules=tuple(values["rules"]),
        enable=tuple(values["enable"]),
        disable=tuple(values["disable"]),
        severity=dict(values["severity"]),
        fail_on=values["fail_on"],
        min_severity=Severity(values["min_severity"]),
        baseline=values["baseline"],
        format=tuple(values["format"]),
        out=values["out"],
        jobs=values["jobs"],
        manifest=values["manifest"],
        config_file=loaded.path,
        origins={name: sources[name].label for name in SETTING_NAMES},
        sources=sources,
    )


def _given(value: object | None) -> bool:
    """click hands an unused `multiple=True` option over as an empty tuple."""
    return value is not None and not (isinstance(value, list | tuple) and not value)


def _cli_value(value: object) -> object:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [str(v) if isinstance(v, Path) else v for v in value]
    return value


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _place(value: str, base: Path | None, cwd: Path) -> Path:
    """A config file's path is relative to its folder; a command line's stays as typed."""
    if base is None:
        return Path(value)
    return Path(_display(Path(os.path.normpath(base / value)), cwd))


def _check_formats(names: Sequence[str], origin: Origin) -> None:
    """Fail on a bad format name here, where the message can point at the config line."""
    from claimcheck.report import get_formatter

    for index, name in enumerate(names):
        try:
            get_formatter(name)
        except UserError as exc:
            raise UserError(f"{origin.where(('format', index), 1)}: {exc}") from None


# --------------------------------------------------------------------------- rules


def load_ruleset(resolved: Resolved) -> RuleSet:
    """The rules this run uses: defaults plus `rules` folders, with the config applied."""
    return apply_to_rules(load_rules(resolved.rules, include_disabled=True), resolved)


def apply_to_rules(ruleset: RuleSet, resolved: Resolved) -> RuleSet:
    """Switch rules on and off and override severities; an unknown rule id is an error.

    Pass a ruleset loaded with `include_disabled=True`, or `enable` cannot switch on a rule
    whose YAML says `enabled: false`. An id in both `enable` and `disable` follows the
    higher-precedence layer (`--enable x` beats the config's `disable: [x]`); in one layer
    it is an error.
    """
    known = sorted(ruleset.rule_files)
    for key in ("enable", "disable"):
        for index, rule_id in enumerate(getattr(resolved, key)):
            if rule_id not in ruleset.rule_files:
                where = resolved.sources[key].where((key, index), 1)
                raise UserError(f"{where}: unknown rule id '{rule_id}'{_hint(rule_id, known)}")
    for rule_id in resolved.severity:
        if rule_id not in ruleset.rule_files:
            where = resolved.sources["severity"].where(("severity", rule_id))
            raise UserError(f"{where}: unknown rule id '{rule_id}'{_hint(rule_id, known)}")

    enable, disable = set(resolved.enable), set(resolved.disable)
    enable_rank, disable_rank = (resolved.sources[k].rank for k in ("enable", "disable"))
    for rule_id in sorted(enable & disable):
        if enable_rank == disable_rank:
            index = resolved.disable.index(rule_id)
            where = resolved.sources["disable"].where(("disable", index), 1)
            raise UserError(f"{where}: rule '{rule_id}' is also in 'enable'")
    if enable_rank > disable_rank:
        disable -= enable
    else:
        enable -= disable

    present = {rule.id for rule in ruleset.rules}
    missing = sorted(enable - present)
    if missing:
        raise ValueError(f"rules {missing} were dropped: load with include_disabled=True")

    rules = []
    for rule in ruleset.rules:
        if rule.id in disable or not (rule.enabled or rule.id in enable):
            continue
        update: dict[str, Any] = {}
        if not rule.enabled:
            update["enabled"] = True
        if rule.id in resolved.severity:
            update["severity"] = resolved.severity[rule.id]
        rules.append(rule.model_copy(update=update) if update else rule)
    return ruleset.model_copy(update={"rules": tuple(rules)})


# --------------------------------------------------------------------------- showing


def render_show(resolved: Resolved) -> str:
    """`claimcheck config show`: `key = value    (origin)` per setting, in a fixed order."""
    pairs = [
        (f"{name} = {_show_value(getattr(resolved, name))}", resolved.origins[name])
        for name in SETTING_NAMES
    ]
    width = max(len(text) for text, _ in pairs)
    return "".join(f"{text.ljust(width)}    ({origin})\n" for text, origin in pairs)


def _show_value(value: object) -> str:
    """JSON: unambiguous (quoted strings, null) and the same on every machine."""
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Severity):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------- helpers


def _absolute(path: Path, cwd: Path) -> Path:
    path = cwd / path
    return path.parent.resolve() / path.name


def _display(path: Path, cwd: Path) -> str:
    """Relative to the working directory when inside it, so messages stay short."""
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _hint(word: str, choices: Sequence[str], what: str = "rule ids") -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known {what}: {', '.join(sorted(choices))})"
