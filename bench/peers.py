"""The same text through other extractors: how claimcheck's speed compares with its peers.

Usage: python bench/peers.py [--passes 5] [--seeds seeds/]   (pip install -e '.[bench]')

On the seed articles, in this process, one core: claimcheck end to end
(claimcheck.pipeline.run on the folder, no report written) and extraction only
(claimcheck.pipeline.extract_all), then each peer on every seed article's text:
  quantulum3     quantulum3.parser.parse(text)                      quantities with units
  dateparser     dateparser.search.search_dates(text, languages=['en'])   dates in text
  datefinder     list(datefinder.find_dates(text))                  dates in text
  number-parser  number_parser.parse(text)                          number words to digits
Each is warmed up with one untimed pass (models, tables and caches load then), then timed
over --passes passes; the figure is the median pass, in characters of article text per
second, and its ratio to claimcheck's two figures (> 1: the peer is faster). A peer that is
not installed is reported and skipped. The peers do much less than claimcheck (no subjects,
no grouping, no comparison), so the ratios bound what a single pass over the text costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _quantulum() -> Callable[[str], object]:
    from quantulum3 import parser

    return parser.parse


def _dateparser() -> Callable[[str], object]:
    from dateparser.search import search_dates

    return lambda text: search_dates(text, languages=["en"])


def _datefinder() -> Callable[[str], object]:
    import datefinder

    return lambda text: list(datefinder.find_dates(text))


def _number_parser() -> Callable[[str], object]:
    import number_parser

    return number_parser.parse


PEERS: dict[str, tuple[str, Callable[[], Callable[[str], object]]]] = {
    "quantulum3": ("quantulum3", _quantulum),
    "dateparser": ("dateparser", _dateparser),
    "datefinder": ("datefinder", _datefinder),
    "number-parser": ("number-parser", _number_parser),
}


def median_pass(function: Callable[[], object], passes: int) -> tuple[float, object]:
    function()  # warm-up: lazy loading, caches
    times = []
    result: object = None
    for _ in range(passes):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _count(result: object) -> str:
    if isinstance(result, list):
        return str(sum(len(r) if isinstance(r, list | tuple) and r else 0 for r in result))
    return "—"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--passes", type=int, default=5, help="timed passes per tool")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of articles")
    args = parser.parse_args(argv)

    import claimcheck
    from claimcheck.pipeline import extract_all, run
    from claimcheck.rules import load_rules
    from claimcheck.sources import load_sources

    ruleset = load_rules([])
    sources = load_sources([args.seeds]).sources
    texts = [s.text for s in sources]
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles, {chars:,} characters; claimcheck from "
          f"{Path(claimcheck.__file__).parent}; {args.passes} timed passes, median")  # fmt: skip
    e2e, report = median_pass(lambda: run([args.seeds], ruleset=ruleset), args.passes)
    extract, claims = median_pass(lambda: extract_all(sources, ruleset), args.passes)
    rates = {"e2e": chars / e2e, "extract": chars / extract}
    head = f"{'tool':28} {'s/pass':>8} {'chars/s':>10} {'found':>7} {'÷ cc e2e':>9} {'÷ cc extract':>12}"
    print(head)
    print("-" * len(head))
    found = len(claims)  # type: ignore[arg-type]
    print(f"{'claimcheck end to end':28} {e2e:>8.3f} {rates['e2e']:>10,.0f} "
          f"{report.summary.findings:>7} {1.0:>9.2f} {rates['e2e'] / rates['extract']:>12.2f}")  # type: ignore[attr-defined]  # fmt: skip
    print(f"{'claimcheck extraction only':28} {extract:>8.3f} {rates['extract']:>10,.0f} "
          f"{found:>7} {rates['extract'] / rates['e2e']:>9.2f} {1.0:>12.2f}")  # fmt: skip
    for name, (package, load) in PEERS.items():
        try:
            function = load()
        except ImportError as error:
            print(f"{name:28} not installed ({error}); pip install {package}  -- skipped")
            continue
        seconds, results = median_pass(lambda f=function: [f(t) for t in texts], args.passes)
        rate = chars / seconds
        print(f"{name:28} {seconds:>8.3f} {rate:>10,.0f} {_count(results):>7} "
              f"{rate / rates['e2e']:>9.2f} {rate / rates['extract']:>12.2f}")  # fmt: skip
    print("found: claimcheck findings / claims; peers: items returned over all articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
