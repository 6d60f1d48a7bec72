"""Rule test cases kept beside the rule, and the harness that runs them (`claimcheck rules test`).

A rule file may carry a `tests:` list (in a single-rule file at the top level, in a `rules:`
list inside each rule). Every case runs in memory against that one rule alone, with the shared
tables (hedges, vague numbers, people) of the rule set it was loaded with:

```yaml
tests:
  # must find: each claim's quote exactly as extracted, optionally its value and subject
  - name: hedged figure
    text: The army has massed about 100,000 troops near the border.
    claims:
      - {quote: about 100,000 troops, value: about 100,000, subject: troops}
      - some other exact quote           # a bare string is just the quote
  # must not find
  - name: casualties are another fact
    text: Tens of thousands of soldiers have been killed.
    no_claims: true                      # no claim of this rule at all, or:
    not_claims: [Tens of thousands of soldiers]   # no claim may overlap this text
  # several sources, compared: is there a conflict, an agreement, or neither?
  - name: hedged and bare figures agree
    sources:
      a.txt: About 100,000 troops are massed on the border.
      b.txt: Some 95,000 troops are massed on the border.
    published: {a.txt: 2022-01-12}       # optional; otherwise the dateline, as for files
    finding: agree                       # conflict | agree | none
    severity: error                      # optional: the conflict's severity
  # a known bug: reported as xfail while it fails, as xpass once it passes (never a failure)
  - name: ...
    xfail: the extractor does not read figures after the noun yet
```

A claim's `value` matches its display ("about 100,000 [90,000–110,000]") or the display
without the range ("about 100,000", "over 6,000 km"), a date's ISO form ("2022-01-10"), a
person's name or id, or a quotation's speaker. A rule whose extractor anchors to dates
(`anchor: date`) runs with the set's date rules beside it, and one that leaves figures to other
rules (`yields_to`) with those, as in a real run, but only its own claims and findings are
checked. `text` cases are published on the date in `published` or, like
article files, on the dateline at the top of the text; `.md` sources may use front matter.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from claimcheck.models import (
    Claim,
    DateValue,
    Finding,
    Interval,
    Person,
    Quotation,
    Severity,
    Source,
)

if TYPE_CHECKING:  # claimcheck.rules imports RuleCase from here: import it lazily at run time
    from claimcheck.extract import CompiledRules
    from claimcheck.normalize import Tables
    from claimcheck.rules import Rule, RuleSet

SOURCE_ID = "case.txt"


class CaseModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExpectedClaim(CaseModel):
    """A claim the rule must extract."""

    quote: str = Field(min_length=1, description="The claim's quote exactly, a piece of the text.")
    value: str | None = Field(
        default=None,
        description="Its display, or the display without the range ('about 100,000'), an ISO "
        "date, a person's name or id, or a quotation's speaker.",
    )
    subject: str | None = Field(
        default=None,
        description="Its fact key ('troops', 'meeting:geneva', 'foreign_minister:us').",
    )


class RuleCase(CaseModel):
    """One test case: a text and the claims it must (not) yield, or sources and their finding."""

    name: str = Field(min_length=1)
    text: str | None = Field(default=None, description="One article's text.")
    sources: dict[str, str] | None = Field(
        default=None, description="Several articles (file name -> text), compared."
    )
    published: dt.date | dict[str, dt.date] | None = Field(
        default=None,
        description="Publication date of `text`, or file name -> date for `sources`.",
    )
    claims: list[ExpectedClaim | str] = Field(
        default_factory=list, description="Claims `text` must yield (a string is a quote)."
    )
    no_claims: bool = Field(default=False, description="`text` must yield no claim at all.")
    not_claims: list[str] = Field(
        default_factory=list, description="Pieces of `text` no claim may overlap."
    )
    finding: Literal["conflict", "agree", "none"] | None = Field(
        default=None,
        description="What comparing `sources` must give: a conflict; an agreement and no "
        "conflict; or neither.",
    )
    severity: Severity | None = Field(default=None, description="The conflict's severity.")
    xfail: str | None = Field(
        default=None, description="Why this case is known to fail (a bug to fix)."
    )

    @model_validator(mode="after")
    def _one_shape(self) -> RuleCase:
        if (self.text is None) == (self.sources is None):
            raise ValueError("a case has either 'text' or 'sources'")
        if self.text is not None:
            if self.finding is not None or self.severity is not None:
                raise ValueError("'finding' and 'severity' need 'sources'")
            if not (self.claims or self.no_claims or self.not_claims):
                raise ValueError("a 'text' case needs 'claims', 'no_claims' or 'not_claims'")
            if self.no_claims and self.claims:
                raise ValueError("'no_claims' and 'claims' contradict each other")
            if isinstance(self.published, dict):
                raise ValueError("'published' of a 'text' case is one date")
        else:
            if self.finding is None:
                raise ValueError("a 'sources' case needs 'finding'")
            if self.claims or self.no_claims or self.not_claims:
                raise ValueError("'claims', 'no_claims' and 'not_claims' need 'text'")
            if self.severity is not None and self.finding != "conflict":
                raise ValueError("'severity' needs 'finding: conflict'")
            if self.published is not None and not isinstance(self.published, dict):
                raise ValueError("'published' of a 'sources' case maps file names to dates")
        return self

    @property
    def expected_claims(self) -> list[ExpectedClaim]:
        return [ExpectedClaim(quote=c) if isinstance(c, str) else c for c in self.claims]


# --------------------------------------------------------------------------- running

Status = Literal["pass", "fail", "xfail", "xpass"]


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case; `reason` says what went wrong (or, for xfail, why expected)."""

    rule: str
    file: str
    case: str
    status: Status
    reason: str = ""
    detail: str = field(default="", compare=False)  # what went wrong in an xfail case
    claims: tuple[Claim, ...] = field(default=(), repr=False, compare=False)

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def describe(self) -> str:
        """`FAIL rule-id file: case-name: reason`, the line `claimcheck rules test` prints."""
        head = f"{self.status.upper()} {self.rule} {self.file}: {self.case}"
        return f"{head}: {self.reason}" if self.reason else head


def run_rule_tests(ruleset: RuleSet, only_files: Collection[str] | None = None) -> list[CaseResult]:
    """Run every case of every rule (of `only_files`, when given) against that rule alone."""
    wanted = None if only_files is None else {_same_file(f) for f in only_files}
    results: list[CaseResult] = []
    for rule in ruleset.rules:
        file = ruleset.rule_files.get(rule.id, "")
        if not rule.tests or (wanted is not None and _same_file(file) not in wanted):
            continue
        results.extend(run_cases(rule, ruleset))
    return results


def run_cases(rule: Rule, ruleset: RuleSet) -> Iterator[CaseResult]:
    """The results of one rule's cases, compiled once for all of them."""
    from claimcheck.extract import compile_rules
    from claimcheck.normalize import Tables
    from claimcheck.pipeline import display_path

    file = display_path(Path(ruleset.rule_files.get(rule.id, "")))
    alone = rule_alone(rule, ruleset)
    compiled, tables = compile_rules(alone), Tables(alone)
    seen: set[str] = set()
    for case in rule.tests:
        problems: list[str]
        claims: list[Claim]
        if case.name in seen:
            problems, claims = [f"another case of {rule.id} has this name"], []
        else:
            try:
                problems, claims = _check(case, rule, compiled, tables)
            except Exception as exc:  # a bug in an extractor: a failed case, not a crash
                problems, claims = [f"raised {type(exc).__name__}: {exc}"], []
        seen.add(case.name)
        status: Status
        if case.xfail is not None:
            status, reason = ("xfail", case.xfail) if problems else ("xpass", "passes: drop xfail")
        else:
            status, reason = ("fail", "; ".join(problems)) if problems else ("pass", "")
        detail = "; ".join(problems) if case.xfail is not None else ""
        yield CaseResult(rule.id, file, case.name, status, reason, detail, tuple(claims))


def rule_alone(rule: Rule, ruleset: RuleSet) -> RuleSet:
    """The rule, the shared tables, the date rules an `anchor: date` rule reads days from, the
    rules it leaves figures to (`yields_to`) and the rule it reads roles from (`roles_from`)."""
    dated = getattr(rule.extract, "anchor", "none") == "date"
    needed = {*rule.yields_to, getattr(rule.extract, "roles_from", None)}
    context = tuple(
        r
        for r in ruleset.rules
        if r.id != rule.id and ((dated and r.extract.type == "date") or r.id in needed)
    )
    return ruleset.model_copy(update={"rules": (*context, rule)})


def _check(
    case: RuleCase, rule: Rule, compiled: CompiledRules, tables: Tables
) -> tuple[list[str], list[Claim]]:
    if case.text is not None:
        published = case.published if isinstance(case.published, dt.date) else None
        source = make_source(SOURCE_ID, case.text, published)
        claims = _claims(source, rule, compiled, tables)
        return _check_claims(case, case.text, claims), claims
    assert case.sources is not None and case.finding is not None
    dates = case.published if isinstance(case.published, dict) else {}
    unknown = sorted(set(dates) - set(case.sources))
    if unknown:
        return [f"'published' names no source: {', '.join(unknown)}"], []
    claims = []
    for name, text in case.sources.items():
        claims.extend(_claims(make_source(name, text, dates.get(name)), rule, compiled, tables))
    return _check_finding(case, rule, claims, compiled.ruleset), claims


def make_source(name: str, text: str, published: dt.date | None) -> Source:
    """An in-memory article, dated as a file would be: front matter (.md), then dateline."""
    from claimcheck.sources import dateline_date, front_matter_date

    origin: Literal["manifest", "front_matter", "text"] | None = "manifest" if published else None
    if published is None and name.lower().endswith(".md"):
        published = front_matter_date(text)
        origin = "front_matter" if published else None
    if published is None:
        published = dateline_date(text)
        origin = "text" if published else None
    return Source(id=name, path=name, text=text, published=published, published_from=origin)


def _claims(source: Source, rule: Rule, compiled: CompiledRules, tables: Tables) -> list[Claim]:
    from claimcheck.pipeline import claims_of

    return [c for c in claims_of(source, compiled, tables) if c.rule == rule.id]


def _check_claims(case: RuleCase, text: str, claims: list[Claim]) -> list[str]:
    problems = []
    for expected in case.expected_claims:
        if expected.quote not in text:
            problems.append(f"{expected.quote!r} is not in the text")
            continue
        same_quote = [c for c in claims if c.quote == expected.quote]
        if not same_quote:
            problems.append(f"no claim {expected.quote!r}; found {_list_claims(claims)}")
            continue
        if not any(_matches(c, expected) for c in same_quote):
            found = "; ".join(f"value {c.display!r}, subject {c.subject!r}" for c in same_quote)
            wanted = ", ".join(
                f"{k} {v!r}"
                for k, v in (("value", expected.value), ("subject", expected.subject))
                if v is not None
            )
            problems.append(f"claim {expected.quote!r} has {found}; expected {wanted}")
    if case.no_claims and claims:
        problems.append(f"expected no claims; found {_list_claims(claims)}")
    for piece in case.not_claims:
        spans = _spans_of(text, piece)
        if not spans:
            problems.append(f"{piece!r} is not in the text")
            continue
        touching = [c for c in claims if any(c.start < e and s < c.end for s, e in spans)]
        if touching:
            problems.append(f"{piece!r} must not be claimed; found {_list_claims(touching)}")
    return problems


def _check_finding(case: RuleCase, rule: Rule, claims: list[Claim], ruleset: RuleSet) -> list[str]:
    from claimcheck.align import align
    from claimcheck.compare import compare_facts
    from claimcheck.models import Status as FindingStatus

    findings = [f for f in compare_facts(align(claims), ruleset) if f.rule == rule.id]
    conflicts = [f for f in findings if f.status is FindingStatus.CONFLICT]
    agrees = [f for f in findings if f.status is FindingStatus.AGREE]
    got = "conflict" if conflicts else "agree" if agrees else "none"
    if got != case.finding:
        shown = conflicts or agrees or findings
        summary = "; ".join(_describe_finding(f) for f in shown) or "no claims"
        return [f"expected {case.finding}, got {got}: {summary}"]
    if case.severity is not None and not any(f.severity is case.severity for f in conflicts):
        levels = ", ".join(sorted({f.severity.value for f in conflicts}))
        return [f"expected a {case.severity.value} conflict, got {levels}"]
    return []


def _matches(claim: Claim, expected: ExpectedClaim) -> bool:
    if expected.subject is not None and claim.subject != expected.subject:
        return False
    return expected.value is None or expected.value.strip() in value_names(claim)


def value_names(claim: Claim) -> set[str]:
    """Every way a test case may name a claim's value."""
    names = {claim.display}
    value = claim.value
    if isinstance(value, Interval):
        head, sep, _ = claim.display.rpartition(" [" if " [" in claim.display else " (")
        if sep:
            names.add(head)
    elif isinstance(value, DateValue):
        names.update(n for n in (value.iso, claim.display.split(" (")[0]) if n)
    elif isinstance(value, Person):
        names.update((value.name, value.person))
    elif isinstance(value, Quotation):
        names.update((value.speaker, value.speaker_name, value.text))
    return names


def _spans_of(text: str, piece: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(piece)
    while piece and start >= 0:
        spans.append((start, start + len(piece)))
        start = text.find(piece, start + 1)
    return spans


def _list_claims(claims: Sequence[Claim]) -> str:
    if not claims:
        return "no claims"
    return "; ".join(f"{c.quote!r} = {c.display} [{c.subject}]" for c in claims)


def _describe_finding(finding: Finding) -> str:
    said = ", ".join(f"{c.source} {c.display}" for c in finding.claims)
    return f"{finding.status.value} on {finding.subject!r} ({said})"


def _same_file(path: str) -> str:
    try:
        return Path(path).resolve().as_posix()
    except OSError:
        return path


# --------------------------------------------------------------------------- explaining

_WIDTH = 96
_MAX_KEYS = 6


def explain_rule(rule: Rule, file: str, ruleset: RuleSet | None = None) -> str:
    """What a rule checks and how, with an example from its first passing test case.

    `ruleset` gives the shared tables (hedges, people) the example runs with; the defaults
    when not given.
    """
    from claimcheck.pipeline import display_path

    if ruleset is None:
        from claimcheck.rules import load_rules

        ruleset = load_rules()
    lines = [
        f"{rule.id}: kind {rule.kind}, severity {rule.severity.value}"
        + ("" if rule.enabled else " (disabled)"),
        f"file: {display_path(Path(file))}",
        "",
        *textwrap.wrap(" ".join(rule.description.split()) or "(no description)", _WIDTH),
        "",
        f"extract: {rule.extract.type}",
        *_settings(rule.extract),
        f"compare: {rule.compare.type}",
        *_settings(rule.compare),
        "",
        *_example(rule, ruleset),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _settings(model: BaseModel) -> list[str]:
    """Each setting that is set, tables of lists one key a line, everything cut to the width."""
    lines = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name == "type" or value in (None, [], {}, ""):
            continue
        if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
            lines.append(f"  {name}:")
            keys = list(value)
            for key in keys[:_MAX_KEYS]:
                lines.append(_one_line(f"    {key}: ", [str(v) for v in value[key]]))
            if len(keys) > _MAX_KEYS:
                lines.append(f"    … (+{len(keys) - _MAX_KEYS} more)")
        else:
            lines.append(_one_line(f"  {name}: ", _render(value)))
    return lines


def _render(value: Any) -> list[str]:
    if isinstance(value, dict):
        if all(isinstance(v, str) for v in value.values()) and len(set(value.values())) < len(
            value
        ):
            return list(value)  # nouns or units: many written forms, few keys
        return [f"{k} -> {v}" for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, float) and value.is_integer():
        return [str(int(value))]
    return [str(value)]


def _one_line(head: str, items: list[str]) -> str:
    """As many items as fit the width, then how many more there are."""
    line, shown = head, 0
    for item in items:
        piece = item if shown == 0 else f", {item}"
        left = len(items) - shown - 1
        room = _WIDTH - len(f", … (+{left} more)" if left else "")
        if shown and len(line) + len(piece) > room:
            break
        if not shown and len(line) + len(piece) > room:
            piece = piece[: max(8, room - len(line) - 1)] + "…"
        line += piece
        shown += 1
    return line + (f", … (+{len(items) - shown} more)" if shown < len(items) else "")


def _example(rule: Rule, ruleset: RuleSet) -> list[str]:
    results = run_cases(rule, ruleset)
    result = next((r for r in results if r.status in ("pass", "xpass") and r.claims), None)
    count = f"{len(rule.tests)} test case{'s' if len(rule.tests) != 1 else ''}"
    if result is None:
        return [f"Example: none ({count}, none passing with claims)."]
    case = next(c for c in rule.tests if c.name == result.case)
    lines = [f"Example (test case {case.name!r}, one of {count}):"]
    texts = {SOURCE_ID: case.text} if case.text is not None else dict(case.sources or {})
    for name, text in texts.items():
        prefix = "  " if case.text is not None else f"  {name}: "
        lines.extend(
            textwrap.wrap(
                " ".join((text or "").split()),
                _WIDTH,
                initial_indent=prefix,
                subsequent_indent="    ",
            )
        )
    if case.finding is not None:
        lines.append(f"  -> {case.finding}")
    lines.append("yields:")
    for claim in result.claims:
        where = "" if case.text is not None else f"{claim.source}: "
        lines.append(f"  {where}{claim.quote!r} -> {claim.subject_label}: {claim.display}")
    return lines
