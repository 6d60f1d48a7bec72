"""Positions in an article: lines, columns and sentence boundaries, computed once per source."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from claimcheck.models import Source, Span, trusted

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) and whitespace,
# or at a line break. Abbreviations that end in a period do not end a sentence. Written as
# one character class first, then the two endings (`[.!?][…]*(?=\s)|\n+`): the regex engine
# then skips to each candidate character instead of trying both alternatives everywhere.
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)\n*|(?<!\n)[\"'”’)\]]*(?=\s))")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "gen",
        "col",
        "lt",
        "adm",
        "capt",
        "cmdr",
        "maj",
        "sgt",
        "brig",
        "sen",
        "rep",
        "gov",
        "prof",
        "no",
        "vs",
        "etc",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
    ]
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# How far back the word before a full stop is looked for. The test only cares about short
# words (abbreviations, initialisms); a word cut at this reach is too long to be one.
_WORD_BEFORE_REACH = 16


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def mask_comments(text: str) -> str:
    """HTML comments blanked to spaces, offsets and line breaks kept: an editor's note such as
    `<!-- claimcheck-disable troop_count -- desk says 130,000 -->` is not part of the article."""
    if "<!--" not in text:
        return text
    return _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


_T = TypeVar("_T")


@dataclass(frozen=True)
class Document:
    """A source's text (comments masked) with precomputed line starts and sentence spans.

    Several finders need the same derived data (the names in each sentence, the people the
    article introduces); `shared` computes each once per document, whichever finder asks first.
    """

    source: Source
    text: str = field(init=False)
    _shared: dict[Hashable, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", mask_comments(self.source.text))

    def shared(self, key: Hashable, build: Callable[[], _T]) -> _T:
        """`build()`, computed once per document under `key`."""
        try:
            value: _T = self._shared[key]
        except KeyError:
            value = self._shared[key] = build()
        return value

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer(r"\n", self.text))
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        """Where [start, end) stands (`trusted`: offsets within the text, line and column
        from 1, as `line_col` gives them)."""
        line, column = self.line_col(start)
        return trusted(
            Span,
            {
                "source": self.source.id,
                "quote": self.source.text[start:end],
                "start": start,
                "end": end,
                "line": line,
                "column": column,
            },
        )

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans (start, end), trimmed of surrounding white space."""
        spans: list[tuple[int, int]] = []
        text = self.text
        start = 0
        for match in _SENTENCE_END.finditer(text):
            at = match.start()
            if text[at] == ".":
                reach = max(0, at - _WORD_BEFORE_REACH)
                before = _WORD_BEFORE.search(text, reach, at)
                word = before.group(1).lower() if before else ""  # cut at the reach: long
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
                # "U.S." style initialisms: a period inside the word before.
                if "." in word and len(word) <= 5:
                    continue
            end = match.end()
            _append_trimmed(spans, text, start, end)
            start = end
        _append_trimmed(spans, text, start, len(text))
        return spans

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        index = max(bisect_right(self._sentence_starts, offset) - 1, 0)
        if not self.sentences:
            return (0, len(self.text))
        return self.sentences[index]

    def sentence_index(self, offset: int) -> int:
        return max(bisect_right(self._sentence_starts, offset) - 1, 0)


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
