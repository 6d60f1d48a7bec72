"""Every record that flows between pipeline stages, in one place."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from operator import attrgetter
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

SCHEMA_VERSION = "1.0"


_set = object.__setattr__
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def shared_fields_set(names: set[str]) -> set[str]:
    """One set object for every model that had the same fields given: a model keeps the
    names of the fields it was given in a set of its own, 730 bytes for five to eighteen
    names, as much as the rest of a claim. The models are frozen and pydantic copies the set
    before changing it (`model_copy`), so no model changes a set it shares."""
    key = frozenset(names)
    shared = _FIELDS_SETS.get(key)
    if shared is None:
        shared = _FIELDS_SETS[key] = set(key)
    return shared


def share_fields_set(model: BaseModel) -> None:
    """Let a model that lives as long as the run hold the shared set of its given fields."""
    _set(model, "__pydantic_fields_set__", shared_fields_set(model.__pydantic_fields_set__))


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __setstate__(self, state: dict[Any, Any]) -> None:
        # A worker's claims arrive pickled: each would otherwise bring its own fields set.
        super().__setstate__(state)
        share_fields_set(self)


_Model = TypeVar("_Model", bound=BaseModel)


_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


def _every_field(model: type[BaseModel], fields: dict[str, Any]) -> set[str]:
    every = _EVERY_FIELD.get(model)
    if every is None:
        every = _EVERY_FIELD[model] = shared_fields_set(set(model.model_fields))
    return every if len(fields) == len(every) else set(fields)


def trusted(model: type[_Model], fields: dict[str, Any]) -> _Model:
    """`model.model_construct(**fields)` given every field, for the pipeline's hot paths
    (a claim and its span per mention, a hundred thousand in a big run): the values come
    from validated models and typed code, so they are not validated again.

    Built as `model_construct` builds a model given every field (the models built so have no
    aliases, private attributes or post-init hook: a test checks both ways agree), without
    its Python loop over the fields, which costs more than validating."""
    made = model.__new__(model)
    _set(made, "__dict__", fields)
    _set(made, "__pydantic_fields_set__", _every_field(model, fields))
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", None)
    return made


# --------------------------------------------------------------------------- sources


class Source(Frozen):
    """One article. `id` is its path relative to the folder it was found under."""

    id: str
    path: str = Field(description="Path relative to the working directory, POSIX style.")
    text: str = Field(exclude=True, repr=False)
    published: dt.date | None = None
    published_from: Literal["manifest", "front_matter", "text"] | None = None
    outlet: str | None = None
    url: str | None = None
    story_year: int | None = Field(
        default=None,
        exclude=True,
        description="The year the dated articles of its folder were published in (their "
        "median): the story's year, for undated articles and for pieces written years later.",
    )


class SourceNote(Frozen):
    """A file that was seen but not read, and why."""

    path: str
    reason: str
    kind: Literal["not_article", "unreadable", "decoded"] = Field(
        default="not_article",
        description="not_article: not a .txt/.md file (or a symlinked folder, not followed); "
        "unreadable: an article that could not be read (binary, empty, too large, ...).",
    )


# --------------------------------------------------------------------------- values


class Interval(Frozen):
    """A stated figure as the range it can mean. Bounds are in the kind's base unit."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    type: Literal["interval"] = "interval"
    low: float
    high: float | None = Field(description="None means no upper bound.")
    low_open: bool = False
    high_open: bool = False
    unit: str | None = None
    stated: float | None = Field(default=None, description="The figure as written, in base unit.")
    hedge: str | None = None


class DateValue(Frozen):
    """An event date, as far as the text pins it down: any part may be unknown.

    "Monday" in an undated article keeps only the weekday; "January 12" with no year keeps
    month and day. Two dates are compatible when every part both know is the same.
    """

    type: Literal["date"] = "date"
    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    weekday: int | None = Field(default=None, ge=0, le=6, description="Monday is 0.")
    resolution: Literal["absolute", "relative", "chained", "weekday"] = "absolute"
    days: int | None = Field(
        default=None,
        ge=2,
        le=31,
        exclude_if=lambda days: days is None,
        description="How many days the event lasts, as the date's sentence says ('a two-day "
        "summit', 'September 9 and 10'): any of them may be called its date.",
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: Any) -> Any:
        """A report read back carries `iso`, which is derived, not stored."""
        if isinstance(data, dict) and "iso" in data:
            data = {k: v for k, v in data.items() if k != "iso"}
        return data

    @property
    def date(self) -> dt.date | None:
        if self.year is None or self.month is None or self.day is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None

    @computed_field(description="ISO 8601 as far as known: 2022-01-10, --01-12, 2023-03.")  # type: ignore[prop-decorator]
    @property
    def iso(self) -> str | None:
        if self.date is not None:
            return self.date.isoformat()
        if self.month is not None and self.day is not None:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.year is not None and self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return None


class Person(Frozen):
    """A person in a role. `person` is a stable id shared by every spelling of the name."""

    type: Literal["person"] = "person"
    person: str
    name: str
    role: str | None = None
    affiliation: str | None = None


class Office(Frozen):
    """The office a source gives a person: a role and whose it is ('Miami-Dade County mayor')."""

    type: Literal["office"] = "office"
    person: str
    name: str
    role: str
    owner: str = Field(description="The owner's key: a country or body the rules list, or words.")
    owner_written: str | None = Field(
        default=None,
        description="The owner as written, when the rules do not list it (a town, a body).",
    )


class Quotation(Frozen):
    type: Literal["quotation"] = "quotation"
    speaker: str = Field(description="Person id of the speaker.")
    speaker_name: str
    text: str
    normalized: str = Field(description="Text folded for comparison: case, quotes, punctuation.")


Value = Annotated[Interval | DateValue | Person | Office | Quotation, Field(discriminator="type")]


def value_key(value: Value) -> tuple[object, ...]:
    """What tells two values apart, their type and fields (what their equality compares), as a
    plain tuple: a pydantic model hashes and compares in Python, a tuple of fields in C."""
    return (type(value), *value.__dict__.values())


# --------------------------------------------------------------------------- claims


class Span(Frozen):
    """Where a claim stands in its source: `text[start:end] == quote`."""

    source: str
    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    column: int = Field(ge=1)


class RawClaim(Frozen):
    """What an extractor found, before normalisation: the pieces of text that matter."""

    kind: str
    rule: str
    span: Span
    subject: str = Field(description="Fact key within the kind, e.g. 'troops' or 'geneva'.")
    subject_label: str = Field(description="How the subject reads to an editor.")
    parts: dict[str, str] = Field(
        default_factory=dict,
        description="Named text pieces for the normaliser (number, hedge, unit, date, name, ...).",
    )


class Claim(Frozen):
    """A normalised claim: one source's statement of one fact."""

    kind: str
    rule: str
    source: str
    quote: str
    start: int
    end: int
    line: int
    column: int
    subject: str
    subject_label: str
    value: Value
    display: str = Field(description="The value as an editor reads it.")

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return claim_order(self)


# `Claim.sort_key`, read in C: the key of the sorts that see every claim of a big run.
claim_order = attrgetter("source", "start", "end", "rule")


# --------------------------------------------------------------------------- findings


class Status(StrEnum):
    AGREE = "agree"
    CONFLICT = "conflict"
    SINGLE_SOURCE = "single_source"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Fact(Frozen):
    """Claims from any number of sources that speak of the same thing."""

    kind: str
    subject: str
    subject_label: str
    rule: str
    claims: tuple[Claim, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject}"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({c.source for c in self.claims}))


class FindingClaim(Frozen):
    source: str
    quote: str
    start: int
    end: int
    line: int
    column: int
    value: Value
    display: str
    group: int = Field(ge=1, description="Camp number: 1 is the largest camp of agreeing claims.")


class Suppression(Frozen):
    """Why a finding is not counted: an editor's comment in an article, or the baseline."""

    kind: Literal["inSource", "external"] = Field(
        description="inSource: a claimcheck-disable comment; external: the baseline file."
    )
    source: str | None = Field(default=None, description="Source id holding the comment.")
    line: int | None = None
    justification: str | None = None


class Finding(Frozen):
    id: str = Field(description="Stable across runs: a hash of rule, subject and sources.")
    kind: str
    rule: str
    subject: str
    subject_label: str
    status: Status
    severity: Severity
    message: str
    detail: str | None = Field(default=None, description="Extra evidence, e.g. differing words.")
    sources: tuple[str, ...]
    claims: tuple[FindingClaim, ...]
    fingerprint: str = Field(
        default="",
        description="Survives unrelated edits: a hash of rule, sources and the normalised "
        "values, never line numbers. Baselines and SARIF partialFingerprints use it.",
    )
    baseline_state: Literal["new", "unchanged"] | None = Field(
        default=None, description="Set when a baseline was given: is this finding in it?"
    )
    suppressions: tuple[Suppression, ...] = ()

    @property
    def suppressed(self) -> bool:
        return bool(self.suppressions)


class RuleInfo(Frozen):
    """What a rule checks, as reports (SARIF's tool.driver.rules) describe it."""

    id: str
    kind: str
    severity: Severity
    description: str
    file: str = Field(description="The rule file, relative to the working directory if inside.")


class StaleBaselineEntry(Frozen):
    """A baselined finding that no longer occurs: remove it so the baseline only shrinks."""

    fingerprint: str
    rule: str
    subject: str
    sources: tuple[str, ...]


class UnusedSuppression(Frozen):
    source: str
    line: int
    rule: str


class Summary(Frozen):
    sources: int
    claims: int
    findings: int
    conflicts: int
    agreements: int
    single_source: int
    by_severity: dict[str, int] = Field(description="Conflicts counted by severity.")


class ReportSource(Frozen):
    id: str
    path: str
    published: dt.date | None
    published_from: str | None
    outlet: str | None = None
    url: str | None = None


class Report(Frozen):
    """Everything a formatter needs; formatters only render this."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "claimcheck"
    version: str
    sources: tuple[ReportSource, ...]
    skipped: tuple[SourceNote, ...] = ()
    decoding_warnings: tuple[SourceNote, ...] = Field(
        default=(),
        description="Articles read with a guessed encoding (e.g. Windows-1252): check the text.",
    )
    summary: Summary
    rules: tuple[RuleInfo, ...] = ()
    findings: tuple[Finding, ...]
    baseline: str | None = Field(default=None, description="The baseline file compared with.")
    stale_baseline: tuple[StaleBaselineEntry, ...] = ()
    unused_suppressions: tuple[UnusedSuppression, ...] = ()


class Verdict(Frozen):
    """What a comparator says about one fact, before the engine turns it into a finding."""

    status: Status
    camps: tuple[tuple[Claim, ...], ...] = Field(
        description="Claims grouped by mutual agreement, largest camp first."
    )
    message: str
    detail: str | None = None
    severity: Severity | None = Field(
        default=None, description="Overrides the rule's severity (e.g. a milder inconsistency)."
    )
    key: str | None = Field(
        default=None,
        description="Names one of several findings a fact yields (one utterance of a speaker).",
    )
    label: str | None = Field(default=None, description="Overrides the fact's subject label.")
