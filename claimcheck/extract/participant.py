"""People named with a role: 'Wendy Sherman, America's deputy secretary of state'.

The fact is the role (with whose role it is: 'deputy_secretary_of_state:us'), the value is the
person. A role with no affiliation in the phrase ('President Biden') is not a claim at all: it
could be any country's president, and a false conflict costs more than a missed agreement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from claimcheck.extract import Finder, register
from claimcheck.extract.triggers import (
    matches_at_words,
    opening_words,
    sentences_with,
    trigger_words,
)
from claimcheck.models import RawClaim
from claimcheck.normalize.names import (
    NON_NAME_WORDS,
    TITLES,
    NameMention,
    NameSpotter,
    PeopleIndex,
    affiliation_label,
    fold,
    learned_people,
    role_label,
    spotter_for,
    word_set,
)
from claimcheck.rules import ParticipantExtractor, Rule, RuleSet
from claimcheck.text import Document

# Generic English. A role held in the past or future is not who holds it now.
DISQUALIFIERS = word_set(
    """former late ex onetime one-time erstwhile outgoing incoming future would-be
    self-proclaimed self-styled so-called next previous past retired deposed ousted
    designated designate nominee alleged fake"""
)
# Words after a role phrase that leave it a role ('president of', 'minister, said').
FOLLOWERS = word_set(
    """of for to in at and or said says say told tells added who which that was is were are
    has have had will would could should can may might on from with since after before
    during when as but also again until while whose"""
)
AUXILIARIES = r"(?:(?:will|would|was|were|is|are|has|have|had|been|be|being|to)\s+){0,3}"
GENERIC_ORG_WORDS = word_set("group company corporation party organisation organization")
# Words that end a place's name and are no one's name ('Orange County Mayor', 'Kherson Region
# governor'): part of an owner, though they break a person's name.
_DIVISION_WORDS = word_set("county city region province district oblast prefecture borough")
_OBJECT_CLAUSE = re.compile(r"(?:(?:[A-Z]\.){2,}|[^,;:.()“”\"])*")  # 'U.S.' ends none
_OBJECT_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\s,;:.()“”\"]+")
_LOOK_BACK = 64  # characters: longer than any affiliation or word before a role
_WORD_BEFORE = re.compile(r"(?P<word>[^\s,;:()“”\"]+)\s+$")
_WORD_AFTER = re.compile(r"^\s+(?P<word>[^\s,;:()“”\".]+)")
_POSSESSIVE_END = re.compile(r"[’']s?$")
_ORG_WORD = re.compile(r"^[A-Z][\w\-&]*(?:[’']s?)?$")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_NO_CLAUSE_BREAK = re.compile(r"[^,;:()“”\"]*")
_AND_GAP = re.compile(r"\s+and\s+")
_LOWER_WORD = re.compile(r"[a-z][\w\-]*(?=[\s,;:.()“”\"]|$)")
_WORD_SPLIT = re.compile(r"[\s\-]+")
_CONSONANT_Y = re.compile(r"[^aeiou]y$")
_SIBILANT_END = re.compile(r"(?:s|sh|ch|x)$")
_PLURAL_S = re.compile(r"s$")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_COMPLEMENT = re.compile(r"\s+(?P<prep>of|for|to)\s+(?:the\s+)?")
_CAPITAL_NEXT = re.compile(r"\s+[A-Z]")
_LOWER_WORDS = re.compile(r"\s+(?P<words>[a-z][\w\-]*(?: [a-z][\w\-]*){0,2})")
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_COMMA_GAP = re.compile(r",?\s+")
_APPOSITION_GAP = re.compile(r",\s+(?:(?:the|a|an)\s+)?$")
_WHO_ALSO_END = re.compile(r"(?:,?\s+who)?(?:\s+also)?\s*$")
_OTHER_CLAUSE = re.compile(r"[;:()]|\b(?:who|whom|whose|which)\b|,\s+and\b")
_UNPUNCTUATED = re.compile(r"[^.!?\"”’:]")  # how a sentence ends that may be a headline
_HYPHEN_PREFIX = re.compile(r"(?<![\w\-])([A-Za-z]+-)$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their)\s+$", re.IGNORECASE)


def _held_before(folded: str, text: str, start: int, at: int) -> bool:
    """Whether the word at `at` says the role is not held now: 'former', 'ex-', 'then-', 'the
    then' ('the then foreign minister'; a plain 'then' is the adverb)."""
    head = folded.split("-")[0]
    if folded.strip("’'") in DISQUALIFIERS or head in DISQUALIFIERS:
        return True
    return head == "then" and (
        "-" in folded or _THE_BEFORE.search(text, max(start, at - 8), at) is not None
    )


def _phrase_pattern(phrases: list[str]) -> str:
    """Longest first, any run of spaces or hyphens between words, never inside a longer word."""
    return r"(?<![\w\-’'])(?:" + _phrase_alternation(phrases) + r")(?![\w\-])"


def _phrase_alternation(phrases: list[str]) -> str:
    parts = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        words = [re.escape(w) for w in _WORD_SPLIT.split(phrase.strip()) if w]
        if words:
            parts.append(r"[\s\-]+".join(words))
    return "|".join(parts) or "(?!x)x"


def _plural(phrase: str) -> str:
    """'foreign minister' -> 'foreign ministers', 'secretary of state' -> 'secretaries of state'."""
    words = phrase.split()
    head = next((i for i, w in enumerate(words) if w in ("of", "for", "to")), len(words)) - 1
    word = words[head]
    if _CONSONANT_Y.search(word):
        word = word[:-1] + "ies"
    elif _SIBILANT_END.search(word):
        word += "es"
    else:
        word += "s"
    return " ".join([*words[:head], word, *words[head + 1 :]])


def _nouns(words: str) -> list[str]:
    """The words of a lower-case run up to the first that cannot go on a noun phrase."""
    taken = []
    for word in words.split():
        if fold(word) in FOLLOWERS:
            break
        taken.append(word)
    return taken


def _key(phrase: str) -> str:
    return " ".join(_WORD_SPLIT.split(fold(phrase).strip()))


@dataclass(frozen=True)
class _Affiliation:
    key: str
    text: str
    listed: bool  # named in the rule's affiliation table, not just a capitalised modifier
    start: int
    end: int


@dataclass(frozen=True)
class _Role:
    """A role phrase in the text with the modifiers in front of it and its complement after."""

    role: str  # 'ambassador_to_osce'
    base: str  # 'ambassador', as the rule names it
    start: int  # first modifier
    end: int  # end of the phrase or its complement
    phrase_start: int
    phrase_end: int
    affiliation: _Affiliation | None
    label: str = ""  # 'ambassador to the OSCE'
    prefix: str | None = None  # 'acting', 'deputy': a role of its own (`role_prefixes`)


@dataclass(frozen=True)
class _Found:
    role: _Role
    affiliation: _Affiliation
    mention: NameMention
    start: int
    end: int


@dataclass
class ParticipantFinder:
    rule: Rule
    people: PeopleIndex
    table: object  # the ruleset's people: finders built from one table share what they learn
    config: ParticipantExtractor = field(init=False)
    _roles: dict[str, str] = field(init=False)
    _role_re: re.Pattern[str] = field(init=False)
    _role_triggers: tuple[str, ...] = field(init=False)  # a sentence naming a role has one
    _role_openers: tuple[str, ...] = field(init=False)  # what every `_role_re` match opens with
    _affiliations: dict[str, str] = field(init=False)
    _aff_end_re: re.Pattern[str] = field(init=False)
    # `_aff_end_re` read backwards, anchored where the forward search must end: whether an
    # affiliation can end there at all, tried at one place instead of at every start.
    _aff_end_reversed_re: re.Pattern[str] = field(init=False)
    _reversed: tuple[str, str] = field(init=False)  # the last text seen, and it reversed
    _aff_start_re: re.Pattern[str] = field(init=False)
    _passive_re: re.Pattern[str] | None = field(init=False)
    _active_re: re.Pattern[str] | None = field(init=False)
    _appositive_re: re.Pattern[str] | None = field(init=False)
    _role_words: frozenset[str] = field(init=False)
    _affiliations_longest_first: list[tuple[str, re.Pattern[str], str]] = field(init=False)
    # Role phrase -> where in it an affiliation stands, and whose: a document names the same
    # few roles again and again, and the search goes through every affiliation word.
    _affiliation_spans: dict[str, tuple[int, int, str] | None] = field(init=False)
    _modifiers: frozenset[str] = field(init=False)
    _prefixes: frozenset[str] = field(init=False)
    _group_re: re.Pattern[str] | None = field(init=False)
    _owner_nouns: frozenset[str] = field(init=False)
    _counterpart_re: re.Pattern[str] | None = field(init=False)
    _respective_re: re.Pattern[str] | None = field(init=False)
    _plural_re: re.Pattern[str] | None = field(init=False)
    _plurals: dict[str, str] = field(init=False)
    _appositive_leads: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        config = self.rule.extract
        assert isinstance(config, ParticipantExtractor)
        self.config = config
        self._roles = {_key(p): role for role, phrases in config.roles.items() for p in phrases}
        self._role_re = re.compile(_phrase_pattern(list(self._roles)), re.IGNORECASE)
        self._role_words = frozenset(w for phrase in self._roles for w in phrase.split())
        self._affiliations = {
            _key(word): key for key, words in config.affiliations.items() for word in words
        }
        self._affiliation_spans = {}
        self._affiliations_longest_first = [
            (word, re.compile(rf"(?<!\w){re.escape(word)}(?!\w)"), key)
            for word, key in sorted(self._affiliations.items(), key=lambda kv: -len(kv[0]))
        ]
        words = [w for ws in config.affiliations.values() for w in ws] or ["(?!x)x"]
        alternation = "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: -len(w))
        )
        self._aff_end_re = re.compile(
            rf"(?<![\w.])(?P<aff>{alternation})(?P<poss>[’']s?)?\s+$", re.IGNORECASE
        )
        reversed_alternation = "|".join(
            re.escape(w[::-1]).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: -len(w))
        )
        self._aff_end_reversed_re = re.compile(
            rf"\s+(?:s?[’'])?(?:{reversed_alternation})", re.IGNORECASE
        )
        self._reversed = ("", "")
        self._aff_start_re = re.compile(
            rf"^\s*(?P<aff>{alternation})(?P<poss>[’']s?)?(?![\w])", re.IGNORECASE
        )
        passive = [w for w in config.lead_words if w.split()[-1] == "by"]
        appositive = [w for w in config.lead_words if w.split()[-1] == "of"]
        active = [w for w in config.lead_words if w not in passive and w not in appositive]
        self._passive_re = _lead_re(passive, r"^\s*,?\s*" + AUXILIARIES + r"(?:{})\s+")
        self._active_re = _lead_re(active, r"\s(?:{})\s+(?:the|a|an|its|his|her|their)\s+$")
        self._appositive_re = _lead_re(appositive, r",\s+(?:the\s+)?(?:{})\s+(?:the\s+)?$")
        self._appositive_leads = frozenset(_key(w) for w in appositive)
        self._modifiers = frozenset(fold(w) for w in config.role_modifiers)
        self._prefixes = frozenset(fold(w) for w in config.role_prefixes)
        groups = "|".join(re.escape(w) for w in config.group_nouns)
        self._group_re = (
            re.compile(
                rf"(?<![\w.])(?P<aff>{alternation})\s+(?:{groups}),?\s+"
                r"(?:including|among\s+them|such\s+as)\s+(?:the\s+)?$",
            )
            if groups
            else None
        )
        self._owner_nouns = frozenset(fold(w) for w in config.owner_nouns)
        counterpart = "|".join(re.escape(w) for w in config.counterpart_words)
        self._counterpart_re = (
            re.compile(
                rf"\b(?:his|her|their|its)\s+(?P<aff>{alternation})\s+(?:{counterpart})\b,?\s+",
                re.IGNORECASE,
            )
            if counterpart
            else None
        )
        # "… before both led their respective delegations"
        self._respective_re = _lead_re(
            active,
            r"\b(?:both|each)\s+(?:(?:also|then|later|had|have|has|were|was)\s+)?(?:{})\s+"
            r"their\s+respective\s+(?P<noun>[a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)",
        )
        # "X and Y … as presidents of the U.S. and China"
        self._plurals = {_key(_plural(p)): role for p, role in self._roles.items()}
        # A sentence that can name a role holds one of these words (a role's or its plural's).
        self._role_triggers = trigger_words([*self._roles, *self._plurals])
        self._role_openers = opening_words(self._roles)
        self._plural_re = re.compile(
            r"\bas\s+(?:the\s+)?(?P<roles>"
            + _phrase_alternation(list(self._plurals))
            + rf")\s+of\s+(?:the\s+)?(?P<a1>{alternation})\s+and\s+(?:the\s+)?"
            rf"(?P<a2>{alternation})(?![\w])",
            re.IGNORECASE,
        )

    # ------------------------------------------------------------------ finding

    def find(self, doc: Document) -> Iterator[RawClaim]:
        return iter(self.holders(doc))

    def holders(self, doc: Document) -> list[RawClaim]:
        """This rule's claims of the document, found once for it and for any rule that reads
        them the other way round (an `office` rule: what each person is)."""
        return doc.shared(("participant-claims", id(self.config)), lambda: list(self._find(doc)))

    def _find(self, doc: Document) -> Iterator[RawClaim]:
        people = learned_people(doc, self.people, self.table)
        spotter = spotter_for(doc)
        seen: set[tuple[str, str, int]] = set()
        kept: list[_Found] = []
        for start, end in sentences_with(doc, self._role_triggers):
            for found in self._in_sentence(doc, spotter, start, end, people):
                key = (found.role.role, found.affiliation.key, found.mention.start)
                if key not in seen:
                    seen.add(key)
                    kept.append(found)
        respective: list[tuple[int, int]] = []
        if self._respective_re is not None:
            for start, end in sentences_with(doc, ("respective",)):
                if self._respective_re.search(doc.text, start, end):
                    respective.append((start, end))
        for start, end in respective:
            for found in self._respective(spotter, start, end, people, kept):
                key = (found.role.role, found.affiliation.key, found.mention.start)
                if key not in seen:
                    seen.add(key)
                    kept.append(found)
        for found in kept:
            yield self._claim(doc, people, found)

    def _respective(
        self,
        spotter: NameSpotter,
        start: int,
        end: int,
        people: PeopleIndex,
        known: list[_Found],
    ) -> list[_Found]:
        """'Wendy Sherman … had dined with Ryabkov before both led their respective
        delegations': each of the two people named heads the delegation of the country the
        article gives them (in this sentence first, else anywhere, if only one)."""
        text = spotter.text
        assert self._respective_re is not None
        match = self._respective_re.search(text, start, end)
        if match is None:
            return []
        words = match.group("noun").split()
        role_key = None
        noun_end = match.end("noun")
        for noun in (" ".join(words), words[0]):
            role_key = self._roles.get(_key(_PLURAL_S.sub("", noun)))
            if role_key is not None:
                noun_end = match.start("noun") + len(noun)
                break
        if role_key is None:
            return []
        persons: dict[str, NameMention] = {}
        for mention in spotter.find(start, match.start(), people):
            persons.setdefault(people.key(people.expand(mention.name)), mention)
        if len(persons) != 2:
            return []
        out = []
        for person, mention in persons.items():
            here = {
                f.affiliation.key: f.affiliation
                for f in known
                if f.affiliation.listed
                and start <= f.start < end
                and people.key(people.expand(f.mention.name)) == person
            }
            anywhere = {
                f.affiliation.key: f.affiliation
                for f in known
                if f.affiliation.listed and people.key(people.expand(f.mention.name)) == person
            }
            owners = here or anywhere
            if len(owners) != 1:
                continue
            (owner,) = owners.values()
            role = _Role(
                role=role_key,
                base=role_key,
                start=match.start(),
                end=noun_end,
                phrase_start=match.start("noun"),
                phrase_end=noun_end,
                affiliation=owner,
                label=role_label(role_key),
            )
            out.append(_Found(role, owner, mention, match.start(), noun_end))
        return out

    def _in_sentence(
        self, doc: Document, spotter: NameSpotter, start: int, end: int, people: PeopleIndex
    ) -> list[_Found]:
        text = spotter.text
        names = spotter.find(start, end, people)
        if not names and _UNPUNCTUATED.match(text, end - 1):
            names = self._headline_names(spotter, start, end, people)
        if not names:
            return []
        by_start = {m.start: m for m in names}
        by_end = {m.end: m for m in names}
        found: list[tuple[_Role, _Affiliation | None, NameMention, int, int]] = []
        consumed: set[int] = set()
        for match in matches_at_words(self._role_re, doc, self._role_openers, start, end):
            if match.start() in consumed:
                continue
            role = self._parse_role(text, start, end, match)
            if role is None:
                continue
            lead = self._lead(text, start, end, role, by_start, by_end)
            if lead is not None:
                mention, span_start, span_end, title = lead
                found.append((role, role.affiliation, mention, span_start, span_end))
                if title is not None:
                    # "the U.S. delegation will be led by Deputy Secretary of State Wendy
                    # Sherman": her title is the delegation's country's.
                    consumed.add(title.phrase_start)
                    affiliation = title.affiliation or role.affiliation
                    found.append((title, affiliation, mention, title.start, mention.end))
                continue
            after = self._name_after(text, role.end, end, by_start)
            if after is not None:
                mention, span_end = after
                affiliation = (
                    role.affiliation
                    or self._of_affiliation(text, mention.end, end)
                    or self._group_affiliation(text, start, role.start)
                )
                found.append((role, affiliation, mention, role.start, span_end))
                continue
            shared = self._coordinated(text, end, role, by_start)
            if shared is not None:
                mention, span_end = shared
                found.append((role, role.affiliation, mention, role.start, span_end))
                continue
            before = self._name_before(text, start, role, by_end)
            if before is not None and self._stands_alone(text, role.phrase_end, end):
                found.append((role, role.affiliation, before, before.start, role.end))
        found.extend(self._counterparts(text, start, end, by_start))
        found.extend(self._plural_roles(text, start, end, names))
        # Whose president? Without an affiliation there is no claim.
        return [_Found(r, a, m, s, e) for r, a, m, s, e in found if a is not None]

    def _headline_names(
        self, spotter: NameSpotter, start: int, end: int, people: PeopleIndex
    ) -> list[NameMention]:
        """In a Title Case headline ('… Meets with U.S. President Joe Biden in Bali') a run of
        capitals may swallow a verb ('Xi Jinping Meets'): only names the article also writes
        elsewhere are taken."""
        text = spotter.text
        return [
            mention
            for mention in spotter.find(start, end, people, headline_ok=True)
            if len(mention.name.split()) > 1
            and (text.find(mention.name, 0, start) >= 0 or text.find(mention.name, end) >= 0)
        ]

    def _group_affiliation(self, text: str, start: int, pos: int) -> _Affiliation | None:
        """'some EU officials, including the foreign policy chief, Josep Borrell': the owner
        of the group the person is counted in."""
        if self._group_re is None:
            return None
        found = self._group_re.search(text, max(start, pos - 80), pos)
        if found is None:
            return None
        return self._listed(found.group("aff"), found.start("aff"))

    def _coordinated(
        self, text: str, end: int, role: _Role, by_start: dict[int, NameMention]
    ) -> tuple[NameMention, int] | None:
        """'Polish Foreign Minister and OSCE Chairman Zbigniew Rau': both roles are his."""
        gap = _AND_GAP.match(text, role.end, end)
        if gap is None or role.affiliation is None or not text[role.phrase_start].isupper():
            return None
        if _DETERMINER_BEFORE.search(text, max(0, role.start - 8), role.start):
            return None  # "the French President and German Chancellor Olaf Scholz": two people
        pos = gap.end()
        second = self._role_re.search(text, pos, min(end, pos + 60))
        if second is None:
            return None
        parsed = self._parse_role(text, pos, end, second)
        if parsed is None or parsed.start != pos:
            return None
        return self._name_after(text, parsed.end, end, by_start)

    def _counterparts(
        self, text: str, start: int, end: int, by_start: dict[int, NameMention]
    ) -> list[tuple[_Role, _Affiliation | None, NameMention, int, int]]:
        """'President Biden and his Chinese counterpart, Xi Jinping': Xi is China's president.
        The role is the one named after the word ('his U.S. counterpart, President X') or else
        the nearest one before it in the sentence."""
        if self._counterpart_re is None:
            return []
        out: list[tuple[_Role, _Affiliation | None, NameMention, int, int]] = []
        for match in self._counterpart_re.finditer(text, start, end):
            written = match.group("aff")
            owner = self._listed(written, match.start("aff")) if written[0].isupper() else None
            if owner is None:
                continue
            pos = match.end()
            role: _Role | None = None
            mention: NameMention | None = None
            title = self._role_re.match(text, pos, end)
            if title is not None:
                role = self._parse_role(text, pos, end, title)
                after = self._name_after(text, role.end, end, by_start) if role else None
                mention = after[0] if after else None
            else:
                mention = by_start.get(pos)
                for candidate in self._role_re.finditer(text, start, match.start()):
                    role = self._parse_role(text, start, end, candidate) or role
                if role is not None and _OTHER_CLAUSE.search(text, role.end, match.start()):
                    continue  # "Wang Yi, who met President Biden, and his US counterpart"
            if role is None or mention is None:
                continue
            role = replace(role, affiliation=owner)
            out.append((role, owner, mention, match.start(), mention.end))
        return out

    def _plural_roles(
        self, text: str, start: int, end: int, names: list[NameMention]
    ) -> list[tuple[_Role, _Affiliation | None, NameMention, int, int]]:
        """'Joe Biden and Xi Jinping held their first meeting as presidents of the U.S. and
        China': each holds the role for the owner in the same place of the list."""
        out: list[tuple[_Role, _Affiliation | None, NameMention, int, int]] = []
        if self._plural_re is None:
            return out
        for match in self._plural_re.finditer(text, start, end):
            owners = [
                self._listed(match.group(g), match.start(g))
                for g in ("a1", "a2")
                if match.group(g)[0].isupper()
            ]
            before = [n for n in names if n.end <= match.start()]
            if len(owners) != 2 or None in owners or len(before) < 2:
                continue
            first, second = before[-2], before[-1]
            joined = _AND_GAP.fullmatch(text, first.end, second.start)
            clause = _NO_CLAUSE_BREAK.fullmatch(text, second.end, match.start())
            if joined is None or clause is None or match.start() - second.end > 100:
                continue
            key = self._plurals.get(_key(match.group("roles")))
            if key is None:
                continue
            for mention, owner in zip((first, second), owners, strict=True):
                assert owner is not None
                role = _Role(
                    role=key,
                    base=key,
                    start=first.start,
                    end=match.end(),
                    phrase_start=match.start("roles"),
                    phrase_end=match.end("roles"),
                    affiliation=owner,
                    label=role_label(key),
                )
                out.append((role, owner, mention, first.start, match.end()))
        return out

    def _claim(self, doc: Document, people: PeopleIndex, found: _Found) -> RawClaim:
        role, affiliation = found.role, found.affiliation
        name = people.expand(found.mention.name)
        person_key = people.key(name)
        aff_text = affiliation_label(self.config, affiliation.key, affiliation.text)
        subject = f"{role.role}:{affiliation.key}"
        if (
            role.base in self.config.shared_roles
            or role.prefix in self.config.shared_prefixes
            or not affiliation.listed
        ):
            # Several people hold this role at once (or we cannot tell whose it is): the fact
            # is that this person holds it, which another holder does not contradict.
            subject = f"{subject}/{person_key}"
        return RawClaim(
            kind=self.rule.kind,
            rule=self.rule.id,
            span=doc.span(found.start, found.end),
            subject=subject,
            subject_label=f"{aff_text} {role.label}",
            parts={
                "name": name,
                "mention": found.mention.name,
                "role": role.role,
                "role_label": role.label,
                "affiliation": affiliation.key,
                "affiliation_text": affiliation.text,
                "person_key": person_key,
            },
        )

    # ------------------------------------------------------------------ role phrases

    def _parse_role(self, text: str, start: int, end: int, match: re.Match[str]) -> _Role | None:
        """The phrase with what stands before it ('former', 'Russian', 'deputy US')."""
        role = self._roles.get(_key(match.group()))
        if role is None:
            return None
        affiliation = self._affiliation_in(match.group(), match.start())
        org: list[tuple[int, str]] = []
        pos = match.start()
        coordination = False
        prefix_word: str | None = None  # 'acting', 'interim': a role of its own
        while pos > start:
            # Only the end of the text before matters: the spaces, then a bounded stretch.
            gap = pos
            while gap > start and text[gap - 1].isspace():
                gap -= 1
            reach = max(start, gap - _LOOK_BACK)
            aff = self._affiliation_ending(text, reach, pos)
            if aff is not None and aff.group("aff")[0].isupper():
                prefix = _HYPHEN_PREFIX.search(text, max(start, aff.start() - 16), aff.start())
                if prefix is not None and _held_before(fold(prefix.group(1)), text, start, pos):
                    return None  # "the then-US president", "ex-Soviet leader"
                if affiliation is None:
                    affiliation = self._listed(aff.group("aff"), aff.start())
                pos = aff.start()
                continue
            word_match = _WORD_BEFORE.search(text, reach, pos)
            if word_match is None:
                break
            word = word_match.group("word")
            folded = fold(word)
            word_start = word_match.start()
            longer = self._roles.get(_key(f"{word} {match.group()}"))
            if longer is not None:
                role = longer
                pos = word_start
                continue
            if _held_before(folded, text, start, word_start):
                return None
            owner = _POSSESSIVE_END.sub("", folded)
            if (
                affiliation is None
                and not org
                and owner != folded
                and owner in self._owner_nouns
                and _THE_BEFORE.search(text, max(start, word_start - 8), word_start)
            ):
                # "the alliance’s secretary-general": whose is not resolved here
                written = _POSSESSIVE_END.sub("", word)
                word_end = word_start + len(word)
                affiliation = _Affiliation(owner, written, False, word_start, word_end)
                pos = word_start
                break
            if folded in self._prefixes and prefix_word is None and not coordination:
                # "South Korea's acting president", "the acting South Korean president"
                prefix_word = folded
                pos = word_start
                continue
            if folded in self._modifiers and affiliation is None and not org and not coordination:
                pos = word_start  # "Washington’s veteran negotiator"
                continue
            if folded == "and" and not coordination and affiliation is None:
                # "Chinese State Councilor and Foreign Minister Wang Yi"
                coordination = True
                pos = word_start
                continue
            if coordination:
                if _POSSESSIVE_END.sub("", folded) in self._role_words or folded in TITLES:
                    pos = word_start
                    continue
                break
            if _ORG_WORD.match(word) and (
                folded not in NON_NAME_WORDS or _POSSESSIVE_END.sub("", folded) in _DIVISION_WORDS
            ):
                if affiliation is None:
                    org.insert(0, (word_start, word))  # "Wagner chief", "Rostov governor"
                pos = word_start
                continue
            break
        if coordination and org:
            org = []
        if affiliation is None and org:
            words = [w for _, w in org if fold(w) not in GENERIC_ORG_WORDS] or [w for _, w in org]
            written = " ".join(_POSSESSIVE_END.sub("", w) for w in words)
            key = _NOT_KEY.sub("_", fold(written)).strip("_")
            if key:
                affiliation = _Affiliation(key, written, False, org[0][0], match.start())
        chain_start = pos
        if affiliation is not None:
            chain_start = min(chain_start, affiliation.start)
        phrase_end = match.end()
        role_end = phrase_end
        base, label = role, role_label(role)
        if prefix_word is not None:
            role, label = f"{prefix_word}_{role}", f"{prefix_word} {label}"
        complement = _COMPLEMENT.match(text[phrase_end:end])
        if complement is not None:
            at = phrase_end + complement.end()
            inside = None
            if affiliation is None and prefix_word is None:
                inside = self._owner_inside(text, match.start(), at, end)
            if inside is not None:  # "chief of the Soviet general staff"
                role, affiliation, role_end = inside
                base, label = role, role_label(role)
            elif (obj := self._object(text, at, end)) is not None:
                if complement.group("prep") == "to":
                    role = f"{role}_to_{obj.key}"
                    label = f"{label} to {obj.text}"
                elif affiliation is None:
                    affiliation = obj
                role_end = obj.end
            elif _key(f"{match.group()} of") in self._appositive_leads and (
                self._object_holds_role(text[at:end])
            ):
                return None  # "head of its delegation": the delegation's role, the lead's
        return _Role(
            role=role,
            base=base,
            start=chain_start,
            end=role_end,
            phrase_start=match.start(),
            phrase_end=phrase_end,
            affiliation=affiliation,
            label=label,
            prefix=prefix_word,
        )

    def _listed_at(self, window: str, pos: int) -> tuple[re.Match[str], _Affiliation] | None:
        """The owner the rule lists that opens `window` (at `pos` in the text), capitalised and
        not possessive: 'Soviet' in 'Soviet general staff', 'Russia' in 'Russia and'."""
        aff = self._aff_start_re.match(window)
        if aff is None or aff.group("poss") or not aff.group("aff")[0].isupper():
            return None
        listed = self._listed(aff.group("aff"), pos + aff.start("aff"))
        return None if listed is None else (aff, listed)

    def _owner_inside(
        self, text: str, start: int, pos: int, end: int
    ) -> tuple[str, _Affiliation, int] | None:
        """A role phrase with its owner set inside it: 'chief of the Soviet general staff' is
        the rule's 'chief of the general staff', the Soviet one; 'spokeswoman for the Russian
        foreign ministry' its 'foreign ministry spokeswoman'. Only a listed owner, and only
        when the words after it complete a listed role."""
        window = text[pos:end]
        owner = self._listed_at(window, pos)
        if owner is None:
            return None
        aff, listed = owner
        words = _LOWER_WORDS.match(window, aff.end())
        if words is None:
            return None
        head = text[start:pos]
        phrase = _COMPLEMENT.sub("", head)
        found = words.group("words").split()
        for count in range(len(found), 0, -1):
            rest = " ".join(found[:count])
            # 'chief of the [Soviet] general staff', 'spokeswoman for the [Russian] foreign
            # ministry' (a 'foreign ministry spokeswoman')
            role = self._roles.get(_key(f"{head} {rest}")) or self._roles.get(
                _key(f"{rest} {phrase}")
            )
            if role is not None:
                stop = pos + words.start("words") + len(" ".join(found[:count]))
                return role, listed, stop
        return None

    def _affiliation_ending(self, text: str, reach: int, pos: int) -> re.Match[str] | None:
        """`_aff_end_re.search(text, reach, pos)`, searched only where the reversed pattern
        says an affiliation (with its possessive and the spaces) ends at `pos`: most role
        phrases have none, and the forward search tries every affiliation at every start."""
        if self._reversed[0] is not text:
            self._reversed = (text, text[::-1])
        backwards = self._reversed[1]
        size = len(text)
        if self._aff_end_reversed_re.match(backwards, size - pos, size - reach) is None:
            return None
        return self._aff_end_re.search(text, reach, pos)

    def _affiliation_in(self, phrase: str, offset: int) -> _Affiliation | None:
        """'Kremlin spokesman', 'White House press secretary': the affiliation is in the role."""
        try:
            span = self._affiliation_spans[phrase]
        except KeyError:
            span = self._affiliation_spans[phrase] = self._affiliation_span(phrase)
        if span is None:
            return None
        start, end, key = span
        return _Affiliation(key, phrase[start:end], True, offset, offset)

    def _affiliation_span(self, phrase: str) -> tuple[int, int, str] | None:
        folded = fold(phrase)
        for word, pattern, key in self._affiliations_longest_first:
            if word not in folded:
                continue
            found = pattern.search(folded)
            if found is not None:
                return found.start(), found.end(), key
        return None

    def _listed(self, written: str, start: int) -> _Affiliation | None:
        key = self._affiliations.get(_key(written))
        if key is None:
            return None
        return _Affiliation(key, written, True, start, start + len(written))

    def _object(self, text: str, pos: int, end: int) -> _Affiliation | None:
        """Whose role, after 'of'/'to': 'of China', 'of the Lipetsk region', 'to the OSCE'.

        Nothing if the object holds a role phrase itself ('head of the Russian delegation').
        """
        window = text[pos:end]
        if self._object_holds_role(window):
            return None
        noun = _LOWER_WORD.match(window)
        the = _THE_BEFORE.search(text, max(0, pos - 8), pos)
        if noun is not None and noun.group() in self._owner_nouns and the is not None:
            # "the secretary-general of the alliance"
            return _Affiliation(noun.group(), noun.group(), False, pos, pos + noun.end())
        owner = self._listed_at(window, pos)
        if owner is not None:
            aff, country = owner
            rest = window[aff.end() :]
            body = _LOWER_WORDS.match(rest)
            nouns = _nouns(body.group("words")) if body is not None else []
            if body is not None and nouns:
                # 'chief of the Russian railways': a body of the country's, not the country
                written = " ".join([aff.group("aff"), *nouns])
                key = _NOT_KEY.sub("_", fold(written)).strip("_")
                stop = pos + aff.end() + body.start("words") + len(" ".join(nouns))
                return _Affiliation(key, written, False, country.start, stop)
            if not _CAPITAL_NEXT.match(rest):
                return country
        # (an initialism is one token: 'U.S. Central Command', not 'U')
        tokens = list(_OBJECT_TOKEN.finditer(window))[:6]
        lowercase = 0
        for i, token in enumerate(tokens):
            word = token.group()
            if word.endswith(("’s", "'s")) and word[0].isupper():
                continue  # "of Russia's Wagner group": the possessive only modifies
            if word[0].isupper():
                run = [token]
                for nxt in tokens[i + 1 :]:
                    if (
                        nxt.group()[0].isupper()
                        and text[pos + run[-1].end() : pos + nxt.start()] == " "
                    ):
                        run.append(nxt)
                    else:
                        break
                written = " ".join(t.group() for t in run)
                listed = self._listed(written, pos + run[0].start())
                if listed is not None:
                    return _Affiliation(
                        listed.key, written, True, listed.start, pos + run[-1].end()
                    )
                if fold(run[0].group()) in NON_NAME_WORDS and len(run) == 1:
                    return None
                names = [t.group() for t in run if fold(t.group()) not in GENERIC_ORG_WORDS]
                key = _NOT_KEY.sub("_", fold(" ".join(names or [written]))).strip("_")
                return _Affiliation(key, written, False, pos + run[0].start(), pos + run[-1].end())
            lowercase += 1
            if lowercase > 3:
                return None
        return None

    def _object_holds_role(self, window: str) -> bool:
        clause = _OBJECT_CLAUSE.match(window)
        return self._role_re.search(clause.group()[:60] if clause else "") is not None

    def _of_affiliation(self, text: str, pos: int, end: int) -> _Affiliation | None:
        """'president Xi Jinping of China'."""
        found = _OF_THE.match(text[pos:end])
        if found is None:
            return None
        obj = self._object(text, pos + found.end(), end)
        return obj if obj is not None and obj.listed else None

    # ------------------------------------------------------------------ the name

    def _name_after(
        self, text: str, pos: int, end: int, by_start: dict[int, NameMention]
    ) -> tuple[NameMention, int] | None:
        """'Deputy Foreign Minister Sergei Ryabkov', 'Russia's deputy foreign minister, X'."""
        gap = _COMMA_GAP.match(text[pos:end])
        if gap is None:
            return None
        mention = by_start.get(pos + gap.end())
        if mention is None:
            return None
        return mention, mention.end

    def _name_before(
        self, text: str, start: int, role: _Role, by_end: dict[int, NameMention]
    ) -> NameMention | None:
        """'Wendy Sherman, America's deputy secretary of state'."""
        before = text[start : role.start]
        gap = _APPOSITION_GAP.search(before)
        if gap is None:
            return None
        return by_end.get(start + gap.start())

    def _stands_alone(self, text: str, pos: int, end: int) -> bool:
        """'X, the chief negotiator' is not 'X, the chief': the phrase must end the noun."""
        after = _WORD_AFTER.match(text[pos:end])
        if after is None:
            return True
        word = after.group("word")
        return not word[0].islower() or fold(word) in FOLLOWERS

    def _lead(
        self,
        text: str,
        start: int,
        end: int,
        role: _Role,
        by_start: dict[int, NameMention],
        by_end: dict[int, NameMention],
    ) -> tuple[NameMention, int, int, _Role | None] | None:
        """'the U.S. delegation will be led by X', 'X headed the US delegation', 'X, the head
        of the Russian delegation'; with the title X bears after 'led by', if any."""
        if self._passive_re is not None:
            passive = self._passive_re.match(text[role.end : end])
            if passive is not None:
                pos = role.end + passive.end()
                title: _Role | None = None
                for candidate in self._role_re.finditer(text, pos, min(end, pos + 80)):
                    parsed = self._parse_role(text, pos, end, candidate)
                    if parsed is not None and parsed.start == pos:
                        title = parsed
                    break
                if title is not None:
                    gap = _COMMA_GAP.match(text[title.end : end])
                    pos = title.end + (gap.end() if gap else 0)
                mention = by_start.get(pos)
                if mention is not None:
                    return mention, role.start, mention.end, title
        before = text[start : role.start]
        for pattern in (self._active_re, self._appositive_re):
            if pattern is None:
                continue
            lead = pattern.search(before)
            if lead is None:
                continue
            head = text[start : start + lead.start()]
            gap = _WHO_ALSO_END.search(head)
            mention = by_end.get(start + (gap.start() if gap else lead.start()))
            if mention is not None:
                return mention, mention.start, role.end, None
        return None


def _lead_re(words: list[str], template: str) -> re.Pattern[str] | None:
    """`template` holds '{}' where the alternation of lead words goes."""
    if not words:
        return None
    alternation = "|".join(
        r"\s+".join(re.escape(w) for w in word.split()) for word in sorted(words, key=len)[::-1]
    )
    return re.compile(template.replace("{}", alternation), re.IGNORECASE)


@register("participant")
def participant_finder(rule: Rule, ruleset: RuleSet) -> Finder:
    return ParticipantFinder(rule, PeopleIndex(ruleset.people), ruleset.people)
