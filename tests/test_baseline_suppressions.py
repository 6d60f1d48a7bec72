"""Inline suppressions and baselines: tiny hand-built inputs, then the real pipeline on seeds."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from helpers import FIXTURES, build_variant

from claimcheck.baseline import (
    Baseline,
    BaselineEntry,
    apply_baseline,
    baseline_entries,
    dump_baseline,
    load_baseline,
    write_baseline,
)
from claimcheck.errors import UserError
from claimcheck.models import (
    Finding,
    FindingClaim,
    Interval,
    Report,
    Severity,
    Source,
    Status,
    Suppression,
    UnusedSuppression,
)
from claimcheck.pipeline import extract_all, run
from claimcheck.rules import load_rules
from claimcheck.sources import load_sources
from claimcheck.suppressions import (
    Directive,
    apply_suppressions,
    find_all_suppressions,
    find_suppressions,
    mask_directives,
)

RULES = ("count", "date", "troop_count")
TROOPS_003 = "003_1724ca28d10d83eb.txt"
TROOPS_CASE = FIXTURES / "conflict_troops_003_175k"
TROOP_PARAGRAPH = "That fear of failed diplomacy"  # 003's paragraph with "roughly 175,000"


# --------------------------------------------------------------------------- builders


def source(text: str, source_id: str = "a.md") -> Source:
    return Source(id=source_id, path=f"articles/{source_id}", text=text)


def directives(text: str, rules: Sequence[str] = RULES) -> list[Directive]:
    return find_suppressions(source(text), rules)


def finding(
    rule: str = "troop_count",
    claims: Sequence[tuple[str, int]] = (("a.md", 3), ("b.md", 7)),
    status: Status = Status.CONFLICT,
    subject: str = "troops",
    fingerprint: str = "f1",
    suppressions: tuple[Suppression, ...] = (),
) -> Finding:
    finding_claims = tuple(
        FindingClaim(
            source=src,
            quote="100,000 troops",
            start=0,
            end=14,
            line=line,
            column=1,
            value=Interval(low=100_000 * group, high=100_000 * group),
            display=f"{100_000 * group:,}",
            group=group,
        )
        for group, (src, line) in enumerate(claims, start=1)
    )
    return Finding(
        id=f"CC-{fingerprint}",
        kind=rule,
        rule=rule,
        subject=subject,
        subject_label=subject,
        status=status,
        severity=Severity.ERROR if status is Status.CONFLICT else Severity.INFO,
        message=f"{subject}: {status.value}",
        sources=tuple(sorted({src for src, _ in claims})),
        claims=finding_claims,
        fingerprint=fingerprint,
        suppressions=suppressions,
    )


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- finding directives


def test_next_line_skips_blank_lines_and_keeps_the_justification() -> None:
    text = lines(
        "Intro.",
        "<!-- claimcheck-disable-next-line troop_count -- figures checked with the desk -->",
        "",
        "   ",
        "Some 175,000 troops.",
        "More text.",
    )
    assert directives(text) == [
        Directive("a.md", 2, "troop_count", 5, 5, "figures checked with the desk")
    ]


def test_stacked_next_line_directives_reach_the_same_line() -> None:
    text = lines(
        "<!-- claimcheck-disable-next-line troop_count -->",
        "<!-- claimcheck-disable-next-line date --> <!-- claimcheck-disable-next-line count -->",
        "On Monday, 175,000 troops from 30 countries.",
    )
    assert [(d.rule, d.start_line, d.end_line) for d in directives(text)] == [
        ("troop_count", 3, 3),
        ("count", 3, 3),
        ("date", 3, 3),
    ]


def test_next_line_at_the_end_of_the_file_covers_nothing() -> None:
    (directive,) = directives("Text.\n<!-- claimcheck-disable-next-line date -->\n\n")
    assert directive.start_line == directive.end_line == 5
    assert not any(directive.covers(line) for line in range(1, 5))


def test_region_runs_from_disable_to_enable_inclusive() -> None:
    text = lines(
        "One.",
        "<!-- claimcheck-disable date -->",
        "Two.",
        "Three. <!-- claimcheck-enable date -->",
        "Four.",
    )
    (directive,) = directives(text)
    assert (directive.comment_line, directive.start_line, directive.end_line) == (2, 2, 4)
    assert [line for line in range(1, 6) if directive.covers(line)] == [2, 3, 4]


def test_region_without_enable_runs_to_the_end_of_the_file() -> None:
    (directive,) = directives("One.\nTwo. <!-- claimcheck-disable count -- list varies -->\nEnd.")
    assert (directive.start_line, directive.end_line) == (2, None)
    assert directive.justification == "list varies"
    assert directive.covers(10_000)


def test_enable_closes_only_the_rules_it_names() -> None:
    text = lines(
        "<!-- claimcheck-disable date, count -->",
        "x",
        "<!-- claimcheck-enable count -->",
        "y",
    )
    assert [(d.rule, d.end_line) for d in directives(text)] == [("count", 3), ("date", None)]


def test_several_rules_whitespace_tolerant_and_deduplicated() -> None:
    text = (
        "<!--claimcheck-disable-next-line   troop_count ,date,\ttroop_count--   ok  then -->\nx\n"
    )
    found = directives(text)
    assert [d.rule for d in found] == ["date", "troop_count"]
    assert {d.justification for d in found} == {"ok then"}


def test_directive_may_span_lines() -> None:
    text = lines("<!--", "  claimcheck-disable-next-line date", "  -- moved meeting", "-->", "Mon.")
    assert directives(text) == [Directive("a.md", 1, "date", 5, 5, "moved meeting")]


def test_ordinary_and_differently_cased_comments_are_not_directives() -> None:
    text = lines(
        "<!-- editor: check this -->",
        "<!-- ClaimCheck-disable date -->",
        "<!-- CLAIMCHECK-DISABLE-NEXT-LINE date -->",
        "x",
    )
    assert directives(text) == []


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- claimcheck-disable -->", "articles/a.md:2: claimcheck-disable needs a rule id"),
        (
            "<!-- claimcheck-disable-next-line -- reviewed -->",
            "articles/a.md:2: claimcheck-disable-next-line needs a rule id",
        ),
        ("<!-- claimcheck-enable , -->", "articles/a.md:2: claimcheck-enable needs a rule id"),
        (
            "<!-- claimcheck-disable date, troops -->",
            "articles/a.md:2: unknown rule 'troops' (known: count, date, troop_count)",
        ),
        (
            "<!-- claimcheck-disable date reviewed by desk -->",
            "articles/a.md:2: unknown rule 'reviewed' (known: count, date, troop_count)",
        ),
        (
            "<!-- claimcheck-disable-line date -->",
            "articles/a.md:2: unknown directive 'claimcheck-disable-line' (known: "
            "claimcheck-disable, claimcheck-disable-next-line, claimcheck-enable)",
        ),
        (
            "<!-- claimcheck-enable date -->",
            "articles/a.md:2: claimcheck-enable date has no claimcheck-disable date open before it",
        ),
    ],
)
def test_bad_directives_are_user_errors_naming_path_and_line(comment: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        directives(f"Title\n{comment}\nText.\n")
    assert str(caught.value) == message


def test_mask_directives_keeps_offsets_and_ordinary_comments() -> None:
    text = "A <!-- claimcheck-disable date -- 1,000 troops -->\nB <!-- note 5 troops -->\n"
    masked = mask_directives(text)
    assert len(masked) == len(text)
    assert masked.split("\n")[0].strip() == "A"
    assert "<!-- note 5 troops -->" in masked


# --------------------------------------------------------------------------- applying them


def by_source(*found: Directive) -> dict[str, list[Directive]]:
    result: dict[str, list[Directive]] = {}
    for directive in found:
        result.setdefault(directive.source, []).append(directive)
    return result


def test_conflict_is_suppressed_when_any_claim_is_covered() -> None:
    covering = Directive("b.md", 6, "troop_count", 7, 7, "desk checked")
    findings, unused = apply_suppressions([finding()], by_source(covering))
    assert findings[0].suppressions == (
        Suppression(kind="inSource", source="b.md", line=6, justification="desk checked"),
    )
    assert findings[0].suppressed
    assert unused == []


@pytest.mark.parametrize(
    "directive",
    [
        Directive("a.md", 6, "troop_count", 7, 7),  # line 7, but of the other source
        Directive("b.md", 6, "date", 7, 7),  # right place, other rule
        Directive("b.md", 1, "troop_count", 1, 6),  # region ends before the claim
    ],
)
def test_directive_elsewhere_or_for_another_rule_does_not_suppress(directive: Directive) -> None:
    findings, unused = apply_suppressions([finding()], by_source(directive))
    assert not findings[0].suppressed
    assert unused == [
        UnusedSuppression(source=directive.source, line=directive.comment_line, rule=directive.rule)
    ]


def test_only_conflicts_are_suppressed_so_a_directive_for_a_resolved_conflict_is_unused() -> None:
    agreement = finding(status=Status.AGREE, fingerprint="f2")
    directive = Directive("a.md", 2, "troop_count", 3, 3)
    findings, unused = apply_suppressions([agreement], by_source(directive))
    assert findings == [agreement]
    assert unused == [UnusedSuppression(source="a.md", line=2, rule="troop_count")]


def test_every_matching_directive_is_recorded_and_used_and_old_suppressions_kept() -> None:
    external = Suppression(kind="external", justification="legacy")
    region = Directive("a.md", 1, "troop_count", 1, None, "region")
    next_line = Directive("b.md", 6, "troop_count", 7, 7, None)
    other = Directive("a.md", 9, "count", 10, 10)
    findings, unused = apply_suppressions(
        [finding(suppressions=(external,)), finding(rule="count", claims=[("c.md", 10)])],
        {"a.md": [region, other], "b.md": [next_line]},
    )
    assert findings[0].suppressions == (
        external,
        Suppression(kind="inSource", source="a.md", line=1, justification="region"),
        Suppression(kind="inSource", source="b.md", line=6),
    )
    assert not findings[1].suppressed  # the count claim is in c.md, not a.md
    assert unused == [UnusedSuppression(source="a.md", line=9, rule="count")]


def test_unused_directives_are_sorted_by_source_line_rule() -> None:
    found = [
        Directive("b.md", 3, "date", 4, 4),
        Directive("a.md", 8, "date", 9, 9),
        Directive("a.md", 2, "troop_count", 3, 3),
        Directive("a.md", 2, "count", 3, 3),
    ]
    _, unused = apply_suppressions([], by_source(*found))
    assert [(u.source, u.line, u.rule) for u in unused] == [
        ("a.md", 2, "count"),
        ("a.md", 2, "troop_count"),
        ("a.md", 8, "date"),
        ("b.md", 3, "date"),
    ]


def test_enable_line_is_covered_and_the_line_after_is_not() -> None:
    text = lines(
        "<!-- claimcheck-disable troop_count -->",
        "x",
        "175,000 troops <!-- claimcheck-enable troop_count -->",
        "180,000 troops",
    )
    found = {"a.md": directives(text)}
    inside, _ = apply_suppressions([finding(claims=[("a.md", 3), ("b.md", 1)])], found)
    after, unused = apply_suppressions([finding(claims=[("a.md", 4), ("b.md", 1)])], found)
    assert inside[0].suppressed
    assert not after[0].suppressed
    assert unused == [UnusedSuppression(source="a.md", line=1, rule="troop_count")]


# --------------------------------------------------------------------------- baseline, small


def test_baseline_entries_keep_unsuppressed_conflicts_sorted_and_unique() -> None:
    suppressed = finding(
        fingerprint="s", suppressions=(Suppression(kind="inSource", source="a.md", line=1),)
    )
    found = [
        finding(rule="troop_count", fingerprint="t"),
        finding(rule="count", subject="members", fingerprint="c"),
        finding(rule="count", subject="members", fingerprint="c"),
        finding(status=Status.AGREE, fingerprint="a"),
        suppressed,
    ]
    entries = baseline_entries(found)
    assert [(e.rule, e.fingerprint) for e in entries] == [("count", "c"), ("troop_count", "t")]
    assert entries[1] == BaselineEntry(
        fingerprint="t",
        rule="troop_count",
        kind="troop_count",
        subject="troops",
        subject_label="troops",
        sources=("a.md", "b.md"),
        severity=Severity.ERROR,
        message="troops: conflict",
    )


def test_write_is_deterministic_sorted_and_creates_folders(tmp_path: Path) -> None:
    found = [finding(fingerprint="z"), finding(rule="count", fingerprint="y")]
    path = tmp_path / "ci" / "deep" / "baseline.json"
    write_baseline(path, found)
    first = path.read_bytes()
    write_baseline(path, list(reversed(found)))
    assert path.read_bytes() == first
    assert first.decode() == dump_baseline(found)
    data = json.loads(first)
    assert list(data) == ["claimcheck_baseline", "findings"]
    assert data["claimcheck_baseline"] == 1
    assert [e["fingerprint"] for e in data["findings"]] == ["y", "z"]
    assert list(data["findings"][0]) == sorted(data["findings"][0])
    assert sorted(os.listdir(path.parent)) == ["baseline.json"]  # no temporary file left


def test_write_keeps_the_mode_of_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("{}")
    path.chmod(0o640)
    write_baseline(path, [finding()])
    assert path.stat().st_mode & 0o777 == 0o640


def test_write_failure_is_a_user_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    path = tmp_path / "plain" / "baseline.json"
    with pytest.raises(UserError, match=r"baseline\.json: cannot write baseline"):
        write_baseline(path, [finding()])


def test_apply_marks_conflicts_only_and_reports_stale_sorted() -> None:
    baseline = Baseline(
        claimcheck_baseline=1,
        findings=tuple(
            baseline_entries(
                [
                    finding(fingerprint="kept"),
                    finding(rule="troop_count", subject="z", fingerprint="gone2"),
                    finding(rule="count", subject="a", fingerprint="gone1"),
                ]
            )
        ),
    )
    current = [
        finding(fingerprint="kept"),
        finding(fingerprint="fresh", subject="other"),
        finding(status=Status.AGREE, fingerprint="gone1"),  # an agreement is not the conflict
    ]
    marked, stale = apply_baseline(current, baseline)
    assert [f.baseline_state for f in marked] == ["unchanged", "new", None]
    assert [(s.rule, s.subject, s.fingerprint) for s in stale] == [
        ("count", "a", "gone1"),
        ("troop_count", "z", "gone2"),
    ]


VALID = {
    "fingerprint": "f",
    "rule": "troop_count",
    "kind": "troop_count",
    "subject": "troops",
    "subject_label": "troops deployed",
    "sources": ["a.md", "b.md"],
    "severity": "error",
    "message": "m",
}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "baseline file not found"),
        (b"", "not valid JSON (line 1, column 1"),
        (b'{"claimcheck_baseline": 1,', "not valid JSON"),
        (b"\xff\xfe", "not valid UTF-8"),
        (b"[]", "not a claimcheck baseline"),
        (b'{"findings": []}', "not a claimcheck baseline"),
        (b'{"claimcheck_baseline": 2, "findings": []}', "baseline version 2 is not supported"),
        (b'{"claimcheck_baseline": true, "findings": []}', "baseline version true"),
        (b'{"claimcheck_baseline": "1", "findings": []}', 'baseline version "1"'),
        (b'{"claimcheck_baseline": 1}', "invalid baseline: findings: Field required"),
        (b'{"claimcheck_baseline": 1, "findings": [], "x": 1}', "invalid baseline: x:"),
        (
            json.dumps({"claimcheck_baseline": 1, "findings": [{**VALID, "severity": "fatal"}]}),
            "invalid baseline: findings.0.severity:",
        ),
        (
            json.dumps({"claimcheck_baseline": 1, "findings": [{**VALID, "id": "CC-1"}]}),
            "invalid baseline: findings.0.id:",
        ),
        (
            json.dumps({"claimcheck_baseline": 1, "findings": [{"fingerprint": "f"}]}),
            "invalid baseline: findings.0.rule: Field required (and 6 more)",
        ),
    ],
)
def test_invalid_baseline_is_a_user_error_naming_the_file(
    tmp_path: Path, content: bytes | str | None, expected: str
) -> None:
    path = tmp_path / "my-baseline.json"
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        load_baseline(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_a_folder_is_not_a_baseline(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=f"^{tmp_path}: cannot read baseline"):
        load_baseline(tmp_path)


# --------------------------------------------------------------------------- real pipeline


def known_rules() -> list[str]:
    return [rule.id for rule in load_rules().rules]


def variant(tmp_path: Path, case: Path | None = TROOPS_CASE, name: str = "articles") -> Path:
    return build_variant(case, tmp_path, name)


def edit(folder: Path, file_name: str, old: str, new: str) -> None:
    path = folder / file_name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def conflicts(report: Report) -> dict[tuple[str, str], Finding]:
    return {(f.rule, f.subject): f for f in report.findings if f.status is Status.CONFLICT}


def checked(folder: Path) -> tuple[Report, list[Finding], list[UnusedSuppression]]:
    """What the CLI will do: run, find directives in the same sources, apply them."""
    report = run([folder])
    found = find_all_suppressions(load_sources([folder]).sources, known_rules())
    findings, unused = apply_suppressions(report.findings, found)
    return report, findings, unused


def claim_keys(folder: Path) -> list[tuple[str, str, str, str]]:
    """Every claim without its position: what the article says, not where."""
    claims = extract_all(load_sources([folder]).sources, load_rules())
    return sorted((c.source, c.rule, c.subject, c.value.model_dump_json()) for c in claims)


def test_seed_conflict_suppressed_next_line_and_comments_make_no_claims(tmp_path: Path) -> None:
    plain = variant(tmp_path, name="plain")
    folder = variant(tmp_path)
    comment = "<!-- claimcheck-disable-next-line troop_count -- figures checked with the desk -->"
    edit(folder, TROOPS_003, TROOP_PARAGRAPH, f"{comment}\n\n{TROOP_PARAGRAPH}")
    # A region comment mid-sentence and an unrelated one elsewhere, too.
    edit(folder, TROOPS_003, "Moscow sent its", "<!-- claimcheck-disable date -->Moscow sent its")
    assert claim_keys(folder) == claim_keys(plain)

    report, findings, unused = checked(folder)
    troops = next(f for f in findings if f.rule == "troop_count" and f.status is Status.CONFLICT)
    comment_line = folder.joinpath(TROOPS_003).read_text().splitlines().index(comment) + 1
    assert troops.suppressions == (
        Suppression(
            kind="inSource",
            source=TROOPS_003,
            line=comment_line,
            justification="figures checked with the desk",
        ),
    )
    assert next(c for c in troops.claims if c.source == TROOPS_003).line == comment_line + 2
    others = [f for f in findings if f.status is Status.CONFLICT and f is not troops]
    assert others and not any(f.suppressed for f in others)  # the seeds' misquotation stays
    assert unused == [UnusedSuppression(source=TROOPS_003, line=comment_line + 4, rule="date")]
    assert report.summary.claims == len(claim_keys(plain))


def test_region_in_the_other_source_of_a_conflict_suppresses_it(tmp_path: Path) -> None:
    folder = variant(tmp_path)
    first = "001_b178c3dbbc56040d.txt"
    text = folder.joinpath(first).read_text()
    folder.joinpath(first).write_text(f"<!-- claimcheck-disable troop_count, quote -->\n{text}")
    _, findings, unused = checked(folder)
    assert all(f.suppressed for f in findings if f.status is Status.CONFLICT)
    assert all(s.source == first and s.line == 1 for f in findings for s in f.suppressions)
    assert unused == []


def test_figures_in_a_justification_make_no_claims(tmp_path: Path) -> None:
    plain = variant(tmp_path, name="plain")
    folder = variant(tmp_path)
    comment = "<!-- claimcheck-disable-next-line troop_count -- desk says 130,000 troops -->"
    edit(folder, TROOPS_003, TROOP_PARAGRAPH, f"{comment}\n{TROOP_PARAGRAPH}")
    assert claim_keys(folder) == claim_keys(plain)


# --------------------------------------------------------------------------- baseline, real


def test_fingerprints_survive_unrelated_edits_but_not_a_changed_figure(tmp_path: Path) -> None:
    before = conflicts(run([variant(tmp_path, name="before")]))
    assert ("troop_count", "troops~russian") in before

    shifted = variant(tmp_path, name="shifted")
    for name in (TROOPS_003, "001_b178c3dbbc56040d.txt"):
        text = shifted.joinpath(name).read_text()
        note = "Editor's note: this article has been updated with reaction from Kyiv.\n\n"
        shifted.joinpath(name).write_text(note + text)
    after = conflicts(run([shifted]))
    assert after.keys() == before.keys()
    for key, old in before.items():
        new = after[key]
        assert new.fingerprint == old.fingerprint, key
        assert new.id == old.id
        if any(c.source == TROOPS_003 for c in old.claims):
            assert [c.line for c in new.claims] != [c.line for c in old.claims]

    changed = variant(tmp_path, name="changed")
    edit(changed, TROOPS_003, "roughly 175,000 Russian troops", "roughly 180,000 Russian troops")
    later = conflicts(run([changed]))
    assert later.keys() == before.keys()
    for key, old in before.items():
        changed = key == ("troop_count", "troops~russian")
        assert (later[key].fingerprint == old.fingerprint) is not changed


def test_baseline_round_trip_marks_everything_unchanged(tmp_path: Path) -> None:
    report = run([variant(tmp_path)])
    path = tmp_path / "baseline" / "claimcheck-baseline.json"
    write_baseline(path, report.findings)
    baseline = load_baseline(path)
    assert len(baseline.findings) == report.summary.conflicts >= 2
    marked, stale = apply_baseline(report.findings, baseline)
    assert stale == []
    for found in marked:
        expected = "unchanged" if found.status is Status.CONFLICT else None
        assert found.baseline_state == expected


def test_new_conflict_is_new_and_removed_conflict_is_stale(tmp_path: Path) -> None:
    seeds_path = tmp_path / "seeds.json"
    troops_path = tmp_path / "troops.json"
    seeds_report = run([variant(tmp_path, case=None, name="seeds")])
    troops_report = run([variant(tmp_path)])
    write_baseline(seeds_path, seeds_report.findings)
    write_baseline(troops_path, troops_report.findings)

    marked, stale = apply_baseline(troops_report.findings, load_baseline(seeds_path))
    states = {(f.rule, f.subject): f.baseline_state for f in marked if f.status is Status.CONFLICT}
    assert states.pop(("troop_count", "troops~russian")) == "new"
    assert states and set(states.values()) == {"unchanged"}
    assert stale == []

    marked, stale = apply_baseline(seeds_report.findings, load_baseline(troops_path))
    assert all(f.baseline_state == "unchanged" for f in marked if f.status is Status.CONFLICT)
    troops = conflicts(troops_report)[("troop_count", "troops~russian")]
    assert [(s.rule, s.subject, s.fingerprint, s.sources) for s in stale] == [
        ("troop_count", "troops~russian", troops.fingerprint, troops.sources)
    ]


def test_suppress_then_baseline_as_the_cli_will(tmp_path: Path) -> None:
    """Suppressed conflicts stay out of a new baseline; a suppression still counts as present."""
    folder = variant(tmp_path)
    comment = "<!-- claimcheck-disable-next-line troop_count -->"
    edit(folder, TROOPS_003, TROOP_PARAGRAPH, f"{comment}\n{TROOP_PARAGRAPH}")
    _, findings, _ = checked(folder)
    path = tmp_path / "b.json"
    write_baseline(path, findings)
    assert [e.rule for e in load_baseline(path).findings] == ["quote"]

    plain_findings = run([variant(tmp_path, name="plain")]).findings
    marked, stale = apply_baseline(plain_findings, load_baseline(path))
    gating = [
        f
        for f in marked
        if f.status is Status.CONFLICT and not f.suppressed and f.baseline_state != "unchanged"
    ]
    assert [(f.rule, f.baseline_state) for f in gating] == [("troop_count", "new")]
    assert stale == []


def test_baseline_file_of_the_seeds_is_what_the_docs_promise(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_baseline(path, run([variant(tmp_path)]).findings)
    data = json.loads(path.read_text())
    assert set(data) == {"claimcheck_baseline", "findings"}
    for entry in data["findings"]:
        assert set(entry) == set(VALID)
