"""The peers' accuracy against claimcheck's gold, for the kinds they cover (dates, quantities).

Usage: python bench/peer_accuracy.py [GOLD_DIR] [--examples 5]   (pip install -e '.[bench]')

For each gold story (tests/gold/*/gold.yaml: its claims, spans and normalised values, made by
hand), every article text of the story goes through
  dateparser   dateparser.search.search_dates(text, languages=['en'],
                                              settings={'RELATIVE_BASE': published})
  datefinder   datefinder.find_dates(text, source=True, index=True, base_date=published)
  quantulum3   quantulum3.parser.parse(text)
and claimcheck itself (claimcheck.pipeline.run on the story folder, as `claimcheck eval` does).
`published` is the article's date in the story's manifest (sources.yaml); an article without
one gets a fixed base (UNDATED_BASE) so that runs are repeatable: the gold of such an article
has no year (a weekday, or month and day), so the base decides no scored part.

Two groups are scored, with precision, recall and F1, one table per story and a combined one:
  dates        gold kind `date`: a peer's datetime agrees when every part the gold knows (year,
               month, day, weekday) is the same, as claimcheck.evaluate._date_agrees compares
               them: a weekday resolved to the wrong week is wrong.
  quantities   gold kinds troop_count, count, distance, duration, as one union: a peer cannot
               tell a troop count from another count, so a prediction matches a gold claim of
               any of these kinds when the spans overlap and the value agrees (as
               claimcheck.evaluate._interval_agrees: inside the gold interval, or the same
               stated figure). The unit must be of the gold kind's dimension (hours for a
               duration, km for a distance, none for a count); quantulum3's units are converted
               to hours and km. Every other prediction is a false positive: years, page
               counters, percentages and ordinals too. Generous about kind, strict about
               spurious numbers.
Matching is one to one (the largest pairing, claimcheck.evaluate._max_matching). claimcheck is
shown twice for quantities: "by kind" is what `claimcheck eval` scores (the kind must match
too), "any kind" is the peers' rule. number-parser is not scored (see NOT_SCORED).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claimcheck.evaluate import (
    Gold,
    GoldClaim,
    KindScore,
    _date_agrees,
    _interval_agrees,
    _max_matching,
    evaluate_gold,
    find_gold_files,
    load_gold,
    overlaps,
    predicted_claims,
)
from claimcheck.models import DateValue, Interval

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "gold"
UNDATED_BASE = dt.datetime(2000, 1, 1)  # a Saturday; only for articles with no manifest date
QUANTITY_KINDS = ("troop_count", "count", "distance", "duration")
GROUPS = {"dates": ("date",), "quantities": QUANTITY_KINDS}
DIMENSION = {"troop_count": "dimensionless", "count": "dimensionless",
             "distance": "length", "duration": "time"}  # fmt: skip
HOURS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0,
         "fortnight": 336.0, "month": 730.5, "year": 8766.0, "decade": 87660.0}  # fmt: skip
KM = {"kilometre": 1.0, "metre": 1e-3, "centimetre": 1e-5, "millimetre": 1e-6,
      "mile": 1.609344, "nautical mile": 1.852, "yard": 9.144e-4, "foot": 3.048e-4,
      "inch": 2.54e-5}  # fmt: skip
NOT_SCORED = {
    "number-parser": "number_parser.parse(text) returns the whole text with number words "
    "rewritten as digits: no spans, units or values per figure, so nothing to match against a "
    "gold claim (and no way to tell which digits it produced from those already there)",
}


# --------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class Pred:
    """One thing a tool found: where, the text it covers, its value and how it is shown."""

    source: str
    start: int
    end: int
    quote: str
    value: Any  # DateValue (dates); Interval + dimension (quantities)
    shown: str
    dimension: str | None = None
    kind: str | None = None  # claimcheck's own kind; None for a peer


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    published: dt.date | None

    @property
    def base(self) -> dt.datetime:
        if self.published is None:
            return UNDATED_BASE
        return dt.datetime(self.published.year, self.published.month, self.published.day)


def articles_of(gold: Gold) -> list[Article]:
    """Every article of the story folder, with the manifest's publication date if any."""
    manifest: dict[str, Any] = {}
    path = gold.folder / "sources.yaml"
    if path.is_file():
        manifest = yaml.safe_load(path.read_text("utf-8")) or {}
    found = []
    for file in sorted(gold.folder.iterdir()):
        if file.suffix not in (".txt", ".md") or not file.is_file():
            continue
        published = (manifest.get(file.name) or {}).get("published")
        if published is not None and not isinstance(published, dt.date):
            published = dt.date.fromisoformat(str(published))
        found.append(Article(file.name, file.read_text("utf-8"), published))
    return found


def locate(text: str, pieces: Iterable[str]) -> list[tuple[int, int] | None]:
    """Spans of substrings the tool returned in text order: each is looked for from the end of
    the previous one, then from the start; None when the text does not hold it."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for piece in pieces:
        at = text.find(piece, cursor)
        if at < 0:
            at = text.find(piece)
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def _date_pred(
    article: Article, span: tuple[int, int] | None, piece: str, when: dt.datetime
) -> Pred:
    start, end = span if span is not None else (-1, -1)
    value = DateValue(year=when.year, month=when.month, day=when.day)
    return Pred(article.name, start, end, piece, value, f"{when:%Y-%m-%d %a}")


def run_dateparser(article: Article) -> list[Pred]:
    from dateparser.search import search_dates

    found = (
        search_dates(article.text, languages=["en"], settings={"RELATIVE_BASE": article.base}) or []
    )
    spans = locate(article.text, (piece for piece, _ in found))
    return [_date_pred(article, s, p, w) for s, (p, w) in zip(spans, found, strict=True)]


def run_datefinder(article: Article) -> list[Pred]:
    """datefinder's own (start, end) drifts from the text (datefinder 1.0 reports offsets into
    text it has cleaned), so spans are located from the source strings it returns."""
    import datefinder

    found = list(
        datefinder.find_dates(article.text, source=True, index=True, base_date=article.base)
    )
    spans = locate(article.text, (piece for _, piece, _ in found))
    return [_date_pred(article, s, p, w) for s, (w, p, _) in zip(spans, found, strict=True)]


def run_quantulum(article: Article) -> list[Pred]:
    from quantulum3 import parser

    preds = []
    for q in parser.parse(article.text):
        start, end = q.span
        dimension = str(q.unit.entity.name)
        unit = str(q.unit.name)
        figure = float(q.value)
        value: float | None = figure
        if dimension == "time":  # gold durations are in hours, distances in km
            value = figure * HOURS[unit] if unit in HOURS else None
        elif dimension == "length":
            value = figure * KM[unit] if unit in KM else None
        interval = None if value is None else Interval(low=value, high=value, stated=value)
        shown = f"{q.value:g} {unit}" + ("" if value is None or dimension not in ("time", "length")
                                          else f" = {value:g} {'h' if dimension == 'time' else 'km'}")  # fmt: skip
        preds.append(
            Pred(article.name, start, end, article.text[start:end], interval, shown, dimension)
        )
    return preds


PEERS: dict[str, tuple[str, str, Callable[[Article], list[Pred]]]] = {
    # name: (import name, group, runner)
    "dateparser": ("dateparser", "dates", run_dateparser),
    "datefinder": ("datefinder", "dates", run_datefinder),
    "quantulum3": ("quantulum3", "quantities", run_quantulum),
}


def claimcheck_preds(gold: Gold) -> tuple[list[Pred], dict[str, tuple[int, int, int]]]:
    """claimcheck's claims of the scored kinds, and `claimcheck eval`'s own per-kind counts
    (gold, predicted, matched)."""
    from claimcheck.pipeline import run

    report = run([gold.folder])
    result = evaluate_gold(gold, report)
    by_kind = {k.kind: (k.gold, k.predicted, k.matched) for k in result.kinds}
    preds = [
        Pred(p.source, p.start, p.end, p.quote, p.value, p.display, DIMENSION.get(p.kind), p.kind)
        for p in predicted_claims(report)
        if p.kind in ("date", *QUANTITY_KINDS)
    ]
    return preds, by_kind


# --------------------------------------------------------------------------- scoring


def agrees(group: str, g: GoldClaim, p: Pred) -> bool:
    if group == "dates":
        return isinstance(p.value, DateValue) and _date_agrees(g.value, p.value)
    return (
        isinstance(p.value, Interval)
        and p.dimension == DIMENSION[g.kind]
        and _interval_agrees(g.value, p.value)
    )


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    wrong: list[Pred] = field(default_factory=list)  # overlaps a gold claim, value disagrees
    spurious: list[Pred] = field(default_factory=list)  # overlaps no gold claim of the group
    missed: list[GoldClaim] = field(default_factory=list)
    unlocated: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.wrong += other.wrong
        self.spurious += other.spurious
        self.missed += other.missed
        self.unlocated += other.unlocated

    @property
    def counts(self) -> KindScore:
        """The figures as `claimcheck eval` scores them (precision, recall, F1)."""
        return KindScore("", self.gold, self.predicted, self.matched)


def score(
    group: str, gold: Sequence[GoldClaim], preds: Sequence[Pred], by_kind: bool = False
) -> Score:
    """One-to-one matching: same source, overlapping spans, agreeing value (and, by_kind, the
    same kind, as `claimcheck eval` asks)."""
    edges = {
        i: [
            j
            for j, p in enumerate(preds)
            if p.source == g.source
            and overlaps(g.start, g.end, p.start, p.end)
            and (not by_kind or p.kind == g.kind)
            and agrees(group, g, p)
        ]
        for i, g in enumerate(gold)
    }
    matched = _max_matching(edges, edges)
    used = set(matched.values())
    result = Score(len(gold), len(preds), len(matched))
    result.missed = [g for i, g in enumerate(gold) if i not in matched]
    result.unlocated = sum(p.start < 0 for p in preds)
    for j, p in enumerate(preds):
        if j in used:
            continue
        near = any(p.source == g.source and overlaps(g.start, g.end, p.start, p.end) for g in gold)
        (result.wrong if near else result.spurious).append(p)
    return result


# --------------------------------------------------------------------------- output


def _fmt(x: float | None) -> str:
    return "    -" if x is None else f"{x:5.2f}"


HEAD = f"  {'group':<11} {'tool':<22} {'gold':>5} {'pred':>5} {'match':>5}     P     R    F1 {'wrong':>6} {'spur.':>6}"


def row(group: str, tool: str, s: Score | None, note: str = "") -> str:
    if s is None:
        return f"  {group:<11} {tool:<22} {note}"
    c = s.counts
    return (f"  {group:<11} {tool:<22} {s.gold:>5} {s.predicted:>5} {s.matched:>5} "
            f"{_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)} {len(s.wrong):>6} {len(s.spurious):>6}")  # fmt: skip


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _gold_shown(g: GoldClaim) -> str:
    v = g.value
    if g.kind == "date":
        return " ".join(str(v[k]) for k in ("iso", "weekday") if v.get(k))
    unit = f" {v['unit']}" if v.get("unit") else ""
    hedge = f"{v['hedge']} " if v.get("hedge") else ""
    figure = f"{v['stated']:g}" if isinstance(v.get("stated"), int | float) else ""
    return f"{g.kind} {hedge}{figure}{unit}".strip()


def examples(tool: str, s: Score, gold: Sequence[GoldClaim], n: int) -> list[str]:
    if n <= 0:
        return []
    lines = [f"  {tool}: {len(s.wrong)} wrong value, {len(s.spurious)} spurious, "
             f"{len(s.missed)} gold claims missed"
             + (f", {s.unlocated} results not found in the text" if s.unlocated else "")]  # fmt: skip
    for label, items in (("wrong", s.wrong[:n]), ("spurious", s.spurious[:n])):
        for p in items:
            said = ""
            if label == "wrong":
                g = next(
                    g
                    for g in gold
                    if g.source == p.source and overlaps(g.start, g.end, p.start, p.end)
                )
                said = f"  (gold “{_short(g.quote, 30)}” {_gold_shown(g)})"
            lines.append(
                f"    {label:9} {p.source[:14]}:{p.start:<6} “{_short(p.quote)}” → {p.shown}{said}"
            )
    for g in s.missed[:n]:
        lines.append(
            f"    {'missed':9} {g.source[:14]}:{g.start:<6} “{_short(g.quote)}” {_gold_shown(g)}"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "gold_dir", nargs="?", type=Path, default=GOLD_DIR, help="gold file or folder"
    )
    parser.add_argument("--examples", type=int, default=5, help="errors listed per tool and story")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Classifier dependencies not installed")

    available: dict[str, tuple[str, Callable[[Article], list[Pred]]]] = {}
    missing: dict[str, str] = {}
    for name, (module, group, runner) in PEERS.items():
        try:
            __import__(module)
        except ImportError as error:
            missing[name] = f"not installed ({error}); pip install {name} -- skipped"
            continue
        available[name] = (group, runner)

    tools = ["claimcheck", "claimcheck any kind", *PEERS]
    total: dict[tuple[str, str], Score] = {}
    print("Peer accuracy against the gold. quantities: any quantity kind matches (generous about "
          "kind), every other number counts against precision (strict about spurious numbers).")  # fmt: skip
    for gold_path in find_gold_files(args.gold_dir):
        gold = load_gold(gold_path)
        articles = articles_of(gold)
        chars = sum(len(a.text) for a in articles)
        dated = sum(a.published is not None for a in articles)
        cc_preds, cc_kinds = claimcheck_preds(gold)
        groups = {
            name: [g for g in gold.claims if g.kind in kinds] for name, kinds in GROUPS.items()
        }
        scores: dict[tuple[str, str], Score] = {}
        for group, kinds in GROUPS.items():
            mine = [p for p in cc_preds if p.kind in kinds]
            scores[(group, "claimcheck")] = score(group, groups[group], mine, by_kind=True)
            if group == "quantities":
                scores[(group, "claimcheck any kind")] = score(group, groups[group], mine)
        for name, (group, runner) in available.items():
            preds = [p for a in articles for p in runner(a)]
            scores[(group, name)] = score(group, groups[group], preds)

        print()
        print(f"{gold.story} ({gold_path.relative_to(REPO) if gold_path.is_relative_to(REPO) else gold_path}): "
              f"{len(articles)} articles, {chars:,} characters, {dated} with a manifest date "
              f"(base {UNDATED_BASE:%Y-%m-%d} for the others)")  # fmt: skip
        print(HEAD)
        for group, kinds in GROUPS.items():
            expected = tuple(sum(cc_kinds.get(k, (0, 0, 0))[i] for k in kinds) for i in range(3))
            got = scores[(group, "claimcheck")]
            if expected != (got.gold, got.predicted, got.matched):  # a check on this script
                print(f"  note: `claimcheck eval` counts {group} as gold/pred/match {expected}")
            names = ["claimcheck", *(["claimcheck any kind"] if group == "quantities" else []),
                     *(n for n in PEERS if PEERS[n][1] == group)]  # fmt: skip
            for i, name in enumerate(names):
                label = group if i == 0 else ""
                if name in missing:
                    print(row(label, name, None, missing[name]))
                    continue
                print(row(label, name, scores[(group, name)]))
                total.setdefault((group, name), Score()).add(scores[(group, name)])
        print(row("", "number-parser", None, "not scored (see below)"))
        if args.examples:
            print(f"  errors (first {args.examples} of each; spans are character offsets):")
            for (group, name), s in scores.items():
                if name in PEERS:
                    print("\n".join(examples(name, s, groups[group], args.examples)))

    print()
    print("all stories combined (counts summed, then P, R, F1)")
    print(HEAD)
    for group in GROUPS:
        first = True
        for name in tools:
            if name in missing and PEERS[name][1] == group:
                print(row(group if first else "", name, None, "not installed"))
                first = False
            elif (group, name) in total:
                print(row(group if first else "", name, total[(group, name)]))
                first = False
    print()
    for name, why in NOT_SCORED.items():
        print(f"{name}: not scored: {why}.")
    print("wrong: overlaps a gold claim of the group but the value disagrees (dates: a part the gold "
          "knows differs; quantities: outside the interval or not the gold kind's unit dimension); "
          "spur.: overlaps no gold claim of the group (header dates, month-only dates, years, "
          "page counters, ordinals: the gold annotates claims about events, not every date or number). "
          "Recall is the fairer comparison: the peers do not aim at the gold's notion of a claim.")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
