"""Finds measures: a figure, maybe hedged, then a unit (km, miles, hours); the subject comes
from the sentence around it: an event word, or the place after 'from'/'of'/'to'."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claimcheck.extract import register
from claimcheck.extract.date import slug_key
from claimcheck.extract.quantity import (
    _PREVIOUS_WORD,
    MAX_FIGURE_CHARS,
    MAX_FIGURE_LEAD,
    context_forbids,
    figure_openers,
    figure_parts,
    figure_pattern,
    words_pattern,
)
from claimcheck.extract.triggers import FigureWindow, finditer_figures, trigger_words
from claimcheck.models import RawClaim
from claimcheck.normalize import CLAUSE_BREAK, OWNER_SEPARATOR, clause_bounds
from claimcheck.normalize.names import PeopleIndex, learned_people, spotter_for
from claimcheck.normalize.numbers import NUMBER, format_figure, parse_number
from claimcheck.rules import MeasureExtractor, Rule, RuleSet
from claimcheck.text import Document

_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 16
# After the unit: an optional parenthetical conversion and direction word, then the preposition
# and the place (an abbreviated 'St.' or 'Mt.' is part of it: 'south of St. John's').
_PLACE_AFTER = (
    r"\s*\)?\s*(?:\([^)]{0,40}\)\s*)?(?:(?:away|(?:north|south)(?:-?(?:east|west))?|east|west|"
    r"outside|short)\s+)?(?:{words})\s+(?:the\s+)?"
    r"(?P<place>(?:(?:St|Ste|Mt|Ft|Pt)\.?\s+)?(?:[\w’'-]+\s+){0,2}?[\w’'-]+)"
    r"(?=\s*(?:[.,;:!?)]|$|\s(?:and|but|when|where|which|who|before|after|in|on|at|by|for|while|as)\b))"
)


_OF_AFTER = re.compile(r"[ \t]+of[ \t]+")
# The name a common noun is given right after it: 'the state capital, Bhubaneswar'.
_NAME_IN_APPOSITION = re.compile(
    r",[ \t]*(?P<name>[A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+)?)(?=[ \t]*(?:[.,;:!?)]|$))"
)
_FIRST_WORDS = re.compile(r"(?:-long)?(?:[ \t]*[\w’'-]+){1,2}")  # the noun and the word after
_COUNTERPART_REACH = 60  # characters after 'with' where the person's name must start
# (possessive throughout: a long run of capitals that fails must not be retried split up)
_TITLE_WORDS = re.compile(
    r"[ \t]*+(?:(?:the[ \t]++)?(?>[A-Z][\w.’'-]*+|of\b|for\b|and\b)[ \t]*+)*+"
)


def counterpart_in(
    doc: Document,
    counterpart_word: re.Pattern[str],
    base: PeopleIndex,
    table: object,
    low: int,
    high: int,
) -> tuple[str, str] | None:
    """(person key, name) of the one person low..high says an event was held with: the name
    right after a counterpart word ('with', 'met'), titles allowed between ('with Foreign
    Minister Qin Gang'); none when no one or several are named."""
    text = doc.text
    spotter = spotter_for(doc)
    people: PeopleIndex | None = None
    found: dict[str, str] = {}
    for word in counterpart_word.finditer(text, low, high):
        if people is None:
            people = learned_people(doc, base, table)
        reach = min(high, word.end() + _COUNTERPART_REACH)
        mentions = spotter.find(word.end(), reach, people, headline_ok=True)
        if mentions and _only_titles(text[word.end() : mentions[0].start]):
            name = people.resolve(mentions[0].name)[1]
            found.setdefault(people.key(mentions[0].name), name)
    if len(found) != 1:
        return None  # no one named, or several: not guessed
    return next(iter(found.items()))


def _only_titles(between: str) -> bool:
    """'with Foreign Minister Qin Gang', 'with President Xi': nothing but capitalised words
    (titles) between the counterpart word and the name; not 'with reporters before Xi'."""
    return _TITLE_WORDS.fullmatch(between) is not None


@dataclass(frozen=True)
class MeasureFinder:
    rule: Rule
    config: MeasureExtractor
    pattern: re.Pattern[str]
    units: dict[str, str]
    subject_words: re.Pattern[str] | None
    subject_of_word: dict[str, str]
    place_after: re.Pattern[str] | None
    forbidden_context: re.Pattern[str] | None
    forbidden_determiners: frozenset[str]
    triggers: tuple[str, ...]  # every match ends with a unit that starts with one of these
    figure_words: tuple[str, ...]
    window: FigureWindow
    figure_openers: tuple[str, ...]  # see `finditer_figures`
    followers: re.Pattern[str] | None = None  # see `MeasureExtractor.followers_forbidden`
    required_followers: re.Pattern[str] | None = None  # `MeasureExtractor.followers_required`
    counterpart_word: re.Pattern[str] | None = None
    people: PeopleIndex | None = None  # the rule files' people, for `_counterpart`
    people_table: object = None

    def find(self, doc: Document) -> Iterator[RawClaim]:
        text = doc.text
        matches = finditer_figures(
            self.pattern,
            doc,
            self.triggers,
            self.figure_words,
            self.window,
            left_boundary=False,
            openers=self.figure_openers,
            extra_figure_words=_ARTICLE_WORDS,
        )
        for match in matches:
            start, end = match.start(), match.end()
            s_start, s_end = doc.sentence_at(start)
            previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
            if (
                previous
                and previous.group(1).lower() in self.forbidden_determiners
                and not (previous.group(1).lower() == "in" and _adjectival(text, match))
            ):
                continue
            if context_forbids(
                self.forbidden_context, doc, start, end, _CONTEXT_BEFORE, _CONTEXT_AFTER
            ):
                continue
            if self.followers is not None and self.followers.match(text, end):
                continue  # '48 hours after the strike': a gap between events
            adjectival, noun_at = _adjectival(text, match), _noun_position(text, end)
            named = (  # the subject of the noun a hyphenated measure qualifies, if it names one
                self._qualified_subject(text, noun_at)
                if adjectival and self.config.noun_must_name_subject
                else None
            )
            if self.config.noun_must_name_subject and not self._names_subject(
                text, match, adjectival, named
            ):
                continue  # 'a 72-hour ceasefire', 'six hours of waiting'
            if (
                self.required_followers is not None
                and not adjectival
                and not self.required_followers.match(text, noun_at)
            ):
                continue  # 'crashed 300 km north of Moscow' is no length of the jet
            subject: tuple[str, str] | None
            if named is not None:  # 'the 1.6-mile (2.6-km) bridge', whatever the ship nearer
                subject = named, self.config.subject_labels.get(named, named.replace("_", " "))
            else:
                subject = self._subject(doc, start, end, s_start, s_end)
            if subject is None:
                continue
            key, label = subject
            unit_text = " ".join(match.group("unit").lower().split())
            parts = {"unit": self.units[unit_text]}
            scale = self.config.unit_subjects.get(parts["unit"])
            if scale is not None:  # 'a two-day summit' is not set against 'six hours of talks'
                key, label = f"{key}_{scale}", f"{label} in {scale}"
            counterpart = self._counterpart(doc, start, end, s_start, s_end)
            if counterpart is not None:  # 'seven hours of talks with Qin Gang'
                person_key, name = counterpart
                key, label = f"{key}{OWNER_SEPARATOR}{person_key}", f"{label} with {name}"
            parts.update(figure_parts(match))
            figure = " ".join(parts.get("number", "").lower().split())
            if figure in _ARTICLE_VALUES:  # 'an hour', 'half an hour'
                parts["number"] = _ARTICLE_VALUES[figure]
            if match.group("and_half"):
                value = parse_number(parts.get("number", ""))
                if value is None:
                    continue
                parts["number"] = format_figure(value + 0.5)
            if match.group("number2"):
                unit2 = " ".join(match.group("unit2").lower().split())
                parts.update(number2=match.group("number2"), unit2=self.units[unit2])
            yield RawClaim(
                kind=self.rule.kind,
                rule=self.rule.id,
                span=doc.span(start, end),
                subject=key,
                subject_label=label,
                parts=parts,
            )

    def _names_subject(
        self, text: str, match: re.Match[str], adjectival: bool, named: str | None
    ) -> bool:
        """Whether the noun a measure qualifies ('a three-hour meeting', 'six hours of talks')
        is a subject word; true when the measure qualifies no noun ('the talks lasted six
        hours')."""
        of = _OF_AFTER.match(text, match.end())
        if of is not None:
            return self._qualified_subject(text, of.end()) is not None
        return named is not None if adjectival else True

    def _qualified_subject(self, text: str, at: int) -> str | None:
        """The subject key of the noun (or the word after it) standing at `at`, if any."""
        words = _FIRST_WORDS.match(text, at)
        if words is None or self.subject_words is None:
            return None
        found = self.subject_words.search(text, at, words.end())
        if found is None and (named := _NAME_RUN.match(text, at)) is not None:
            found = self.subject_words.match(text, named.end())  # 'the 2.6-mile Key Bridge'
        if found is None:
            return None
        return self.subject_of_word[" ".join(found.group().lower().split())]

    def _counterpart(
        self, doc: Document, start: int, end: int, s_start: int, s_end: int
    ) -> tuple[str, str] | None:
        """(person key, name) of the one person the measure's clause says the event was held
        with (`counterpart_in`)."""
        if self.counterpart_word is None or self.people is None:
            return None
        low, high = clause_bounds(doc.text, start, end, s_start, s_end)
        return counterpart_in(doc, self.counterpart_word, self.people, self.people_table, low, high)

    def _subject(
        self, doc: Document, start: int, end: int, s_start: int, s_end: int
    ) -> tuple[str, str] | None:
        text = doc.text
        if self.place_after is not None:
            match = self.place_after.match(text, end, s_end)
            if match:
                place = match.group("place")
                head = place.split()[-1]
                named = _NAME_IN_APPOSITION.match(text, match.end(), s_end)
                if head[:1].islower() and named:  # 'of the state capital, Bhubaneswar'
                    place = named.group("name")
                    head = place.split()[-1]
                key = slug_key(head)
                if head[:1].islower() and self.config.located_for_common_places:
                    located = _located(text, start, s_start)
                    if located is not None:  # 'a target 20 km from the border'
                        return f"{key}{OWNER_SEPARATOR}{located.lower()}", f"{located} from {place}"
                return key, f"from {place}"
        if self.subject_words is not None:
            preferred = self.config.preferred_subjects
            low, high = clause_bounds(text, start, end, s_start, s_end) if preferred else (0, 0)
            best: tuple[bool, int, str] | None = None
            for match in self.subject_words.finditer(text, s_start, s_end):
                distance = start - match.end() if match.end() <= start else match.start() - end
                word = " ".join(match.group().lower().split())
                key = self.subject_of_word[word]
                # A part named in the clause ('with only their interpreters') outranks the whole.
                outranked = not (key in preferred and low <= match.start() < high)
                if best is None or (outranked, abs(distance)) < best[:2]:
                    best = (outranked, abs(distance), key)
            if best is not None:
                key = best[2]
                return key, self.config.subject_labels.get(key, key.replace("_", " "))
        if self.config.default_subject:
            key = self.config.default_subject
            return key, self.config.subject_labels.get(key, key)
        return None


_WORD_NEXT = re.compile(r"[ \t]+[\w-]")
_NAME_RUN = re.compile(r"[ \t]+(?:[A-Z][\w.’'-]*[ \t]+){1,4}")  # before a name's last word
_CONVERSION_AFTER = re.compile(r"[ \t]*\([^()\n]{1,30}\)")
# An hour written with an article: 'an hour', 'half an hour', 'a half-hour' (then 'and a half'
# may follow). Only the hour: 'a day', 'a week' or 'a minute' are as often not durations
# ('twice a day', 'a week of talks', 'a minute's silence').
_ARTICLE_FIGURE = r"\b(?:half[ \t]+an|an|a[ \t]+half)(?=[ \t-]hour\b)"
_ARTICLE_VALUES = {"an": "1", "half an": "0.5", "a half": "0.5"}
_ARTICLE_WORDS = ("an", "half")  # where such a figure can stand, for `finditer_figures`


# What a distance locates: the word just before the figure, past the verbs and adverbs that
# join them ('a target 20 km', 'Kharkiv is about 40 km', 'the column stopped just 60 km').
_LOCATED = re.compile(
    r"(?P<head>[^\W\d_][\w’'-]*)[ \t]+"
    r"(?:(?:is|are|was|were|lies|lie|lay|sits|stands|stood|located|situated|based|stopped|"
    r"halted|came|got|now|still|just|only|roughly|about|some|around|nearly|almost|barely|"
    r"within|being|be|been|had|has|have|reached)[ \t]+)*$",
    re.IGNORECASE,
)
_CONVERTED = re.compile(r"[\d.,]+[ \t]*-?[^\W\d_]+[ \t]*$")  # the figure a conversion follows
_NOT_LOCATED = frozenset(
    (
        *("a", "an", "the", "this", "that", "these", "those", "which", "who"),
        *("it", "they", "he", "she", "we", "its", "their", "his", "her", "our"),
        *("and", "or", "but", "of", "in", "on", "at", "to", "from", "by", "for", "with", "as"),
        *("than", "about", "some", "around", "nearly", "almost"),
        *("despite", "while", "when", "after", "before", "since", "until", "once", "if"),
        *("though", "although", "because"),
    )
)


def _located(text: str, start: int, s_start: int) -> str | None:
    """The word naming what a distance locates, in the figure's clause; none for a pronoun
    or a function word ('It is 20 km from the border')."""
    low = max(s_start, start - 60)
    before = text[low:start]
    clause = CLAUSE_BREAK.split(before)[-1]
    if not clause.strip() and before.rstrip().endswith("("):
        # 'a ledge about 2.5 miles (4km) from the entrance': the conversion's, before it
        clause = CLAUSE_BREAK.split(_CONVERTED.sub("", before.rstrip()[:-1]))[-1]
    found = _LOCATED.search(clause)
    if found is None:
        return None
    head = found.group("head")
    return None if head.lower() in _NOT_LOCATED else head


def _adjectival(text: str, match: re.Match[str]) -> bool:
    """'in three-hour talks': a hyphenated singular unit qualifies the noun after it, so an 'in'
    before it is that noun's ('in … talks'), not the figure's ('in three hours')."""
    unit = match.group("unit")
    return (
        match.group("number2") is None
        and text[match.start("unit") - 1 : match.start("unit")] == "-"
        and not unit.lower().endswith("s")
        and _WORD_NEXT.match(text, _noun_position(text, match.end())) is not None
    )


def _noun_position(text: str, end: int) -> int:
    """Where the noun after a measure stands: past a conversion in brackets ('the 1.6-mile
    (2.6-km) bridge') or the bracket that closes one ('(2.6-km) bridge')."""
    conversion = _CONVERSION_AFTER.match(text, end)
    if conversion is not None:
        return conversion.end()
    return end + 1 if text[end : end + 1] == ")" else end


@register("measure")
def compile_measure(rule: Rule, ruleset: RuleSet) -> MeasureFinder:
    config = rule.extract
    assert isinstance(config, MeasureExtractor)
    from claimcheck.normalize import Tables

    hedges = Tables(ruleset).hedges
    units = {" ".join(k.lower().split()): v for k, v in config.units.items()}
    unit_words = words_pattern(list(units))
    pattern = re.compile(
        figure_pattern(hedges, allow_vague=False, articles=_ARTICLE_FIGURE)
        + rf"[\s-]?(?P<unit>{unit_words})\b"
        # "7 hours and 45 minutes" is one measure, and so is "an hour and a half"
        + rf"(?:,?\s+and\s+(?P<number2>{NUMBER})[\s-]?(?P<unit2>{unit_words})\b"
        + r"|\s+and\s+(?P<and_half>a\s+half)\b)?",
        re.IGNORECASE,
    )
    subject_of_word = {
        " ".join(word.lower().split()): key
        for key, words in config.subjects.items()
        for word in words
    }
    subject_words = (
        re.compile(rf"\b(?:{words_pattern(list(subject_of_word))})\b", re.IGNORECASE)
        if subject_of_word
        else None
    )
    place_after = _words_regex(_PLACE_AFTER, config.subject_from_preposition)
    forbidden = _words_regex(r"\b(?:{words})\b", config.context_forbidden)
    return MeasureFinder(
        rule=rule,
        config=config,
        pattern=pattern,
        units=units,
        subject_words=subject_words,
        subject_of_word=subject_of_word,
        place_after=place_after,
        forbidden_context=forbidden,
        forbidden_determiners=frozenset(w.lower() for w in config.determiners_forbidden),
        triggers=trigger_words(units),
        figure_words=hedges.figure_words,
        window=FigureWindow(
            reach=MAX_FIGURE_CHARS + 8,  # the unit follows the figure: '6,000km', '3 ½ hours'
            lead=MAX_FIGURE_LEAD,
            after=max(map(len, units), default=0) + len(" and a half") + 1,
        ),
        figure_openers=_with_article(figure_openers(hedges, allow_vague=False)),
        followers=_words_regex(r"[ \t]+(?:{words})\b", config.followers_forbidden),
        required_followers=_words_regex(r"[ \t]+(?:{words})\b", config.followers_required),
        counterpart_word=_words_regex(r"\b(?:{words})[ \t]+", config.counterpart_words),
        people=PeopleIndex(ruleset.people) if config.counterpart_words else None,
        people_table=ruleset.people,
    )


def _words_regex(template: str, words: list[str]) -> re.Pattern[str] | None:
    """`template` with its '{words}' the rule's words as one alternation; none without words."""
    if not words:
        return None
    return re.compile(template.replace("{words}", words_pattern(words)), re.IGNORECASE)


def _with_article(openers: tuple[str, ...]) -> tuple[str, ...]:
    """The openers of a measure's figure, 'an' too; none (look everywhere) stays none."""
    return tuple(sorted({*openers, "an"})) if openers else ()
