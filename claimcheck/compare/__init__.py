"""The rule engine: each fact goes to its rule's comparator; verdicts become findings."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from claimcheck.collector import cycle_collection_paused
from claimcheck.compare.verdicts import short_source
from claimcheck.models import (
    Claim,
    Fact,
    Finding,
    FindingClaim,
    Interval,
    Severity,
    Status,
    Value,
    Verdict,
    claim_order,
    trusted,
    value_key,
)
from claimcheck.rules import Rule, RuleSet

Comparator = Callable[[Fact, Rule], Verdict | list[Verdict]]
_COMPARATORS: dict[str, Comparator] = {}


def register(comparator_type: str) -> Callable[[Comparator], Comparator]:
    def add(function: Comparator) -> Comparator:
        _COMPARATORS[comparator_type] = function
        return function

    return add


def compare_facts(
    facts: Iterable[Fact], ruleset: RuleSet, published: Mapping[str, dt.date | None] | None = None
) -> list[Finding]:
    """`published`: each source's publication date, for the rules whose figures change over
    time (see `Rule.changes_over_time`)."""
    _load_builtin_types()
    findings = []
    with cycle_collection_paused():
        for fact in facts:
            rule = ruleset.rule(fact.rule)
            verdicts = _COMPARATORS[rule.compare.type](fact, rule)
            for verdict in verdicts if isinstance(verdicts, list) else [verdicts]:
                if rule.changes_over_time and published and verdict.status is Status.CONFLICT:
                    verdict = _with_timing(verdict, published)
                findings.append(to_finding(fact, rule, verdict))
    return sorted(findings, key=finding_order)


def _with_timing(verdict: Verdict, published: Mapping[str, dt.date | None]) -> Verdict:
    """A conflict between sources published on different days: say which day each was, since
    a toll reported on Friday and one reported on Sunday may both have been right."""
    if verdict.detail is not None:
        return verdict  # a comparator's own evidence comes first
    days: dict[dt.date, set[str]] = defaultdict(set)
    for camp in verdict.camps:
        for claim in camp:
            day = published.get(claim.source)
            if day is not None:
                days[day].add(short_source(claim.source))
    if len(days) < 2:
        return verdict
    listed = "; ".join(
        f"{', '.join(sorted(names))} on {day.isoformat()}" for day, names in sorted(days.items())
    )
    detail = (
        f"Published on different days ({listed}): the figure may have changed as the story "
        "developed."
    )
    return verdict.model_copy(update={"detail": detail})


def to_finding(fact: Fact, rule: Rule, verdict: Verdict) -> Finding:
    if verdict.status is Status.CONFLICT:
        severity = verdict.severity or rule.severity
    else:
        severity = verdict.severity or Severity.INFO
    claims = tuple(
        finding_claim(c, index)
        for index, camp in enumerate(verdict.camps, start=1)
        for c in sorted(camp, key=claim_order)
    )
    subject = f"{fact.subject}/{verdict.key}" if verdict.key else fact.subject
    sources = tuple(sorted({c.source for c in claims}))
    return Finding(
        id=finding_id(rule.id, subject, sources),
        kind=fact.kind,
        rule=rule.id,
        subject=subject,
        subject_label=verdict.label or fact.subject_label,
        status=verdict.status,
        severity=severity,
        message=verdict.message,
        detail=verdict.detail,
        sources=sources,
        claims=claims,
        fingerprint=fingerprint(rule.id, subject, claims),
    )


def finding_claim(claim: Claim, group: int) -> FindingClaim:
    """The claim as a finding shows it: every field comes from a validated claim (`trusted`)."""
    return trusted(
        FindingClaim,
        {
            "source": claim.source,
            "quote": claim.quote,
            "start": claim.start,
            "end": claim.end,
            "line": claim.line,
            "column": claim.column,
            "value": claim.value,
            "display": claim.display,
            "group": group,
        },
    )


def finding_id(rule_id: str, subject: str, sources: Iterable[str]) -> str:
    """Stable across runs and machines: depends only on what the finding is about."""
    key = "\x1f".join([rule_id, subject, *sorted(sources)])
    return "CC-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def fingerprint(rule_id: str, subject: str, claims: Iterable[FindingClaim]) -> str:
    """Which sources say which values about which fact: unchanged by edits elsewhere in the
    articles (no offsets, no line numbers), changed when a value or a source changes."""
    known: dict[tuple[object, ...], str] = {}
    said = sorted({f"{c.source}\x1e{_value_json(c.value, known)}" for c in claims})
    key = "\x1f".join([rule_id, subject, *said])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _value_json(value: Value, known: dict[tuple[object, ...], str]) -> str:
    """`value.model_dump_json()`, once per distinct value: a fact that a thousand sources
    state in a dozen ways has a dozen. Values are told apart by `value_key`, except those with
    a float field, dumped every time (0.0 == -0.0, but they print differently)."""
    if isinstance(value, Interval):
        return value.model_dump_json()
    key = value_key(value)
    text = known.get(key)
    if text is None:
        text = known[key] = value.model_dump_json()
    return text


_STATUS_ORDER = {Status.CONFLICT: 0, Status.AGREE: 1, Status.SINGLE_SOURCE: 2}


def finding_order(finding: Finding) -> tuple[int, int, str, str, str]:
    return (
        _STATUS_ORDER[finding.status],
        -finding.severity.rank,
        finding.kind,
        finding.subject,
        finding.id,
    )


def _load_builtin_types() -> None:
    # Imported for their @register side effect.
    from claimcheck.compare import dates, intervals, people, quotations  # noqa: F401
