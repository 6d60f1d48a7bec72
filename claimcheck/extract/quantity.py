"""Finds counted things: a figure, maybe hedged, then within a few words a noun the rule names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from claimcheck.align import UNRESOLVED
from claimcheck.extract import register
from claimcheck.extract.date import MONTHS, WEEKDAYS
from claimcheck.extract.triggers import (
    FigureWindow,
    KeywordTable,
    Window,
    finditer_figures,
    finditer_near,
    opening_words,
    trigger_words,
)
from claimcheck.models import RawClaim
from claimcheck.normalize import CLAUSE_BREAK, OWNER_SEPARATOR, clause_bounds
from claimcheck.normalize.numbers import NUMBER, NUMBER_OPENING_WORDS, HedgeTable
from claimcheck.rules import QuantityExtractor, Rule, RuleSet
from claimcheck.text import Document

_WORD = r"[\w’'.-]+"
_PREVIOUS_WORD = re.compile(r"(\w+)[ \t]+$")
# A capitalised word just before a figure, inside a sentence: the figure is part of a name
# ('Boeing 737', 'Flight 182', 'Apollo 13'), not a count.
_NAMED_BEFORE = re.compile(
    r"(?<![.!?:;\n\"“”(])(?<![.!?:;][ \t])[ \t](?P<word>[A-Z][a-z][A-Za-z]*) $"
)
_NOT_NAMING = frozenset([*MONTHS, *WEEKDAYS])  # 'On Saturday 62 people boarded'
_NOT_WORD = re.compile(r"[^\w]+")
_CONTEXT_WINDOW = 40
_CONTEXT_AFTER = 20  # characters before the figure searched for forbidden context words
# Bounds on how claims are written, used to look for matches only near their trigger words:
# a figure with its trailing hedge ('one hundred and twenty-five thousand or so'), a modifier
# word between figure and noun ('battle-hardened'), and what can stand before the figure (a
# hedge and a range opening: 'upwards of between'). Longer stretches (walls of white space,
# 40-letter words) are not claims anyone wrote.
MAX_FIGURE_CHARS = 64
MAX_WORD_CHARS = 32
MAX_FIGURE_LEAD = 80
# 'force, generally estimated to be upwards of 15,000' and the words after it that are looked at
_NOUN_FIRST_REACH = 400
_ELLIPTICAL_LEAD = "the"  # 'the 4,000 cited by the ISW': what an elliptical figure opens with


# What joins the two figures of a range: a dash or 'to'. A hyphen joins them only after a
# figure in digits ('20-24') or with spaces around it: between number words it makes one
# number ('twenty-four').
_RANGE_DASH = r"\s*[–—]|(?<=[\d½¼¾⅓⅔km])\s*-|\s+-(?=\s)|\s+to\s+"


# What a figure is not written after: a word, a decimal or thousands separator, a slash, a
# currency sign or code ('Rs 50,000 for minor injuries' is money, not people).
_CURRENCY_CODES = ("Rs", "Rs.", "INR", "USD", "US$", "EUR", "GBP", "JPY", "CNY", "KSh", "NGN")
_NOT_AFTER = r"(?<![\w.,/$£€¥₹₦₽-])" + "".join(
    rf"(?<!\b{re.escape(code)} )" for code in _CURRENCY_CODES
)


def _designation(text: str, start: int) -> bool:
    """Whether the figure at `start` (with no hedge before it) is part of a name: written
    just after a capitalised word that does not open its sentence ('SEA OF BLACK Nearly two
    million' is a headline's capitals, not a name)."""
    found = _NAMED_BEFORE.search(text, max(0, start - 30), start)
    return found is not None and found.group("word").lower() not in _NOT_NAMING


def figure_pattern(hedges: HedgeTable, allow_vague: bool, articles: str = "") -> str:
    """A hedge (optional) and a figure: the shared front of every quantity and measure rule.
    `articles`: more ways to write the figure, tried first ('an' in 'an hour')."""
    vague = rf"(?P<vague>\b(?:{hedges.vague_pattern})\b)|" if allow_vague else ""
    number = f"{articles}|{NUMBER}" if articles else NUMBER
    return (
        rf"(?:\b(?P<hedge>{hedges.hedge_pattern})\s+)?"
        rf"(?:\b(?:between|from)\s+(?P<range_low>{NUMBER})\s+(?:and|to)\s+"
        rf"|{_NOT_AFTER}(?P<range_low2>{NUMBER})(?:{_RANGE_DASH})\s*)?"
        rf"(?(range_low2)|{_NOT_AFTER})(?:{vague}(?P<number>{number}))"
        rf"(?:[ \t]+(?P<hedge_after>{hedges.trailing_hedge_pattern})\b)?"
    )


def figure_openers(hedges: HedgeTable, allow_vague: bool) -> tuple[str, ...]:
    """The words a `figure_pattern` match opens with when it does not open with a run of
    digits: a hedge, a range's 'between' or 'from', a number word, a vague phrase (for
    `finditer_figures`); none, so that every position is tried, if one opens otherwise."""
    vague = hedges.vague_phrases if allow_vague else []
    return opening_words([*hedges.leading_hedges, "between", "from", *NUMBER_OPENING_WORDS, *vague])


def figure_parts(match: re.Match[str]) -> dict[str, str]:
    """The pieces of a figure the normaliser needs: number or vague phrase, and the hedge."""
    parts = {}
    for name, piece in match.groupdict().items():
        if piece and name in ("vague", "number"):
            parts[name] = piece
    low = match.group("range_low") or match.group("range_low2")
    if low:
        parts["range_low"] = low
    hedge = match.group("hedge") or match.group("hedge_after")
    if hedge:
        parts["hedge"] = hedge
    return parts


def context_forbids(
    forbidden: re.Pattern[str] | None, doc: Document, start: int, end: int, before: int, after: int
) -> bool:
    """Whether a forbidden context word ('killed', 'ago') stands within `before` characters
    ahead of the claim (and after any 'but' there) or `after` characters behind it, inside its
    sentence: a different fact."""
    if forbidden is None:
        return False
    s_start, s_end = doc.sentence_at(start)
    text = doc.text
    low = max(s_start, start - before)
    # 'was scheduled to last two hours but ran for nearly four': a contrast turns the page.
    contrast = list(_CONTRAST.finditer(text, low, start))
    if contrast:
        low = contrast[-1].end()
    ahead = text[low:start]
    behind = text[end : min(s_end, end + after)]
    return forbidden.search(ahead) is not None or forbidden.search(behind) is not None


_CONTRAST = re.compile(r"\b(?:but|yet|whereas)\b", re.IGNORECASE)


_INITIALISM = re.compile(r"(?:[A-Za-z]\.){2,}")


# Words that end a figure's noun phrase: relative pronouns, prepositions, spans of time ('two
# dams that killed', 'nearly three weeks after gunmen opened fire').
_GAP_BREAKS = frozenset(
    (
        *("that", "which", "who", "whom", "whose", "where", "when"),
        *("after", "before", "since", "until", "ago", "later", "earlier"),
        *("days", "weeks", "months", "years", "hours", "minutes"),
    )
)


def _clean_gap(gap: str) -> bool:
    """Words between figure and noun stay in one clause: no comma, no relative pronoun, and a
    full stop only in an initialism ("3,000 U.S. troops", not "3,000 were sent. Troops ...")."""
    if any(ch in gap for ch in ",;:"):
        return False
    words = gap.split()
    if any(w.lower() in _GAP_BREAKS for w in words):
        return False  # '2 dams that killed thousands': the figure counts dams
    return all(not t.endswith(".") or _INITIALISM.fullmatch(t) for t in words)


def words_pattern(words: list[str]) -> str:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) or "(?!)"


@dataclass(frozen=True)
class QuantityFinder:
    rule: Rule
    config: QuantityExtractor
    pattern: re.Pattern[str]
    forbidden_modifiers: frozenset[str]
    forbidden_determiners: frozenset[str]
    forbidden_context: re.Pattern[str] | None
    nouns: dict[str, str]
    triggers: tuple[str, ...]  # every match ends with a noun that starts with one of these
    figure_words: tuple[str, ...]
    window: FigureWindow
    figure_openers: tuple[str, ...]  # see `finditer_figures`
    relative_modifiers: frozenset[str] = frozenset()
    context: re.Pattern[str] | None = None
    context_subject: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, KeywordTable] = field(default_factory=dict)  # per subject
    owners: KeywordTable | None = None
    lead_ins: tuple[LeadIn, ...] = ()
    above_hedge: str | None = None  # the hedge a link such as 'topped' stands for
    elliptical: re.Pattern[str] | None = None
    noun_mention: re.Pattern[str] | None = None
    stems: dict[str, str] = field(default_factory=dict)
    place_after: re.Pattern[str] | None = None  # see `_place`
    place_before: re.Pattern[str] | None = None  # the same place opening the sentence
    speaker: re.Pattern[str] | None = None  # see `QuantityExtractor.speaker_words`
    planned: re.Pattern[str] | None = None  # see `QuantityExtractor.planned_words`
    estimators: _Estimators | None = None  # see `QuantityExtractor.estimators`
    # Trigger words and window: 'the 4,000 cited by' ends with its link word; what its
    # matches open with: 'the'.
    elliptical_near: tuple[tuple[str, ...], Window] = ((), Window(0, 0))
    elliptical_openers: tuple[str, ...] = ()

    def find(self, doc: Document) -> Iterator[RawClaim]:
        text = doc.text
        matches = finditer_figures(
            self.pattern,
            doc,
            self.triggers,
            self.figure_words,
            self.window,
            openers=self.figure_openers,
        )
        for match in matches:
            gap = match.group("gap").lower().replace("-", " ").split()
            if any(word.strip(".’'") in self.forbidden_modifiers for word in gap):
                continue
            if not _clean_gap(match.group("gap")):
                continue
            start = match.start("figure")
            relative = next((w for w in gap if w.strip(".’'") in self.relative_modifiers), None)
            previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
            if (
                previous
                and previous.group(1).lower() in self.forbidden_determiners
                and relative is None  # "the 29 other members" says how many the others are
            ):
                continue
            if not match.group("hedge") and _designation(text, start):
                continue  # 'a Boeing 737-500 with 62 people', 'Apollo 13 crew': a name
            if self._forbids(doc, start, match.end()):
                continue  # "killed" near the figure: a different fact
            noun = " ".join(match.group("noun").lower().split())
            subject = self.nouns.get(noun) or self._from_context(doc, start, match.end())
            if subject is None:
                continue
            label = self.config.subject_labels.get(subject, subject.replace("_", " "))
            if QUALIFIER_SEPARATOR not in subject:
                qualifier = self._qualifier(doc, subject, start, match.end())
                if qualifier is not None:
                    subject = f"{subject}{QUALIFIER_SEPARATOR}{qualifier}"
                    label = f"{label} {qualifier}"
                elif self.config.require_qualifier:
                    continue
            if self._planned(doc, start, match.end()):  # 'Hamas is to release 50 …'
                subject = f"{subject}{QUALIFIER_SEPARATOR}{PLANNED}"
                label = f"{label} (planned)"
            group = self._capitalized_modifier(match.group("gap"))
            if group is not None:  # '13 Israeli hostages'
                subject = f"{subject}{QUALIFIER_SEPARATOR}{group.lower()}"
                label = f"{group} {label}"
            place = self._place(doc, subject, match.end())
            if place is not None:  # '2,500 Russian troops have been deployed to Belarus'
                subject = f"{subject}{QUALIFIER_SEPARATOR}{_place_key(place)}"
                label = f"{label} in {place}"
            owner = self._owner(doc, start, match.group("gap"))
            if owner is not None:
                subject = f"{subject}{OWNER_SEPARATOR}{owner.lower().replace(' ', '-')}"
                label = f"{self.config.owners[owner][0]} {label}"
            estimator = self._estimator(doc, start, match.end())
            if estimator is not None:  # 'police said 338,000 people': the police's estimate
                joiner = OWNER_SEPARATOR if owner is None else "-by-"
                subject = f"{subject}{joiner}{estimator}"
                label = f"{label} ({estimator.replace('_', ' ')} figure)"
            if relative is not None:
                # "29 other members": what is set aside is the speaker's; never compared.
                label = f"{relative} {label}"
                subject = f"{relative}_{subject}{UNRESOLVED}/{doc.source.id}/{start}"
            parts = {"noun": noun}
            parts.update(figure_parts(match))
            yield RawClaim(
                kind=self.rule.kind,
                rule=self.rule.id,
                span=doc.span(start, match.end()),
                subject=subject,
                subject_label=label,
                parts=parts,
            )
        yield from self._led_in_figures(doc)
        yield from self._elliptical(doc)

    def _elliptical(self, doc: Document) -> Iterator[RawClaim]:
        """'nothing like the 25,000 claimed by Prigozhin, closer to the 4,000 cited by the
        ISW': the figure counts what the nearest rule noun in the sentence names."""
        if self.elliptical is None or self.noun_mention is None:
            return
        text = doc.text
        for match in finditer_near(
            self.elliptical, doc, *self.elliptical_near, openers=self.elliptical_openers
        ):
            start, end = match.start("figure"), match.end("figure")
            s_start, s_end = doc.sentence_at(start)
            best: tuple[int, str] | None = None
            for noun in self.noun_mention.finditer(text, s_start, s_end):
                distance = start - noun.end() if noun.end() <= start else noun.start() - end
                if best is None or abs(distance) < best[0]:
                    best = (abs(distance), noun.group("stem").lower())
            if best is None:
                continue
            if self._forbids(doc, start, end):
                continue
            subject = self.stems[best[1]]
            parts = {"noun": best[1]}
            parts.update(figure_parts(match))
            yield RawClaim(
                kind=self.rule.kind,
                rule=self.rule.id,
                span=doc.span(start, end),
                subject=subject,
                subject_label=self.config.subject_labels.get(subject, subject.replace("_", " ")),
                parts=parts,
            )

    def _led_in_figures(self, doc: Document) -> Iterator[RawClaim]:
        """'a force of 25,000', 'Wagner's force, generally estimated to be 15,000', 'killing
        at least 60': the word before the figure names what it counts, and no noun follows."""
        for lead in self.lead_ins:
            yield from self._led_in(doc, lead)

    def _led_in(self, doc: Document, lead: LeadIn) -> Iterator[RawClaim]:
        text = doc.text
        for match in finditer_near(lead.pattern, doc, *lead.near, openers=lead.openers):
            start = match.start("figure")
            if _YEAR.fullmatch(match.group("number") or ""):
                continue  # "the army of 1812"
            modifier = _PREVIOUS_WORD.search(text, max(0, match.start() - 20), match.start())
            if lead.modified and modifier and modifier.group(1).lower() in self.forbidden_modifiers:
                continue  # "the police force, estimated at 5,000"
            if self._forbids(doc, start, match.end()):
                continue
            noun = " ".join(match.group("noun").lower().split())
            subject = lead.subjects[noun]
            parts = {"noun": noun}
            parts.update(figure_parts(match))
            link = match.groupdict().get("link")
            if link and _folded(link) in lead.links_above:
                if "hedge" in parts or self.above_hedge is None:
                    continue  # 'topped almost 5,000': no reading is safe
                parts["hedge"] = self.above_hedge  # 'the toll topped 5,000': more than it
            yield RawClaim(
                kind=self.rule.kind,
                rule=self.rule.id,
                span=doc.span(match.start("noun"), match.end()),
                subject=subject,
                subject_label=self.config.subject_labels.get(subject, subject.replace("_", " ")),
                parts=parts,
            )

    def _forbids(self, doc: Document, start: int, end: int) -> bool:
        return context_forbids(
            self.forbidden_context, doc, start, end, _CONTEXT_WINDOW, _CONTEXT_AFTER
        )

    def _place(self, doc: Document, subject: str, end: int) -> str | None:
        """Where the counted stand, named right after the noun: 'troops in South Korea',
        'troops have been deployed to Belarus', 'people were arrested in Paris'."""
        if self.place_after is None:
            return None
        scoped = self.config.place_subjects
        if scoped and subject.partition(QUALIFIER_SEPARATOR)[0] not in scoped:
            return None
        s_start, s_end = doc.sentence_at(end)
        found = self.place_after.match(doc.text, end, s_end)
        if found is None:  # 'In Paris, police counted 81,000 protesters'
            assert self.place_before is not None
            found = self.place_before.match(doc.text, s_start, end)
        if found is None:
            return None
        words = found.group("place").split()
        while words and words[-1] in _NOT_PLACES:
            words.pop()
        if not words or words[0] in _NOT_PLACES:
            return None
        return " ".join(words)

    def _planned(self, doc: Document, start: int, end: int) -> bool:
        """Whether the figure's clause before it ('Hamas is to release 50 women and children …
        in exchange for 150 prisoners') or the verb right after it ('200 trucks of aid are to
        enter') says it is planned or agreed."""
        if self.planned is None:
            return False
        text = doc.text
        s_start, s_end = doc.sentence_at(start)
        low, high = clause_bounds(text, start, end, s_start, s_end)
        if self.planned.search(text, low, start):
            return True
        after = _CONJUNCTION.split(text[end:high], maxsplit=1)[0]  # not 'and is to release more'
        return self.planned.search(" ".join(after.split()[:_PLANNED_WORDS_AFTER])) is not None

    def _estimator(self, doc: Document, start: int, end: int) -> str | None:
        """Who its sentence says gave the figure: the last estimator before it ('Organisers,
        the Civil Human Rights Front, said almost 2 million'), else one closing the clause
        after it ('… took part, organisers said.')."""
        estimators = self.estimators
        if estimators is None:
            return None
        s_start, s_end = doc.sentence_at(start)
        before = list(estimators.before.finditer(doc.text, s_start, start))
        found = before[-1] if before else estimators.after.search(doc.text, end, s_end)
        if found is None:
            return None
        word = found.group("said") or found.group("according")
        return estimators.table.key_of[" ".join(word.lower().split())]

    def _capitalized_modifier(self, gap: str) -> str | None:
        """'13 Israeli hostages': the capitalised words between figure and noun, if the rule
        reads them as a kind of what is counted."""
        if not self.config.capitalized_modifiers:
            return None
        words = [w for w in gap.split() if w[:1].isupper()]
        return " ".join(words) if words else None

    def _owner(self, doc: Document, start: int, gap: str) -> str | None:
        """Whose count it is: named between figure and noun ('3,000 American troops'), else
        just before the figure in its clause ('Russia has massed about 100,000 troops')."""
        if self.owners is None:
            return None
        found = self.owners.pattern.search(gap)
        if found is None:
            before, _ = _clause_around(doc, start, start)
            words = " ".join(before.split()[-_OWNER_WORDS:])
            named = list(self.owners.pattern.finditer(words))
            if not named and len(before.split()) < _OWNER_WORDS:
                # 'France, the former colonial power, has around 1,000 troops'
                words = " ".join(self._subject_past_aside(doc, start).split()[-_OWNER_WORDS:])
                named = list(self.owners.pattern.finditer(words))
            found = named[-1] if named else None
            if found is not None and self.speaker and self.speaker.match(words, found.end()):
                return None  # 'Russia says 200,000 ...': who said it, not whose they are
        return None if found is None else self.owners.key(found)

    def _subject_past_aside(self, doc: Document, start: int) -> str:
        """The clause before an aside set off by commas just before the figure's verb: the
        subject an appositive or relative clause describes ('France, the former colonial
        power, has …', 'Russia, which denies any plan to invade, has massed …')."""
        text = doc.text
        s_start, _ = doc.sentence_at(start)
        breaks = [m.start() for m in CLAUSE_BREAK.finditer(text, s_start, start)]
        if len(breaks) < 2:
            return ""
        aside = text[breaks[-2] + 1 : breaks[-1]]
        if not _ASIDE_OPENING.match(aside):
            return ""
        low = breaks[-3] + 1 if len(breaks) > 2 else s_start
        return text[low : breaks[-2]]

    def _qualifier(self, doc: Document, subject: str, start: int, end: int) -> str | None:
        """What happened to what is counted, nearest the figure in its clause: '8,000 people
        had been pulled from the rubble' were rescued; 'evacuated 60,000 people'."""
        table = self.qualifiers.get(subject) or self.qualifiers.get(ANY_SUBJECT)
        if table is None:
            return None
        # The verb right before the figure, or the words after it up to the next figure:
        # 'detained 16 people in exchange for eight' says nothing of the eight.
        # 'At least 30 people, including four children, were killed': past the aside.
        aside = _ASIDE.match(doc.text, end, doc.sentence_at(start)[1])
        before, after = _clause_around(doc, start, end if aside is None else aside.end())
        before = " ".join(before.split()[-_QUALIFIER_WORDS:])
        after = " ".join(_DIGIT.split(after, maxsplit=1)[0].split()[:_QUALIFIER_WORDS_AFTER])
        found = [
            *((m.start(), m) for m in table.pattern.finditer(after)),
            *((len(before) - m.end(), m) for m in table.pattern.finditer(before)),
        ]
        if not found:
            return None
        return table.key(min(found, key=lambda hit: hit[0])[1])

    def _from_context(self, doc: Document, start: int, end: int) -> str | None:
        """A context noun's subject: 'spoken by phone five times' counts calls."""
        if self.context is None:
            return None
        before, after = _clause_around(doc, start, end)
        found = self.context.search(before) or self.context.search(after)
        if found is None:
            return None
        return self.context_subject[" ".join(found.group().lower().split())]


_CLAUSE = re.compile(r"[,;:()—–]")


def _clause_around(doc: Document, start: int, end: int) -> tuple[str, str]:
    """The words of a claim's clause before `start` and after `end`, a few dozen characters
    each way: where the words that qualify a figure stand."""
    s_start, s_end = doc.sentence_at(start)
    before = _CLAUSE.split(doc.text[max(s_start, start - _CONTEXT_WINDOW) : start])[-1]
    after = _CLAUSE.split(doc.text[end : min(s_end, end + _CONTEXT_WINDOW)])[0]
    return before, after


# An aside between a count and its verb, skipped when looking for what happened to it.
_ASIDE = re.compile(
    r",[ \t]+(?:including|among[ \t]+them|most[ \t]+of[ \t]+them|many[ \t]+of[ \t]+them|mostly|"
    r"all[ \t]+of[ \t]+them)\b[^,;:.]{0,60},"
)
QUALIFIER_SEPARATOR = ":"  # 'people:rescued': what happened to the people counted
ANY_SUBJECT = "*"  # the qualifiers of every subject without a table of its own
# How far from its figure a qualifier is looked for: the verb before it ('evacuated 60,000
# people'), and the verb after it ('13 pilots had been killed'), not a later clause's ('8,000
# people from the rubble after the quake killed thousands').
_QUALIFIER_WORDS = 3
_QUALIFIER_WORDS_AFTER = 4
_OWNER_WORDS = 5  # how far before a figure its owner is looked for: 'The United States will send'
_DIGIT = re.compile(r"\d")
# The qualifier of a figure planned or agreed (`QuantityExtractor.planned_words`).
PLANNED = "planned"
_ASIDE_OPENING = re.compile(r"\s*(?:the|a|an|which|who|whose|its|long|once|now)\b", re.I)
_PLANNED_WORDS_AFTER = 5  # '200 trucks of aid are to enter'
_CONJUNCTION = re.compile(r"\b(?:and|but|while|whereas)\b", re.IGNORECASE)


def _noun_stems(nouns: dict[str, str]) -> dict[str, str]:
    """One-word nouns without their plural 's' ('rebels' -> 'rebel'), for 'rebel numbers'."""
    return {
        (noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun): subject
        for noun, subject in nouns.items()
        if " " not in noun
    }


_YEAR = re.compile(r"1\d{3}|20\d{2}")
_AUXILIARIES = (
    r"(?:are|were|is|was|have|has|had|been|being|now|currently|already|still|also|reportedly)"
)
# Capitalised words that name no place: a sentence's next word, days, months, determiners.
_NOT_PLACES = frozenset(
    (
        *("The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We"),
        *("I", "Mr", "Ms", "Mrs", "Dr"),
        *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        *("January", "February", "March", "April", "May", "June", "July", "August"),
        *("September", "October", "November", "December"),
    )
)


# 'Belarus', 'U.S.' (atomic: never 'U'), 'St. Lucie' (an abbreviated saint or mount opens one)
_PLACE_WORD = r"(?>(?:St|Ste|Mt|Ft)\.?[ \t]+[A-Z][\w-]*|[A-Z](?:\.[A-Z])+\.?|[A-Z][\w-]*)"


def _place_phrase(config: QuantityExtractor) -> str:
    """A preposition and the place it names: 'in South Korea', 'to the U.S.'."""
    return (
        rf"(?i:{words_pattern(config.place_prepositions)})[ \t]+(?:the[ \t]+)?"
        rf"(?P<place>{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,2}})"
    )


def _place_pattern(config: QuantityExtractor) -> re.Pattern[str] | None:
    """What `QuantityFinder._place` reads after a count's noun."""
    if not config.place_prepositions:
        return None
    verbs = rf"(?:[ \t]+(?:{words_pattern(config.place_verbs)}))?" if config.place_verbs else ""
    return re.compile(
        rf"(?:[ \t]+{_AUXILIARIES}){{0,3}}{verbs}[ \t]+{_place_phrase(config)}(?![\w’'-])"
        # 'held in the U.S., Germany, Norway and Poland': a list names no one place.
        r"(?![ \t]*(?:,|and\b|or\b)[ \t]*(?:the[ \t]+)?[A-Z])"
    )


def _place_opening_pattern(config: QuantityExtractor) -> re.Pattern[str] | None:
    """A place that opens the sentence, set off by a comma: 'In Paris, a crowd of 81,000'."""
    if not config.place_prepositions:
        return None
    return re.compile(rf"\s*{_place_phrase(config)},")


# 'according to the Hong Kong police': a few capitalised words may name whose.
_ACCORDING_TO = r"\baccording[ \t]+to[ \t]+(?:the[ \t]+)?(?:[A-Z][\w.’'-]*[ \t]+){0,3}"


@dataclass(frozen=True)
class _Estimators:
    """Who gives a figure, before it ('police said', 'police in Paris counted', 'organisers,
    the Front, said', 'according to the police,') and closing the clause after it ('…,
    organisers said.'); `table` gives the estimator key of the words matched."""

    before: re.Pattern[str]
    after: re.Pattern[str]
    table: KeywordTable


def _estimators(config: QuantityExtractor) -> _Estimators | None:
    table = KeywordTable.of(config.estimators)
    if table is None or not config.estimate_verbs:
        return None
    who = words_pattern(list(table.key_of))
    verbs = words_pattern(config.estimate_verbs)
    before = re.compile(
        rf"\b(?P<said>{who})(?:[ \t]+in[ \t]+[A-Z][\w’'-]*)?(?:[ \t]*,[^,;:.]{{1,60}},)?"
        rf"[ \t]+(?:{verbs})\b"
        rf"|{_ACCORDING_TO}(?P<according>{who})\b",
        re.IGNORECASE,
    )
    after = re.compile(
        rf",[ \t]+(?:the[ \t]+)?(?P<said>{who})[ \t]+(?:{verbs})[ \t]*(?=[.,;]|$)"
        rf"|,?[ \t]+{_ACCORDING_TO}(?P<according>{who})[ \t]*(?=[.,;]|$)",
        re.IGNORECASE,
    )
    return _Estimators(before=before, after=after, table=table)


def _place_key(place: str) -> str:
    return _NOT_WORD.sub("-", place.lower()).strip("-")


# What may follow a figure that a noun before it names: nothing more of the noun phrase.
_NOTHING_COUNTED = (
    r"(?=[ \t]*(?:[,.;:)!?”]|\"(?!\w)|$)|[ \t]+(?:men|strong|and|or|in|on|at|to|from|near|along|"
    r"outside|inside|across|around|into|towards?|by|for|with|under|who|which|that|as|was|were|"
    r"is|are|had|has|have|will|would)\b)"
)


@dataclass(frozen=True)
class LeadIn:
    """Words before a figure that name what it counts: a noun and its link ('a force of
    25,000'), or a verb ('killing at least 60'), with where to look for them."""

    pattern: re.Pattern[str]
    subjects: dict[str, str]  # the word as written, lower case -> subject
    near: tuple[tuple[str, ...], Window]  # trigger words, and the window a match fits in
    openers: tuple[str, ...]  # what every match opens with
    modified: bool = True  # whether a word before it can make it another fact ('police force')
    links_above: frozenset[str] = frozenset()  # see `QuantityExtractor.links_above`


def _lead_ins(config: QuantityExtractor, hedges: HedgeTable) -> tuple[LeadIn, ...]:
    # (Never part of a figure: 'killed about 1,200 people' is not 'killed about 1'.)
    figure = rf"(?P<figure>{figure_pattern(hedges, False)})(?![.,]?\d){_NOTHING_COUNTED}"
    lead_ins = []
    if config.nouns_before and config.links_before:
        lead_ins.append(
            LeadIn(
                pattern=re.compile(
                    rf"\b(?P<noun>{words_pattern(list(config.nouns_before))})"
                    rf"{_gap_before(config)}(?:,)?[ \t]+"
                    r"(?:[a-z]+ly[ \t]+)?"
                    rf"(?P<link>{words_pattern([*config.links_before, *config.links_above])})"
                    rf"[ \t]+{figure}",
                    re.IGNORECASE,
                ),
                subjects=_lowered_keys(config.nouns_before),
                near=(
                    trigger_words(config.nouns_before),
                    Window(before=1, after=_NOUN_FIRST_REACH),
                ),
                openers=opening_words(config.nouns_before),
                links_above=frozenset(map(_folded, config.links_above)),
            )
        )
    if config.verbs_before:
        lead_ins.append(
            LeadIn(
                pattern=re.compile(
                    rf"\b(?P<noun>{words_pattern(list(config.verbs_before))})[ \t]+{figure}",
                    re.IGNORECASE,
                ),
                subjects=_lowered_keys(config.verbs_before),
                near=(
                    trigger_words(config.verbs_before),
                    Window(before=1, after=MAX_WORD_CHARS + MAX_FIGURE_LEAD + MAX_FIGURE_CHARS),
                ),
                openers=opening_words(config.verbs_before),
                modified=False,  # 'killing 60 and wounding 145'
            )
        )
    return tuple(lead_ins)


def _above_hedge(ruleset: RuleSet) -> str | None:
    """The hedge a link such as 'topped' stands for: 'more than', or the table's first one."""
    words = [w for h in ruleset.hedges if h.shape == "above" for w in h.words]
    return "more than" if "more than" in words else next(iter(words), None)


def _folded(phrase: str) -> str:
    """A phrase as the tables key it: lower case, one space between words."""
    return " ".join(phrase.lower().split())


def _lowered_keys(words: dict[str, str]) -> dict[str, str]:
    return {_folded(k): v for k, v in words.items()}


def _gap_before(config: QuantityExtractor) -> str:
    """Up to `max_gap_words_before` words between a noun before its figure and the link
    word, none of them a figure or punctuation: the first link a figure follows is taken
    ('the death toll in the city of Derna has risen to 6,000')."""
    if config.max_gap_words_before == 0:
        return ""
    return rf"(?:[ \t]+[^\s\d,.;:!?()]+){{0,{config.max_gap_words_before}}}?"


@register("quantity")
def compile_quantity(rule: Rule, ruleset: RuleSet) -> QuantityFinder:
    config = rule.extract
    assert isinstance(config, QuantityExtractor)
    from claimcheck.normalize import Tables

    hedges = Tables(ruleset).hedges
    nouns = _lowered_keys(config.nouns)
    context_nouns = [" ".join(n.lower().split()) for n in config.context_nouns]
    noun_words = words_pattern([*nouns, *context_nouns])
    context_subject = {
        " ".join(w.lower().split()): subject
        for subject, words in config.context_subjects.items()
        for w in words
    }
    # Up to max_gap_words modifiers ("Russian combat"), on the same line, none of them a noun
    # or a figure ('a Boeing 737-500 with 62 people': the figure nearer the noun counts).
    gap = (
        rf"(?P<gap>(?:[ \t-]+(?:of[ \t]+)?(?!(?:{noun_words})\b|\d){_WORD})"
        rf"{{0,{config.max_gap_words}}}?)"
    )
    pattern = re.compile(
        rf"(?P<figure>{figure_pattern(hedges, config.allow_vague)}){gap}[ \t-]+"
        rf"(?P<noun>{noun_words})\b",
        re.IGNORECASE,
    )
    forbidden = (
        re.compile(rf"\b(?:{words_pattern(config.context_forbidden)})\b", re.IGNORECASE)
        if config.context_forbidden
        else None
    )
    return QuantityFinder(
        rule=rule,
        config=config,
        pattern=pattern,
        forbidden_modifiers=frozenset(w.lower() for w in config.modifiers_forbidden),
        forbidden_determiners=frozenset(w.lower() for w in config.determiners_forbidden),
        forbidden_context=forbidden,
        nouns=nouns,
        triggers=trigger_words([*nouns, *context_nouns]),
        figure_words=hedges.figure_words,
        window=FigureWindow(
            reach=MAX_FIGURE_CHARS + (config.max_gap_words + 1) * MAX_WORD_CHARS,
            lead=MAX_FIGURE_LEAD,
            after=max(map(len, [*nouns, *context_nouns]), default=0) + 1,
        ),
        figure_openers=figure_openers(hedges, config.allow_vague),
        relative_modifiers=frozenset(w.lower() for w in config.relative_modifiers),
        context=(
            re.compile(rf"\b(?:{words_pattern(list(context_subject))})\b", re.IGNORECASE)
            if context_subject and context_nouns
            else None
        ),
        context_subject=context_subject,
        qualifiers={
            subject: table
            for subject, named in config.qualifiers.items()
            if (table := KeywordTable.of(named)) is not None
        },
        owners=KeywordTable.of(config.owners, names=True),
        place_after=_place_pattern(config),
        place_before=_place_opening_pattern(config),
        speaker=(
            re.compile(
                rf"[ \t]+(?:{words_pattern(config.speaker_words)})\b"
                # 'Prigozhin said his 25,000-strong force', 'Russia says it has': the speaker's own
                r"(?![ \t]+(?:that[ \t]+)?(?:his|her|its|their|our|he|she|it|they|we)\b)",
                re.IGNORECASE,
            )
            if config.speaker_words
            else None
        ),
        lead_ins=_lead_ins(config, hedges),
        above_hedge=_above_hedge(ruleset),
        planned=(
            re.compile(rf"\b(?:{words_pattern(config.planned_words)})\b", re.IGNORECASE)
            if config.planned_words
            else None
        ),
        estimators=_estimators(config),
        elliptical=(
            re.compile(
                rf"\b{_ELLIPTICAL_LEAD}[ \t]+(?P<figure>{figure_pattern(hedges, False)})[ \t]+"
                rf"(?:{words_pattern(config.elliptical_links)})\b",
                re.IGNORECASE,
            )
            if config.elliptical_links
            else None
        ),
        stems=_noun_stems(nouns),
        elliptical_near=(
            trigger_words(config.elliptical_links),
            Window(
                before=len("the ") + MAX_FIGURE_LEAD + MAX_FIGURE_CHARS + MAX_WORD_CHARS,
                after=max(map(len, config.elliptical_links), default=0) + 1,
            ),
        ),
        elliptical_openers=(_ELLIPTICAL_LEAD,),
        noun_mention=(
            re.compile(rf"\b(?P<stem>{words_pattern(list(_noun_stems(nouns)))})s?\b", re.I)
            if config.elliptical_links and _noun_stems(nouns)
            else None
        ),
    )
