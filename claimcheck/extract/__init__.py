"""Extraction: a pure function of one source and the compiled rules, so it can run anywhere."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from claimcheck.models import RawClaim, Source
from claimcheck.rules import Rule, RuleSet
from claimcheck.text import Document


class Finder(Protocol):
    """A compiled rule: finds raw claims in one document."""

    @property
    def rule(self) -> Rule: ...

    def find(self, doc: Document) -> Iterator[RawClaim]: ...


FinderFactory = Callable[[Rule, RuleSet], Finder]
_FACTORIES: dict[str, FinderFactory] = {}


def register(extractor_type: str) -> Callable[[FinderFactory], FinderFactory]:
    def add(factory: FinderFactory) -> FinderFactory:
        _FACTORIES[extractor_type] = factory
        return factory

    return add


@dataclass(frozen=True)
class CompiledRules:
    ruleset: RuleSet
    finders: tuple[Finder, ...]
    # rule id -> the ids of the loaded rules it leaves its figures to (`Rule.yields_to`)
    yields: dict[str, frozenset[str]] = field(default_factory=dict)


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Build every regex, lookup table and unit once, before any source is read."""
    _load_builtin_types()
    finders = tuple(_FACTORIES[rule.extract.type](rule, ruleset) for rule in ruleset.rules)
    loaded = {rule.id for rule in ruleset.rules}
    yields = {
        rule.id: frozenset(rule.yields_to) & loaded
        for rule in ruleset.rules
        if set(rule.yields_to) & loaded
    }
    return CompiledRules(ruleset=ruleset, finders=finders, yields=yields)


def extract_source(
    source: Source, compiled: CompiledRules, doc: Document | None = None
) -> list[RawClaim]:
    doc = doc or Document(source)
    raw: list[RawClaim] = []
    for finder in compiled.finders:
        raw.extend(finder.find(doc))
    raw.sort(key=lambda c: (c.span.start, c.span.end, c.rule))
    return _without_yielded(raw, compiled.yields) if compiled.yields else raw


def _without_yielded(raw: list[RawClaim], yields: dict[str, frozenset[str]]) -> list[RawClaim]:
    """The claims, less those a rule leaves to another that claims an overlapping span."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for claim in raw:  # in start order
        spans.setdefault(claim.rule, []).append((claim.span.start, claim.span.end))
    starts = {rule: [start for start, _ in found] for rule, found in spans.items()}
    longest = {rule: max(end - start for start, end in found) for rule, found in spans.items()}

    def overlapped(claim: RawClaim, rule: str) -> bool:
        found = spans.get(rule)
        if not found:
            return False
        # Only spans starting from one longest span before the claim to its end can overlap.
        low = bisect_left(starts[rule], claim.span.start - longest[rule])
        high = bisect_left(starts[rule], claim.span.end)
        return any(end > claim.span.start for _, end in found[low:high])

    return [
        claim
        for claim in raw
        if not any(overlapped(claim, rule) for rule in yields.get(claim.rule, ()))
    ]


def _load_builtin_types() -> None:
    # Imported for their @register side effect.
    from claimcheck.extract import (  # noqa: F401
        date,
        measure,
        office,
        participant,
        quantity,
        quotation,
    )
