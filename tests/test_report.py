"""Formatters render a hand-built `Report`; writing is atomic; output is byte-stable."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from claimcheck.errors import UserError
from claimcheck.models import (
    DateValue,
    Finding,
    FindingClaim,
    Interval,
    Person,
    Quotation,
    Report,
    ReportSource,
    Severity,
    SourceNote,
    Status,
    Summary,
    Value,
)
from claimcheck.report import FORMATTERS, Formatter, get_formatter, markdown, write_reports
from claimcheck.report import json as json_format
from claimcheck.report.schema import render_schema, report_json_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "claimcheck-report.schema.json"

NASTY_QUOTE = (
    '# Breaking | "officials" said `rm -rf` <script>alert(1)</script> & *all* _of_ [it](x)\n'
    "second line \ud800 end"
)
PIPE_QUOTE = "some 127,000 | perhaps ``more`` troops"

PATHS = {
    "000_aaa.txt": "seeds/000_aaa.txt",
    "001_bbb.txt": "seeds/001_bbb.txt",
    "002_ccc.txt": "seeds/002 `odd` | name.txt",
}


def claim(source: str, quote: str, value: Value, display: str, group: int = 1) -> FindingClaim:
    return FindingClaim(
        source=source,
        quote=quote,
        start=10,
        end=10 + len(quote),
        line=3 + group,
        column=5,
        value=value,
        display=display,
        group=group,
    )


def troops(low: float) -> Interval:
    return Interval(low=low * 0.9, high=low * 1.1, stated=low, hedge="about")


def make_report(quote: str = NASTY_QUOTE) -> Report:
    conflict = Finding(
        id="CC-111111111111",
        kind="count",
        rule="troop_count",
        subject="troops",
        subject_label="Russian troops | near Ukraine",
        status=Status.CONFLICT,
        severity=Severity.ERROR,
        message="000, 001 say about 100,000; 002 says 127,000: the values are incompatible.",
        detail="127,000 is outside [90,000–110,000]",
        sources=("000_aaa.txt", "001_bbb.txt", "002_ccc.txt"),
        claims=(
            claim("000_aaa.txt", "about 100,000 troops", troops(100_000), "about 100,000"),
            claim("001_bbb.txt", "100,000 Russian troops", troops(100_000), "about 100,000"),
            claim("002_ccc.txt", PIPE_QUOTE, troops(127_000), "about 127,000", group=2),
        ),
    )
    sherman = Person(person="wendy-sherman", name="Wendy Sherman", role="deputy secretary")
    agreement = Finding(
        id="CC-222222222222",
        kind="person",
        rule="roles",
        subject="wendy-sherman",
        subject_label="Wendy Sherman's role",
        status=Status.AGREE,
        severity=Severity.INFO,
        message="2 sources agree: deputy secretary.",
        sources=("000_aaa.txt", "001_bbb.txt"),
        claims=(
            claim("000_aaa.txt", "Wendy Sherman, deputy secretary", sherman, "deputy secretary"),
            claim("001_bbb.txt", "deputy secretary Wendy Sherman", sherman, "deputy secretary"),
        ),
    )
    said = Quotation(
        speaker="sergei-ryabkov",
        speaker_name="Sergei Ryabkov",
        text=quote,
        normalized="breaking officials said",
    )
    single = Finding(
        id="CC-333333333333",
        kind="quotation",
        rule="quotes",
        subject="sergei-ryabkov",
        subject_label="_Ryabkov_ quote",
        status=Status.SINGLE_SOURCE,
        severity=Severity.INFO,
        message="Only 002 reports this.",
        sources=("002_ccc.txt",),
        claims=(claim("002_ccc.txt", quote, said, "Sergei Ryabkov: “…”"),),
    )
    monday = Finding(
        id="CC-444444444444",
        kind="date",
        rule="event_date",
        subject="geneva",
        subject_label="Geneva talks",
        status=Status.SINGLE_SOURCE,
        severity=Severity.INFO,
        message="Only 001 reports this: Monday.",
        sources=("001_bbb.txt",),
        claims=(claim("001_bbb.txt", "on Monday", DateValue(weekday=0), "Monday"),),
    )
    sources = tuple(
        ReportSource(
            id=source_id,
            path=path,
            published=None,
            published_from=None,
        )
        for source_id, path in PATHS.items()
    )
    return Report(
        version="0.1.0",
        sources=sources,
        skipped=(SourceNote(path="seeds/photo.jpg", reason="not an article"),),
        summary=Summary(
            sources=3,
            claims=7,
            findings=4,
            conflicts=1,
            agreements=1,
            single_source=2,
            by_severity={"error": 1, "info": 3},
        ),
        findings=(conflict, agreement, single, monday),
    )


# --------------------------------------------------------------------------- helpers


def cells(row: str) -> list[str]:
    """Split a GFM table row on pipes that are not backslash-escaped."""
    parts, current, i = [], "", 0
    body = row.strip()[1:-1]
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if char == "|":
            parts.append(current)
            current = ""
        else:
            current += char
        i += 1
    parts.append(current)
    return parts


def tables(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# --------------------------------------------------------------------------- registry


def test_registry_names_and_extensions() -> None:
    assert get_formatter("markdown").filename == "claimcheck.md"
    assert get_formatter("md") is get_formatter("markdown")
    assert get_formatter("json").filename == "claimcheck.json"
    with pytest.raises(UserError, match=r"unknown report format 'xml'.*json, markdown"):
        get_formatter("xml")
    with pytest.raises(ValueError):
        Formatter("evil", "../x", lambda report: "")


# --------------------------------------------------------------------------- markdown


def test_markdown_section_order() -> None:
    text = markdown.render(make_report())
    headings = [
        "# claimcheck report",
        "## Summary",
        "## Sources",
        "## Conflicts (1)",
        "## Fact × source matrix",
        "## Agreements (1)",
        "## Single-source claims (2)",
    ]
    positions = [text.index("\n" + h + "\n" if i else h + "\n") for i, h in enumerate(headings)]
    assert positions == sorted(positions)
    assert text.startswith("# claimcheck report\n")


def test_markdown_summary_and_conflict_content() -> None:
    text = markdown.render(make_report())
    summary = text[text.index("## Summary") : text.index("## Sources")]
    assert "| 3 | 7 | 4 | 1 | 1 | 2 | 1 |" in summary
    assert summary.index("| error | 1 |") < summary.index("| info | 3 |")
    conflict = text[text.index("## Conflicts") : text.index("## Fact × source matrix")]
    assert "### ERROR · count · Russian troops \\| near Ukraine · `CC-111111111111`" in conflict
    assert "**Detail:** 127,000 is outside \\[90,000–110,000\\]" in conflict
    assert "`seeds/000_aaa.txt:4`" in conflict
    # The odd path keeps its backticks and pipe, escaped for a table cell.
    assert "``seeds/002 `odd` \\| name.txt:5``" in conflict
    assert "“some 127,000 \\| perhaps \\`\\`more\\`\\` troops”" in conflict
    assert "| **2** | 002 |" in conflict and "**about 127,000**" in conflict


def test_markdown_matrix() -> None:
    text = markdown.render(make_report())
    matrix = text[text.index("## Fact × source matrix") : text.index("## Agreements")]
    rows = tables(matrix)[0]
    assert [c.strip() for c in cells(rows[0])] == ["Finding", "Fact", "Status", "000", "001", "002"]
    conflict_row = [c.strip() for c in cells(rows[2])]
    assert conflict_row[2] == "**conflict**"
    assert conflict_row[3:] == ["about 100,000", "about 100,000", "**about 127,000** (2)"]
    agreement_row = [c.strip() for c in cells(rows[3])]
    assert agreement_row[3:] == ["deputy secretary", "deputy secretary", "—"]
    assert len(rows) == 4  # single-source findings stay out of the matrix


def test_markdown_escaping() -> None:
    text = markdown.render(make_report())
    text.encode("utf-8")  # lone surrogate must not survive
    assert "\ufffd" in text
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&amp; \\*all\\* \\_of\\_ \\[it\\](x) second line" in text
    assert "\\# Breaking \\|" in text
    assert "\\_Ryabkov\\_ quote" in text
    assert "\r" not in text
    for line in text.split("\n"):
        if line.startswith("#"):
            assert re.match(r"^#{1,3} \S", line), line
    # Every table keeps its shape: no cell content adds or removes a column.
    for block in tables(text):
        width = len(cells(block[0]))
        assert all(len(cells(row)) == width for row in block), block


def test_markdown_escape_helpers() -> None:
    assert markdown.text("- item") == "\\- item"
    assert markdown.text("1. first") == "1\\. first"
    assert markdown.text("---") == "\\---"
    assert markdown.text("0.1.0") == "0.1.0"
    assert markdown.text("-5 degrees") == "-5 degrees"
    assert markdown.text("cost $5 ~ $6") == "cost \\$5 \\~ \\$6"
    assert markdown.text("a\r\nb\u2028c\u202ed") == "a b c d"
    assert markdown.code("a`b", in_table=False) == "``a`b``"
    assert markdown.code("`x`", in_table=False) == "`` `x` ``"
    assert markdown.code("a|b", in_table=True) == "`a\\|b`"


def test_markdown_empty_report() -> None:
    summary = Summary(
        sources=0,
        claims=0,
        findings=0,
        conflicts=0,
        agreements=0,
        single_source=0,
        by_severity={},
    )
    text = markdown.render(Report(version="0.1.0", sources=(), summary=summary, findings=()))
    assert "No conflicts found." in text and "No sources were read." in text
    assert text.endswith("\n") and not text.endswith("\n\n")


# --------------------------------------------------------------------------- json


def test_json_round_trips() -> None:
    report = make_report(quote="a plain quote")
    text = json_format.render(report)
    assert text.endswith("\n")
    assert next(iter(json.loads(text))) == "schema_version"
    assert Report.model_validate_json(text) == report


def test_json_lone_surrogate_is_valid_utf8() -> None:
    text = json_format.render(make_report())
    data = text.encode("utf-8").decode("utf-8")
    parsed = Report.model_validate_json(data)
    quote = parsed.findings[2].claims[0].quote
    assert "\ufffd" in quote and "\ud800" not in quote
    assert "<script>" in quote  # JSON keeps the exact text; only surrogates are replaced


def test_json_bytes_are_the_rendered_text_encoded() -> None:
    for report in (make_report(), make_report(quote="a plain quote")):
        assert get_formatter("json").encoded(report) == json_format.render(report).encode("utf-8")


def test_json_written_finding_by_finding_is_the_rendered_report() -> None:
    import io

    plain = make_report(quote="a plain quote")
    reports = [
        make_report(),  # a lone surrogate: the serialiser refuses it midway
        plain,
        plain.model_copy(update={"findings": ()}),
        plain.model_copy(update={"findings": plain.findings[:1]}),
    ]
    for report in reports:
        handle = io.BytesIO()
        json_format.write(report, handle)
        assert handle.getvalue() == json_format.render(report).encode("utf-8")


def test_markdown_written_section_by_section_is_the_whole_report_joined() -> None:
    """As the report was first rendered: every section's lines joined, the trailing blank
    lines dropped."""
    import io

    from claimcheck.report.markdown import _Renderer

    plain = make_report(quote="a plain quote")
    for report in (make_report(), plain, plain.model_copy(update={"findings": ()})):
        renderer = _Renderer(report)
        lines = ["# claimcheck report", ""]
        lines += [f"claimcheck {report.version} · report schema {report.schema_version}", ""]
        for section in (renderer.summary, renderer.sources, renderer.conflicts):
            lines += section()
        for section in (renderer.matrix, renderer.agreements, renderer.single_source):
            lines += section()
        while lines[-1] == "":
            lines.pop()
        handle = io.BytesIO()
        markdown.write(report, handle)
        assert handle.getvalue() == markdown.render(report).encode("utf-8")
        assert markdown.render(report) == "\n".join(lines) + "\n"
        assert get_formatter("md").encoded(report) == handle.getvalue()


def test_json_surrogate_pair_is_joined() -> None:
    assert json_format.valid_unicode("x\ud83d\ude00y") == "x😀y"
    assert json_format.valid_unicode("\udc00") == "\ufffd"


def test_non_finite_bounds_are_rejected_at_the_model() -> None:
    """An open bound is `None`, never infinity, so the JSON never needs a non-standard token."""
    with pytest.raises(ValidationError):
        Interval(low=1, high=float("inf"))
    with pytest.raises(ValidationError):
        Interval(low=float("nan"), high=2)
    text = json_format.render(make_report())

    def reject(constant: str) -> Any:
        raise AssertionError(constant)

    json.loads(text, parse_constant=reject)


def test_json_validates_against_committed_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    instance = json.loads(json_format.render(make_report()))
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_committed_schema_is_current() -> None:
    committed = SCHEMA_FILE.read_bytes()
    assert json.loads(committed) == report_json_schema(), (
        "regenerate: python -m claimcheck.report.schema > schemas/claimcheck-report.schema.json"
    )
    assert committed == render_schema().encode("utf-8")
    assert report_json_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --------------------------------------------------------------------------- writing


def test_write_reports(tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir"
    written = write_reports(make_report(), out, ["md", "json", "markdown"])
    assert written == [out / "claimcheck.md", out / "claimcheck.json"]
    assert sorted(p.name for p in out.iterdir()) == ["claimcheck.json", "claimcheck.md"]
    assert (out / "claimcheck.md").read_bytes() == markdown.render(make_report()).encode("utf-8")
    assert (out / "claimcheck.md").stat().st_mode & 0o644 == 0o644


def test_failing_render_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_reports(make_report(), out, ["md"])
    before = (out / "claimcheck.md").read_bytes()

    def boom(report: Report) -> str:
        raise RuntimeError("formatter crashed")

    monkeypatch.setitem(FORMATTERS, "json", Formatter("json", "json", boom))
    changed = make_report(quote="different")
    with pytest.raises(RuntimeError):
        write_reports(changed, out, ["md", "json"])
    assert (out / "claimcheck.md").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["claimcheck.md"]

    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError):
        write_reports(changed, fresh, ["json"])
    assert not fresh.exists()


def test_failing_replace_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_reports(make_report(), tmp_path, ["json"])
    before = (tmp_path / "claimcheck.json").read_bytes()

    def no_space(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("claimcheck.report.os.replace", no_space)
    with pytest.raises(UserError, match="No space left"):
        write_reports(make_report(quote="new"), tmp_path, ["json"])
    assert (tmp_path / "claimcheck.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["claimcheck.json"]  # no temp left


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_output_is_deterministic(name: str, tmp_path: Path) -> None:
    formatter = get_formatter(name)
    first = formatter.render(make_report())
    rebuilt = Report.model_validate(make_report().model_dump())
    assert formatter.render(rebuilt) == first
    assert first.endswith("\n") and "\r" not in first
    assert str(tmp_path) not in first
    if formatter.to_stdout:
        assert write_reports(make_report(), tmp_path / "a", [name]) == []
        return
    a = write_reports(make_report(), tmp_path / "a", [name])[0].read_bytes()
    b = write_reports(make_report(), tmp_path / "b", [name])[0].read_bytes()
    assert a == b


def test_markdown_matrix_is_not_drawn_for_more_sources_than_columns_can_show() -> None:
    report = make_report()
    wide = report.model_copy(
        update={
            "sources": tuple(
                report.sources[0].model_copy(update={"id": f"{i:04d}.txt", "path": f"{i:04d}.txt"})
                for i in range(markdown.MATRIX_MAX_SOURCES + 1)
            )
        }
    )
    text = markdown.render(wide)
    matrix = text[text.index("## Fact × source matrix") : text.index("## Agreements")]
    shown = re.search(r"Not drawn for (\d+) sources", matrix)
    assert shown is not None and int(shown.group(1)) > markdown.MATRIX_MAX_SOURCES
    assert not tables(matrix)
    assert "## Fact × source matrix" in markdown.render(report)
    assert tables(markdown.render(report).split("## Fact × source matrix")[1])
