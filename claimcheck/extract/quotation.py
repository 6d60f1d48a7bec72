"""Direct quotations and who said them: '“…,” said Sergei Ryabkov', 'Biden told reporters: “…”'.

A quotation becomes a claim only when its speaker is a named person: named next to a speech
verb in the same sentence, or found from it ('he said' -> the last person named in the
paragraph; 'the Russian president added' -> the one person the article calls President).
Scare quotes (too few words) and titles in quotation marks are skipped. Broken or nested marks
(`“"e do not want…”`) never raise: an opening mark that finds no close is ignored.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from claimcheck.extract import Finder, register
from claimcheck.extract.triggers import matches_at_words, opening_words
from claimcheck.models import RawClaim
from claimcheck.normalize.names import (
    NON_NAME_WORDS,
    PRONOUNS,
    TITLES,
    NameMention,
    PeopleIndex,
    fold,
    learned_people,
    spotter_for,
)
from claimcheck.rules import ParticipantExtractor, QuotationExtractor, Rule, RuleSet
from claimcheck.text import Document

MAX_QUOTE_CHARS = 1500
MAX_PARAGRAPH_BREAKS = 2
MAX_WORDS_BEFORE_VERB = 6  # '“…,” the Russian president added' but not a whole new clause
PARAGRAPHS_BACK = 3  # how far 'he said' looks for its person through paragraphs naming nobody
BODY_LOOKBACK = 600  # how far back 'the readout said' looks for whose readout it is
DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
AUXILIARIES = "has|had|have|was|were|is|also|then|later|again|once|previously|would|will"
RELATIVES = frozenset(["which", "that", "who", "whom", "what", "where", "when"])
_DETERMINER = re.compile(
    r"^\s*(?:a|an|the|one|two|three|another|some|several|its|his|her|their)\s", re.I
)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CONJUNCTION_END = re.compile(r"(?:^|[\s,])(?:but|and)(?:\s+(?:also|then|later))?$", re.I)
_RELATIVE_CLAUSE = re.compile(r"\s*,\s+(?:who|whose)\s[^“”\"]{1,250}?,?\s*")
_AUXILIARY_RUN = re.compile(rf"(?:\s+(?:{AUXILIARIES}))*\s+", re.I)
_LONE_NAME = re.compile(r"(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?([A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)")
_SENTENCE_OPEN_END = re.compile(r"(?:^|[.!?\n][\s”\"’]*)$")
_SENTENCE_STOP = re.compile(r"[.!?](?:\s|$)")
_LEADING_PUNCTUATION = re.compile(r"^[\s,.;:!?”\"’]+")
_TRAILING_AUXILIARIES = re.compile(rf"(?:\s+(?:{AUXILIARIES}))+\s*$", re.I)
# Before the name after a verb-first attribution: 'said Interior Minister', 'said Lahaina
# resident', 'said retired miner'; a function word means a clause, not a description.
_CAPITAL_LEAD = re.compile(
    r"\s+(?:(?!(?:that|to|on|in|at|of|and|but|or|after|before|when|while|as|for|with|by"
    r"|from|he|she|it|they|we|i|you|this|was|is|had|has|would|will)\s)[\w.\-’']+\s+){0,4}",
    re.I,
)
_SHORT_APPOSITION = re.compile(r"\s*(?:,[^,“”\"]{1,60},?\s*)?")
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\s+")
_ROLE_REFERENCE = re.compile(r"(?:the|a)\s+(?:[A-Z][\w.’']*\s+)?([a-z\-]+)", re.I)
_LONE_NAME_AFTER = re.compile(r"\s+" + _LONE_NAME.pattern + r"(?=[\s,.;:]|$)")
_LONE_NAME_BEFORE = re.compile(r"(?:^|\s)" + _LONE_NAME.pattern + r"\s*$")
_SPEAKER_LEAD_END = re.compile(r"(?:^|[,;:.!?”\"’])$|\b(?:Mr|Ms|Mrs|Dr)\.?$")
_APPOSITION_BEFORE_VERB = re.compile(r",[^,“”\"\n]{1,60},\s*$")
_OF_BODY = re.compile(r"\s+of\s+(?:the\s+)?(?:[A-Z][\w.’'&-]*\s*){1,5}")
_INVERTED_SAID = re.compile(r",\s+(?:said|says)\s+")
_QUOTE_LABELS = frozenset(["quote", "quotes", "quoted", "full quote"])  # not 'Related:', 'Read:'
_NOT_KEY = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class _Quote:
    """One pair of quotation marks: `start:end` is the text inside them."""

    open: int
    start: int
    end: int
    close: int  # just after the closing mark (== end when a paragraph ended it unclosed)


@dataclass(frozen=True)
class _Speaker:
    """What an attribution names: a person, or None for 'the State Department', 'a diplomat'."""

    mention: NameMention | None


# --------------------------------------------------------------------------- quotation marks


def _is_opening(text: str, i: int) -> bool:
    """A straight mark opens after a space or punctuation and before a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _is_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


_OPENING_MARK = re.compile(f"[{re.escape(DOUBLE_OPEN + SINGLE_OPEN)}\"']")
_DOUBLE_EVENT = re.compile(f'[\n{re.escape(DOUBLE_OPEN + DOUBLE_CLOSE)}"]')
_SINGLE_EVENT = re.compile(f"[\n{re.escape(SINGLE_CLOSE)}]")
_STRAIGHT_SINGLE_EVENT = re.compile("[\n']")


def find_quotes(text: str) -> list[_Quote]:
    """Every balanced quotation: curly or straight double marks with nested marks inside, and
    single marks, curly or straight (British style: 'We will rebuild,' Green said), at the top
    level. An unbalanced opening mark is skipped."""
    quotes: list[_Quote] = []
    i = 0
    while i < len(text):
        mark = _OPENING_MARK.search(text, i)  # nothing else can open a quotation
        if mark is None:
            break
        i = mark.start()
        c = text[i]
        found: _Quote | None = None
        if c in DOUBLE_OPEN or (c == '"' and _is_opening(text, i)):
            found = _close_double(text, i)
        elif c == SINGLE_OPEN and _is_opening(text, i):
            found = _close_single(text, i)
        elif c == "'" and _opens_straight_single(text, i):
            found = _close_straight_single(text, i)
        if found is not None:
            quotes.append(found)
            i = max(found.close, i + 1)
        else:
            i += 1
    return quotes


def _close_double(text: str, open_at: int) -> _Quote | None:
    """The closing mark for a double opening mark. A quotation may run on over a paragraph
    break (the next paragraph then has no opening mark); if it never closes, or the next
    paragraph opens anew, it ends with its own paragraph, as a cut-off excerpt does."""
    nested = False  # inside a straight pair within a curly one, or the reverse
    first_break: int | None = None
    breaks = 0
    j = open_at + 1
    limit = min(len(text), open_at + MAX_QUOTE_CHARS)

    def cut_off() -> _Quote | None:
        if first_break is None:
            return None
        return _Quote(open_at, open_at + 1, first_break, first_break)

    while j < limit:
        mark = _DOUBLE_EVENT.search(text, j, limit)  # the only characters that matter here
        if mark is None:
            j = limit
            break
        j = mark.start()
        c = text[j]
        if c == "\n":
            k = j
            while k < len(text) and text[k].isspace():
                k += 1
            if first_break is None:
                first_break = j
            breaks += 1
            if k >= len(text) or text[k] in DOUBLE_OPEN or text[k] == '"':
                return cut_off()
            if breaks > MAX_PARAGRAPH_BREAKS:
                return cut_off()
            j = k
            continue
        if c in DOUBLE_CLOSE:
            return _Quote(open_at, open_at + 1, j, j + 1)
        if c == '"':
            if _is_opening(text, j) and not _is_closing(text, j):
                if first_break is not None:
                    return cut_off()  # a new quotation opens: the old one ended unclosed
                nested = True
            elif nested:
                nested = False
            else:
                return _Quote(open_at, open_at + 1, j, j + 1)
        elif c in DOUBLE_OPEN:
            if first_break is not None:
                return cut_off()
            nested = True
        j += 1
    if j >= len(text):
        return (
            _Quote(open_at, open_at + 1, len(text), len(text)) if first_break is None else cut_off()
        )
    return cut_off()


def _close_single(text: str, open_at: int) -> _Quote | None:
    limit = min(len(text), open_at + MAX_QUOTE_CHARS)
    for mark in _SINGLE_EVENT.finditer(text, open_at + 1, limit):
        j = mark.start()
        if text[j] == "\n":
            return None
        if _is_closing(text, j):
            return _Quote(open_at, open_at + 1, j, j + 1)
    return None


def _opens_straight_single(text: str, i: int) -> bool:
    """A straight single mark opens a quotation only before a word and after a space, a line
    start or an opening bracket: elsewhere it is an apostrophe ('Maui's', 'rock 'n' roll')."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and (after.isalnum() or after in '…"“')


def _close_straight_single(text: str, open_at: int) -> _Quote | None:
    """The first straight mark that ends a word and no word follows, within the paragraph.
    'the miners' families' keeps going: a mark after an s with a word after it is a plural
    possessive, not a closing mark."""
    limit = min(len(text), open_at + MAX_QUOTE_CHARS)
    for mark in _STRAIGHT_SINGLE_EVENT.finditer(text, open_at + 2, limit):
        j = mark.start()
        if text[j] == "\n":
            return None
        if not _is_closing(text, j):
            continue
        if text[j - 1] in "sS" and text[j + 1 : j + 2] == " " and text[j + 2 : j + 3].isalpha():
            continue
        return _Quote(open_at, open_at + 1, j, j + 1)
    return None


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_title(text: str) -> bool:
    """'Principles and Objectives for Future Arms Control' is a name, not speech."""
    words = [w for w in _words(text) if len(w) > 3]
    return len(words) >= 2 and sum(1 for w in words if w[0].isupper()) / len(words) > 0.7


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- the finder


@dataclass
class _Article:
    """One document while its quotations are attributed.

    `find_quotes` gives the quotations in text order, each opening after the last one closed,
    so the positions below are sorted and a position is looked up by bisection."""

    doc: Document
    people: PeopleIndex
    quotes: list[_Quote]
    speakers: dict[int, NameMention] = field(default_factory=dict)
    bodies: set[str] = field(default_factory=set)  # speakers that are institutions
    _starts: list[int] = field(init=False)
    _opens: list[int] = field(init=False)
    _closes: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self._starts = [q.start for q in self.quotes]
        self._opens = [q.open for q in self.quotes]
        self._closes = [q.close for q in self.quotes]

    @property
    def text(self) -> str:
        return self.doc.text

    def inside_quote(self, pos: int) -> bool:
        index = bisect_right(self._starts, pos) - 1
        return index >= 0 and pos < self.quotes[index].end

    def last_close(self, after: int, upto: int) -> int:
        """The last closing position in (after, upto], else `after`."""
        index = bisect_right(self._closes, upto) - 1
        return self._closes[index] if index >= 0 and self._closes[index] > after else after

    def first_open(self, start: int, before: int) -> int:
        """The first opening mark in [start, before), else `before`."""
        index = bisect_left(self._opens, start)
        return (
            self._opens[index]
            if index < len(self._opens) and self._opens[index] < before
            else before
        )

    def opens_within(self, start: int, end: int) -> bool:
        return self.first_open(start, end) < end


@dataclass
class QuotationFinder:
    rule: Rule
    people: PeopleIndex
    table: object  # the ruleset's people: finders built from one table share what they learn
    not_people: frozenset[str]
    config: QuotationExtractor = field(init=False)
    _verb_re: re.Pattern[str] = field(init=False)
    _verb_openers: tuple[str, ...] = field(init=False)  # what every `_verb_re` match opens with
    _body_re: re.Pattern[str] | None = field(init=False)
    _body_words: frozenset[str] = field(init=False)
    _in_statement_re: re.Pattern[str] | None = field(init=False)
    _document_re: re.Pattern[str] | None = field(init=False)
    _named_document_re: re.Pattern[str] | None = field(init=False)

    def __post_init__(self) -> None:
        config = self.rule.extract
        assert isinstance(config, QuotationExtractor)
        self.config = config
        verbs = sorted({v.strip() for v in config.speech_verbs if v.strip()}, key=len, reverse=True)
        alternation = "|".join(r"\s+".join(re.escape(w) for w in v.split()) for v in verbs)
        self._verb_re = re.compile(rf"(?<![\w’'-])(?:{alternation})(?![\w’'-])", re.IGNORECASE)
        self._verb_openers = opening_words(verbs)
        documents = "|".join(re.escape(w) for w in config.statement_words)
        self._body_re = (
            re.compile(
                r"(?i:the|a|an)\s+(?P<body>(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*?)(?:[’']s)?"
                rf"(?:\s+(?P<document>{documents}))?",
            )
            if documents
            else None
        )
        self._in_statement_re = (
            re.compile(
                r"\s+(?:(?:on|late|early)\s+\w+\s+)?(?:in|on)\s+(?:a|an|its|the)\s+"
                rf"(?:[\w-]+\s+)?(?:{documents})\b",
                re.IGNORECASE,
            )
            if documents
            else None
        )
        self._body_words = frozenset(fold(w) for w in config.institutions)
        # "The readout said …": the body whose readout the article named just before
        self._document_re = (
            re.compile(rf"(?i:the|this|that)\s+(?:{documents})") if documents else None
        )
        self._named_document_re = (
            re.compile(
                rf"(?P<body>(?:[A-Z][\w.’'-]*\s+){{0,3}}[A-Z][\w.’'-]*?)(?:[’']s)?\s+"
                rf"(?i:{documents})\b"
            )
            if documents
            else None
        )

    def find(self, doc: Document) -> Iterator[RawClaim]:
        people = learned_people(doc, self.people, self.table)
        article = _Article(doc, people, find_quotes(doc.text))
        text = doc.text
        merged_into: dict[int, int] = {}
        for index, quote in enumerate(article.quotes):
            speaker = self._attribute(article, index)
            if speaker is not None and speaker.mention is not None:
                article.speakers[index] = speaker.mention
            nxt = article.quotes[index + 1] if index + 1 < len(article.quotes) else None
            if nxt is not None and index in article.speakers and self._interrupted(doc, quote, nxt):
                merged_into[index + 1] = merged_into.get(index, index)
        groups: dict[int, list[int]] = {}
        for index in range(len(article.quotes)):
            groups.setdefault(merged_into.get(index, index), []).append(index)
        for head, members in groups.items():
            mention = article.speakers.get(head)
            if mention is None:
                continue
            # A quotation split by its attribution is one claim per pair of marks, each
            # with the speaker the first part names.
            for quote in (article.quotes[i] for i in members):
                passage = text[quote.start : quote.end].strip()
                if len(_words(passage)) < self.config.min_words or _is_title(passage):
                    continue
                start, end = _trim(text, quote.start, quote.end)
                if start < end:
                    yield self._claim(
                        doc, people, mention, passage, start, end, article_bodies=article.bodies
                    )
        if not any(
            len(_words(text[q.start : q.end])) >= self.config.min_words for q in article.quotes
        ):
            yield from self._unmarked(article)  # a copy that lost its quotation marks

    def _claim(
        self,
        doc: Document,
        people: PeopleIndex,
        mention: NameMention,
        quotation: str,
        start: int,
        end: int,
        unmarked: bool = False,
        article_bodies: frozenset[str] | set[str] = frozenset(),
    ) -> RawClaim:
        body = mention.name in article_bodies
        name = mention.name if body else people.expand(mention.name)
        parts = {"text": quotation, "speaker": name, "mention": mention.name}
        if body:
            parts["body"] = "1"
        if unmarked:
            parts["marks"] = "none"
        return RawClaim(
            kind=self.rule.kind,
            rule=self.rule.id,
            span=doc.span(start, end),
            subject=_body_key(name) if body else people.key(name),
            subject_label=f"quotations of {name}",
            parts=parts,
        )

    def _verbs(self, doc: Document, start: int, end: int) -> Iterator[re.Match[str]]:
        """Speech verbs, written in lower case unless they open a sentence ('United States'
        is no verb; 'According to Peskov, …' is)."""
        text = doc.text
        for match in matches_at_words(self._verb_re, doc, self._verb_openers, start, end):
            if match.group()[0].isupper():
                before = text[max(0, match.start() - 3) : match.start()]
                if match.start() > 0 and not _SENTENCE_OPEN_END.search(before):
                    continue
            yield match

    def _interrupted(self, doc: Document, first: _Quote, second: _Quote) -> bool:
        """'“I do not see reasons to sit down,” he told Russian TV, “to gather again…”': one
        sentence, split by its attribution."""
        text = doc.text
        inside = text[first.start : first.end].rstrip()
        between = text[first.close : second.open]
        if not inside.endswith(",") or "\n" in between or len(_words(between)) > 8:
            return False
        verb = next(self._verbs(doc, first.close, second.open), None)
        return verb is not None and between.rstrip().endswith(",")

    # ------------------------------------------------------------------ attribution

    def _attribute(self, article: _Article, index: int) -> _Speaker | None:
        """Who said it: a speech verb after the quotation, then before it; a speaker label
        ('Prigozhin: “…”'); else the speaker of the quotation just before, if it goes on."""
        text = article.text
        quote = article.quotes[index]
        for verb in (self._after(article, index), self._before(article, index)):
            if verb is not None:
                speaker = self._resolve(article, *verb)
                if speaker is not None:
                    return speaker
        boundary = article.doc.sentence_at(quote.open)[0]
        previous = article.quotes[index - 1] if index > 0 else None
        if previous is not None and boundary < previous.close <= quote.open:
            boundary = previous.close
        lead_in = text[boundary : quote.open]
        if lead_in.rstrip().endswith(":"):
            label_end = boundary + len(lead_in.rstrip()) - 1
            names = self._names(article, boundary, label_end)
            if names and names[-1].end == label_end:
                return _Speaker(names[-1])  # "Yevgeny Prigozhin: “Despite the fact…”"
            if " ".join(fold(w) for w in _words(lead_in)) in _QUOTE_LABELS:
                # A "Quote:" label under a "Source: Putin in an address…" line.
                return _Speaker(self._only_person_in_sentence_before(article, quote.open))
        goes_on = previous is not None and (index - 1) in article.speakers
        if goes_on and previous is not None and self._goes_on(article, previous, quote, lead_in):
            return _Speaker(article.speakers[index - 1])
        return None

    def _goes_on(self, article: _Article, previous: _Quote, quote: _Quote, lead_in: str) -> bool:
        """The same speaker goes on: a quotation that opens its sentence right after an
        attributed one, or a second quotation in the same sentence with nobody else named."""
        text = article.text
        gap = text[previous.close : quote.open]
        same_sentence = article.doc.sentence_at(previous.close - 1) == article.doc.sentence_at(
            quote.open
        )
        if same_sentence:
            names = self._names(article, previous.close, quote.open)
            pronouns = [w for w in _words(gap) if fold(w) in PRONOUNS]
            return (
                not names
                and not pronouns
                and next(self._verbs(article.doc, previous.close, quote.open), None) is None
            )
        if _words(lead_in) or gap.count("\n") > 2:
            return False
        return len(_SENTENCE_STOP.findall(gap)) <= 1 and len(_words(gap)) <= 30

    def _after(self, article: _Article, index: int) -> tuple[str, int, int] | None:
        """The speech verb a few words after the closing mark, in the same sentence."""
        text = article.text
        quote = article.quotes[index]
        stop = article.doc.sentence_at(max(quote.close - 1, 0))[1]
        newline = text.find("\n", quote.close)
        if newline >= 0:
            stop = min(stop, newline)
        if index + 1 < len(article.quotes):
            stop = min(stop, article.quotes[index + 1].open)
        if stop <= quote.close:
            return None
        verb = next(self._verbs(article.doc, quote.close, stop), None)
        if verb is None:
            return None
        # '“…,” Rear Adm John Mauger, commander of the district, said': the aside is no clause.
        lead = _APPOSITION_BEFORE_VERB.sub("", text[quote.close : verb.start()])
        between = _words(lead)
        if len(between) > MAX_WORDS_BEFORE_VERB or any(fold(w) in RELATIVES for w in between):
            return None  # '“…,” which he said undermined peace': not this quotation's speaker
        return ("after", verb.start(), verb.end())

    def _before(self, article: _Article, index: int) -> tuple[str, int, int] | None:
        """The nearest speech verb before the opening mark, in the same sentence."""
        quote = article.quotes[index]
        start = article.doc.sentence_at(quote.open)[0]
        if index > 0 and start < article.quotes[index - 1].close <= quote.open:
            start = article.quotes[index - 1].close
        if start >= quote.open:
            return None
        verbs = list(self._verbs(article.doc, start, quote.open))
        if not verbs:
            return None
        return ("before", verbs[-1].start(), verbs[-1].end())

    def _resolve(
        self, article: _Article, where: str, verb_start: int, verb_end: int
    ) -> _Speaker | None:
        """The subject of the speech verb: a person, no person (an agency, 'a diplomat'), or
        None when the verb is no attribution at all."""
        text = article.text
        sentence_start, sentence_end = article.doc.sentence_at(verb_start)
        lower = article.last_close(sentence_start, verb_start)
        head = text[lower:verb_start]
        core = _LEADING_PUNCTUATION.sub("", head)
        core = _TRAILING_AUXILIARIES.sub("", " " + core)
        core = core.strip().rstrip(",").rstrip()
        verb = fold(text[verb_start:verb_end])
        if _CONJUNCTION_END.search(core):
            # "Ms Sherman noted that …, but warned that": the first verb's subject.
            earlier = [
                v for v in self._verbs(article.doc, lower, verb_start) if v.end() < verb_start
            ]
            if earlier:
                return self._resolve(article, where, earlier[-1].start(), earlier[-1].end())
        if verb.endswith("ing") and head.rstrip().endswith(","):
            # "He also commended the countries involved, stating, “…”": the clause's subject.
            return self._clause_subject(article, sentence_start, verb_start)
        if core:
            return self._subject_before(article, lower, core, head, verb_end)
        # Verb first: "said Jens Stoltenberg, the secretary-general", "according to Peskov".
        tail_end = article.first_open(verb_end, sentence_end)
        names = self._names(article, verb_end, tail_end)
        lead = text[verb_end : names[0].start] if names else ""
        if names and _CAPITAL_LEAD.fullmatch(lead):
            return _Speaker(names[0])
        lone = self._lone_name(text, verb_end, tail_end, at_start=True)
        if lone is not None:
            return _Speaker(lone)
        if _DETERMINER.match(text[verb_end:tail_end]):
            return _Speaker(None)  # "said a senior European diplomat"
        return None

    def _subject_before(
        self, article: _Article, lower: int, core: str, head: str, verb_end: int
    ) -> _Speaker:
        """'Ryabkov told', 'Mr. Biden said', 'he said', 'Xi, for his part, said', 'the
        Russian president added'."""
        text = article.text
        offset = head.find(core.split()[0]) if core.split() else 0
        core_start = lower + max(offset, 0)
        core_end = core_start + len(core)
        words = _words(core)
        if words and fold(words[-1]) in PRONOUNS and core.endswith(words[-1]):
            return _Speaker(self._antecedent(article, core_end - len(words[-1])))
        names = self._names(article, lower, core_end)
        if names:
            rest = text[names[-1].end : core_end]
            if _SHORT_APPOSITION.fullmatch(rest) or _RELATIVE_CLAUSE.fullmatch(rest):
                return _Speaker(names[-1])
            for name in reversed(names):  # 'John Mauger of the US Coast Guard told'
                if _OF_BODY.fullmatch(text, name.end, core_end):
                    return _Speaker(name)
        lone = self._lone_name(text, lower, core_end, at_start=False)
        if lone is not None:
            return _Speaker(lone)
        body = self._body(article, core, core_start, verb_end)
        if body is not None:
            return _Speaker(body)
        return _Speaker(self._role_reference(article, core, core_start))

    def _body(
        self, article: _Article, core: str, core_start: int, verb_end: int
    ) -> NameMention | None:
        """'the State Department said in a statement', 'a White House readout said': a named
        body speaking in a statement is the speaker; 'Moscow said' alone is not."""
        if self._body_re is None or self._in_statement_re is None:
            return None
        found = self._body_re.fullmatch(core.strip())
        if found is None:
            return self._earlier_body(article, core, core_start)
        name = found.group("body")
        if not self._is_body(name):
            return None
        if found.group("document") is None and not self._in_statement_re.match(
            article.text, verb_end
        ):
            return None
        article.bodies.add(name)
        start = core_start + found.start("body")
        return NameMention(start, start + len(name), name)

    def _is_body(self, name: str) -> bool:
        return fold(name) in self.not_people or fold(name.split()[-1]) in self._body_words

    def _earlier_body(self, article: _Article, core: str, core_start: int) -> NameMention | None:
        """'The readout said': the body the article named with its readout shortly before
        ('A White House readout of the meeting …'), if the nearest such mention is one."""
        if self._document_re is None or self._named_document_re is None:
            return None
        if not self._document_re.fullmatch(core.strip()):
            return None
        window_start = max(0, core_start - BODY_LOOKBACK)
        named = [
            m
            for m in self._named_document_re.finditer(article.text, window_start, core_start)
            if not article.inside_quote(m.start())
        ]
        if not named:
            return None
        last = named[-1]
        name = _LEADING_ARTICLE.sub("", last.group("body"))
        if not self._is_body(name):
            return None
        article.bodies.add(name)
        start = last.end("body") - len(name)
        return NameMention(start, last.end("body"), name)

    def _clause_subject(self, article: _Article, sentence_start: int, verb_start: int) -> _Speaker:
        """The first person or pronoun of the sentence, as the subject of a participle."""
        text = article.text
        names = self._names(article, sentence_start, verb_start)
        for word in _WORD.finditer(text, sentence_start, verb_start):
            if article.inside_quote(word.start()):
                continue
            if names and names[0].start <= word.start():
                return _Speaker(names[0])
            if fold(word.group()) in PRONOUNS:
                return _Speaker(self._antecedent(article, word.start()))
        return _Speaker(None)

    def _role_reference(self, article: _Article, core: str, core_start: int) -> NameMention | None:
        """'the Russian president', 'the president': the one person the article gives that
        title to before this point ('Russian President Vladimir Putin')."""
        found = _ROLE_REFERENCE.fullmatch(core.strip())
        if found is None or fold(found.group(1)) not in TITLES:
            return None
        title_before, title_after = _title_patterns(found.group(1))
        holders: dict[str, NameMention] = {}
        for start, end in _lines(article.text, core_start):
            for mention in self._names(article, start, end):
                before = article.text[max(start, mention.start - 40) : mention.start]
                if title_before.search(before) or title_after.search(
                    article.text[mention.end : mention.end + 60]
                ):
                    holders.setdefault(article.people.key(mention.name), mention)
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _antecedent(self, article: _Article, pos: int) -> NameMention | None:
        """'he said': the last person named before it in the paragraph; else, looking back
        through paragraphs that name nobody, the one person the nearest naming paragraph names."""
        text = article.text
        paragraph_start = text.rfind("\n", 0, pos) + 1
        names = self._names(article, paragraph_start, pos)
        if names:
            return names[-1]
        end = paragraph_start
        for _ in range(PARAGRAPHS_BACK):
            if end <= 1:
                return None
            start = text.rfind("\n", 0, end - 1) + 1
            if not text[start:end].strip():
                end = start
                continue
            names = self._names(article, start, end)
            if names:
                distinct = {article.people.key(m.name) for m in names}
                if len(distinct) == 1:
                    return names[-1]
                return self._only_speaking(article, names)
            end = start
        return None

    def _only_speaking(self, article: _Article, names: list[NameMention]) -> NameMention | None:
        """Of several people named, the one who is the subject of a speech verb ('even though
        Stoltenberg acknowledged …'), if only one is."""
        speaking: dict[str, NameMention] = {}
        for mention in names:
            gap = _AUXILIARY_RUN.match(article.text, mention.end)
            pos = gap.end() if gap else mention.end
            if self._verb_re.match(article.text, pos) is not None:
                speaking.setdefault(article.people.key(mention.name), mention)
        return next(iter(speaking.values())) if len(speaking) == 1 else None

    def _only_person_in_sentence_before(self, article: _Article, pos: int) -> NameMention | None:
        index = article.doc.sentence_index(pos)
        if index == 0:
            return None
        start, end = article.doc.sentences[index - 1]
        names = self._names(article, start, end)
        distinct = {article.people.key(m.name) for m in names}
        return names[-1] if len(distinct) == 1 else None

    def _names(self, article: _Article, start: int, end: int) -> list[NameMention]:
        """People named between start and end, outside quotation marks, that are not places."""
        return [
            mention
            for mention in spotter_for(article.doc).find(
                start, end, article.people, headline_ok=True
            )
            if not article.inside_quote(mention.start) and fold(mention.name) not in self.not_people
        ]

    def _lone_name(self, text: str, start: int, end: int, *, at_start: bool) -> NameMention | None:
        """'said Xi', 'Prigozhin said': one capitalised word next to a speech verb is its speaker,
        unless it is a place or body ('Moscow said', 'the Kremlin said')."""
        window = text[start:end]
        found = _LONE_NAME_AFTER.match(window) if at_start else _LONE_NAME_BEFORE.search(window)
        if found is None:
            return None
        word = found.group(1)
        if (
            not any(c.islower() for c in word)
            or fold(word) in self.not_people
            or fold(word) in NON_NAME_WORDS
            or fold(word) in TITLES
        ):
            return None
        if not at_start:
            before = window[: found.start(1)].strip()
            if before and not _SPEAKER_LEAD_END.search(before):
                return None  # "the Wagner group said": the word qualifies a noun phrase
        return NameMention(start + found.start(1), start + found.end(1), word)

    # ------------------------------------------------------------------ unmarked quotations

    def _unmarked(self, article: _Article) -> Iterator[RawClaim]:
        """'The world has come to a crossroads [and] we must chart the right path, said Xi.'

        Copies that lost their quotation marks keep the inverted 'said X' after a clause that
        opens the sentence. Such text may be a paraphrase, so the claim says it had no marks
        (`parts["marks"] == "none"`).
        """
        text = article.text
        for start, end in article.doc.sentences:
            if article.opens_within(start, end):
                continue
            inverted = _INVERTED_SAID.search(text, start, end)
            if inverted is None:
                continue
            clause_end = inverted.start()
            clause = text[start:clause_end]
            if len(_words(clause)) < self.config.min_words + 2:
                continue
            speaker_at = inverted.end()
            names = self._names(article, speaker_at, end)
            mention = names[0] if names and names[0].start == speaker_at else None
            mention = mention or self._lone_name(text, speaker_at - 1, end, at_start=True)
            if mention is None:
                continue
            clause_start, clause_stop = _trim(text, start, clause_end)
            yield self._claim(
                article.doc,
                article.people,
                mention,
                clause.strip(),
                clause_start,
                clause_stop,
                True,
            )


def _body_key(name: str) -> str:
    """'State Department' -> 'state-department': a body's fact key is its whole name."""
    return _NOT_KEY.sub("-", fold(name)).strip("-")


_SPELLED_OUT_TITLES = {"pm": r"(?:pm|prime\s+minister)"}  # 'the PM' is 'Prime Minister Modi'


@functools.lru_cache(maxsize=256)
def _title_patterns(title: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The title before a name ('President Putin') and after it ('Putin, the president'),
    compiled once per title word."""
    word = _SPELLED_OUT_TITLES.get(title.lower(), re.escape(title))
    before = re.compile(
        rf"(?<!vice )(?<!deputy )(?<!former )(?<!prime )\b{word}\s+$", re.IGNORECASE
    )
    after = re.compile(rf",\s+(?:the\s+)?(?:[A-Z][\w.’']*\s+)*{word}\b", re.IGNORECASE)
    return before, after


def _lines(text: str, stop: int) -> Iterator[tuple[int, int]]:
    start = 0
    while start < stop:
        end = text.find("\n", start, stop)
        end = stop if end < 0 else end
        yield start, end
        start = end + 1


@register("quotation")
def quotation_finder(rule: Rule, ruleset: RuleSet) -> Finder:
    """Places and bodies named in the participant rules ('Moscow said') are never speakers."""
    not_people = {
        fold(word)
        for other in ruleset.rules
        if isinstance(other.extract, ParticipantExtractor)
        for words in other.extract.affiliations.values()
        for word in words
    }
    return QuotationFinder(rule, PeopleIndex(ruleset.people), ruleset.people, frozenset(not_people))
