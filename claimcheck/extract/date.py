"""Finds dates and ties each to the event word and place nearest to it in its sentence.

Every date mention becomes a raw claim, including those tied to no event (subject ""): the
normaliser needs them to resolve chains such as "Two days later" and to anchor durations.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from claimcheck.extract import register
from claimcheck.extract.triggers import (
    KeywordTable,
    Window,
    finditer_near,
    matches_at_words,
    opening_words,
)
from claimcheck.models import RawClaim
from claimcheck.rules import DateExtractor, Rule, RuleSet
from claimcheck.text import Document

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = "|".join(WEEKDAYS)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_LEAD_WD = rf"(?:(?P<lead_wd>{_WD}),?\s+(?:the\s+)?)?"

# Month names that are also ordinary words must be capitalised to count ("may", "march").
_POSSESSIVE_S = re.compile(r"['’]s$")
_NOT_SLUG = re.compile(r"[^\w-]+")
_COMMA_SPACE = re.compile(r"[ \t]*,?[ \t]*")
_ABSOLUTE = re.compile(
    rf"\b{_LEAD_WD}(?:{_MONTH}\s+{_DAY}(?![\d:])|"
    + _DAY.replace("(?P<day>", "(?P<day2>")
    + r"\s+(?:of\s+)?"
    + _MONTH.replace("(?P<month>", "(?P<month2>")
    + rf"){_YEAR}\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(m for m in MONTHS if len(m) > 3) + r")\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_WEEKDAY_MODIFIERS = ("last", "this", "next", "on", "late", "early", "since")
_WEEKDAY = re.compile(
    rf"\b(?:(?P<mod>{'|'.join(_WEEKDAY_MODIFIERS)})\s+)?(?P<wd>{_WD})(?:['’]s)?\b",
    re.IGNORECASE,
)
# What a weekday after which is when something ran until, not when it happened: 'until
# Friday', 'into the early hours of Friday' ('heading into Monday's meeting' is its day).
_HOURS_OF = r"the[ \t]+(?:(?:early|small|late)[ \t]+)?(?:hours|morning|evening|night)[ \t]+of[ \t]+"
_UNTIL = re.compile(
    rf"\b(?:(?:until|till|through)[ \t]+(?:{_HOURS_OF})?|into[ \t]+{_HOURS_OF})$", re.IGNORECASE
)
_UNTIL_REACH = 40
# 'since Sunday' (a state that began then), 'by January' (a bound on when): see `find`.
_BOUND_BEFORE = re.compile(r"\b(?P<word>by|since)[ \t]+(?:(?:early|late|mid)[ \t-]+)?$", re.I)
_BOUND_REACH = 16
_AGO_TODAY = re.compile(
    rf"\b(?P<n>{'|'.join(SMALL_NUMBERS)}|\d{{1,2}})[ \t]+"
    r"(?P<unit>day|week|month|year)s?[ \t]+ago[ \t]+$",
    re.IGNORECASE,
)
_RELATIVE_DAY = re.compile(
    r"\b(?P<rel>today|tonight|yesterday|tomorrow)(?:['’]s)?\b", re.IGNORECASE
)
_CHAINED = re.compile(
    rf"\b(?:(?P<n>{'|'.join(SMALL_NUMBERS)}|\d{{1,2}})\s+days?\s+"
    r"(?P<dir>later|earlier|before|after|previously|ago|afterwards)"
    r"|the\s+(?P<dir2>following|next|previous|preceding)\s+day"
    r"|the\s+day\s+(?P<dir3>before|after))\b",
    re.IGNORECASE,
)
# The word each pattern cannot match without, and how far around it a match can reach.
_NEAR_MONTH = (tuple(sorted(MONTHS)), Window(before=60, after=40))
_NEAR_LONG_MONTH = (tuple(sorted(m for m in MONTHS if len(m) > 3)), Window(before=1, after=40))
_NEAR_WEEKDAY = (tuple(sorted(WEEKDAYS)), Window(before=30, after=20))
_NEAR_RELATIVE_DAY = (("today", "tomorrow", "tonight", "yesterday"), Window(before=1, after=20))
_NEAR_DAY = (("day", "days"), Window(before=40, after=30))
# What a match of each pattern opens with, when it does not open with a digit.
_ABSOLUTE_OPENERS = tuple(sorted({*WEEKDAYS, *MONTHS}))
_WEEKDAY_OPENERS = tuple(sorted({*_WEEKDAY_MODIFIERS, *WEEKDAYS}))
_CHAINED_OPENERS = tuple(sorted({*SMALL_NUMBERS, "the"}))
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "dec", "sep", "aug", "oct", "nov", "jun", "jul"}
# The other end of a run of days: 'September 9 and 10', 'September 9-10', '9-10 September'.
_LAST_DAY_AFTER = re.compile(
    r"[ \t]*(?P<joint>[-–—]|and|to|through)[ \t]*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
    r"(?![:.,]?\d)(?:,?[ \t]+(?P<year>(?:19|20)\d\d)\b)?"
)
_FIRST_DAY_BEFORE = re.compile(
    r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?[ \t]*(?P<joint>[-–—]|and|to)[ \t]*$"
)
_PHASE_REACH = 40  # characters before a date searched for 'broke off', 'resumed'
# A day of an event that lasts at least this many days: 'the second day of the summit'.
_DAY_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "first": 2, "opening": 2, "final": 2, "last": 2, "closing": 2,
}  # fmt: skip
# What a sentence that says how long its event lasts holds ('two-day', 'days of', 'weeklong',
# 'second day of'): other sentences are not searched.
_LASTING_HINTS = ("-day", " day ", " days", "eek-", "eekl")
_LASTING_NUMBER = rf"(?:\d{{1,2}}|{'|'.join(n for n, v in SMALL_NUMBERS.items() if v > 1)})"


@dataclass(frozen=True)
class DateFinder:
    rule: Rule
    config: DateExtractor
    triggers: re.Pattern[str]
    trigger_event: dict[str, str]
    places: re.Pattern[str]
    place_stopwords: frozenset[str]
    attribution: re.Pattern[str] | None
    spoken: re.Pattern[str] | None = None
    spoken_event: dict[str, str] = field(default_factory=dict)
    generic: frozenset[str] = frozenset()
    specific_after: re.Pattern[str] | None = None
    qualified: dict[str, re.Pattern[str]] = field(default_factory=dict)
    requires: dict[str, re.Pattern[str]] = field(default_factory=dict)  # see `event_requires`
    trigger_words: tuple[str, ...] = ()  # what every match of `triggers` opens with
    lasting: re.Pattern[str] | None = None  # 'a two-day summit': see `_event_days`
    phases: KeywordTable | None = None  # 'broke off on Friday': see `_phase`
    tally: re.Pattern[str] | None = None  # 'rose to 126 on Saturday': see `tally_words`

    def find(self, doc: Document) -> Iterator[RawClaim]:
        text = doc.text
        taken: list[tuple[int, int]] = []
        mentions: list[tuple[int, int, dict[str, str]]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for match in finditer_near(_ABSOLUTE, doc, *_NEAR_MONTH, openers=_ABSOLUTE_OPENERS):
            month_text = match.group("month") or match.group("month2")
            if month_text.lower() in _AMBIGUOUS_MONTHS and not month_text[0].isupper():
                continue
            day = int(match.group("day") or match.group("day2"))
            if not 1 <= day <= 31:
                continue
            parts = {"form": "absolute", "month": str(MONTHS[month_text.lower().rstrip(".")]),
                     "day": str(day)}  # fmt: skip
            if match.group("year"):
                parts["year"] = match.group("year")
            elif (run := _LAST_DAY_AFTER.match(text, match.end())) and run.group("year"):
                parts["year"] = run.group("year")  # 'September 9 and 10, 2023'
            if match.group("lead_wd"):
                parts["weekday"] = str(WEEKDAYS[match.group("lead_wd").lower()])
            mentions.append((match.start(), match.end(), parts))
            taken.append(match.span())
        for match in finditer_near(_MONTH_YEAR, doc, *_NEAR_LONG_MONTH):
            if free(*match.span()) and match.group("month")[0].isupper():
                parts = {"form": "month", "month": str(MONTHS[match.group("month").lower()]),
                         "year": match.group("year")}  # fmt: skip
                mentions.append((match.start(), match.end(), parts))
                taken.append(match.span())
        for match in finditer_near(_WEEKDAY, doc, *_NEAR_WEEKDAY, openers=_WEEKDAY_OPENERS):
            if not free(*match.span()):
                continue
            wd = match.group("wd")
            if wd[0].islower() and match.group("mod") is None:
                continue  # lower-case weekday with no "on"/"last": probably not a date
            if _UNTIL.search(text, max(0, match.start() - _UNTIL_REACH), match.start()):
                continue  # "lasted into the early hours of Friday": when it ended, past midnight
            parts = {"form": "weekday", "weekday": str(WEEKDAYS[wd.lower()])}
            mod = (match.group("mod") or "").lower()
            if mod in ("last", "next", "since"):
                parts["modifier"] = mod
            elif _is_future(
                doc, doc.sentence_at(match.start())[0], match.start()
            ) or _headline_future(doc, match.start()):
                parts["modifier"] = "future"
            mentions.append((match.start(), match.end(), parts))
            taken.append(match.span())
        for match in finditer_near(_RELATIVE_DAY, doc, *_NEAR_RELATIVE_DAY):
            if free(*match.span()):
                rel = match.group("rel").lower()
                offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[rel]
                parts = {"form": "relative", "offset": str(offset)}
                ago = (
                    _AGO_TODAY.search(text, max(0, match.start() - 32), match.start())
                    if rel == "today"
                    else None
                )
                if ago is not None:
                    # 'Three weeks ago today': that day; 'a month ago today': a day we do not
                    # count back to (months differ in length), so no date
                    n_text = ago.group("n").lower()
                    n = int(n_text) if n_text.isdigit() else SMALL_NUMBERS[n_text]
                    unit = ago.group("unit").lower()
                    if unit not in ("day", "week"):
                        continue
                    parts = {"form": "ago", "offset": str(-n * (7 if unit == "week" else 1))}
                    mentions.append((ago.start(), match.end(), parts))
                    taken.append((ago.start(), match.end()))
                    continue
                mentions.append((match.start(), match.end(), parts))
                taken.append(match.span())
        for match in finditer_near(_CHAINED, doc, *_NEAR_DAY, openers=_CHAINED_OPENERS):
            if not free(*match.span()):
                continue
            n_text = (match.group("n") or "one").lower()
            n = int(n_text) if n_text.isdigit() else SMALL_NUMBERS[n_text]
            direction = (match.group("dir") or match.group("dir2") or match.group("dir3")).lower()
            if direction in ("before", "after") and _OBJECT_FOLLOWS.match(text, match.end()):
                continue  # "two days after the talks": counted from an event we cannot date
            sign = 1 if direction in ("later", "after", "following", "next", "afterwards") else -1
            form = "ago" if direction == "ago" else "chained"
            parts = {"form": form, "offset": str(sign * n)}
            mentions.append((match.start(), match.end(), parts))
            taken.append(match.span())

        mentions.sort(key=lambda m: m[0])
        mentions = _drop_restated(text, mentions)
        # 'Friday's attack': the event a possessive date names is dated by it, whatever other
        # dates its sentence gives ('the toll from Friday's attack rose on Saturday').
        possessive_ends = [end for _, end, _ in mentions if text[end - 2 : end] in _POSSESSIVES]
        for start, end, parts in mentions:
            # 'by' or 'since' just before the date ('since Sunday' is a weekday's modifier)
            bound = _BOUND_BEFORE.search(text, max(0, start - _BOUND_REACH), start)
            bound_word = bound.group("word").lower() if bound is not None else None
            if parts.get("modifier") == "since":
                bound_word = "since"
            if (
                _DATELINE.match(text, _line_start(text, start), start)
                and _DATELINE_END.match(text, end)
            ) or _opens_document(text, start, parts):
                parts = {**parts, "dateline": "1"}
                subject, label = "", ""  # when the article was filed, not when anything happened
            elif self.attribution is not None and self.attribution.search(
                text, max(0, start - 24), start
            ):
                # "said on Monday": when it was said, not what happened; unless what was said
                # is dated with it ("said Sunday in an interview").
                subject, label = self._spoken_after(doc, end)
            elif self.tally is not None and self.tally.search(text, max(0, start - 60), start):
                subject, label = "", ""  # 'the toll rose to 126 on Saturday': the count's day
            elif self._names_no_event(text, start, end):
                subject, label = "", ""  # 'the August 8 wildfire': what it dates names no event
            elif bound_word == "by":
                # 'by January fighting had resumed': a bound on when, not the day it happened
                subject, label = "", ""
            else:
                subject, label = self._event_of(
                    doc, start, end, possessive_ends, after_only=bound_word == "since"
                )
                if subject:
                    event, colon, place = subject.partition(":")
                    days = self._event_days(doc, start, end, parts, event)
                    if days is not None:
                        parts = {**parts, "days": str(days)}
                    phase = self._phase(doc, start)
                    if phase is not None:  # 'broke off on Friday': when the talks paused
                        subject = f"{event}_{phase}{colon}{place}"
                        label = f"{phase.replace('_', ' ')} of {label}"
            yield RawClaim(
                kind=self.rule.kind,
                rule=self.rule.id,
                span=doc.span(start, end),
                subject=subject,
                subject_label=label,
                parts=parts,
            )

    def _names_no_event(self, text: str, start: int, end: int) -> bool:
        """'the August 8 wildfire', 'the Friday deadline': a date standing before a noun
        dates that noun; when the noun is no event word, the date is no event's."""
        if text[max(0, start - 4) : start].lower() != "the ":
            return False
        noun = _NOUN_AFTER.match(text, end)
        return noun is not None and noun.group("noun").lower() not in self.trigger_event

    def _event_days(
        self, doc: Document, start: int, end: int, parts: dict[str, str], event: str
    ) -> int | None:
        """How many days the dated event lasts, as its sentence says: 'September 9 and 10',
        '9-12 September', 'the two-day summit', 'three days of talks' (the same event as the
        date's). Any of those days may be called its date ('ended on Sunday', 'opened on
        Saturday')."""
        text = doc.text
        if parts["form"] == "absolute":
            first = int(parts["day"])
            after = _LAST_DAY_AFTER.match(text, end)
            if after is not None and first < int(after.group("day")) <= 31:
                last = int(after.group("day"))
                if after.group("joint") != "and" or last == first + 1:
                    return last - first + 1
            before = _FIRST_DAY_BEFORE.search(text, max(0, start - 12), start)
            if before is not None and text[start].isdigit():  # '9-10 September'
                low = int(before.group("day"))
                if 0 < low < first and (before.group("joint") != "and" or low == first - 1):
                    return first - low + 1
        s_start, s_end = doc.sentence_at(start)
        sentence = text[s_start:s_end]
        if self.lasting is None or not any(word in sentence for word in _LASTING_HINTS):
            return None
        for found in self.lasting.finditer(sentence):
            named = found.group("ev") or found.group("ev2") or found.group("ev3")
            word = " ".join(named.lower().split())
            if self.trigger_event[word] != event:
                continue  # 'over five days of talks, which began with a dinner on Sunday'
            if found.group("week"):
                return 7
            if found.group("ord"):
                return _DAY_ORDINALS[found.group("ord").lower()]
            number = (found.group("n") or found.group("n2")).lower()
            days = int(number) if number.isdigit() else SMALL_NUMBERS[number]
            return days if 2 <= days <= 31 else None
        return None

    def _phase(self, doc: Document, start: int) -> str | None:
        """'broke off on Friday', 'resumed in Vienna on Thursday': the moment of the event a
        date is of, from the last phase word just before it in its clause."""
        if self.phases is None:
            return None
        s_start, _ = doc.sentence_at(start)
        before = _CLAUSE_BREAK.split(doc.text[max(s_start, start - _PHASE_REACH) : start])[-1]
        found = list(self.phases.pattern.finditer(before))
        return self.phases.key(found[-1]) if found else None

    def _spoken_after(self, doc: Document, end: int) -> tuple[str, str]:
        """'said Sunday on CNN's show', 'told reporters on Friday in an interview': the words
        right after an attributed date, in its clause, name what was dated."""
        if self.spoken is None:
            return "", ""
        s_start, s_end = doc.sentence_at(end)
        window = doc.text[end : min(s_end, end + _SPOKEN_WINDOW)]
        clause = _CLAUSE_BREAK.split(window, maxsplit=1)[0]
        if not _SPOKEN_LEAD.match(clause):
            return "", ""  # "said on Monday that the speech …": the date is the saying's
        found = self.spoken.search(clause)
        if found is None:
            return "", ""
        event = self.spoken_event[" ".join(found.group().lower().split())]
        label = self.config.event_labels.get(event, event)
        sentence = doc.text[s_start:s_end]
        return self._qualify(event, label, sentence, s_start, end, end + found.end())

    def _specific(self, sentence: str, after: int) -> str | None:
        """'met on Sunday for an informal dinner': the event noun after 'for' in the clause."""
        if self.specific_after is None:
            return None
        clause = _CLAUSE_BREAK.split(sentence[after:], maxsplit=1)[0]
        found = self.specific_after.search(clause)
        if found is None:
            return None
        word = " ".join(found.group("trigger").lower().split())
        return None if word in self.generic else self.trigger_event[word]

    def _event_of(
        self,
        doc: Document,
        start: int,
        end: int,
        possessive_ends: list[int],
        *,
        after_only: bool = False,
    ) -> tuple[str, str]:
        """The event the date at start..end dates. A date after 'since' dates only an event
        named after it ('trapped since Aug. 5, when the mine collapsed'): what comes before
        is a state that began then ('a fall in shelling since Sunday')."""
        s_start, s_end = doc.sentence_at(start)
        sentence = doc.text[s_start:s_end]
        best: tuple[tuple[bool, int], str] | None = None
        for match in matches_at_words(
            self.triggers, doc, self.trigger_words, s_start, s_end, sliced=True
        ):
            if after_only and s_start + match.start() < end:
                continue
            if _dated_by_another(doc.text, s_start + match.start(), end, possessive_ends):
                continue
            distance = _distance(s_start + match.start(), s_start + match.end(), start, end)
            between = sentence[
                min(match.end(), start - s_start) : max(match.start(), end - s_start)
            ]
            if start < s_start + match.start() and _RELATIVE.search(between) is not None:
                continue  # 'underway Monday … to find a submersible that went missing'
            other_clause = _CLAUSE_BREAK.search(between) is not None
            if other_clause and distance > self.config.max_trigger_distance:
                continue  # far away and in another clause
            word = " ".join(match.group().lower().split())
            event = self.trigger_event[word]
            needed = self.requires.get(event)
            if needed is not None and needed.search(sentence) is None:
                continue  # 'a missile struck': no disaster word, no disaster
            if word in self.generic:
                event = self._specific(sentence, match.end()) or event
            # An event word in the date's own clause wins over a nearer one past a comma
            # ('Wong, who was released from prison on Monday, addressed the crowd').
            rank = (other_clause, distance)
            if best is None or rank < best[0]:
                best = (rank, event)
        if best is None:
            return "", ""
        event = best[1]
        label = self.config.event_labels.get(event, event)
        return self._qualify(event, label, sentence, s_start, start, end)

    def _qualify(
        self, event: str, label: str, sentence: str, offset: int, start: int, end: int
    ) -> tuple[str, str]:
        """The event with the place nearest the date ('meeting:geneva'); an event the rule
        qualifies otherwise ('an interview with ABC News') needs that qualifier or is no claim."""
        pattern = self.qualified.get(event)
        if pattern is None and event in self.config.unplaced_events:
            return event, label
        place = self._place_near(sentence, offset, start, end, pattern)
        if pattern is not None:
            if place is None:
                return "", ""  # which interview? Another source's is another event
            outlet = _POSSESSIVE_S.sub("", place)
            key = slug_key(outlet)
            return f"{event}:{key}", f"{label} with {outlet}"
        if place is None:
            if self.config.require_place:
                return "", ""
            return event, label
        key = place_key(place)
        return f"{event}:{key}", f"{label} in {place}"

    def _place_near(
        self,
        sentence: str,
        offset: int,
        start: int,
        end: int,
        pattern: re.Pattern[str] | None = None,
    ) -> str | None:
        best: tuple[int, str] | None = None
        for match in (pattern or self.places).finditer(sentence):
            words = match.group("place").split()
            while words and _unpossessed(words[0]) in self.place_stopwords:
                words = words[1:]
            if not words or _unpossessed(words[-1]) in self.place_stopwords:
                continue  # "in Sunday's election"
            after = sentence[match.end() :].split(maxsplit=1)
            if (
                match.group().split()[1].lower() == "the"
                and after
                and after[0][:1].islower()
                and after[0] not in _FUNCTION_WORDS
            ):
                continue  # an adjective: "in the Swiss city"
            if words[0].isupper() and len(words[0]) > 1 and len(words) == 1 and pattern is None:
                continue  # an acronym names an organisation, not a place
            if offset + match.start() >= end and _RELATIVE.search(
                sentence, end - offset, match.start()
            ):
                continue  # 'on 18 June, … to the wreck, which lies … in the North Atlantic'
            place = " ".join(words)
            distance = _distance(offset + match.start("place"), offset + match.end(), start, end)
            if best is None or distance < best[0]:
                best = (distance, place)
        return best[1] if best else None


# A dateline: the date opens its line, maybe after a place ("Ankara, August 2, 2024:",
# "COPIAPO, Chile, Oct. 14 (Xinhua) --").
_DATELINE = re.compile(r"[ \t>#*_]*(?:[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){0,3},[ \t]+){0,2}$")
_DATELINE_END = re.compile(r"[ \t]*(?:\([^)\n]{1,40}\)[ \t]*)?(?:[:–—|-]|\n|$)")


_SPOKEN_WINDOW = 60
_SPOKEN_LEAD = re.compile(
    r"[ \t]+(?:night[ \t]+|morning[ \t]+|evening[ \t]+)?(?:in|on|at|during)\s"
)


def _opens_document(text: str, start: int, parts: dict[str, str]) -> bool:
    """A full date that opens the text ("November 14, 2022 Biden, Xi meet …") is its header."""
    return "year" in parts and not text[:start].strip(" \t\n\r\ufeff>#*_")


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


_OBJECT_FOLLOWS = re.compile(r"[ \t]+[\w“\"']")
_CLAUSE_BREAK = re.compile(r"[,;:()—–]")
_RELATIVE = re.compile(r"\b(?:that|which|who|whose)\b", re.I)
_FUNCTION_WORDS = frozenset(
    [
        "and",
        "or",
        "but",
        "on",
        "in",
        "at",
        "for",
        "of",
        "to",
        "by",
        "with",
        "from",
        "before",
        "after",
        "when",
        "where",
        "which",
        "who",
        "while",
        "as",
        "that",
        "this",
        "last",
        "next",
    ]
)


_POSSESSIVES = ("'s", "’s")
_NOUN_AFTER = re.compile(r"[ \t]+(?P<noun>[a-z][\w-]*)\b")  # 'the August 8 wildfire'
_POSSESSED = re.compile(r"[ \t]+(?:[\w-]+[ \t]+)?")  # "Friday's attack", "Friday's deadly attack"


def _dated_by_another(text: str, trigger: int, end: int, possessive_ends: list[int]) -> bool:
    """Whether the event word at `trigger` is dated by a possessive date ('Friday's attack')
    other than the one ending at `end`."""
    i = bisect_right(possessive_ends, trigger) - 1
    if i < 0 or possessive_ends[i] == end:
        return False
    owner_end = possessive_ends[i]
    return _POSSESSED.fullmatch(text, owner_end, trigger) is not None


def _unpossessed(word: str) -> str:
    return word[:-2] if word.endswith(_POSSESSIVES) else word


def place_key(place: str) -> str:
    """'Lake Geneva' and 'Geneva' share the key 'geneva'; "Indonesia's" is 'indonesia'; a
    venue named by what it is ('Dover Air Force Base', 'Crocus City Hall') by its first word;
    a region by its name ('Tver Region')."""
    words = place.split()
    while len(words) > 1 and _unpossessed(words[-1]).lower() in _DIVISION_WORDS:
        words = words[:-1]  # 'the Tver Region' is Tver, 'Ishikawa Prefecture' Ishikawa
    head = _unpossessed(words[-1])
    if len(words) > 1 and head.lower() in _FACILITY_WORDS:
        head = _unpossessed(words[0])
    return slug_key(head)


def slug_key(words: str) -> str:
    """'Kuzhenkino' -> 'kuzhenkino', 'ABC News' -> 'abc-news': a place or outlet as a key."""
    return _NOT_SLUG.sub("-", words.lower()).strip("-")


_DIVISION_WORDS = frozenset(
    ("region", "province", "oblast", "prefecture", "district", "county", "governorate", "state")
)
_FACILITY_WORDS = frozenset(
    (
        *("base", "airport", "airbase", "hall", "hotel", "palace", "centre", "center"),
        *("building", "square", "resort", "stadium", "arena", "cosmodrome", "spaceport"),
        *("station", "port", "harbour", "harbor", "bridge", "embassy", "consulate"),
    )
)


def _alternation(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


def _drop_restated(
    text: str, mentions: list[tuple[int, int, dict[str, str]]]
) -> list[tuple[int, int, dict[str, str]]]:
    """ "The following day, January 13": the chain and the date it names are one mention."""
    kept = []
    for i, (start, end, parts) in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            parts["form"] == "chained"
            and following is not None
            and following[2]["form"] == "absolute"
            and _COMMA_SPACE.fullmatch(text, end, following[0])
        ):
            continue
        kept.append((start, end, parts))
    return kept


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


# Words before a weekday that speak of the future ("talks will start Monday").
_FUTURE_WORDS = (
    "will", "would", "shall", "is to", "are to", "is due", "are due", "scheduled", "expected to",
    "upcoming", "plan to", "plans to", "set to", "going to", "start", "starts", "begin",
    "begins", "ahead of",
)  # fmt: skip
_FUTURE = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _FUTURE_WORDS) + r")\b",
    re.IGNORECASE,
)
_FUTURE_OPENERS = opening_words(_FUTURE_WORDS)


# Verbs only ever in the past tense: one between a future word and the weekday puts the
# weekday in a clause of its own ("will face him in a runoff after neither won a majority in
# Sunday's election"). Regular past forms ('-ed') are also participles and adjectives.
_PAST_TENSE = re.compile(
    r"\b(?:was|were|did|had|won|lost|came|went|took|gave|saw|began|ran|fell|rose|spoke|wrote|"
    r"broke|chose|flew|grew|knew|threw|told|said)\b",
    re.IGNORECASE,
)


def _is_future(doc: Document, sentence_start: int, offset: int) -> bool:
    """Whether the words before a weekday speak of the future ("talks will start Monday")."""
    found = list(matches_at_words(_FUTURE, doc, _FUTURE_OPENERS, sentence_start, offset))
    return bool(found) and _PAST_TENSE.search(doc.text, found[-1].end(), offset) is None


def _headline_future(doc: Document, offset: int) -> bool:
    """Whether a headline's bare infinitive before a weekday speaks of the future ("ECOWAS to
    meet in Abuja on Sunday"): a line with no closing punctuation."""
    text = doc.text
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : len(text) if line_end < 0 else line_end].rstrip()
    return (
        bool(line)
        and line[-1] not in _SENTENCE_END_MARKS
        and _HEADLINE_INFINITIVE.search(text, line_start, offset) is not None
    )


# A headline says what will happen with a bare infinitive: 'Leaders to meet in Geneva on Monday'.
_HEADLINE_INFINITIVE = re.compile(
    r"\bto[ \t]+(?:meet|hold|host|visit|travel|attend|sign|vote|resume|begin|start|open|"
    r"launch|address|announce|hold[ \t]+talks)\b",
    re.IGNORECASE,
)
_SENTENCE_END_MARKS = '.!?"”’:;,'


@register("date")
def compile_date(rule: Rule, ruleset: RuleSet) -> DateFinder:
    config = rule.extract
    assert isinstance(config, DateExtractor)
    trigger_event: dict[str, str] = {}
    for event, words in config.events.items():
        for word in words:
            trigger_event.setdefault(" ".join(word.lower().split()), event)
    alternation = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(trigger_event, key=len, reverse=True)
    )
    preps = "|".join(re.escape(p) for p in config.place_prepositions)
    name = r"[A-Z][\w'’-]*"
    places = re.compile(
        rf"\b(?i:{preps})\s+(?:the\s+)?(?P<place>{name}(?:\s+{name}){{0,2}})", re.UNICODE
    )
    spoken_event = {
        " ".join(word.lower().split()): event
        for event, words in config.spoken_events.items()
        for word in words
    }
    generic = frozenset(" ".join(w.lower().split()) for w in config.generic_triggers)
    qualified = {
        event: re.compile(
            rf"\b(?i:{'|'.join(re.escape(p) for p in preps)})\s+(?:the\s+)?"
            rf"(?P<place>{name}(?:\s+{name}){{0,2}})",
            re.UNICODE,
        )
        for event, preps in config.event_qualifiers.items()
        if preps
    }
    return DateFinder(
        qualified=qualified,
        requires={
            event: re.compile(rf"\b(?:{_alternation(words)})\b", re.IGNORECASE)
            for event, words in config.event_requires.items()
            if words
        },
        spoken=(
            re.compile(rf"\b(?:{_alternation(list(spoken_event))})\b", re.IGNORECASE)
            if spoken_event
            else None
        ),
        spoken_event=spoken_event,
        generic=generic,
        specific_after=(
            re.compile(
                r"\bfor\s+(?:(?:a|an|the|their|his|her|its)\s+)?(?:[\w’'-]+\s+){0,2}?"
                rf"(?P<trigger>{alternation})\b",
                re.IGNORECASE,
            )
            if generic
            else None
        ),
        rule=rule,
        config=config,
        triggers=re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE),
        phases=KeywordTable.of(config.phases),
        tally=(
            re.compile(
                rf"\b(?:{_alternation(config.tally_words)})[ \t]+(?:[a-z]+[ \t]+){{0,2}}?"
                # (the date's own 'on' may be part of it: 'on Saturday')
                r"\d[\d,.]*(?:[ \t]+[a-z]+)??(?:[ \t]+(?:on|by|as[ \t]+of))?[ \t]+$",
                re.IGNORECASE,
            )
            if config.tally_words
            else None
        ),
        lasting=re.compile(
            rf"\b(?:(?P<n>{_LASTING_NUMBER})[- ]day|(?P<week>week-?long))[- ](?:long[ \t]+)?"
            rf"(?P<ev>{alternation})\b"
            rf"|\b(?P<n2>{_LASTING_NUMBER})[ \t]+days[ \t]+of[ \t]+(?:\w+[ \t]+)?"
            rf"(?P<ev2>{alternation})\b"
            # 'the second day of the summit', 'the second and final day of the alliance's summit'
            rf"|\b(?P<ord>{'|'.join(_DAY_ORDINALS)})(?:[ \t]+and[ \t]+(?:final|last))?[ \t]+"
            r"day[ \t]+of[ \t]+(?:the[ \t]+)?(?:[\w-]+(?:[’']s)?[ \t]+)?"
            rf"(?P<ev3>{alternation})\b",
            re.IGNORECASE,
        ),
        trigger_words=opening_words(trigger_event),
        trigger_event=trigger_event,
        places=places,
        place_stopwords=frozenset(config.place_stopwords),
        attribution=(
            re.compile(
                rf"\b(?:{_alternation(config.attribution_words)})[ \t]+"
                r"(?:(?:on|late|early)[ \t]+)?$",
                re.IGNORECASE,
            )
            if config.attribution_words
            else None
        ),
    )
