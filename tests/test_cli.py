"""End to end through the command line: click's CliRunner, `main(argv)` and a real subprocess."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import (
    SEEDS,
    build_variant,
    chdir,
    load_report,
    run_cli,
    run_subprocess,
    seed_names,
    seeds_run,
)

from claimcheck import __version__
from claimcheck.cli import cli

CHECK_OPTIONS = ("--out", "--format", "--rules", "--fail-on", "-q", "-v", "--jobs", "--help")


def invoke_assert_code(
    ret_code: int = 0,
    args: Sequence[Any] = (),
    *,
    via: str = "main",
    cwd: Path | None = None,
) -> tuple[str, str]:
    """Run the CLI one way and assert its exit code; returns (stdout, stderr).

    `via`: "runner" (click's CliRunner on `cli`; only for paths click itself handles),
    "main" (`claimcheck.cli.main(argv)`, the console script), "subprocess"
    (`python -m claimcheck` in a child process).
    """
    argv = [str(a) for a in args]
    if via == "runner":
        result = CliRunner().invoke(cli, argv, prog_name="claimcheck")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    elif via == "main":
        if cwd is not None:
            with chdir(cwd):
                code, stdout, stderr = run_cli(argv)
        else:
            code, stdout, stderr = run_cli(argv)
    elif via == "subprocess":
        proc = run_subprocess(argv, cwd=cwd)
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    else:
        raise ValueError(via)
    assert code == ret_code, (
        f"claimcheck {' '.join(argv)} (via {via}) exited {code}, expected {ret_code}\n"
        f"stdout:\n{stdout}\nstderr:\n{stderr}"
    )
    return stdout, stderr


def assert_one_line_error(stderr: str, *needles: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{stderr}"
    assert "Traceback" not in stderr
    assert lines[0].startswith("claimcheck: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A fresh copy of the seeds (with their manifest) in tmp_path/articles."""
    return build_variant(None, tmp_path)


# --------------------------------------------------------------------------- version and help


@pytest.mark.parametrize("via", ["runner", "main", "subprocess"])
def test_version(via: str) -> None:
    stdout, _ = invoke_assert_code(0, ["--version"], via=via)
    assert __version__ in stdout
    assert stdout.strip() == f"claimcheck, version {__version__}"


@pytest.mark.parametrize("via", ["runner", "main"])
def test_check_help_mentions_every_option(via: str) -> None:
    stdout, _ = invoke_assert_code(0, ["check", "--help"], via=via)
    for option in CHECK_OPTIONS:
        assert re.search(rf"(?<![\w-]){re.escape(option)}\b", stdout), option
    for level in ("error", "warning", "info", "never"):
        assert level in stdout


@pytest.mark.parametrize("via", ["runner", "main"])
def test_top_level_help_mentions_every_option(via: str) -> None:
    """`claimcheck --help` documents the options of the default `check` command."""
    stdout, _ = invoke_assert_code(0, ["--help"], via=via)
    for option in CHECK_OPTIONS:
        assert re.search(rf"(?<![\w-]){re.escape(option)}\b", stdout), option


# --------------------------------------------------------------------------- the seeds run


@pytest.fixture(scope="module")
def relative_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """From a scratch folder, with relative paths: the seeds (plus a photo to skip) run three
    times into `a` (verbose output kept), `b` (the same again) and `c` (`--jobs 2`)."""
    tmp = tmp_path_factory.mktemp("relative")
    articles = build_variant(None, tmp)
    (articles / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    with chdir(tmp):
        stdout, stderr = invoke_assert_code(0, ["articles", "--out", "a"])
        assert "wrote a/claimcheck.md" in stderr and "wrote a/claimcheck.json" in stderr
        assert "wrote" not in stdout, "results on stdout, logs on stderr"
        again, again_err = invoke_assert_code(0, ["articles", "--out", "b", "-q"])
        assert again == "" and again_err == "", "-q prints nothing"
        invoke_assert_code(0, ["articles", "--out", "c", "--jobs", "2", "-q"])
    return tmp, stdout + stderr


def test_seeds_run_writes_both_reports(relative_runs: tuple[Path, str]) -> None:
    tmp, stdout = relative_runs
    assert sorted(p.name for p in (tmp / "a").iterdir()) == ["claimcheck.json", "claimcheck.md"]
    assert "skipped articles/photo.jpg" in stdout
    assert re.search(r"^5 sources, \d+ claims, \d+ facts", stdout, re.M), stdout
    report = load_report(tmp / "a")
    assert [s["id"] for s in report["sources"]] == seed_names()
    assert (tmp / "a" / "claimcheck.md").read_text(encoding="utf-8").startswith("# claimcheck")


def test_seeds_run_via_click_runner(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stdout, _ = invoke_assert_code(0, [SEEDS, "--out", out], via="runner")
    assert sorted(p.name for p in out.iterdir()) == ["claimcheck.json", "claimcheck.md"]
    assert re.search(r"^5 sources, \d+ claims", stdout, re.M), stdout


def test_seeds_run_in_a_subprocess(tmp_path: Path) -> None:
    """The real thing, run with relative paths from a scratch folder."""
    build_variant(None, tmp_path)
    _, stderr = invoke_assert_code(0, ["articles", "--out", "out"], via="subprocess", cwd=tmp_path)
    assert "Traceback" not in stderr
    assert "wrote out/claimcheck.md" in stderr and "wrote out/claimcheck.json" in stderr
    for name in ("claimcheck.md", "claimcheck.json"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and "/tmp" not in text and "/work" not in text


def test_format_json_writes_only_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke_assert_code(0, [SEEDS, "--out", out, "--format", "json", "-q"])
    assert [p.name for p in out.iterdir()] == ["claimcheck.json"]
    json.loads((out / "claimcheck.json").read_text(encoding="utf-8"))


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", out, "--format", "xml"])
    assert_one_line_error(stderr, "xml")
    assert not out.exists()


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize("via", ["main", "subprocess"])
def test_unknown_option(via: str, tmp_path: Path) -> None:
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--bogus"], via=via)
    assert_one_line_error(stderr, "--bogus")
    assert not (tmp_path / "out").exists()


def test_unknown_option_via_runner() -> None:
    stdout, stderr = invoke_assert_code(2, [SEEDS, "--bogus"], via="runner")
    assert "--bogus" in stderr and "Traceback" not in stderr + stdout


@pytest.mark.parametrize("args", [["--fail-on", "fatal"], ["--jobs", "0"], ["--jobs", "many"]])
def test_bad_option_value(args: list[str], tmp_path: Path) -> None:
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", *args])
    assert_one_line_error(stderr, args[0])


def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    _, stderr = invoke_assert_code(2, [missing, "--out", tmp_path / "out"])
    assert_one_line_error(stderr, "no-such-folder")
    assert not (tmp_path / "out").exists()


def test_no_path_at_all() -> None:
    _, stderr = invoke_assert_code(2, [])
    assert "Traceback" not in stderr and stderr.strip()


def test_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _, stderr = invoke_assert_code(2, [empty, "--out", tmp_path / "out"])
    line = assert_one_line_error(stderr, "empty")
    assert "no .txt or .md articles" in line
    assert not (tmp_path / "out").exists()


def test_folder_with_only_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    _, stderr = invoke_assert_code(2, [folder, "--out", tmp_path / "out"])
    assert_one_line_error(stderr, "no .txt or .md articles")


BAD_FILES = {
    "empty": b"",
    "blank": b"  \n\n \t\n",
    "binary": b"GENEVA \x00\x01\x02 100,000 troops\x00",
    "latin1": "On January 10th diplomats met in Genève; 100,000 troops.\n".encode("latin-1"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("via", ["main", "subprocess"])
def test_unreadable_article(kind: str, via: str, articles: Path, tmp_path: Path) -> None:
    """One bad article among good ones is noted by name and the others are still checked
    (a Latin-1 one is read, with a warning); tests/robustness covers every kind of bad file."""
    if via == "subprocess" and kind not in ("binary", "latin1"):
        pytest.skip("one subprocess run per distinct failure is enough")
    (articles / "zz_bad_article.txt").write_bytes(BAD_FILES[kind])
    out = tmp_path / "out"
    stdout, stderr = invoke_assert_code(0, [articles, "--out", out], via=via)
    assert "Traceback" not in stderr
    report = load_report(out)
    ids = [s["id"] for s in report["sources"]]
    if kind == "latin1":
        assert "zz_bad_article.txt" in ids
        (warning,) = report["decoding_warnings"]
        assert warning["path"].endswith("zz_bad_article.txt")
        assert "Windows-1252" in warning["reason"]
    else:
        assert "zz_bad_article.txt" not in ids and len(ids) == len(seed_names())
        (note,) = [n for n in report["skipped"] if n["kind"] == "unreadable"]
        assert note["path"].endswith("zz_bad_article.txt")
        assert "zz_bad_article.txt" in stdout + stderr


def test_no_readable_article_keeps_previous_reports(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke_assert_code(0, [articles, "--out", out, "-q"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "zz_bad_article.txt").write_bytes(BAD_FILES["binary"])
    _, stderr = invoke_assert_code(2, [bad, "--out", out, "-q"])
    assert_one_line_error(stderr, "zz_bad_article.txt", "no readable articles")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_md_read_and_other_files_skipped_with_a_note(articles: Path, tmp_path: Path) -> None:
    name = seed_names()[0]
    (articles / name).rename(articles / "000_article.md")
    (articles / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (articles / "notes.csv").write_text("a,b\n", encoding="utf-8")
    out = tmp_path / "out"
    _, stderr = invoke_assert_code(0, [articles, "--out", out])
    report = load_report(out)
    assert "000_article.md" in [s["id"] for s in report["sources"]]
    assert any(c["source"] == "000_article.md" for f in report["findings"] for c in f["claims"])
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"photo.jpg", "notes.csv"}, report["skipped"]
    assert all(reason for reason in skipped.values())
    assert "photo.jpg" in stderr and "notes.csv" in stderr, "skipped files are noted on stderr"
    assert "photo.jpg" in (out / "claimcheck.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- --rules errors


def write_rule(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


GOOD_RULE = """\
id: {id}
kind: {kind}
severity: warning
extract:
  type: quantity
  nouns:
    tanks: tanks
compare:
  type: interval
"""


def test_malformed_yaml_rule(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    text = "id: broken\nkind: broken\nextract: {type: quantity\n  nouns: [a\ncompare: x\n"
    write_rule(rules, "broken.yaml", text)
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    line = assert_one_line_error(stderr, "broken.yaml")
    assert re.search(r"broken\.yaml:\d+", line), line
    assert not (tmp_path / "out").exists()


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    text = "id: broken\nkind: broken\nextract:\n  type: quantity\n  nouns: {a: b}\n   bad: indent\n"
    write_rule(rules, "indent.yaml", text)
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    assert_one_line_error(stderr, "indent.yaml:6")


MULTI_RULE_WRONG_TYPE = """\
rules:
  - id: tank_count
    kind: tank_count
    severity: warning
    extract:
      type: quantity
      nouns:
        tanks: tanks
      max_gap_words: lots
    compare:
      type: interval
"""

MULTI_RULE_UNKNOWN_TOP_KEY = """\
rules:
  - id: tank_count
    kind: tank_count
    severity: warning
    colour: red
    extract:
      type: quantity
      nouns:
        tanks: tanks
    compare:
      type: interval
"""


@pytest.mark.parametrize(
    ("text", "field", "error"),
    [
        (MULTI_RULE_WRONG_TYPE, "max_gap_words", "integer"),
        (MULTI_RULE_UNKNOWN_TOP_KEY, "colour", "not permitted"),
        (MULTI_RULE_WRONG_TYPE.replace("severity: warning", "severity: fatal"), "severity", ""),
    ],
    ids=["wrong-type", "unknown-key", "bad-enum"],
)
def test_invalid_rule_names_file_and_field(
    tmp_path: Path, text: str, field: str, error: str
) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "tanks.yaml", text)
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    line = assert_one_line_error(stderr, "tanks.yaml", field, error)
    assert re.search(r"tanks\.yaml:\d+:", line), f"no line number in {line!r}"
    assert not (tmp_path / "out").exists()


def test_unknown_top_level_key_names_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "tanks.yaml", MULTI_RULE_UNKNOWN_TOP_KEY)
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    assert_one_line_error(stderr, f"tanks.yaml:{line_of(MULTI_RULE_UNKNOWN_TOP_KEY, 'colour')}:")


def test_wrong_field_type_names_its_own_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "tanks.yaml", MULTI_RULE_WRONG_TYPE)
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    expected = line_of(MULTI_RULE_WRONG_TYPE, "max_gap_words")
    assert_one_line_error(stderr, f"tanks.yaml:{expected}:", "max_gap_words")


SINGLE_RULE_WRONG_TYPE = """\
id: tank_count
kind: tank_count
severity: warning
extract:
  type: quantity
  nouns:
    tanks: tanks
  max_gap_words: lots
compare:
  type: interval
"""

SINGLE_RULE_UNKNOWN_KEY = """\
id: tank_count
kind: tank_count
severity: warning
colour: red
extract:
  type: quantity
  nouns:
    tanks: tanks
compare:
  type: interval
"""


@pytest.mark.parametrize(
    ("text", "field"),
    [(SINGLE_RULE_WRONG_TYPE, "max_gap_words"), (SINGLE_RULE_UNKNOWN_KEY, "colour")],
    ids=["wrong-type", "unknown-key"],
)
def test_invalid_single_rule_file_names_file_line_and_field(
    tmp_path: Path, text: str, field: str
) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "tank_count.yaml", text)
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    assert_one_line_error(stderr, f"tank_count.yaml:{line_of(text, field)}:", field)


def test_duplicate_rule_id(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "mine.yaml", GOOD_RULE.format(id="troop_count", kind="troop_count"))
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    assert_one_line_error(stderr, "mine.yaml", "troop_count", "duplicate")
    assert not (tmp_path / "out").exists()


def test_duplicate_rule_id_within_extra_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "a.yaml", GOOD_RULE.format(id="tank_count", kind="tank_count"))
    write_rule(rules, "b.yaml", GOOD_RULE.format(id="tank_count", kind="tank_count"))
    _, stderr = invoke_assert_code(2, [SEEDS, "--out", tmp_path / "out", "--rules", rules])
    assert_one_line_error(stderr, "b.yaml", "tank_count", "duplicate")


def test_missing_rules_folder(tmp_path: Path) -> None:
    _, stderr = invoke_assert_code(
        2, [SEEDS, "--out", tmp_path / "out", "--rules", tmp_path / "nope"]
    )
    assert_one_line_error(stderr, "nope")


# --------------------------------------------------------------------------- determinism


def report_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_runs_are_byte_identical(relative_runs: tuple[Path, str]) -> None:
    tmp, _ = relative_runs
    first = report_bytes(tmp / "a")
    assert set(first) == {"claimcheck.md", "claimcheck.json"}
    assert first == report_bytes(tmp / "b")


def test_jobs_2_is_byte_identical_to_jobs_1(relative_runs: tuple[Path, str]) -> None:
    tmp, _ = relative_runs
    assert report_bytes(tmp / "a") == report_bytes(tmp / "c")


def test_reports_hold_no_absolute_paths(relative_runs: tuple[Path, str]) -> None:
    tmp, _ = relative_runs
    for name, data in report_bytes(tmp / "a").items():
        text = data.decode("utf-8")
        for needle in (str(tmp), "/tmp", "/work", str(Path.home())):
            assert needle not in text, f"{needle!r} in {name}"
    report = load_report(tmp / "a")
    assert [s["path"] for s in report["sources"]] == [f"articles/{n}" for n in seed_names()]
    assert [s["path"] for s in report["skipped"]] == ["articles/photo.jpg"]


# --------------------------------------------------------------------------- JSON invariants


def test_claim_spans_point_into_the_source(relative_runs: tuple[Path, str]) -> None:
    tmp, _ = relative_runs
    report = load_report(tmp / "a")
    texts = {s["id"]: (tmp / s["path"]).read_text(encoding="utf-8") for s in report["sources"]}
    checked = 0
    for finding in report["findings"]:
        assert set(finding["sources"]) == {c["source"] for c in finding["claims"]}
        for claim in finding["claims"]:
            text = texts[claim["source"]]
            assert text[claim["start"] : claim["end"]] == claim["quote"], claim
            assert claim["line"] == text.count("\n", 0, claim["start"]) + 1, claim
            line_start = text.rfind("\n", 0, claim["start"]) + 1
            assert claim["column"] == claim["start"] - line_start + 1, claim
            checked += 1
    assert checked >= 20


def test_finding_ids_are_unique(relative_runs: tuple[Path, str]) -> None:
    ids = [f["id"] for f in load_report(relative_runs[0] / "a")["findings"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"CC-[0-9a-f]{12}", i) for i in ids)


def test_finding_ids_do_not_depend_on_the_folder(relative_runs: tuple[Path, str]) -> None:
    """`articles/` in a scratch folder and `seeds/` in the repo give the same ids."""
    here = [f["id"] for f in load_report(relative_runs[0] / "a")["findings"]]
    assert here == [f["id"] for f in load_report(seeds_run()[1])["findings"]]


def test_a_run_in_process_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    assert gc.isenabled()
    invoke_assert_code(0, [SEEDS, "--out", tmp_path, "-q", "--fail-on", "never"])
    assert gc.isenabled()


def test_the_library_entry_points_pause_the_cycle_collector_and_restore_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from claimcheck import pipeline
    from claimcheck.align import align
    from claimcheck.rules import load_rules
    from claimcheck.sources import load_sources

    seen: list[bool] = []

    def watch(name: str) -> None:
        real = getattr(pipeline, name)

        def watching(*args: object, **kwargs: object) -> object:
            seen.append(gc.isenabled())
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, name, watching)

    watch("load_sources")  # run's own work, outside the stages
    watch("normalize_source")
    assert gc.isenabled()
    report = pipeline.run([SEEDS])
    assert report.summary.claims > 0 and len(seen) > 1 and not any(seen)
    assert gc.isenabled()
    sources = load_sources([SEEDS]).sources
    seen.clear()
    claims = pipeline.extract_all(sources, load_rules())
    assert seen and not any(seen) and gc.isenabled()
    assert align(claims) and gc.isenabled()
    gc.disable()
    try:
        pipeline.run([SEEDS])
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()


def test_a_rule_set_checked_again_in_process_is_compiled_once_and_gives_the_same_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimcheck import pipeline
    from claimcheck.rules import load_rules

    compiled: list[object] = []
    real = pipeline.compile_rules

    def counting(ruleset: object) -> object:
        compiled.append(ruleset)
        return real(ruleset)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "compile_rules", counting)
    monkeypatch.setattr(pipeline, "_LAST_COMPILED", None)
    ruleset = load_rules()
    first = pipeline.run([SEEDS], ruleset=ruleset).model_dump_json()
    assert pipeline.run([SEEDS], ruleset=ruleset).model_dump_json() == first
    assert compiled == [ruleset]
    other = load_rules()  # equal, but another object: compiled afresh
    assert pipeline.run([SEEDS], ruleset=other).model_dump_json() == first
    assert len(compiled) == 2
