"""Hostile rule files through the real executable: one line naming file, line and field, exit
2, no traceback, no report; rules never run code; no word in a rule can hang a run.

Rules carry no regular expressions: every word a rule lists is matched literally (escaped
before it is compiled), and a `pattern:` key is an unknown key. So `(a+)+$` in a rule is six
characters to look for, not a catastrophic pattern; the tests below hold the run to that.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Harness

ARTICLE = "Jan 10th 2022\nSome 100,000 troops massed near the border, and 40 tanks.\n"
RULE = """\
id: tank_count
kind: tank_count
extract:
  type: quantity
  nouns: {tanks: tanks}
compare:
  type: interval
"""


def _bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


# (file name, content, what the one line must contain besides the file name)
CASES: dict[str, tuple[str, str | bytes, list[str]]] = {
    "malformed-yaml": ("bad.yaml", "id: x\nextract: {type: quantity\n  nouns: [a\n",
                       [r"bad\.yaml:\d+:", "malformed YAML"]),
    "bad-indentation": ("bad.yaml", RULE.replace("  nouns:", "   nouns:"),
                        [r"bad\.yaml:\d+:", "malformed YAML"]),
    "wrong-type": ("bad.yaml", RULE + "enabled: maybe\n",
                   [r"bad\.yaml:8:", "field 'rules.0.enabled'", "boolean"]),
    "wrong-nested-type": ("bad.yaml", RULE.replace("nouns: {tanks: tanks}",
                                                   "nouns: {tanks: tanks}\n  max_gap_words: lots"),
                          [r"bad\.yaml:6:", "max_gap_words", "integer"]),
    "unknown-key": ("bad.yaml", RULE + "colour: red\n",
                    [r"bad\.yaml:8:", "field 'rules.0.colour'", "not permitted"]),
    "unknown-extractor": ("bad.yaml", RULE.replace("type: quantity", "type: regex"),
                          [r"bad\.yaml:3:", "'rules.0.extract'", "'regex'"]),
    "unknown-comparator": ("bad.yaml", RULE.replace("type: interval", "type: fuzzy"),
                           [r"bad\.yaml:6:", "'rules.0.compare'", "'fuzzy'"]),
    "blank-word": ("bad.yaml",
                   RULE.replace("nouns: {tanks: tanks}", "nouns: {tanks: tanks, '  ': x}"),
                   [r"bad\.yaml:\d+:", "'rules.0.extract'", "'nouns' lists a blank word"]),
    "user-regex-key": ("bad.yaml", RULE.replace("  nouns:", '  pattern: "(a+)+$"\n  nouns:'),
                       [r"bad\.yaml:5:", "'rules.0.extract.pattern'", "not permitted"]),
    "key-written-twice": ("bad.yaml", RULE + "kind: other\n",
                          [r"bad\.yaml:8:", "field 'kind'", "key written twice"]),
    "duplicate-rule-id": ("z.yaml", RULE, ["field 'rules.id'", "duplicate rule id 'tank_count'",
                                           "a.yaml"]),
    "clashes-with-a-built-in": ("bad.yaml", RULE.replace("id: tank_count", "id: troop_count"),
                                ["duplicate rule id 'troop_count'"]),
    "alias-bomb": ("bad.yaml", _bomb(), ["expands to more than 100000 values"]),
    "alias-cycle": ("bad.yaml", "a: &a [*a]\n", ["an alias refers to itself"]),
    "nested-too-deep": ("bad.yaml", "a: " + "[" * 990 + "]" * 990 + "\n",
                        [r"bad\.yaml:1:", "nested more than 50 deep"]),
    "oversized": ("bad.yaml", RULE + "# " + "x" * 1_000_000 + "\n",
                  ["larger than 1000000 bytes"]),
    "not-utf8": ("bad.yaml", RULE.encode() + b"# caf\xe9\n", ["not UTF-8"]),
    "binary": ("bad.yaml", b"\x00\x01\x02\xff" * 50, ["not UTF-8"]),
    "not-a-mapping": ("bad.yaml", "- id: x\n- id: y\n", [r"bad\.yaml:1:", "must be a mapping"]),
    "python-tag-runs-no-code": (
        "bad.yaml",
        'id: x\nkind: x\nextract: !!python/object/apply:os.system ["touch PWNED"]\n',
        [r"bad\.yaml:3:", "python/object/apply"],
    ),
    "impossible-yaml-date": ("bad.yaml", "exact_width: 2022-02-30\n",
                             [r"bad\.yaml:1:", "malformed YAML value"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_rule_file_is_one_line_naming_file_line_and_field(
    harness: Harness, tmp_path: Path, case: str
) -> None:
    name, content, expected = CASES[case]
    rules = tmp_path / "rules"
    rules.mkdir()
    if case == "duplicate-rule-id":
        (rules / "a.yaml").write_text(RULE, encoding="utf-8")
    data = content.encode("utf-8") if isinstance(content, str) else content
    (rules / name).write_bytes(data)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")

    result, elapsed = harness.run(["articles", "--rules", "rules", "--out", "out"], cwd=tmp_path)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"claimcheck: error: rules/{name}"), lines[0]
    for pattern in expected:
        assert re.search(pattern, lines[0]), f"{pattern!r} not in {lines[0]!r}"
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "PWNED").exists()
    assert elapsed < 30, f"{elapsed:.1f}s to refuse a rule file"


# --------------------------------------------------------------------------- patterns

HOSTILE_WORDS = """\
id: hostile_count
kind: hostile_count
extract:
  type: quantity
  nouns: {"(a+)+a": evil, "(x|x|x)*y": evil, "tanks            near": tanks, ".*.*.*=": evil}
  context_forbidden: ["(a|aa)+b", "a   a   a   a   a   a   a   a   a   a   a   a   b"]
  modifiers_forbidden: ["\\\\", "[", "(?=", "*"]
compare:
  type: interval
"""
HOSTILE_DATE = """\
id: hostile_date
kind: hostile_date
extract:
  type: date
  events: {evil: ["(a+)+$", "talks               held", "a a a a a a a a a a b"]}
compare:
  type: date
"""


@pytest.mark.slow
def test_no_word_in_a_rule_can_hang_a_run(harness: Harness, tmp_path: Path) -> None:
    """Regex metacharacters and long runs of spaces in a rule's words, against lines that
    would make the same text as a pattern backtrack for ever: the run takes about as long as
    without the rule, and the metacharacters are found literally."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "hostile_count.yaml").write_text(HOSTILE_WORDS, encoding="utf-8")
    (rules / "hostile_date.yaml").write_text(HOSTILE_DATE, encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(
        "Jan 10th 2022\nOn January 10 some 12 (a+)+a were seen.\n"
        + ("100 " + "a" * 5_000 + "\n")
        + ("100 tanks" + " " * 3_000 + "x\n")
        + ("On Monday the talks" + " \t" * 1_500 + "were held.\n")
        + ("a " * 2_000 + "c\n")
        + ("x" * 5_000 + "\n"),
        encoding="utf-8",
    )
    (articles / "b.txt").write_text(
        "Jan 11th 2022\nOn January 11 some 15 (a+)+a were seen near the border.\n",
        encoding="utf-8",
    )
    plain, plain_time = harness.run(["articles", "--out", "plain", "-q"], cwd=tmp_path)
    assert plain.returncode in (0, 1), plain.stderr.decode()

    start = time.monotonic()
    try:
        result = subprocess.run(
            harness.argv("articles", "--rules", "rules", "--out", "out", "--format", "json"),
            cwd=tmp_path, env=harness.env(), capture_output=True, timeout=120, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("a rule's words made the run hang (killed after 120 s)")
    elapsed = time.monotonic() - start
    assert result.returncode == 1, result.stderr.decode()
    print(f"\n{elapsed:.1f}s with the hostile rules, {plain_time:.1f}s without")
    assert elapsed < 2 * plain_time + 10, f"{elapsed:.1f}s with the rules, {plain_time:.1f}s plain"
    report = (tmp_path / "out" / "claimcheck.json").read_text(encoding="utf-8")
    assert '"rule": "hostile_count"' in report and 'some 15 (a+)+a"' in report  # literally
