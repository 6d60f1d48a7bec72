"""Rule files: pydantic models for the YAML in `rules/`, and a loader naming file, line, field."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from claimcheck.errors import RuleError
from claimcheck.models import Severity
from claimcheck.ruletest import RuleCase
from claimcheck.yamlio import line_of, parse_yaml, yaml_path

DEFAULT_RULES_DIR = Path(__file__).parent / "default_rules"
MAX_RULE_FILE_BYTES = 1_000_000


class RuleModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- extractors


class _ExtractorModel(RuleModel):
    """What every extractor's word lists share: a blank word would match nothing (and, in
    some lists, stop the rule finding anything), so it is refused when the rule loads."""

    @model_validator(mode="after")
    def _no_blank_words(self) -> _ExtractorModel:
        for name, value in self:
            for word in _words_in(value):
                if not word.strip():
                    raise ValueError(f"'{name}' lists a blank word, which can match nothing")
        return self


def _words_in(value: object) -> Iterator[str]:
    """The strings of a word list, a word table's keys and its lists of words."""
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            if isinstance(item, list):
                yield from (word for word in item if isinstance(word, str))


class QuantityExtractor(_ExtractorModel):
    """A number (written any way, maybe hedged) followed, within a few words, by a counted noun."""

    type: Literal["quantity"]
    nouns: dict[str, str] = Field(description="Noun as written (any case) -> subject key.")
    subject_labels: dict[str, str] = Field(default_factory=dict)
    max_gap_words: int = Field(default=3, ge=0, le=8)
    modifiers_forbidden: list[str] = Field(
        default_factory=list,
        description="Words that, between the number and the noun, mean a different fact.",
    )
    context_forbidden: list[str] = Field(
        default_factory=list,
        description="Words that, within a few words before the number, mean a different fact.",
    )
    determiners_forbidden: list[str] = Field(
        default_factory=list,
        description="Words right before the figure that make it a back-reference "
        "('the two countries'), not a count.",
    )
    min_value: float = 0
    allow_vague: bool = Field(default=True, description="Accept 'tens of thousands' and the like.")
    relative_modifiers: list[str] = Field(
        default_factory=list,
        description="Words between the number and the noun that count what is left once "
        "something is set aside ('29 other members'): claimed, but never compared, since what "
        "is set aside may differ from source to source.",
    )
    context_nouns: list[str] = Field(
        default_factory=list,
        description="Nouns that count something only with a context word in their clause "
        "('spoken by phone five times'); the subject is the one whose context word it is.",
    )
    context_subjects: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Subject key -> context words for the context nouns ('calls': phone).",
    )
    owners: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Whose force or group a figure counts, named between figure and noun or "
        "just before the figure in its clause ('3,000 American troops', 'Russia has massed "
        "100,000 troops'): owner key -> its words, the first of them its label. Counts of "
        "different owners are different facts; a count naming none joins the one owner the "
        "story's counts name, and stands alone if they name several.",
    )
    planned_words: list[str] = Field(
        default_factory=list,
        description="Words in the figure's clause before it, or in the few words after it "
        "(not past an 'and'), that make it a figure planned or agreed, not one that happened "
        "('Hamas is to release 50 women and children', '200 trucks of aid are to enter each "
        "day'): such figures are facts of their own ('…:planned').",
    )
    estimators: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Who gave the figure, when its sentence says so ('police said 338,000 "
        "people were on the route', 'almost 2 million took part, organisers said', 'according "
        "to the police, ...'): estimator key -> its words. Estimates by different counters "
        "are different facts; a figure no one is said to have given joins the one estimator "
        "the story names, and stands alone if it names several (as owners do).",
    )
    estimate_verbs: list[str] = Field(
        default_factory=list,
        description="The verbs after an estimator that give the figure ('said', 'estimated', "
        "'put').",
    )
    speaker_words: list[str] = Field(
        default_factory=list,
        description="Words after an owner named before the figure that make it the speaker, "
        "not the owner ('Russia says 200,000 personnel are involved' may count Belarus's too).",
    )
    qualifiers: dict[str, dict[str, list[str]]] = Field(
        default_factory=dict,
        description="What happened to what is counted, said in the figure's clause, tells "
        "facts apart ('8,000 people rescued', 'evacuated 60,000 people'): subject key -> "
        "qualifier -> its words. A count with none of the words keeps the plain subject. "
        "The subject '*' gives the table of every subject that has none of its own.",
    )
    capitalized_modifiers: bool = Field(
        default=False,
        description="A capitalised word between figure and noun names a kind of what is "
        "counted ('13 Israeli hostages', '39 Palestinian prisoners'): a fact of its own, never "
        "set against the plain count ('24 hostages' may count every nationality).",
    )
    place_prepositions: list[str] = Field(
        default_factory=list,
        description="Prepositions after the noun (and its verb) whose capitalised object is "
        "where the counted stand: a fact of its own ('2,500 Russian troops have been deployed "
        "to Belarus' are not the 200,000 of the whole exercise; '22 people were arrested in "
        "Paris' are not the 43 arrested nationwide).",
    )
    place_subjects: list[str] = Field(
        default_factory=list,
        description="The subjects so scoped (none: every subject). Countries do not count "
        "differently where their ministers gathered.",
    )
    place_verbs: list[str] = Field(
        default_factory=list,
        description="Verbs that may stand between the noun and such a preposition "
        "('deployed', 'stationed', 'arrested', 'killed'), after auxiliaries ('have been').",
    )
    require_qualifier: bool = Field(
        default=False,
        description="Claim a figure only when a qualifier says what happened to what it "
        "counts ('13 pilots were killed'). A noun whose subject already names its qualifier "
        "('deaths': 'people:killed') needs none.",
    )
    nouns_before: dict[str, str] = Field(
        default_factory=dict,
        description="Nouns that name what a figure after them counts, joined by a link word "
        "('a force of 25,000', 'the force, estimated to be 15,000') -> subject key.",
    )
    links_before: list[str] = Field(
        default_factory=list,
        description="The words between such a noun and its figure ('of', 'numbering').",
    )
    links_above: list[str] = Field(
        default_factory=list,
        description="Link words that say the figure after them was passed ('the toll topped "
        "5,000', 'climbed past 11,000'): more than the figure.",
    )
    verbs_before: dict[str, str] = Field(
        default_factory=dict,
        description="Verbs right before a figure that no noun follows, naming what it counts "
        "('killing at least 60', 'wounding 30') -> subject key.",
    )
    max_gap_words_before: int = Field(
        default=0,
        ge=0,
        le=12,
        description="Words allowed between such a noun and its link word, in one clause and "
        "with no figure among them ('the death toll from Friday's attack rose to 115').",
    )
    elliptical_links: list[str] = Field(
        default_factory=list,
        description="'the 25,000 claimed by X', 'the 4,000 cited by Y': a figure with no noun, "
        "then one of these words; it counts what the nearest rule noun in its sentence names "
        "('estimates of rebel numbers').",
    )
    anchor: Literal["none", "date", "year"] = Field(
        default="none",
        description="date: the subject is tied to the day its sentence speaks of. year: only "
        "to another time the figure's clause names, a year other than the publication year "
        "('the Titanic sank in 1912 with the loss of 1,500 lives') or a month well before it "
        "('when the withdrawal was announced in April'): another event's figure, never set "
        "against this one's.",
    )


class MeasureExtractor(_ExtractorModel):
    """A number followed by a unit of measure (km, miles, hours), converted with pint."""

    type: Literal["measure"]
    units: dict[str, str] = Field(description="Unit as written -> pint unit name.")
    base_unit: str
    subjects: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Subject key -> context words; the nearest in the sentence decides.",
    )
    subject_labels: dict[str, str] = Field(default_factory=dict)
    subject_from_preposition: list[str] = Field(
        default_factory=list,
        description="Prepositions after the measure whose capitalised object names the subject "
        "('from Moscow', 'of Ukraine').",
    )
    context_forbidden: list[str] = Field(default_factory=list)
    determiners_forbidden: list[str] = Field(
        default_factory=list,
        description="Words right before the figure that make it another kind of time or "
        "distance ('in two weeks', 'the last two days').",
    )
    default_subject: str | None = None
    unit_subjects: dict[str, str] = Field(
        default_factory=dict,
        description="Unit (its pint name) -> a word for its scale: measures written in it are "
        "a fact of their own ('day': 'days': 'a two-day summit' is not set against 'six hours "
        "of talks').",
    )
    preferred_subjects: list[str] = Field(
        default_factory=list,
        description="Subject keys that name a part of another ('one_on_one' of 'talks'): one "
        "named in the figure's clause wins over a nearer subject word ('met for a little over "
        "two hours with only their interpreters present' is the one-on-one).",
    )
    undated_subjects: list[str] = Field(
        default_factory=list,
        description="With `anchor: date`, subject keys whose lengths span many days, so the "
        "day their sentence names does not date them ('69 days trapped after a cave-in on "
        "Aug. 5').",
    )
    counted_units: list[str] = Field(
        default_factory=list,
        description="Units (pint names) whose figures are counted, not measured: stated to "
        "the unit, they are capped as counts are ('69 days' is not '68 days', though 2% of "
        "each reaches the other).",
    )
    located_for_common_places: bool = Field(
        default=False,
        description="A measure from a common noun ('20 km from the border', 'from the "
        "capital') names what it locates too, the word just before the figure ('a target 20 "
        "km from the border', 'Kharkiv is about 40 km from the Russian border'): different "
        "things' distances from 'the border' are different facts; one naming nothing joins "
        "the one thing its place's distances name.",
    )
    followers_forbidden: list[str] = Field(
        default_factory=list,
        description="Words right after the measure that make it a gap between events, not a "
        "length ('48 hours after the strike', 'an hour into the descent').",
    )
    followers_required: list[str] = Field(
        default_factory=list,
        description="When set, a measure that qualifies no noun is claimed only when one of "
        "these words follows it ('the bridge is 1.6 miles long'; not 'crashed 300 km north of "
        "Moscow'). A measure before its noun ('the 1.6-mile bridge') needs none.",
    )
    noun_must_name_subject: bool = Field(
        default=False,
        description="A measure before the noun it qualifies ('a 72-hour ceasefire', 'six hours "
        "of waiting') is claimed only when that noun, or the word after it, is a subject "
        "word ('a three-hour meeting', 'six hours of talks').",
    )
    counterpart_words: list[str] = Field(
        default_factory=list,
        description="Words after which a person named in the measure's clause is who the "
        "event was held with ('seven hours of talks with Qin Gang', 'a meeting with President "
        "Xi that lasted 35 minutes'): meetings with different people are different facts, and "
        "a length naming no one joins the one person its day's lengths name.",
    )
    anchor: Literal["none", "date", "year"] = Field(
        default="none", description="As for the quantity extractor."
    )


class DateExtractor(_ExtractorModel):
    """A date (absolute, weekday-relative or chained) tied to an event named in its sentence."""

    type: Literal["date"]
    events: dict[str, list[str]] = Field(
        description="Event key -> trigger words; a date claim needs one in its sentence."
    )
    event_labels: dict[str, str] = Field(default_factory=dict)
    max_trigger_distance: int = Field(
        default=60,
        ge=0,
        description="How far (characters) from the date an event word may stand when a comma "
        "or other clause break lies between them.",
    )
    attribution_words: list[str] = Field(
        default_factory=list,
        description="Speech verbs right before a date ('said on Monday'): the date is when it "
        "was said, not when the event happened.",
    )
    tally_words: list[str] = Field(
        default_factory=list,
        description="Words that bring a running figure to a value ('rose to', 'stood at'): a "
        "date right after such a figure ('the toll rose to 126 on Saturday') is when it was "
        "counted, not when the event happened.",
    )
    phases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Moment key -> words just before a date, in its clause, that date that "
        "moment of talks held in several sessions ('broke off on Friday', 'resumed on "
        "Thursday'): a fact of its own ('meeting_resumption:vienna', labelled 'resumption of "
        "meeting in Vienna'), not the event's date.",
    )
    spoken_events: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Event key -> words that, right after an attributed date ('said Sunday in "
        "an interview', 'said on Friday on CNN's show'), make it the date of that event.",
    )
    generic_triggers: list[str] = Field(
        default_factory=list,
        description="Event words that yield to a more specific one after 'for' in their clause "
        "('met on Sunday for a dinner' is the dinner).",
    )
    event_qualifiers: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Event key -> prepositions whose capitalised object tells one such event "
        "from another ('an interview with ABC News'); without one the date is not claimed.",
    )
    event_requires: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Event -> words one of which its sentence must name for its trigger to "
        "count: 'struck' dates a disaster only beside 'earthquake' or 'storm' (a missile "
        "struck too), 'crashed' only beside 'plane' or 'train' (stocks crash too).",
    )
    place_prepositions: list[str] = Field(default_factory=lambda: ["in", "at"])
    place_stopwords: list[str] = Field(default_factory=list)
    require_place: bool = False
    unplaced_events: list[str] = Field(
        default_factory=list,
        description="Events a place in their sentence never names: a day of national "
        "mourning is the country's, not that of the hall where the attack was ('a day of "
        "mourning on Sunday after gunmen opened fire at the Crocus City Hall').",
    )


class ParticipantExtractor(_ExtractorModel):
    """A person named with a role ('Wendy Sherman, America's deputy secretary of state')."""

    type: Literal["participant"]
    roles: dict[str, list[str]] = Field(description="Role key -> role phrases as written.")
    anchor: Literal["none", "year"] = Field(
        default="none",
        description="year: a role named with another year in its clause is held then, not "
        "now ('President Bill Clinton and Russian President Boris Yeltsin in 1997'): another "
        "holder's fact, never set against today's. (A month does not: roles last years.)",
    )
    lead_words: list[str] = Field(default_factory=list)
    affiliations: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Affiliation key -> words that name it ('US': U.S., America, Washington).",
    )
    shared_roles: list[str] = Field(
        default_factory=list,
        description="Roles several people hold at once (deputy ministers): the person is part "
        "of the fact, so naming another holder is never a conflict.",
    )
    shared_prefixes: list[str] = Field(
        default_factory=list,
        description="Role prefixes ('deputy') whose roles several people hold at once, like "
        "`shared_roles`.",
    )
    role_prefixes: list[str] = Field(
        default_factory=list,
        description="Words before a role that make it a role of its own ('acting president', "
        "'interim prime minister'): whoever holds it is not set against the holder of the role.",
    )
    role_modifiers: list[str] = Field(
        default_factory=list,
        description="Lower-case words that may stand between an owner and its role "
        "('Washington's veteran negotiator', 'America's top diplomat').",
    )
    owner_nouns: list[str] = Field(
        default_factory=list,
        description="Common nouns that, after 'the', name a role's owner by reference ('the "
        "secretary-general of the alliance', 'the country's delegation'). Such an owner is not "
        "resolved, so the person stays part of the fact and nothing conflicts.",
    )
    group_nouns: list[str] = Field(
        default_factory=list,
        description="'EU officials, including the foreign policy chief, Josep Borrell': plural "
        "nouns whose owner is the owner of a role named in the group.",
    )
    counterpart_words: list[str] = Field(
        default_factory=list,
        description="'President X and his Chinese counterpart, Y': Y holds X's role for the "
        "owner named before the word.",
    )


class OfficeExtractor(_ExtractorModel):
    """The office each person is said to hold ('Miami-Dade County Mayor Daniella Levine Cava'):
    the role phrases another rule (a `participant` rule) finds, read the other way round.
    That rule's fact is whose the role is; this one's is what the person is."""

    type: Literal["office"]
    roles_from: str = Field(
        default="participant",
        description="Id of the participant rule whose roles, owners and people are read.",
    )
    anchor: Literal["none", "year"] = Field(
        default="year",
        description="year: an office named with another year in its clause was held then "
        "('Vice President Joe Biden visited Kyiv in 2014'), a fact of its own.",
    )


class QuotationExtractor(_ExtractorModel):
    """A direct quotation in quotation marks and the speaker it is attributed to."""

    type: Literal["quotation"]
    speech_verbs: list[str]
    min_words: int = Field(default=5, ge=1)
    institutions: list[str] = Field(
        default_factory=list,
        description="Last words of a body's name ('the State Department', 'the Foreign "
        "Ministry'); bodies named in the participant rules count too. A body is a speaker "
        "only in a statement or readout ('said in a statement', 'a White House readout said').",
    )
    statement_words: list[str] = Field(
        default_factory=list,
        description="What a body speaks in: statement, readout, communique.",
    )


Extractor = Annotated[
    QuantityExtractor
    | MeasureExtractor
    | DateExtractor
    | ParticipantExtractor
    | OfficeExtractor
    | QuotationExtractor,
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------- comparators


class IntervalComparator(RuleModel):
    """Agree when the ranges overlap."""

    type: Literal["interval"]
    tolerance: float = Field(default=0.0, ge=0, le=1, description="Relative slack on each bound.")
    floors_within: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description=(
            "Two figures stated only as floors ('more than 2,200', 'more than 2,700') agree "
            "only when the lower floor is within this fraction of the higher: newsrooms round "
            "a floor down to the figure they have, so floors far apart are different figures. "
            "Unset, floors always agree (their ranges overlap)."
        ),
    )


class DateComparator(RuleModel):
    """Agree on the same day; a bare weekday agrees with any date on that weekday."""

    type: Literal["date"]


class PersonComparator(RuleModel):
    """Agree when the same person holds the role in every source."""

    type: Literal["person"]


class OfficeComparator(RuleModel):
    """Agree when every source gives a person the same office: the same role, and owners one
    of which says more of the other ('county mayor', 'Miami-Dade County mayor')."""

    type: Literal["office"]
    generic_roles: list[str] = Field(
        default_factory=list,
        description="Roles that say only that the person leads or speaks for the owner "
        "('leader', 'chief', 'spokesperson'): they fit any role of the same owner.",
    )
    any_roles: list[str] = Field(
        default_factory=list,
        description="Roles held in the story's event rather than offices (a delegation's "
        "head, an envoy): they fit any office.",
    )


class QuotationComparator(RuleModel):
    """Same speaker, nearly the same words: differing wording is a misquotation warning."""

    type: Literal["quotation"]
    pair_threshold: float = Field(default=60, ge=0, le=100)
    same_threshold: float = Field(default=100, ge=0, le=100)


Comparator = Annotated[
    IntervalComparator | DateComparator | PersonComparator | OfficeComparator | QuotationComparator,
    Field(discriminator="type"),
]


class Messages(RuleModel):
    conflict: str = "{sources_values}: the values are incompatible."
    agree: str = "{count} sources agree: {value}."
    single_source: str = "Only {source} reports this: {value}."


class Rule(RuleModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_\-]*$")
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = ""
    severity: Severity = Severity.ERROR
    extract: Extractor
    compare: Comparator
    messages: Messages = Messages()
    enabled: bool = True
    changes_over_time: bool = Field(
        default=False,
        description="The figure grows or shrinks as a story develops (death tolls, people "
        "rescued): a conflict between sources published on different days says when each was "
        "published, for the editor to weigh.",
    )
    yields_to: list[str] = Field(
        default_factory=list,
        description="Ids of rules that say more about a figure: a claim of this rule whose "
        "span another claim of one of them overlaps is left to that rule ('81 people, "
        "including the police officers, were injured' is a toll, not a count of people).",
    )
    tests: list[RuleCase] = Field(
        default_factory=list,
        description="Test cases run by `claimcheck rules test` (see claimcheck.ruletest).",
    )


# --------------------------------------------------------------------------- shared tables


class Hedge(RuleModel):
    """A word before a figure that turns it into a range."""

    words: list[str]
    shape: Literal["band", "above", "just_above", "below", "at_least", "at_most"]
    width: float = Field(default=0.1, ge=0, le=10, description="Relative width of the range.")


class VagueNumber(RuleModel):
    """A figure written as words with no digits: 'tens of thousands'."""

    phrase: str
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> VagueNumber:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class PersonAlias(RuleModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)


class RuleFile(RuleModel):
    """One YAML file. It may hold rules, hedge tables, vague numbers and people, in any mix."""

    rules: list[Rule] = Field(default_factory=list)
    hedges: list[Hedge] = Field(default_factory=list)
    exact_width: float | None = Field(
        default=None, ge=0, le=1, description="Rounding slack on a bare figure ('100,000')."
    )
    vague_numbers: list[VagueNumber] = Field(default_factory=list)
    people: list[PersonAlias] = Field(default_factory=list)

    @field_validator("rules", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [] if value is None else value


class RuleSet(RuleModel):
    """All loaded rules and tables, merged in load order."""

    rules: tuple[Rule, ...]
    rule_files: dict[str, str] = Field(description="Rule id -> file it came from.")
    hedges: tuple[Hedge, ...]
    exact_width: float = 0.02
    vague_numbers: tuple[VagueNumber, ...]
    people: tuple[PersonAlias, ...]

    def by_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


# --------------------------------------------------------------------------- loading


def load_rules(
    extra_dirs: Sequence[Path] = (), include_defaults: bool = True, include_disabled: bool = False
) -> RuleSet:
    """Load the default rules, then each extra folder; a later rule with the same id is an error.

    `include_disabled` keeps `enabled: false` rules so a config's `enable` can switch them on.
    """
    folders = ([DEFAULT_RULES_DIR] if include_defaults else []) + list(extra_dirs)
    files: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            raise RuleError(f"{folder}: rules folder not found")
        files.extend(sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")))
    return _merge(((path, load_rule_file(path)) for path in files), include_disabled)


def load_rule_file(path: Path) -> RuleFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file ({exc.strerror})") from None
    if len(raw) > MAX_RULE_FILE_BYTES:
        raise RuleError(f"{path}: rule file is larger than {MAX_RULE_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RuleError(f"{path}: rule file is not UTF-8") from None
    node, data = parse_yaml(text, str(path), RuleError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RuleError(f"{path}:1: a rule file must be a mapping, not {type(data).__name__}")
    if "id" in data:  # a file holding a single rule
        node = _wrap_single(node)
        data = {"rules": [data]}
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        line = line_of(node, loc)
        field = ".".join(str(p) for p in yaml_path(node, loc))
        where = f":{line}" if line else ""
        raise RuleError(f"{path}{where}: field '{field}': {error['msg']}") from None


def _wrap_single(node: yaml.Node | None) -> yaml.Node | None:
    if node is None:
        return None
    mark = node.start_mark
    seq = yaml.SequenceNode(tag="tag:yaml.org,2002:seq", value=[node], start_mark=mark)
    key = yaml.ScalarNode(tag="tag:yaml.org,2002:str", value="rules", start_mark=mark)
    return yaml.MappingNode(tag="tag:yaml.org,2002:map", value=[(key, seq)], start_mark=mark)


def _merge(loaded: Iterable[tuple[Path, RuleFile]], include_disabled: bool = False) -> RuleSet:
    rules: list[Rule] = []
    rule_files: dict[str, str] = {}
    hedges: list[Hedge] = []
    vague: list[VagueNumber] = []
    people: list[PersonAlias] = []
    exact_width = 0.02
    for path, rule_file in loaded:
        for rule in rule_file.rules:
            if rule.id in rule_files:
                raise RuleError(
                    f"{path}: field 'rules.id': duplicate rule id '{rule.id}' "
                    f"(first defined in {rule_files[rule.id]})"
                )
            rule_files[rule.id] = path.as_posix()
            rules.append(rule)
        hedges.extend(rule_file.hedges)
        vague.extend(rule_file.vague_numbers)
        people.extend(rule_file.people)
        if rule_file.exact_width is not None:
            exact_width = rule_file.exact_width
    return RuleSet(
        rules=tuple(r for r in rules if r.enabled or include_disabled),
        rule_files=rule_files,
        hedges=tuple(hedges),
        exact_width=exact_width,
        vague_numbers=tuple(vague),
        people=tuple(people),
    )
