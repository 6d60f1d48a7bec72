"""Trigger words: where a finder's pattern can possibly match, found at string-search speed.

A finder's full pattern (hedge, range, figure, modifiers, noun) is slow to try at every
position of a text: Python's regex engine has no fast skip for a pattern that opens with
optional parts. But every match contains one of a few words the rule lists (the counted noun,
the unit, the month), so a finder looks for those words with `str.find` on the lower-cased
text, and runs its pattern only in windows around them. The windows are wide enough for any
match of sane length (`Window.before`/`after`), and neighbouring windows are merged, so the
matches are the ones a scan of the whole text finds.

Inside a window, a pattern whose every match opens with a digit or one of a few words (a hedge,
a number word, a month) is tried only at the window's words that can open one, instead of at
every position: Python's regex engine cannot skip ahead to them for a pattern that opens with
optional parts or alternatives.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial

from claimcheck.text import Document

_FIRST_WORD = re.compile(r"[^\W_]+")


def trigger_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The first word of each phrase, lower case: enough to find the phrase."""
    words: set[str] = set()
    for phrase in phrases:
        found = _FIRST_WORD.search(phrase.lower())
        if found is None:
            return ()  # a phrase with no word in it: no trigger can stand for it
        words.add(found.group())
    return tuple(sorted(words))


def opening_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The words that every match of the phrases' alternation opens with, for
    `matches_at_words`; none (look everywhere) if a phrase opens with punctuation."""
    phrases = list(phrases)
    if not all(p.strip()[:1].isalnum() for p in phrases):
        return ()
    return trigger_words(phrases)


@dataclass(frozen=True)
class KeywordTable:
    """Words that each name a key ('rescued': [rescued, pulled, saved]), found by one pattern:
    a finder reads the key of the word it finds nearest its claim."""

    pattern: re.Pattern[str]
    key_of: dict[str, str]  # the word as matched, spaces collapsed (lower case unless names)
    names: bool  # matched as written ('US' is no 'us'), else in any case

    @classmethod
    def of(cls, named: Mapping[str, Iterable[str]], *, names: bool = False) -> KeywordTable | None:
        key_of = {
            " ".join(word.split()) if names else " ".join(word.lower().split()): key
            for key, words in named.items()
            for word in words
        }
        if not key_of:
            return None
        alternation = "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(key_of, key=len, reverse=True)
        )
        if names:
            return cls(re.compile(rf"(?<![\w.])(?:{alternation})(?!\w)"), key_of, names)
        return cls(re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE), key_of, names)

    def key(self, match: re.Match[str]) -> str:
        word = " ".join(match.group().split())
        return self.key_of[word if self.names else word.lower()]


def lowered(doc: Document) -> str | None:
    """The document in lower case, or None when lower-casing moves offsets ('İ' -> 'i̇')."""

    def build() -> str | None:
        low = doc.text.lower()
        return low if len(low) == len(doc.text) else None

    return doc.shared("lowered", build)


def _searchable(doc: Document, words: tuple[str, ...]) -> bool:
    """Whether trigger words can stand for the pattern here; if not, scan the whole text."""
    return bool(words) and lowered(doc) is not None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def word_hits(doc: Document, words: tuple[str, ...], *, left_boundary: bool = True) -> list[int]:
    """Start offsets of each word standing alone (or, without `left_boundary`, ending a word:
    '6,000km'), in text order; shared by every finder of the document that asks for them."""
    return doc.shared(
        ("word-hits", left_boundary, words), partial(_word_hits, doc, words, left_boundary)
    )


def _word_hits(doc: Document, words: tuple[str, ...], left_boundary: bool) -> list[int]:
    low = lowered(doc)
    assert low is not None
    hits: list[int] = []
    for word in _present(doc, low, words, left_boundary):
        key = ("hits", left_boundary, word)
        hits.extend(doc.shared(key, partial(_find_word, low, word, left_boundary)))
    hits.sort()
    return hits


def _present(doc: Document, low: str, words: tuple[str, ...], left_boundary: bool) -> list[str]:
    """The words that can be found at all: most of a rule's words are not in a given text, and
    one look in the set of its words costs less than a search of the text.

    A trigger word is made of letters and digits only, so where it stands alone it is one of
    the text's words. Where it may end a word ('km' of '000km') the text itself is searched."""
    if not left_boundary:
        return [w for w in words if w in low]
    vocabulary = doc.shared("vocabulary", lambda: frozenset(_FIRST_WORD.findall(low)))
    return [w for w in words if w in vocabulary or not w.isalnum()]  # (not one word: search)


def _find_word(low: str, word: str, left_boundary: bool) -> list[int]:
    if len(word) <= 2:
        return [m.start() for m in _short_word_re(word, left_boundary).finditer(low)]
    return _scan_word(low, word, left_boundary)


@cache
def _short_word_re(word: str, left_boundary: bool) -> re.Pattern[str]:
    """`_scan_word` as a regex, for the words of a letter or two ('a', 'in', 'at'): they
    stand inside many longer words, and the regex engine passes over those faster than a
    loop visits each. Written literal first, so that the engine searches for the literal."""
    escaped = re.escape(word)
    alone = rf"(?<![^\W_]{escaped})" if left_boundary else ""  # [^\W_]: what isalnum() is
    return re.compile(rf"{escaped}{alone}(?!\w)")


def _scan_word(low: str, word: str, left_boundary: bool) -> list[int]:
    found: list[int] = []
    size = len(word)
    end_of_text = len(low)
    at = low.find(word)
    while at != -1:
        after = at + size
        if (after == end_of_text or not _is_word(low[after])) and (
            not left_boundary or at == 0 or not low[at - 1].isalnum()
        ):
            found.append(at)
        at = low.find(word, at + 1)
    return found


@dataclass(frozen=True)
class Window:
    """How far before a trigger word a match can start, and after it end."""

    before: int
    after: int

    def spans(self, doc: Document, hits: list[int]) -> list[tuple[int, int]]:
        """Merged (start, end) windows around the hits."""
        spans: list[tuple[int, int]] = []
        for hit in hits:
            _add_window(spans, doc.text, hit - self.before, hit + self.after)
        return spans


def _add_window(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append a window, merged into the last one when they meet; its end moved to a word
    boundary, since the regex engine treats the end of a window as the end of the text."""
    start, end = max(0, start), min(len(text), end)
    while end < len(text) and _is_word(text[end]):
        end += 1
    if spans and start <= spans[-1][1]:
        spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
    else:
        spans.append((start, end))


def finditer_near(
    pattern: re.Pattern[str],
    doc: Document,
    words: tuple[str, ...],
    window: Window,
    *,
    left_boundary: bool = True,
    openers: tuple[str, ...] = (),
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(doc.text)` for a pattern that cannot match without one of the words,
    looking only near them; given `openers`, only where a match can open (see
    `_finditer_spans`)."""
    if not _searchable(doc, words):
        yield from pattern.finditer(doc.text)
        return
    spans = window.spans(doc, word_hits(doc, words, left_boundary=left_boundary))
    yield from _finditer_spans(pattern, doc, spans, openers)


def matches_at_words(
    pattern: re.Pattern[str],
    doc: Document,
    words: tuple[str, ...],
    start: int,
    end: int,
    *,
    sliced: bool = False,
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(doc.text, start, end)` (or, `sliced`, of `doc.text[start:end]`, with
    offsets in the slice) for a pattern whose every match opens with one of the words: the
    pattern is tried only where one stands."""
    text, base = (doc.text[start:end], start) if sliced else (doc.text, 0)
    if not _searchable(doc, words):
        yield from pattern.finditer(text, start - base, end - base)
        return
    hits = word_hits(doc, words)
    at = bisect_left(hits, start)
    taken = start  # matches do not overlap: one starting inside the last is not looked for
    while at < len(hits) and hits[at] < end:
        if hits[at] >= taken:
            match = pattern.match(text, hits[at] - base, end - base)
            if match is not None:
                yield match
                taken = match.end() + base
        at += 1


_DIGITS = re.compile(r"\d+")


def figure_hits(doc: Document, words: tuple[str, ...], extra: tuple[str, ...] = ()) -> list[int]:
    """Where a figure can stand: every run of digits and every number word, in text order;
    and the `extra` words a finder also writes figures with ('an' in 'an hour'), added to
    the shared list rather than scanning for every figure again."""

    def build() -> list[int]:
        hits = [m.start() for m in _DIGITS.finditer(doc.text)]
        hits.extend(word_hits(doc, words))
        hits.sort()
        return hits

    def build_extra() -> list[int]:
        return sorted([*doc.shared(("figures", words), build), *word_hits(doc, extra)])

    if extra:
        return doc.shared(("figures", words, extra), build_extra)
    return doc.shared(("figures", words), build)


@dataclass(frozen=True)
class FigureWindow:
    """A match is a figure, then within `reach` characters a trigger word (noun or unit)
    ending it; before the figure at most `lead` characters of hedge ('as many as') or range
    opening ('between'), and after the trigger word at most `after` characters."""

    reach: int
    lead: int
    after: int

    def spans(self, doc: Document, hits: list[int], figures: list[int]) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for hit in hits:
            first = bisect_left(figures, hit - self.reach)
            if first == len(figures) or figures[first] > hit:
                continue  # no figure close enough before the word: nothing can match
            _add_window(spans, doc.text, figures[first] - self.lead, hit + self.after)
        return spans


def finditer_figures(
    pattern: re.Pattern[str],
    doc: Document,
    words: tuple[str, ...],
    figure_words: tuple[str, ...],
    window: FigureWindow,
    *,
    left_boundary: bool = True,
    openers: tuple[str, ...] = (),
    extra_figure_words: tuple[str, ...] = (),
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(doc.text)` for a figure-then-word pattern, looking only where a
    trigger word has a figure shortly before it.

    Inside those windows the pattern is tried at every position, or, given `openers` (the
    words every match that does not open with a digit opens with), only at the words of the
    window that are openers or open with a digit."""
    if not _searchable(doc, words):
        yield from pattern.finditer(doc.text)
        return
    hits = word_hits(doc, words, left_boundary=left_boundary)
    spans = window.spans(doc, hits, figure_hits(doc, figure_words, extra_figure_words))
    yield from _finditer_spans(pattern, doc, spans, openers)


def _finditer_spans(
    pattern: re.Pattern[str],
    doc: Document,
    spans: list[tuple[int, int]],
    openers: tuple[str, ...],
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(doc.text, start, end)` for each span.

    Given `openers`, for a pattern whose every match opens with a digit or with one of them
    standing alone: tried only at the words of the span that are one or open with a digit (a
    word that is neither costs one set lookup, and a word tried in vain only time, so the
    test may let more through)."""
    if not openers:
        for start, end in spans:
            yield from pattern.finditer(doc.text, start, end)
        return
    low = lowered(doc)
    assert low is not None
    opening = frozenset(openers)
    for start, end in spans:
        taken = start
        for word in _FIRST_WORD.finditer(low, start, end):
            at = word.start()
            if at >= taken and (word.group() in opening or low[at].isdigit()):
                match = pattern.match(doc.text, at, end)
                if match is not None:
                    yield match
                    taken = match.end()


def sentences_with(doc: Document, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """The sentences in which one of the words stands alone (not ending a longer word: the
    patterns run there never match inside one), in text order; every sentence when the words
    cannot be looked for."""
    if not _searchable(doc, words):
        return doc.sentences
    found: list[tuple[int, int]] = []
    if not doc.sentences:
        return found
    for hit in word_hits(doc, words):
        sentence = doc.sentences[doc.sentence_index(hit)]
        inside = sentence[0] <= hit < sentence[1]
        if inside and (not found or found[-1] != sentence):
            found.append(sentence)
    return found
