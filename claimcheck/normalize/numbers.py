"""Numbers written any way ("100,000", "100k", "one hundred thousand", "3½"); hedges as ranges."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from claimcheck.models import Interval
from claimcheck.rules import Hedge, VagueNumber

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}

_SMALL_WORD = "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))
_WORD_NUMBER = (
    rf"(?:(?:{_SMALL_WORD})(?:[\s-](?:{_SMALL_WORD}))?"
    rf"(?:[\s-](?:and[\s-])?(?:hundred|thousand|million|billion|{_SMALL_WORD}))*"
    r"(?:[\s-]and[\s-]a[\s-]half)?)"
)
_DIGIT_NUMBER = (
    r"(?!(?:19|20)\d\d(?![\d,.]))"  # a bare year ("In 2014 Russian troops") is no figure
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d+)(?:\.\d+)?[½¼¾⅓⅔]?"
    r"(?:\s?(?:k|bn|m)\b|\s(?:thousand|million|billion)\b)?"
)
# Words that state a figure; used by every quantity and measure finder.
NUMBER = (
    rf"(?:{_DIGIT_NUMBER}|\b(?:half\s(?:a\s)?(?:dozen|hundred|thousand|million|billion)"
    rf"|a\s(?:dozen|(?:hundred|thousand|million)"
    rf"(?:[\s-](?:thousand|million|billion))?)|two\sdozen|{_WORD_NUMBER})\b)"
)

# What a `NUMBER` opens with when it does not open with a digit.
NUMBER_OPENING_WORDS = ("a", "two", "half", *_UNITS, *_TENS)

_DIGITS_RE = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?(?P<frac>[½¼¾⅓⅔])?$")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+")
_SCALE_SUFFIX = re.compile(r"\s?(k|bn|m|thousand|million|billion)$")
_DIGITS_FIRST = re.compile(r"^[\d.,½¼¾⅓⅔]+")
_WORD_SPLIT = re.compile(r"[\s-]+")


MAX_FIGURE = 1e15  # no news figure is larger; beyond it floats lose meaning or overflow


def parse_number(text: str) -> float | None:
    """The value of a figure as written, or None when it is not a number (or absurdly large)."""
    value = _parse_number(text)
    if value is None or not math.isfinite(value) or value > MAX_FIGURE:
        return None
    return value


def _parse_number(text: str) -> float | None:
    words = text.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    if _SPACE_GROUPED.fullmatch(words):  # "100 000": thousands grouped by spaces
        words = words.replace(" ", "")
    if not words:
        return None
    scale = 1.0
    suffix = _SCALE_SUFFIX.search(words)
    if suffix and _DIGITS_FIRST.match(words):
        key = suffix.group(1)
        scale = float(_SUFFIX_SCALES.get(key) or _SCALES[key])
        words = words[: suffix.start()].strip()
    match = _DIGITS_RE.match(words)
    if match:
        value = float(match.group("int").replace(",", ""))
        if match.group("dec"):
            value += float(match.group("dec"))
        if match.group("frac"):
            value += _FRACTIONS[match.group("frac")]
        return value * scale
    return _parse_words(words)


def _parse_words(words: str) -> float | None:
    tokens = [t for t in _WORD_SPLIT.split(words) if t and t != "and"]
    if not tokens:
        return None
    half = False
    if tokens[-2:] == ["a", "half"]:
        half = True
        tokens = tokens[:-2]
    if tokens[:1] == ["half"] and len(tokens) > 1:  # "half a million", "half a dozen"
        rest = _parse_words(" ".join(tokens[1:] if tokens[1] == "a" else ["a", *tokens[1:]]))
        return None if rest is None else rest / 2
    if tokens == ["a", "dozen"]:
        return 12.0
    if tokens == ["two", "dozen"]:
        return 24.0
    if tokens and tokens[0] == "a":
        if len(tokens) == 1 or tokens[1] not in _SCALES:
            return None  # "a" alone is no figure; "a hundred" is
        tokens = ["one", *tokens[1:]]
    total = 0
    current = 0
    previous = ""  # kind of the last token: "unit", "tens", "scale"
    for token in tokens:
        if token in _UNITS:
            if previous == "unit" or (previous == "tens" and _UNITS[token] >= 10):
                return None  # "one two", "twenty eleven": not one number
            current += _UNITS[token]
            previous = "unit"
        elif token in _TENS:
            if previous in ("unit", "tens"):
                return None  # "five twenty", "twenty thirty"
            current += _TENS[token]
            previous = "tens"
        elif token == "hundred":
            if previous == "scale" and current == 0:
                return None
            current = max(current, 1) * 100
            previous = "scale"
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
            previous = "scale"
        else:
            return None
    if not previous:
        return None
    return float(total + current) + (0.5 if half else 0.0)


def _trailing(word: str) -> bool:
    return word.lower().startswith(("or ", "plus"))


@dataclass(frozen=True)
class HedgeTable:
    """The hedge words of the rule files, compiled once into one alternation."""

    hedges: tuple[Hedge, ...]
    vague: tuple[VagueNumber, ...]
    exact_width: float

    @property
    def leading_hedges(self) -> list[str]:
        """Hedges written before the figure ("about 100,000"), shortest first."""
        return sorted({w for h in self.hedges for w in h.words if not _trailing(w)}, key=len)

    @property
    def hedge_pattern(self) -> str:
        words = self.leading_hedges
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in reversed(words)) or "(?!)"

    @property
    def trailing_hedge_pattern(self) -> str:
        """Hedges written after it ("100,000 or so")."""
        words = sorted({w for h in self.hedges for w in h.words if _trailing(w)}, key=len)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in reversed(words)) or "(?!)"

    @property
    def figure_words(self) -> tuple[str, ...]:
        """Words one of which every figure written in words contains (see `NUMBER`): 'one',
        'dozen', 'thousand'; for a vague phrase ('tens of thousands') its longest word."""
        words = {*_UNITS, *_TENS, "dozen", *_SCALES}
        for vague in self.vague:
            words.add(max(vague.phrase.lower().split(), key=len, default=vague.phrase.lower()))
        return tuple(sorted(words))

    @property
    def vague_phrases(self) -> list[str]:
        return sorted({v.phrase for v in self.vague}, key=len, reverse=True)

    @property
    def vague_pattern(self) -> str:
        phrases = self.vague_phrases
        return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) or "(?!)"

    def hedge_for(self, word: str | None) -> Hedge | None:
        if not word:
            return None
        folded = " ".join(word.lower().split())
        for hedge in self.hedges:
            if folded in (w.lower() for w in hedge.words):
                return hedge
        return None

    def vague_for(self, phrase: str) -> VagueNumber | None:
        folded = " ".join(phrase.lower().split())
        for vague in self.vague:
            if vague.phrase.lower() == folded:
                return vague
        return None

    def interval(
        self,
        value: float,
        hedge_word: str | None,
        unit: str | None = None,
        factor: float = 1.0,
        *,
        counted: bool = False,
    ) -> Interval:
        """The range a hedged figure can mean, in base units (`factor` converts); `counted`
        says a measure's unit is counted ('69 days') and is capped as a count's is."""
        stated = value * factor
        hedge = self.hedge_for(hedge_word)
        if hedge is None:
            w = self.exact_width
            # A count stated to the unit ('26 countries') is capped; a measure is not ('125
            # miles' is often a rounded conversion), nor a round figure ('175,000').
            capped = unit is None or counted
            if capped and value * w > UNIT_ROUNDING and stated_to_the_unit(value):
                low, high = (value - UNIT_ROUNDING) * factor, (value + UNIT_ROUNDING) * factor
                return Interval(low=low, high=high, unit=unit, stated=stated)
            return Interval(low=stated * (1 - w), high=stated * (1 + w), unit=unit, stated=stated)
        w = hedge.width
        label = " ".join(hedge_word.lower().split()) if hedge_word else None
        if hedge.shape == "band":
            return Interval(
                low=stated * (1 - w), high=stated * (1 + w), unit=unit, stated=stated, hedge=label
            )
        if hedge.shape == "above":
            return Interval(
                low=stated, high=None, low_open=True, unit=unit, stated=stated, hedge=label
            )
        if hedge.shape == "just_above":  # 'a little over half an hour': not 45 minutes
            return Interval(
                low=stated,
                high=stated * (1 + w),
                low_open=True,
                unit=unit,
                stated=stated,
                hedge=label,
            )
        if hedge.shape == "at_least":
            return Interval(low=stated, high=None, unit=unit, stated=stated, hedge=label)
        if hedge.shape == "below":
            return Interval(
                low=stated * (1 - w),
                high=stated,
                high_open=True,
                unit=unit,
                stated=stated,
                hedge=label,
            )
        return Interval(low=0.0, high=stated, unit=unit, stated=stated, hedge=label)  # at_most

    def vague_interval(self, phrase: str, unit: str | None = None) -> Interval | None:
        vague = self.vague_for(phrase)
        if vague is None:
            return None
        return Interval(low=vague.low, high=vague.high, unit=unit, hedge=" ".join(phrase.split()))


# A bare count stated to the unit is never wider than rounding to the unit allows: '26
# countries' is not '27 countries', though 2% of each reaches the other.
UNIT_ROUNDING = 0.49


def stated_to_the_unit(value: float) -> bool:
    """'26', '133': a whole number whose last digit is not a rounding zero ('130', '175,000')."""
    return math.isfinite(value) and value == int(value) and int(value) % 10 != 0


def overlaps(a: Interval, b: Interval, tolerance: float = 0.0) -> bool:
    """Whether two ranges share a value; `tolerance` widens closed bounds only."""
    return _below(a, b, tolerance) and _below(b, a, tolerance)


def _below(a: Interval, b: Interval, tolerance: float) -> bool:
    """a.low is not above b.high (a starts before b ends)."""
    if b.high is None:
        return True
    high = b.high if b.high_open else b.high * (1 + tolerance)
    low = a.low if a.low_open else a.low * (1 - tolerance)
    if a.low_open or b.high_open:
        return low < high
    return low <= high


def format_figure(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def describe(interval: Interval) -> str:
    """'about 100,000 (90,000–110,000)': the figure as stated, then the range it stands for."""
    unit = f" {interval.unit}" if interval.unit else ""
    high = "∞" if interval.high is None else format_figure(round(interval.high, 2))
    low = format_figure(round(interval.low, 2))
    lo = "(" if interval.low_open else "["
    hi = ")" if interval.high_open or interval.high is None else "]"
    bounds = f"{lo}{low}–{high}{hi}"
    if interval.stated is None:
        return f"{interval.hedge or 'range'} {bounds}{unit}"
    figure = format_figure(round(interval.stated, 2))
    head = f"{interval.hedge} {figure}" if interval.hedge else figure
    return f"{head}{unit} {bounds}"
