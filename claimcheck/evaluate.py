"""Accuracy you can quote: claimcheck scored against hand-annotated gold claims and facts.

A gold file (`gold.yaml`) lists every claim an editor finds in one story, with its exact span,
kind, normalised value and the fact it belongs to, then every fact with the verdict an editor
reaches. `evaluate` runs the real pipeline on the story and scores two things:

- extraction, per claim kind: a predicted claim matches a gold claim when both are of the same
  kind in the same source, their spans overlap and their values agree (intervals overlap or
  state the same figure; dates are compatible; the same person; the same speaker). Each claim
  is matched at most once. Precision, recall and F1 per kind, and micro-averaged overall.
- findings: for each gold fact that two or more sources state, does a finding over claims
  overlapping the fact's gold claims reach the gold verdict (agree or conflict)?

Misses are kept by category (missed claim, wrong value, spurious claim) so the extractors can
be improved in general ways, not tuned to one story.

`python -m claimcheck.evaluate GOLD_DIR` and `claimcheck eval GOLD_DIR` print the table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from claimcheck.errors import UserError
from claimcheck.models import (
    DateValue,
    Interval,
    Office,
    Person,
    Quotation,
    Report,
    Status,
    Value,
)

GOLD_FILE = "gold.yaml"
BUILTIN_KINDS = (
    "troop_count",
    "casualty_count",
    "count",
    "date",
    "participant",
    "office",
    "distance",
    "duration",
    "quote",
)
# Kinds whose claims are another kind's phrases read another way (an office is a participant
# phrase read by person): scored against that kind's gold claims, which annotate them too.
DERIVED_KINDS = {"office": "participant"}
INTERVAL_KINDS = frozenset({"troop_count", "casualty_count", "count", "distance", "duration"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Category = Literal["missed", "wrong_value", "spurious", "range_differs", "less_precise"]


class GoldError(UserError):
    """A gold file that cannot be used: the message names the file and the claim."""


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldClaim:
    id: str
    source: str
    kind: str
    start: int
    end: int
    quote: str
    fact: str
    value: dict[str, Any]


@dataclass(frozen=True)
class GoldFact:
    id: str
    kind: str
    label: str
    verdict: Status
    claims: tuple[str, ...]
    camps: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Gold:
    path: Path
    story: str
    folder: Path
    claims: tuple[GoldClaim, ...]
    facts: tuple[GoldFact, ...]

    def claim(self, claim_id: str) -> GoldClaim:
        return self._by_id[claim_id]

    @cached_property
    def _by_id(self) -> dict[str, GoldClaim]:
        return {c.id: c for c in self.claims}


def find_gold_files(gold_dir: Path) -> list[Path]:
    """A gold.yaml itself, a folder holding one, or a folder of story folders each holding one."""
    if gold_dir.is_file():
        return [gold_dir]
    if (gold_dir / GOLD_FILE).is_file():
        return [gold_dir / GOLD_FILE]
    found = sorted(p / GOLD_FILE for p in gold_dir.iterdir() if (p / GOLD_FILE).is_file())
    if not found:
        raise GoldError(f"{gold_dir}: no {GOLD_FILE} here or in its subfolders")
    return found


def _story_folder(gold_path: Path, folder: str) -> Path:
    """`folder` is relative to the repository root: try the gold file's ancestors, then cwd."""
    candidate = Path(folder)
    if candidate.is_absolute():
        return candidate
    own = gold_path.resolve().parent
    for base in [*gold_path.resolve().parents, Path.cwd()]:
        folder_path = (base / candidate).resolve()
        if folder_path.is_dir() and folder_path != own and _has_articles(folder_path):
            return base / candidate
    raise GoldError(f"{gold_path}: story folder {folder!r} not found")


def _has_articles(folder: Path) -> bool:
    return any(p.suffix in (".txt", ".md") for p in folder.iterdir())


def load_gold(path: Path) -> Gold:
    """Read a gold file and check every span against the article text."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or "claims" not in data or "folder" not in data:
        raise GoldError(f"{path}: expected a mapping with 'folder', 'claims' and 'facts'")
    folder = _story_folder(path, str(data["folder"]))
    try:
        claims = tuple(
            GoldClaim(
                id=str(c["id"]),
                source=str(c["source"]),
                kind=str(c["kind"]),
                start=int(c["start"]),
                end=int(c["end"]),
                quote=str(c["quote"]),
                fact=str(c["fact"]),
                value=dict(c["value"]),
            )
            for c in data["claims"]
        )
        facts = tuple(
            GoldFact(
                id=str(f["id"]),
                kind=str(f["kind"]),
                label=str(f.get("label", f["id"])),
                verdict=Status(f["verdict"]),
                claims=tuple(str(c) for c in f["claims"]),
                camps=tuple(tuple(str(c) for c in camp) for camp in f.get("camps", ())),
            )
            for f in data.get("facts", [])
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldError(f"{path}: malformed claim or fact ({exc})") from None
    gold = Gold(path, str(data.get("story", folder.name)), folder, claims, facts)
    problems = check_gold(gold)
    if problems:
        raise GoldError(f"{path}: " + "; ".join(problems[:5]))
    return gold


def check_gold(gold: Gold) -> list[str]:
    """What is wrong with a gold file: spans that do not quote their text, dangling ids."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    ids = [c.id for c in gold.claims]
    if len(set(ids)) != len(ids):
        problems.append("duplicate claim ids")
    for claim in gold.claims:
        if claim.source not in texts:
            file = gold.folder / claim.source
            if not file.is_file():
                problems.append(f"{claim.id}: no source {claim.source}")
                continue
            texts[claim.source] = file.read_text("utf-8")
        if texts[claim.source][claim.start : claim.end] != claim.quote:
            problems.append(f"{claim.id}: text[{claim.start}:{claim.end}] is not its quote")
    known = set(ids)
    for fact in gold.facts:
        for claim_id in (*fact.claims, *(c for camp in fact.camps for c in camp)):
            if claim_id not in known:
                problems.append(f"fact {fact.id}: unknown claim {claim_id}")
    return problems


# --------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class Predicted:
    """One claim the pipeline reported, with the finding that holds it."""

    kind: str
    source: str
    start: int
    end: int
    quote: str
    value: Value
    display: str
    finding: str
    subject: str
    status: Status
    group: int


def predicted_claims(report: Report) -> list[Predicted]:
    """Every claim in the report: each lands in exactly one finding (single-source ones too)."""
    return [
        Predicted(
            kind=f.kind,
            source=c.source,
            start=c.start,
            end=c.end,
            quote=c.quote,
            value=c.value,
            display=c.display,
            finding=f.id,
            subject=f"{f.kind}:{f.subject}",
            status=f.status,
            group=c.group,
        )
        for f in report.findings
        for c in f.claims
    ]


# --------------------------------------------------------------------------- values


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _fold(text: str) -> str:
    """Lower case, no accents, words only: 'Sergey Ryabkov' -> 'sergey ryabkov'."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def same_person(gold_id: str, gold_name: str, pred_id: str, pred_name: str) -> bool:
    """Same id, or the same last name: spellings of first names vary (Sergei/Sergey)."""
    if _fold(gold_id) == _fold(pred_id):
        return True
    gold_last = _fold(gold_name).split()[-1:] or _fold(gold_id).split()[-1:]
    pred_words = set(_fold(pred_name).split()) | set(_fold(pred_id).split()[-1:])
    return bool(gold_last) and gold_last[0] in pred_words


Bounds = tuple[float, bool, float, bool]  # low, low_open, high, high_open


def _contains(bounds: Bounds, x: float) -> bool:
    low, low_open, high, high_open = bounds
    above = low < x or (low == x and not low_open)
    below = x < high or (x == high and not high_open)
    return above and below


def _interval_agrees(gold: dict[str, Any], pred: Interval) -> bool:
    """The ranges overlap, or both state the same figure (whatever their hedges)."""
    stated = gold.get("stated")
    if (
        stated is not None
        and pred.stated is not None
        and abs(float(stated) - pred.stated) <= 1e-9 * max(1.0, abs(pred.stated))
    ):
        return True
    mine: Bounds = (
        float(gold["low"]) if gold.get("low") is not None else float("-inf"),
        bool(gold.get("low_open")),
        float(gold["high"]) if gold.get("high") is not None else float("inf"),
        bool(gold.get("high_open")),
    )
    theirs: Bounds = (
        pred.low,
        pred.low_open,
        pred.high if pred.high is not None else float("inf"),
        pred.high_open,
    )
    low, high = max(mine[0], theirs[0]), min(mine[2], theirs[2])
    if low < high:
        return True
    return low == high and _contains(mine, low) and _contains(theirs, low)


def _gold_date_parts(gold: dict[str, Any]) -> dict[str, int]:
    parts: dict[str, int] = {}
    iso = str(gold.get("iso") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        day = dt.date.fromisoformat(iso)
        parts.update(year=day.year, month=day.month, day=day.day, weekday=day.weekday())
    elif m := re.fullmatch(r"--(\d{2})-(\d{2})", iso):
        parts.update(month=int(m[1]), day=int(m[2]))
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", iso):
        parts.update(year=int(m[1]), month=int(m[2]))
    if gold.get("weekday"):
        parts["weekday"] = WEEKDAYS.index(str(gold["weekday"]).casefold())
    return parts


def _date_agrees(gold: dict[str, Any], pred: DateValue) -> bool:
    """Compatible: every part both know is the same, and they share at least one part."""
    mine = _gold_date_parts(gold)
    theirs = {
        k: v
        for k, v in {
            "year": pred.year,
            "month": pred.month,
            "day": pred.day,
            "weekday": pred.date.weekday() if pred.date is not None else pred.weekday,
        }.items()
        if v is not None
    }
    shared = set(mine) & set(theirs)
    return bool(shared) and all(mine[k] == theirs[k] for k in shared)


def value_agrees(kind: str, gold: dict[str, Any], pred: Value) -> bool:
    """Does the predicted value say what the gold value says, as the kind compares values?"""
    if isinstance(pred, Interval):
        return kind in INTERVAL_KINDS and _interval_agrees(gold, pred)
    if isinstance(pred, DateValue):
        return _date_agrees(gold, pred)
    if isinstance(pred, Person | Office):
        return same_person(
            str(gold.get("person", "")), str(gold.get("name", "")), pred.person, pred.name
        )
    if isinstance(pred, Quotation):
        return same_person(
            str(gold.get("speaker", "")),
            str(gold.get("speaker_name", "")),
            pred.speaker,
            pred.speaker_name,
        )
    return False


def gold_display(claim: GoldClaim) -> str:
    """The gold value in a few words, for the list of misses."""
    v = claim.value
    if claim.kind in INTERVAL_KINDS:
        figure = v.get("stated")
        hedge = f"{v['hedge']} " if v.get("hedge") else ""
        unit = f" {v['unit']}" if v.get("unit") else ""
        shown = f"{figure:g}" if isinstance(figure, (int, float)) else ""
        return f"{hedge}{shown}{unit}".strip()
    if claim.kind == "date":
        return " ".join(str(v[k]) for k in ("iso", "weekday") if v.get(k))
    if claim.kind in ("participant", *DERIVED_KINDS):
        owner = f" of {v['of']}" if v.get("of") else ""
        return f"{v.get('name')}, {v.get('role')}{owner}"
    if claim.kind == "quote":
        return f"speaker {v.get('speaker_name')}"
    return json.dumps(v, ensure_ascii=False)


# --------------------------------------------------------------------------- matching


def _role_fit(gold: GoldClaim, pred: Predicted) -> float:
    """How well a predicted person's role fits the gold role (Jaccard of the role words):
    only a tie-break, for one person holding two roles in one phrase."""
    if not isinstance(pred.value, Person | Office) or not pred.value.role:
        return 0.0
    stop = {"of", "the", "to", "for"}
    mine = set(_fold(str(gold.value.get("role", ""))).split()) - stop
    theirs = set(_fold(pred.value.role.replace("_", " ")).split()) - stop
    return len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0


def _max_matching(edges: dict[int, list[int]], preferred: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching by augmenting paths, left index -> right index. Preferred
    edges are matched first; augmenting the rest never unmatches a left node, so the result
    is still a maximum matching."""
    right_of: dict[int, int] = {}

    def augment(left: int, allowed: dict[int, list[int]], seen: set[int]) -> bool:
        for right in allowed.get(left, []):
            if right in seen:
                continue
            seen.add(right)
            if right not in right_of or augment(right_of[right], allowed, seen):
                right_of[right] = left
                return True
        return False

    for allowed in (preferred, edges):
        matched = set(right_of.values())
        for left in sorted(allowed):
            if left not in matched:
                augment(left, allowed, set())
                matched = set(right_of.values())
    return {left: right for right, left in right_of.items()}


@dataclass(frozen=True)
class ClaimError:
    """One miss (missed, wrong_value, spurious: these count in P/R), or one caveat on a match
    (range_differs, less_precise: counted as matches, listed so hedges and dates improve)."""

    category: Category
    kind: str
    source: str
    start: int
    end: int
    quote: str
    gold: str | None = None
    predicted: str | None = None
    fact: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "kind": self.kind,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "gold": self.gold,
            "predicted": self.predicted,
            "fact": self.fact,
            "note": self.note,
        }


@dataclass(frozen=True)
class Matching:
    pairs: tuple[tuple[GoldClaim, Predicted], ...]
    errors: tuple[ClaimError, ...]
    caveats: tuple[ClaimError, ...] = ()


def _same_place(g: GoldClaim, p: Predicted) -> bool:
    return p.kind == g.kind and p.source == g.source and overlaps(g.start, g.end, p.start, p.end)


def _near(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def _caveat(g: GoldClaim, p: Predicted) -> ClaimError | None:
    """A match that is right by the matching rule but not exactly the gold value."""
    note: Category | None = None
    if isinstance(p.value, Interval):
        low = float(g.value["low"]) if g.value.get("low") is not None else None
        high = float(g.value["high"]) if g.value.get("high") is not None else None
        if not (_near(low, p.value.low) and _near(high, p.value.high)):
            note = "range_differs"
    elif (
        isinstance(p.value, DateValue)
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(g.value.get("iso") or ""))
        and p.value.date is None
    ):
        note = "less_precise"
    if note is None:
        return None
    return ClaimError(
        note, g.kind, g.source, g.start, g.end, g.quote, gold_display(g), p.display, g.fact
    )


def match_claims(gold: Sequence[GoldClaim], predicted: Sequence[Predicted]) -> Matching:
    """Pair gold and predicted claims one to one: same kind and source, overlapping spans,
    agreeing values; the largest such pairing. Leftovers become categorised errors."""
    edges: dict[int, list[int]] = {}
    preferred: dict[int, list[int]] = {}
    for i, g in enumerate(gold):
        fits = [
            j
            for j, p in enumerate(predicted)
            if _same_place(g, p) and value_agrees(g.kind, g.value, p.value)
        ]
        if g.kind in ("participant", *DERIVED_KINDS):
            fits.sort(key=lambda j: -_role_fit(g, predicted[j]))
            preferred[i] = [j for j in fits if _role_fit(g, predicted[j]) > 0]
        else:
            preferred[i] = fits
        edges[i] = fits
    matched = _max_matching(edges, preferred)
    used = set(matched.values())
    errors: list[ClaimError] = []
    wrong: set[int] = set()
    for i, g in enumerate(gold):
        if i in matched:
            continue
        near = [j for j, p in enumerate(predicted) if j not in used | wrong and _same_place(g, p)]
        category: Category = "wrong_value" if near else "missed"
        shown = predicted[near[0]].display if near else None
        wrong.update(near[:1])
        errors.append(
            ClaimError(
                category, g.kind, g.source, g.start, g.end, g.quote, gold_display(g), shown, g.fact
            )
        )
    matched_gold = [gold[i] for i in matched]
    for j, p in enumerate(predicted):
        if j in used or j in wrong:
            continue
        twin = next((g for g in matched_gold if _same_place(g, p)), None)
        errors.append(
            ClaimError(
                "spurious",
                p.kind,
                p.source,
                p.start,
                p.end,
                p.quote,
                None,
                p.display,
                twin.fact if twin else None,
                f"duplicates matched gold claim {twin.id}" if twin else None,
            )
        )
    errors.sort(key=lambda e: (e.kind, e.category, e.source, e.start))
    pairs = tuple((gold[i], predicted[j]) for i, j in sorted(matched.items()))
    caveats = tuple(c for c in (_caveat(g, p) for g, p in pairs) if c is not None)
    return Matching(pairs, tuple(errors), caveats)


def grouping(
    pairs: Sequence[tuple[GoldClaim, Predicted]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Alignment errors among matched claims: a gold fact whose claims land in several
    findings (split), and a finding that compares claims of several gold facts (merged;
    single-source findings compare nothing, so they do not count)."""
    findings_of: dict[str, set[str]] = {}
    facts_of: dict[str, set[str]] = {}
    for g, p in pairs:
        findings_of.setdefault(g.fact, set()).add(p.subject)
        if p.status is not Status.SINGLE_SOURCE:
            facts_of.setdefault(p.subject, set()).add(g.fact)
    split = [
        {"fact": fact, "findings": sorted(subjects)}
        for fact, subjects in sorted(findings_of.items())
        if len(subjects) > 1
    ]
    merged = [
        {"finding": subject, "facts": sorted(facts)}
        for subject, facts in sorted(facts_of.items())
        if len(facts) > 1
    ]
    return split, merged


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class KindScore:
    kind: str
    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """None when there is nothing to score (no gold and no prediction of the kind)."""
        if not self.gold and not self.predicted:
            return None
        return 2 * self.matched / (self.gold + self.predicted)  # = 2PR/(P+R), without float noise

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass(frozen=True)
class FactResult:
    fact: str
    kind: str
    label: str
    verdict: Status
    correct: bool
    found: str = ""


@dataclass
class StoryResult:
    story: str
    gold_path: str
    kinds: list[KindScore]
    micro: KindScore
    facts: list[FactResult]
    errors: list[ClaimError] = field(default_factory=list)
    caveats: list[ClaimError] = field(default_factory=list)
    split_facts: list[dict[str, Any]] = field(default_factory=list)
    merged_findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def facts_correct(self) -> int:
        return sum(f.correct for f in self.facts)

    def kind(self, kind: str) -> KindScore:
        return next(k for k in self.kinds if k.kind == kind)

    def as_dict(self) -> dict[str, Any]:
        return {
            "story": self.story,
            "gold": self.gold_path,
            "kinds": {k.kind: k.as_dict() for k in self.kinds},
            "micro": self.micro.as_dict(),
            "findings": {
                "correct": self.facts_correct,
                "total": len(self.facts),
                "facts": [
                    {
                        "fact": f.fact,
                        "kind": f.kind,
                        "label": f.label,
                        "verdict": f.verdict.value,
                        "correct": f.correct,
                        "found": f.found,
                    }
                    for f in self.facts
                ],
            },
            "errors": [e.as_dict() for e in self.errors],
            "caveats": [e.as_dict() for e in self.caveats],
            "grouping": {"split_facts": self.split_facts, "merged_findings": self.merged_findings},
        }


@dataclass
class EvalResult:
    stories: list[StoryResult]

    def story(self, name: str) -> StoryResult:
        return next(s for s in self.stories if s.story == name)

    def as_dict(self) -> dict[str, Any]:
        return {"stories": [s.as_dict() for s in self.stories]}


def score_kinds(
    gold: Sequence[GoldClaim], predicted: Sequence[Predicted], matching: Matching
) -> tuple[list[KindScore], KindScore]:
    extra = ({c.kind for c in gold} | {p.kind for p in predicted}) - set(BUILTIN_KINDS)
    kinds = [*BUILTIN_KINDS, *sorted(extra)]
    scores = [
        KindScore(
            kind,
            sum(c.kind == kind for c in gold),
            sum(p.kind == kind for p in predicted),
            sum(g.kind == kind for g, _ in matching.pairs),
        )
        for kind in kinds
    ]
    counted = [s for s in scores if s.kind not in DERIVED_KINDS]  # (their phrases count once)
    micro = KindScore(
        "micro",
        sum(s.gold for s in counted),
        sum(s.predicted for s in counted),
        sum(s.matched for s in counted),
    )
    return scores, micro


def judge_fact(fact: GoldFact, gold: Gold, predicted: Sequence[Predicted]) -> FactResult:
    """Did a finding reach the fact's verdict over claims overlapping its gold claims?

    agree: a finding with status agree covers two of the fact's sources, and no conflict
    finding puts two of its claims (from different sources) on different sides.
    conflict: a conflict finding puts claims of two different gold camps (default: two
    sources) on different sides.
    """
    claims = [gold.claim(c) for c in fact.claims]
    camp_of = {c: i for i, camp in enumerate(fact.camps) for c in camp}
    # finding id -> [(gold claim, predicted group)]
    touched: dict[str, list[tuple[GoldClaim, int]]] = {}
    status_of: dict[str, Status] = {}
    for g in claims:
        for p in predicted:
            if (
                p.kind == g.kind
                and p.source == g.source
                and overlaps(g.start, g.end, p.start, p.end)
            ):
                touched.setdefault(p.finding, []).append((g, p.group))
                status_of[p.finding] = p.status

    def opposed(hits: list[tuple[GoldClaim, int]], across_camps: bool) -> bool:
        for a, group_a in hits:
            for b, group_b in hits:
                if a.source >= b.source or group_a == group_b:
                    continue
                if not across_camps or camp_of.get(a.id, a.source) != camp_of.get(b.id, b.source):
                    return True
        return False

    found = ", ".join(sorted({f"{status_of[f].value}" for f in touched})) or "nothing"
    conflicts = [hits for f, hits in touched.items() if status_of[f] is Status.CONFLICT]
    if fact.verdict is Status.CONFLICT:
        correct = any(opposed(hits, across_camps=bool(fact.camps)) for hits in conflicts)
    else:
        agreeing = [
            hits
            for f, hits in touched.items()
            if status_of[f] is Status.AGREE and len({g.source for g, _ in hits}) >= 2
        ]
        correct = bool(agreeing) and not any(
            opposed(hits, across_camps=False) for hits in conflicts
        )
    return FactResult(fact.id, fact.kind, fact.label, fact.verdict, correct, found)


def derived_claims(gold: Sequence[GoldClaim]) -> list[GoldClaim]:
    """The gold claims of the derived kinds (`DERIVED_KINDS`), copied from those they read."""
    return [
        replace(claim, id=f"{claim.id}~{kind}", kind=kind)
        for kind, base in DERIVED_KINDS.items()
        for claim in gold
        if claim.kind == base
    ]


def evaluate_gold(gold: Gold, report: Report | None = None) -> StoryResult:
    """Score one story; `report` is the pipeline's, run here on the story folder if not given."""
    from claimcheck.pipeline import run

    report = report or run([gold.folder])
    predicted = predicted_claims(report)
    claims = [*gold.claims, *derived_claims(gold.claims)]
    matching = match_claims(claims, predicted)
    kinds, micro = score_kinds(claims, predicted, matching)
    facts = [
        judge_fact(fact, gold, predicted)
        for fact in gold.facts
        if len({gold.claim(c).source for c in fact.claims}) >= 2
    ]
    # (the gold facts are the base kinds' facts: a derived kind groups its claims otherwise)
    split, merged = grouping([(g, p) for g, p in matching.pairs if g.kind not in DERIVED_KINDS])
    return StoryResult(
        story=gold.story,
        gold_path=_shown(gold.path),
        kinds=kinds,
        micro=micro,
        facts=facts,
        errors=list(matching.errors),
        caveats=list(matching.caveats),
        split_facts=split,
        merged_findings=merged,
    )


def evaluate(gold_dir: Path) -> EvalResult:
    """Score the pipeline on every gold file under `gold_dir`."""
    return EvalResult([evaluate_gold(load_gold(path)) for path in find_gold_files(gold_dir)])


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --------------------------------------------------------------------------- output


def _fmt(x: float | None) -> str:
    return "   - " if x is None else f"{x:5.2f}"


def format_table(result: EvalResult, misses: int = 0) -> str:
    """One block per story: kinds × (gold, predicted, matched, P, R, F1), then findings."""
    blocks: list[list[str]] = []
    for story in result.stories:
        lines = [f"{story.story}  ({story.gold_path})"]
        blocks.append(lines)
        width = max(12, *(len(k.kind) for k in story.kinds))
        lines.append(f"  {'kind':<{width}} {'gold':>5} {'pred':>5} {'match':>5}     P     R    F1")
        for s in [*story.kinds, story.micro]:
            if s is story.micro:
                lines.append("  " + "-" * (width + 41))
            lines.append(
                f"  {s.kind:<{width}} {s.gold:>5} {s.predicted:>5} {s.matched:>5} "
                f"{_fmt(s.precision)} {_fmt(s.recall)} {_fmt(s.f1)}"
            )
        lines.append(
            f"  findings: {story.facts_correct}/{len(story.facts)} multi-source facts "
            "reach the gold verdict"
        )
        for f in story.facts:
            if not f.correct:
                lines.append(f"    wrong  {f.verdict.value:8} {f.fact}  (found: {f.found})")
        lines.append(
            f"  alignment: {len(story.split_facts)} gold facts split over several findings, "
            f"{len(story.merged_findings)} findings merging several gold facts"
        )
        if misses:
            counts = Counter(e.category for e in [*story.errors, *story.caveats])
            summary = ", ".join(f"{counts[c]} {c}" for c in get_args(Category))
            lines.append(f"  misses: {summary}")
            for e in [*story.errors, *story.caveats][:misses]:
                said = " vs ".join(x for x in (e.gold, e.predicted) if x)
                if e.note:
                    said += f" ({e.note})"
                lines.append(
                    f"    {e.category:13} {e.kind:11} {e.source}:{e.start} "
                    f"“{_short(e.quote)}”  {said}"
                )
            for item in story.split_facts:
                lines.append(f"    split         {item['fact']}: {', '.join(item['findings'])}")
            for item in story.merged_findings:
                lines.append(f"    merged        {item['finding']}: {', '.join(item['facts'])}")
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_json(result: EvalResult, path: Path) -> None:
    """eval.json: the same figures as the table, plus every fact and every miss."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m claimcheck.evaluate GOLD_DIR [--json FILE] [--misses N]`: the eval command."""
    from claimcheck.cli_eval import eval_command

    try:
        eval_command.main(
            args=list(argv) if argv is not None else None,
            prog_name="python -m claimcheck.evaluate",
        )
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
