"""A seeded synthetic corpus for benchmarks: the seed articles, varied, at any size.

Usage: python bench/corpus.py OUT_DIR [--mb 50] [--seed 1] [--seeds seeds/]

Writes OUT_DIR/story_00000/ ... story folders of 5-15 articles each (NNN_<hex>.txt, like the
seeds, plus a sources.yaml giving some of them a published date) until the article text adds
up to --mb megabytes (10**6 bytes of UTF-8). Each article is one seed article with its body
paragraphs shuffled, some dropped and some borrowed from other seeds, and its sentences
varied: figures written as digits or words, with and without hedges ("about", "more than"),
now and then a different figure (so stories have conflicts); dates written five ways,
sometimes a day off; people's names in other spellings (Sergey/Sergei, Zelenskyy, ...);
distances in km or miles, durations in hours or minutes.

Deterministic: the same --seed, --mb and seed articles give byte-identical files. Fast: the
seeds are parsed once into templates (literal text and variable slots) and each article is
rendered by joining strings, so 50 MB takes a few seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO / "seeds"

# --------------------------------------------------------------------------- number words

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {w: i for i, w in enumerate(_ONES)} | {
    w: 10 * i for i, w in enumerate(_TENS) if i > 1
}


def words_below_1000(n: int) -> str:
    parts = []
    if n >= 100:
        parts.append(f"{_ONES[n // 100]} hundred")
        n %= 100
        if n:
            parts.append("and")
    if n >= 20:
        parts.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not parts:
        parts.append(_ONES[n])
    return " ".join(parts)


def number_words(n: int) -> str:
    """130000 -> 'one hundred and thirty thousand'; 2 -> 'two'."""
    if n < 1000:
        return words_below_1000(n)
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            head, rest = divmod(n, size)
            text = f"{words_below_1000(head) if head < 1000 else number_words(head)} {name}"
            if rest:
                text += (" and " if rest < 100 else " ") + number_words(rest)
            return text
    raise AssertionError(n)


def digits(n: int | float) -> str:
    return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"


# --------------------------------------------------------------------------- variation

HEDGES = (
    "about", "around", "roughly", "some", "nearly", "almost", "more than", "over",
    "at least", "up to", "as many as", "an estimated", "upwards of", "close to",
)  # fmt: skip
NAME_VARIANTS = {
    "Sergei": ("Sergei", "Sergey", "Serguei"),
    "Sergey": ("Sergey", "Sergei"),
    "Zelensky": ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskii"),
    "Volodymyr": ("Volodymyr", "Volodimir"),
    "Ryabkov": ("Ryabkov", "Riabkov", "Rjabkow"),
    "Grushko": ("Grushko", "Grouchko"),
    "Lavrov": ("Lavrov", "Lavrow"),
    "Stoltenberg": ("Stoltenberg", "Stoltenburg"),
    "Lukashevich": ("Lukashevich", "Lukashevitch", "Loukachevitch"),
    "Pukhov": ("Pukhov", "Puchov"),
    "Shoigu": ("Shoigu", "Shoygu"),
    "Alexander": ("Alexander", "Aleksandr", "Alexandr"),
    "Antony": ("Antony", "Anthony"),
}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_INDEX = {m: i + 1 for i, m in enumerate(MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(MONTHS)
}
_STORY_YEAR = 2022  # the seeds' story: January 2022
_WEEKDAY_2022_01_01 = 5  # Saturday

_NUMBER_WORD_RE = "|".join(sorted(WORD_VALUES, key=len, reverse=True))
_MONTH_RE = "|".join(sorted(_MONTH_INDEX, key=len, reverse=True))
# One pass over a paragraph finds every slot; named groups say which kind.
SLOT = re.compile(
    rf"(?P<date>\b(?P<month>{_MONTH_RE})\.? (?P<day>\d{{1,2}})(?P<ord>st|nd|rd|th)?\b)"
    rf"|(?P<dist>\b(?P<dnum>\d{{1,3}}(?:,\d{{3}})*|\d+)\s?(?P<dunit>km|kilometres|kilometers|miles)\b)"
    rf"|(?P<dur>\b(?P<hnum>{_NUMBER_WORD_RE}|\d+)(?P<hsep>[ -])(?P<hunit>hours?|days?|weeks?)\b)"
    rf"|(?P<num>\b\d{{1,3}}(?:,\d{{3}})+\b|\b[1-9]\d{{1,2}}\b(?![,.]\d|%| ?(?:st|nd|rd|th)\b))"
    rf"|(?P<name>\b(?:{'|'.join(NAME_VARIANTS)})\b)"
    rf"|(?P<weekday>\b(?:{'|'.join(WEEKDAYS)})\b)",
)

Slot = Callable[[random.Random, "ArticlePlan"], str]


@dataclass
class ArticlePlan:
    """Choices made once per article so that it is consistent with itself."""

    names: dict[str, str]
    day_shift: int  # 0 mostly; +-1 in a few articles: a date conflict
    number_drift: float  # 1.0 mostly; else a figure that disagrees with the other sources
    words_for_numbers: bool
    miles: bool


def _number(value: int, hedged: bool) -> Slot:
    def render(rng: random.Random, plan: ArticlePlan) -> str:
        n = value
        if plan.number_drift != 1.0 and n >= 20:
            n = _round_like(int(n * plan.number_drift), n)
        roll = rng.random()
        hedge = f"{rng.choice(HEDGES)} " if roll < 0.3 and not hedged else ""
        if n >= 1000 and n % 1000 == 0 and plan.words_for_numbers and rng.random() < 0.5:
            text = f"{digits(n // 1000)} thousand" if rng.random() < 0.5 else number_words(n)
        else:
            text = digits(n)
        return hedge + text

    return render


def _round_like(n: int, like: int) -> int:
    """Keep the figure as round as the one it replaces (100,000 -> 120,000, not 121,337)."""
    zeros = len(str(like)) - len(str(like).rstrip("0"))
    unit = 10 ** min(zeros, max(len(str(n)) - 2, 0))
    return max(unit, round(n / unit) * unit)


def _distance(value: int, unit: str, hedged: bool) -> Slot:
    km = value * 1.609344 if unit == "miles" else float(value)

    def render(rng: random.Random, plan: ArticlePlan) -> str:
        k = km * plan.number_drift
        hedge = f"{rng.choice(HEDGES)} " if rng.random() < 0.3 and not hedged else ""
        if plan.miles:
            return f"{hedge}{digits(_round_like(int(k / 1.609344), 100))} miles"
        sep = rng.choice(("", " "))
        return f"{hedge}{digits(_round_like(int(k), 100))}{sep}{rng.choice(('km', 'km', 'kilometres'))}"

    return render


def _duration(value: int, sep: str, unit: str, hedged: bool) -> Slot:
    def render(rng: random.Random, plan: ArticlePlan) -> str:
        n = value
        if plan.number_drift != 1.0 and rng.random() < 0.5:
            n = max(1, n + rng.choice((-1, 1)))
        u = unit if n == 1 else unit.rstrip("s") + "s"
        if sep == "-":  # "four-hour meeting"
            return f"{number_words(n) if plan.words_for_numbers else n}-{unit}"
        if u.startswith("hour") and n <= 4 and rng.random() < 0.2:
            return f"{n * 60} minutes"
        hedge = f"{rng.choice(HEDGES[:8])} " if rng.random() < 0.25 and not hedged else ""
        written = number_words(n) if plan.words_for_numbers or rng.random() < 0.3 else str(n)
        return f"{hedge}{written} {u}"

    return render


def _date(month: int, day: int) -> Slot:
    def render(rng: random.Random, plan: ArticlePlan) -> str:
        d = min(max(day + plan.day_shift, 1), 28)
        m = MONTHS[month - 1]
        style = rng.randrange(6)
        if style == 0:
            return f"{m} {d}"
        if style == 1:
            return f"{d} {m}"
        if style == 2:
            return f"{m} {d}{_ordinal(d)}"
        if style == 3:
            return f"{m[:3]} {d}"
        if style == 4 and month == 1:
            return WEEKDAYS[(_WEEKDAY_2022_01_01 + d - 1) % 7]
        return f"{m} {d}, {_STORY_YEAR}"

    return render


def _ordinal(d: int) -> str:
    return "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


def _name(written: str) -> Slot:
    def render(rng: random.Random, plan: ArticlePlan) -> str:
        return plan.names.get(written, written)

    return render


def _weekday(written: str) -> Slot:
    index = WEEKDAYS.index(written)

    def render(rng: random.Random, plan: ArticlePlan) -> str:
        return WEEKDAYS[(index + plan.day_shift) % 7]

    return render


# A figure that already has a hedge (or a word that works like one) gets no second one.
_HEDGED_BEFORE = re.compile(
    r"\b(?:about|around|roughly|some|over|nearly|almost|than|of|to|upwards|least|estimated|"
    r"many|between|and|under|just|close|approximately)\s$",
    re.IGNORECASE,
)


def _slot(match: re.Match[str], before: str) -> Slot | None:
    kind = match.lastgroup
    hedged = _HEDGED_BEFORE.search(before) is not None
    if match.group("date"):
        return _date(_MONTH_INDEX[match.group("month")], int(match.group("day")))
    if match.group("dist"):
        return _distance(int(match.group("dnum").replace(",", "")), match.group("dunit"), hedged)
    if match.group("dur"):
        word = match.group("hnum").lower()
        value = WORD_VALUES[word] if word in WORD_VALUES else int(word)
        return _duration(value, match.group("hsep"), match.group("hunit"), hedged)
    if match.group("num"):
        value = int(match.group("num").replace(",", ""))
        return _number(value, hedged) if not 1900 <= value <= 2100 else None  # years stay
    if match.group("name"):
        return _name(match.group("name"))
    if kind == "weekday" or match.group("weekday"):
        return _weekday(match.group("weekday"))
    return None


Template = list[str | Slot]


def template(paragraph: str) -> Template:
    parts: Template = []
    pos = 0
    for match in SLOT.finditer(paragraph):
        slot = _slot(match, paragraph[max(0, match.start() - 20) : match.start()])
        if slot is None:
            continue
        parts.append(paragraph[pos : match.start()])
        parts.append(slot)
        pos = match.end()
    parts.append(paragraph[pos:])
    return [p for p in parts if p != ""]


@dataclass
class SeedArticle:
    name: str
    head: list[Template]  # headline and dateline lines: stay on top
    body: list[Template]


def load_seeds(folder: Path) -> list[SeedArticle]:
    seeds = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        head_count = min(3, max(1, len(lines) // 10))
        seeds.append(
            SeedArticle(
                path.name,
                [template(line) for line in lines[:head_count]],
                [template(line) for line in lines[head_count:]],
            )
        )
    if not seeds:
        raise SystemExit(f"{folder}: no seed articles (*.txt)")
    return seeds


# --------------------------------------------------------------------------- rendering


def render(parts: Template, rng: random.Random, plan: ArticlePlan) -> str:
    return "".join(p if isinstance(p, str) else p(rng, plan) for p in parts)


def plan_article(rng: random.Random) -> ArticlePlan:
    names = {key: rng.choice(options) for key, options in NAME_VARIANTS.items()}
    roll = rng.random()
    drift = 1.0 if roll < 0.75 else rng.choice((0.8, 0.9, 1.2, 1.3, 1.5))
    return ArticlePlan(
        names=names,
        day_shift=0 if rng.random() < 0.85 else rng.choice((-1, 1)),
        number_drift=drift,
        words_for_numbers=rng.random() < 0.3,
        miles=rng.random() < 0.35,
    )


def write_article(rng: random.Random, seeds: list[SeedArticle]) -> str:
    seed = rng.choice(seeds)
    plan = plan_article(rng)
    body = [p for p in seed.body if rng.random() > 0.15]  # drop some paragraphs
    for _ in range(rng.randrange(4)):  # borrow some from another article on the story
        other = rng.choice(seeds)
        if other.body:
            body.append(rng.choice(other.body))
    rng.shuffle(body)
    lines = [render(t, rng, plan) for t in seed.head] + [render(t, rng, plan) for t in body]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_story(folder: Path, rng: random.Random, seeds: list[SeedArticle]) -> int:
    """One folder of 5-15 articles and its manifest; returns the bytes of article text."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = ["# synthetic story: file -> published (ISO date)"]
    written = 0
    for i in range(rng.randint(5, 15)):
        text = write_article(rng, seeds)
        data = text.encode("utf-8")
        name = f"{i:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        (folder / name).write_bytes(data)
        written += len(data)
        if rng.random() < 0.6:
            manifest.append(f'{name}:\n  published: "2022-01-{rng.randint(10, 16):02d}"')
        else:
            manifest.append(f"{name}: {{}}")
    (folder / "sources.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return written


def generate(out: Path, megabytes: float, seed: int = 1, seeds_dir: Path = DEFAULT_SEEDS) -> int:
    """Write stories under `out` until their article text reaches `megabytes` MB (10**6 B)."""
    seeds = load_seeds(seeds_dir)
    target = int(megabytes * 1_000_000)
    total = 0
    story = 0
    out.mkdir(parents=True, exist_ok=True)
    while total < target:
        rng = random.Random(f"claimcheck-bench:{seed}:{story}")
        total += write_story(out / f"story_{story:05d}", rng, seeds)
        story += 1
    return total


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path, help="folder to write the stories to")
    parser.add_argument("--mb", type=float, default=50.0, help="megabytes of article text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed articles")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out}: not empty; give a new folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    total = generate(args.out, args.mb, args.seed, args.seeds)
    elapsed = time.perf_counter() - started
    stories = sum(1 for _ in args.out.iterdir())
    articles = sum(1 for _ in args.out.glob("*/*.txt"))
    print(
        f"wrote {total / 1e6:.1f} MB in {articles} articles, {stories} stories, "
        f"to {args.out} in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
