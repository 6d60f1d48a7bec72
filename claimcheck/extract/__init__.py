"""Extraction: a pure function of one source and the compiled rules, so it can run anywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Build every regex, lookup table and unit once, before any source is read."""
    _load_builtin_types()
    finders = tuple(_FACTORIES[rule.extract.type](rule, ruleset) for rule in ruleset.rules)
    return CompiledRules(ruleset=ruleset, finders=finders)


def extract_source(
    source: Source, compiled: CompiledRules, doc: Document | None = None
) -> list[RawClaim]:
    doc = doc or Document(source)
    raw: list[RawClaim] = []
    for finder in compiled.finders:
        raw.extend(finder.find(doc))
    raw.sort(key=lambda c: (c.span.start, c.span.end, c.rule))
    return raw


def _load_builtin_types() -> None:
    # Imported for their @register side effect.
    from claimcheck.extract import (  # noqa: F401
        date,
        measure,
        participant,
        quantity,
        quotation,
    )
