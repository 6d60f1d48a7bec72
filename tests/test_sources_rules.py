"""Reading articles (ids, order, publication dates, bad files) and loading rule files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from claimcheck.errors import RuleError, SourceError, UserError
from claimcheck.rules import DEFAULT_RULES_DIR, load_rule_file, load_rules
from claimcheck.sources import dateline_date, front_matter_date, load_sources

# --------------------------------------------------------------------------- sources


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    write(root / "b" / "2.txt", "Jan 15th 2022\nRussian troops massed.")
    write(root / "a" / "z" / "3.txt", "01/14/22 - Talks began.")
    write(root / "a" / "1.md", "---\npublished: 2022-01-14\n---\nJan 15th 2022: text.")
    write(root / "0.txt", "January 10, 2022– Diplomats met.")
    write(root / "photo.png", b"\x89PNG\r\n")
    write(root / "notes.csv", "a,b\n")
    write(root / ".hidden.txt", "Jan 1st 2022 hidden")
    return root


def test_load_sources_is_recursive_with_relative_posix_ids_in_stable_order(
    folder: Path, tmp_path: Path
) -> None:
    loaded = load_sources([folder], cwd=tmp_path)
    ids = [s.id for s in loaded.sources]
    assert ids == ["0.txt", "a/1.md", "a/z/3.txt", "b/2.txt"]
    assert all("\\" not in i for i in ids)
    assert [s.path for s in loaded.sources] == [f"articles/{i}" for i in ids]
    assert load_sources([folder], cwd=tmp_path) == loaded


def test_other_files_are_listed_as_skipped(folder: Path, tmp_path: Path) -> None:
    loaded = load_sources([folder], cwd=tmp_path)
    assert [n.path for n in loaded.skipped] == ["articles/notes.csv", "articles/photo.png"]
    assert all(n.reason for n in loaded.skipped)
    assert ".hidden.txt" not in {s.id for s in loaded.sources}


def test_md_and_txt_are_read_whole(folder: Path, tmp_path: Path) -> None:
    by_id = {s.id: s for s in load_sources([folder], cwd=tmp_path).sources}
    assert by_id["b/2.txt"].text == "Jan 15th 2022\nRussian troops massed."
    assert by_id["a/1.md"].text.startswith("---\npublished:")


def test_publication_dates_from_front_matter_and_datelines(folder: Path, tmp_path: Path) -> None:
    by_id = {s.id: s for s in load_sources([folder], cwd=tmp_path).sources}
    assert (by_id["a/1.md"].published, by_id["a/1.md"].published_from) == (
        dt.date(2022, 1, 14),
        "front_matter",
    )
    assert (by_id["b/2.txt"].published, by_id["b/2.txt"].published_from) == (
        dt.date(2022, 1, 15),
        "text",
    )
    assert by_id["a/z/3.txt"].published == dt.date(2022, 1, 14)
    assert by_id["0.txt"].published == dt.date(2022, 1, 10)


def test_manifest_date_wins_over_the_dateline(folder: Path, tmp_path: Path) -> None:
    write(
        folder / "sources.yaml",
        "0.txt:\n  published: 2021-12-31\n  outlet: The Paper\n  url: https://example.org/0\n",
    )
    loaded = load_sources([folder], cwd=tmp_path)
    source = next(s for s in loaded.sources if s.id == "0.txt")
    assert (source.published, source.published_from) == (dt.date(2021, 12, 31), "manifest")
    assert (source.outlet, source.url) == ("The Paper", "https://example.org/0")
    assert "sources.yaml" not in {s.id for s in loaded.sources}
    assert all(not n.path.endswith("sources.yaml") for n in loaded.skipped)


def test_manifest_with_a_bad_date_is_a_source_error(folder: Path, tmp_path: Path) -> None:
    write(folder / "sources.yaml", "0.txt:\n  published: last Tuesday\n")
    with pytest.raises(SourceError, match=r"sources\.yaml.*published"):
        load_sources([folder], cwd=tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 15th 2022\nBody.", dt.date(2022, 1, 15)),
        ("01/14/22 - Body.", dt.date(2022, 1, 14)),
        ("January 10, 2022– Body.", dt.date(2022, 1, 10)),
        ("By Staff | 15 January 2022\nBody.", dt.date(2022, 1, 15)),
        ("Updated 2022-01-14\nBody.", dt.date(2022, 1, 14)),
        pytest.param(
            "Updated 2022-01-14T10:00:00Z\nBody.",
            dt.date(2022, 1, 14),
            id="iso-timestamp",
        ),
        ("No date at all.", None),
        ("Talks on January 10 went on.", None),  # no year: not a dateline
    ],
)
def test_dateline_date(text: str, expected: dt.date | None) -> None:
    assert dateline_date(text) == expected


def test_dateline_takes_the_first_date_in_the_header() -> None:
    assert dateline_date("Jan 15th 2022. Updated 2022-01-20.") == dt.date(2022, 1, 15)
    assert dateline_date("x" * 700 + " Jan 15th 2022") is None  # too far down to be a dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\npublished: 2022-01-14\n---\nBody", dt.date(2022, 1, 14)),
        ("---\ndate: 'Jan 15th 2022'\n---\nBody", dt.date(2022, 1, 15)),
        ("---\npublished: 2022-01-14T10:00:00\n---\nBody", dt.date(2022, 1, 14)),
        ("---\ntitle: x\n---\nBody", None),
        ("No front matter", None),
    ],
)
def test_front_matter_date(text: str, expected: dt.date | None) -> None:
    assert front_matter_date(text) == expected


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"  \n\t\n", "empty"), (b"abc\x00def", "binary")],
    ids=["empty", "blank", "binary"],
)
def test_unreadable_article_is_skipped_or_with_strict_a_source_error_naming_the_file(
    folder: Path, tmp_path: Path, content: bytes, words: str
) -> None:
    """One bad article no longer stops the run (tests/robustness has the rest); strict does."""
    write(folder / "a" / "bad.txt", content)
    loaded = load_sources([folder], cwd=tmp_path)
    (note,) = [n for n in loaded.skipped if n.kind == "unreadable"]
    assert note.path == "articles/a/bad.txt"
    assert words in note.reason
    assert "a/bad.txt" not in {s.id for s in loaded.sources}
    with pytest.raises(SourceError) as info:
        load_sources([folder], cwd=tmp_path, strict=True)
    message = str(info.value)
    assert "bad.txt" in message
    assert words in message
    assert isinstance(info.value, UserError)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    write(tmp_path / "bom.txt", "\ufeffJan 15th 2022\nText.".encode())
    (source,) = load_sources([tmp_path], cwd=tmp_path).sources
    assert source.text == "Jan 15th 2022\nText."
    assert source.published == dt.date(2022, 1, 15)


def test_folder_without_articles_is_a_user_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.csv", "a,b\n")
    with pytest.raises(UserError, match=r"no \.txt or \.md"):
        load_sources([tmp_path], cwd=tmp_path)


def test_missing_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="nope"):
        load_sources([tmp_path / "nope"], cwd=tmp_path)


# --------------------------------------------------------------------------- rule files

SINGLE_RULE = """\
id: widgets
kind: widgets
description: Widgets counted.
severity: warning
extract:
  type: quantity
  nouns: {widgets: widgets}
compare:
  type: interval
"""

RULE_LIST = """\
rules:
  - id: widgets
    kind: widgets
    severity: warning
    extract:
      type: quantity
      nouns: {widgets: widgets}
      max_gap_words: 2
    compare:
      type: interval
"""


def rule_file(tmp_path: Path, text: str, name: str = "rule.yaml") -> Path:
    return write(tmp_path / name, text)


def rule_error(path: Path) -> str:
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    return str(info.value)


def test_valid_rule_files_load(tmp_path: Path) -> None:
    (single,) = load_rule_file(rule_file(tmp_path, SINGLE_RULE, "a.yaml")).rules
    (listed,) = load_rule_file(rule_file(tmp_path, RULE_LIST, "b.yaml")).rules
    assert single.id == listed.id == "widgets"
    assert single.severity.value == listed.severity.value == "warning"


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = rule_file(tmp_path, "id: widgets\nkind: widgets\n  severity: error\n")
    message = rule_error(path)
    assert message.startswith(f"{path}:3:")
    assert "YAML" in message


def test_wrong_type_in_a_rule_list_names_file_line_and_field(tmp_path: Path) -> None:
    path = rule_file(tmp_path, RULE_LIST.replace("severity: warning", "severity: fatal"))
    message = rule_error(path)
    assert message.startswith(f"{path}:4:")
    assert "severity" in message


def test_wrong_type_in_a_single_rule_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = rule_file(tmp_path, SINGLE_RULE.replace("severity: warning", "severity: fatal"))
    message = rule_error(path)
    assert message.startswith(f"{path}:4:")
    assert "severity" in message


def test_unknown_key_in_a_single_rule_file_is_rejected(tmp_path: Path) -> None:
    message = rule_error(rule_file(tmp_path, SINGLE_RULE + "colour: red\n"))
    assert ":10:" in message and "colour" in message


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = rule_file(tmp_path, RULE_LIST + "colour: red\n")
    message = rule_error(path)
    assert message.startswith(f"{path}:11:")
    assert "colour" in message


def test_unknown_key_inside_a_rule_is_rejected(tmp_path: Path) -> None:
    path = rule_file(tmp_path, RULE_LIST.replace("    severity: warning\n", "    colour: red\n"))
    assert "colour" in rule_error(path)


def test_wrong_type_inside_extract_names_the_field_line(tmp_path: Path) -> None:
    path = rule_file(tmp_path, RULE_LIST.replace("max_gap_words: 2", "max_gap_words: lots"))
    message = rule_error(path)
    assert message.startswith(f"{path}:8:")
    assert "max_gap_words" in message


def test_wrong_hedge_shape_names_the_line(tmp_path: Path) -> None:
    path = rule_file(tmp_path, "hedges:\n  - words: [about]\n    shape: wobbly\n")
    message = rule_error(path)
    assert message.startswith(f"{path}:3:")
    assert "shape" in message


def test_rule_file_must_be_a_mapping(tmp_path: Path) -> None:
    assert ":1:" in rule_error(rule_file(tmp_path, "- a\n- b\n"))


def test_non_utf8_rule_file_is_a_rule_error(tmp_path: Path) -> None:
    assert "UTF-8" in rule_error(write(tmp_path / "rule.yaml", b"id: caf\xe9\n"))


def test_duplicate_rule_id_across_two_files_is_rejected(tmp_path: Path) -> None:
    rule_file(tmp_path / "one", RULE_LIST, "a.yaml")
    rule_file(tmp_path / "two", RULE_LIST, "b.yaml")
    with pytest.raises(RuleError) as info:
        load_rules([tmp_path / "one", tmp_path / "two"], include_defaults=False)
    message = str(info.value)
    assert "b.yaml" in message and "a.yaml" in message and "widgets" in message


def test_rule_id_clashing_with_a_default_rule_is_rejected(tmp_path: Path) -> None:
    rule_file(tmp_path, RULE_LIST.replace("id: widgets", "id: troop_count"))
    with pytest.raises(RuleError, match="duplicate rule id 'troop_count'"):
        load_rules([tmp_path])


def test_extra_rule_folder_adds_to_the_defaults(tmp_path: Path) -> None:
    rule_file(tmp_path, RULE_LIST)
    ruleset = load_rules([tmp_path])
    assert "widgets" in {r.id for r in ruleset.rules}
    assert ruleset.rule_files["widgets"].endswith("rule.yaml")


def test_missing_rule_folder_is_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="not found"):
        load_rules([tmp_path / "nope"])


def test_default_rules_load_with_unique_ids() -> None:
    ruleset = load_rules()
    ids = [r.id for r in ruleset.rules]
    assert len(ids) == len(set(ids))
    assert {"troop_count", "count", "date", "distance", "duration"} <= set(ids)
    assert all(re.fullmatch(r"[a-z][a-z0-9_\-]*", i) for i in ids)
    assert set(ruleset.rule_files) == set(ids)
    assert ruleset.hedges and ruleset.vague_numbers
    assert 0 < ruleset.exact_width < 0.1


def test_every_default_rule_file_loads_on_its_own() -> None:
    files = sorted(DEFAULT_RULES_DIR.glob("*.yaml"))
    assert files
    for path in files:
        load_rule_file(path)


def test_shipped_default_rules_match_the_rules_folder() -> None:
    repo_rules = Path(__file__).resolve().parent.parent / "rules"
    shipped = {p.name: p.read_text("utf-8") for p in DEFAULT_RULES_DIR.glob("*.yaml")}
    in_repo = {p.name: p.read_text("utf-8") for p in repo_rules.glob("*.yaml")}
    assert shipped == in_repo
