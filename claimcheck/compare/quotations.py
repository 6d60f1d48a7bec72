"""Misquotations: the same words of the same speaker, printed differently by two sources.

A fact holds everything one speaker is quoted as saying, in every source; most of it is
different utterances. So quotations are first paired across sources: two quotations are the
same utterance when most of the shorter one's content words recur in the other and they share
a run of words. Only paired quotations are compared; the rest do not count. Within a pair, the
words are aligned (difflib) and compared only where both quotations run, so a fragment ('the
world has come to a crossroads') agrees with the longer quotation it was cut from.

Why not key the fact by utterance? The key would have to come from the words, and the words
are what differ ('an'/'any', two translations); no key computed from one source alone lands
both variants in the same fact. Pairing happens here, where all sources are in hand.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import Match, SequenceMatcher
from functools import lru_cache

from rapidfuzz import fuzz

from claimcheck.compare import register
from claimcheck.compare.camps import split_camps_by
from claimcheck.compare.verdicts import short_source
from claimcheck.models import Claim, Fact, Quotation, Severity, Status, Verdict, claim_order
from claimcheck.normalize.names import word_set
from claimcheck.rules import QuotationComparator, Rule

MIN_SHARED_WORDS = 3  # content words two quotations of one utterance have in common
MIN_SHARED_RUN = 3  # consecutive words they have in common
MIN_DENSITY = 0.4  # share of the common passage that the two quotations word alike
MAX_EDGE_GAP = 3  # words between a short match at the edge and the shared passage
_EDGE_WORDS = 3  # words shown (and compared) where two excerpts run on differently
EXCERPT_WORDS = 12
# Words whose presence or absence alone does not change what was said.
STOPWORDS = word_set(
    """a an the and or but if of to in on at by for from with as is are was were be been being
    it its this that these those i you he she we they me him her us them my your his our their
    not no do does did have has had will would can could should may might must there here what
    which who whom whose so than then too very just also all any some each every into over
    under about after before again once only own same such both few more most other nor out
    up down off am"""
)
# Function words that may come or go without a misquotation ('for Russia and [for] our state').
LIGHT_WORDS = word_set("a an the and for of to in on at that which this")
_CONTRACTIONS = (
    (r"\bcan't\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon't\b", "will not"),
    (r"\bshan't\b", "shall not"),
    (r"n't\b", " not"),
    (r"'m\b", " am"),
    (r"'re\b", " are"),
    (r"'ve\b", " have"),
    (r"'ll\b", " will"),
)
_TOKEN = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


@lru_cache(maxsize=1 << 14)
def words(normalized: str) -> tuple[str, ...]:
    """Word tokens for comparison: no punctuation, no editors' [insertions], contractions
    spelt out ('don't' = 'do not'), no diacritics."""
    text = re.sub(r"\[[^\]]*\]", " ", normalized)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = re.sub(pattern, replacement, text)
    return tuple(_TOKEN.findall(text))


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Crude but symmetric: 'heroes'/'hero', 'interests'/'interest'."""
    parts = []
    for part in word.split("-"):
        for suffix in ("es", "s"):
            if part.endswith(suffix) and len(part) > len(suffix) + 2:
                part = part[: -len(suffix)]
                break
        parts.append(part)
    return "-".join(parts)


@lru_cache(maxsize=1 << 14)
def _content(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_stem(p) for t in tokens for p in t.split("-") if p not in STOPWORDS)


@dataclass(frozen=True)
class Difference:
    """One place where two quotations of one utterance differ."""

    left: str
    right: str
    minor: bool  # only light words come or go, or a word changes its ending


@dataclass(frozen=True)
class Comparison:
    paired: bool  # the same utterance
    differences: tuple[Difference, ...]
    similarity: float = 0.0  # fuzz.ratio of the two word sequences where both run
    starts: tuple[str, str] = ("", "")  # the first words of the common passage in each

    @property
    def major(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if not d.minor)


@lru_cache(maxsize=4096)
def compare_texts(a: str, b: str, pair_threshold: float) -> Comparison:
    """Whether two normalised quotations are one utterance, and where their words differ."""
    ta, tb = words(a), words(b)
    ca, cb = _content(ta), _content(tb)
    shared = len(ca & cb)
    smaller = min(len(ca), len(cb))
    if smaller == 0:
        return Comparison(False, ())
    # The content-word tests first: most pairs of one speaker's quotations are different
    # remarks, and they fail here without the cost of aligning their words.
    if 100 * shared / smaller < pair_threshold or shared < min(MIN_SHARED_WORDS, smaller):
        return Comparison(False, ())
    matcher = _matcher(tb)
    matcher.set_seq1(ta)
    matched = [m for m in matcher.get_matching_blocks() if m.size]
    # The longest block is the longest run they share: the matcher finds that run first,
    # and no other block (merged or not) can be longer.
    if max((m.size for m in matched), default=0) < MIN_SHARED_RUN:
        return Comparison(False, ())
    blocks = _core(ta, matched)
    first, last = blocks[0], blocks[-1]
    span = max(last.a + last.size - first.a, last.b + last.size - first.b)
    if sum(m.size for m in blocks) < MIN_DENSITY * span:
        return Comparison(False, ())  # a shared phrase inside otherwise different passages
    similarity = fuzz.ratio(
        " ".join(ta[first.a : last.a + last.size]), " ".join(tb[first.b : last.b + last.size])
    )
    differences = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Only where both quotations run: different cut points are not different words.
        if i2 <= first.a or j2 <= first.b or i1 >= last.a + last.size or j1 >= last.b + last.size:
            continue
        left, right = ta[i1:i2], tb[j1:j2]
        differences.append(Difference(" ".join(left), " ".join(right), _minor(left, right)))
    # Two excerpts of one utterance that both run on past the shared passage run on with the
    # same word; different words there are a rewording ('Chile is more united and stronger'
    # against 'We are more united and stronger than ever'), and count in the similarity.
    low_a, low_b = first.a, first.b
    end_a, end_b = high_a, high_b = last.a + last.size, last.b + last.size
    if low_a and low_b and ta[low_a - 1] != tb[low_b - 1]:
        low_a, low_b = max(0, low_a - _EDGE_WORDS), max(0, low_b - _EDGE_WORDS)
        left, right = ta[low_a : first.a], tb[low_b : first.b]
        differences.insert(0, Difference(" ".join(left), " ".join(right), _minor(left, right)))
    if end_a < len(ta) and end_b < len(tb) and ta[end_a] != tb[end_b]:
        high_a, high_b = end_a + _EDGE_WORDS, end_b + _EDGE_WORDS
        left, right = ta[end_a:high_a], tb[end_b:high_b]
        differences.append(Difference(" ".join(left), " ".join(right), _minor(left, right)))
    if (low_a, high_a) != (first.a, end_a):  # run on differently: compare the words there too
        similarity = fuzz.ratio(" ".join(ta[low_a:high_a]), " ".join(tb[low_b:high_b]))
    starts = (" ".join(ta[low_a : low_a + 3]), " ".join(tb[low_b : low_b + 3]))
    return Comparison(True, tuple(differences), similarity, starts)


@lru_cache(maxsize=512)
def _matcher(second: tuple[str, ...]) -> SequenceMatcher[str]:
    """A matcher of anything against `second`: its index of `second`'s words, a fifth of the
    cost of a comparison, is built once for every wording compared with it. The caller sets
    the first sequence and reads the result before the next comparison (one thread)."""
    return SequenceMatcher(None, (), second, autojunk=False)


def _core(tokens: Sequence[str], blocks: list[Match]) -> list[Match]:
    """The matching blocks where the two quotations really run side by side: a stray 'the'
    or 'and' matched far beyond the shared passage does not stretch it."""

    def stray(early: Match, late: Match, edge: Match) -> bool:
        gap = max(late.a - (early.a + early.size), late.b - (early.b + early.size))
        light = all(t in STOPWORDS for t in tokens[edge.a : edge.a + edge.size])
        return gap > MAX_EDGE_GAP and (light or edge.size < MIN_SHARED_RUN)

    while len(blocks) > 1 and stray(blocks[-2], blocks[-1], blocks[-1]):
        blocks = blocks[:-1]
    while len(blocks) > 1 and stray(blocks[0], blocks[1], blocks[0]):
        blocks = blocks[1:]
    return blocks


def _minor(left: Sequence[str], right: Sequence[str]) -> bool:
    if not left or not right:
        return all(w in LIGHT_WORDS for w in (*left, *right))
    return len(left) == len(right) and all(
        _stem(x) == _stem(y) for x, y in zip(left, right, strict=True)
    )


# --------------------------------------------------------------------------- the comparator


def _quotation(claim: Claim) -> Quotation:
    assert isinstance(claim.value, Quotation)
    return claim.value


@register("quotation")
def compare_quotations(fact: Fact, rule: Rule) -> list[Verdict]:
    """One finding per utterance printed by two or more sources, and one for the rest."""
    config = rule.compare
    assert isinstance(config, QuotationComparator)
    claims = sorted(fact.claims, key=claim_order)
    speaker = _speaker_name(claims)
    texts = _Texts(claims, config)

    verdicts = []
    paired: set[int] = set()
    for cluster in texts.utterances():
        paired.update(id(c) for c in cluster)
        verdicts.append(_utterance_verdict(cluster, speaker, texts))
    rest = tuple(c for c in claims if id(c) not in paired)
    if rest:
        sources = sorted({short_source(c.source) for c in rest})
        verdicts.append(
            Verdict(
                status=Status.SINGLE_SOURCE,
                camps=(rest,),
                message=f"{', '.join(sources)} quote{'s' if len(sources) == 1 else ''} "
                f"{speaker} in words no other source prints.",
                key="unpaired" if verdicts else None,
                label=f"quotations of {speaker} found in one source only",
            )
        )
    return verdicts


class _Texts:
    """The distinct wordings of one speaker's quotations and how each pair compares.

    A speaker quoted by a thousand sources is usually quoted in a dozen wordings, so the
    comparisons are made once per pair of wordings, and utterances and camps are built from
    the wordings directly, with the same result as comparing claim by claim. That holds
    because a comparison reads the same whichever wording comes first: difflib's alignment
    of two word sequences is not symmetric (it can split a change in one order and not in
    the other), so each pair is aligned in one fixed order, the longer wording first (the
    order whose alignments read best), and the other order is its mirror image.
    """

    def __init__(self, claims: Sequence[Claim], config: QuotationComparator) -> None:
        self._config = config
        self._claims = claims
        self._known: dict[tuple[str, str], Comparison] = {}
        by_text: dict[str, list[int]] = {}
        for index, claim in enumerate(claims):
            by_text.setdefault(_quotation(claim).normalized, []).append(index)
        self.by_text = by_text

    def compare(self, first: str, second: str) -> Comparison:
        known = self._known.get((first, second))
        if known is None:
            if (len(first), first) >= (len(second), second):
                known = compare_texts(first, second, self._config.pair_threshold)
            else:
                known = _mirrored(self.compare(second, first))
            self._known[(first, second)] = known
        return known

    def compare_claims(self, a: Claim, b: Claim) -> Comparison:
        return self.compare(_quotation(a).normalized, _quotation(b).normalized)

    def agree(self, a: str, b: str) -> bool:
        """Compatible wordings (in either order: see the class)."""
        found = self.compare(a, b)
        return not (found.paired and found.major and found.similarity < self._config.same_threshold)

    def utterances(self) -> list[list[Claim]]:
        """Quotations joined by pairing across sources, wording by wording; each group is
        one utterance. A wording printed by two sources is one utterance (if it pairs with
        itself at all: two words are too few to pair); two paired wordings join unless one
        source alone prints both."""
        claims = self._claims
        wordings = list(self.by_text)
        sources = [frozenset(claims[i].source for i in self.by_text[t]) for t in wordings]
        parent = list(range(len(wordings)))

        linked = {
            i
            for i, (text, s) in enumerate(zip(wordings, sources, strict=True))
            if len(s) > 1 and self.compare(text, text).paired
        }
        for i, a in enumerate(wordings):
            for j in range(i + 1, len(wordings)):
                lone = len(sources[i]) == 1 and sources[i] == sources[j]
                if not lone and self.compare(a, wordings[j]).paired:
                    parent[_root(parent, j)] = _root(parent, i)
                    linked.update((i, j))
        groups: dict[int, list[int]] = {}
        for i in linked:
            groups.setdefault(_root(parent, i), []).extend(self.by_text[wordings[i]])
        return sorted(
            ([claims[i] for i in sorted(members)] for members in groups.values()),
            key=lambda g: claim_order(g[0]),
        )


def _mirrored(found: Comparison) -> Comparison:
    """The comparison of the same two wordings the other way round."""
    return Comparison(
        found.paired,
        tuple(Difference(d.right, d.left, d.minor) for d in found.differences),
        found.similarity,
        (found.starts[1], found.starts[0]),
    )


def _utterance_verdict(cluster: list[Claim], speaker: str, texts: _Texts) -> Verdict:
    """The wordings of one utterance: camp 1 is what most sources print."""
    camps = split_camps_by(
        cluster, lambda c: _quotation(c).normalized, texts.agree, same_source_agrees=True
    )
    lead = camps[0][0]
    key = utterance_key(lead)
    label = f"{speaker}: “{_excerpt(lead, '')}”"
    if len(camps) > 1:
        phrases, details = [], []
        for group in camps[1:]:
            a, b = _representatives(group, camps[0], texts)
            starts = texts.compare_claims(a, b).starts
            phrases.append(
                f"{_label(group)} “{_excerpt(a, starts[0])}” vs "
                f"{_label(camps[0])} “{_excerpt(b, starts[1])}”"
            )
            details.append(_differences(group, camps[0], texts, major=True))
        return Verdict(
            status=Status.CONFLICT,
            camps=tuple(camps),
            message=f"{speaker} is quoted in different words: {'; '.join(phrases)}.",
            detail="\n".join(d for d in details if d) or None,
            key=key,
            label=label,
        )
    sources = sorted({short_source(c.source) for c in cluster})
    minor = _differences(camps[0], camps[0], texts, major=False)
    return Verdict(
        status=Status.AGREE,
        camps=tuple(camps),
        message=f"{', '.join(sources)} quote {speaker} in the same words.",
        detail=minor or None,
        severity=Severity.INFO,
        key=key,
        label=label,
    )


def utterance_key(claim: Claim) -> str:
    """Names an utterance by its first content words as the leading camp prints them: stable
    across runs and unrelated edits, different for different remarks of one speaker."""
    tokens = [w for w in words(_quotation(claim).normalized) if w not in STOPWORDS]
    return "-".join(tokens[:6]) or "quotation"


def _root(parent: list[int], i: int) -> int:
    """Union-find: the representative of i's group (halving the path on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _speaker_name(claims: Sequence[Claim]) -> str:
    names = sorted({_quotation(c).speaker_name for c in claims}, key=lambda n: (-len(n), n))
    return names[0]


def _label(group: Sequence[Claim]) -> str:
    return ", ".join(sorted({short_source(c.source) for c in group}))


MAX_VARIANTS = 12  # minor variants listed in an agreement's detail; then "and more"


def _differences(
    left: Sequence[Claim],
    right: Sequence[Claim],
    texts: _Texts,
    *,
    major: bool,
) -> str:
    """'003: 'an' vs 004: 'any''. Minor variants (within one wording) are listed as such.

    Pairs of claims are visited in order, each claim against the other side's claims in other
    wordings only (a wording does not differ from itself), and only in wordings that show a
    difference with its own in one order or the other: a camp that a thousand sources print
    in two wordings differing only in punctuation costs nothing.
    """
    phrases: dict[str, None] = {}
    by_text: dict[str, list[int]] = {}
    for index, claim in enumerate(right):
        by_text.setdefault(_quotation(claim).normalized, []).append(index)

    def shown(first: str, second: str) -> tuple[Difference, ...]:
        found = texts.compare(first, second)
        return (found.major if major else found.differences) if found.paired else ()

    # Per wording on the left, the claims (by index) of the wordings that may differ from it.
    partners: dict[str, list[list[int]]] = {}
    more = False
    for a in left:
        text = _quotation(a).normalized
        others = partners.get(text)
        if others is None:
            others = partners[text] = [
                indices for t, indices in by_text.items() if t != text and shown(text, t)
            ]
        for index in heapq.merge(*others):
            b = right[index]
            if a.source == b.source:
                continue
            found = texts.compare(text, _quotation(b).normalized)
            if not found.paired:
                continue
            for d in found.major if major else found.differences:
                phrase = (
                    f"{_label(left) if major else short_source(a.source)}: '{d.left or '—'}' vs "
                    f"{_label(right) if major else short_source(b.source)}: '{d.right or '—'}'"
                )
                if phrase in phrases:
                    continue
                if len(phrases) == MAX_VARIANTS:
                    more = True  # enough to show how the wordings vary: stop looking
                    break
                phrases[phrase] = None
            if (major and phrases) or more:
                break
        if (major and phrases) or more:
            break
    if not phrases:
        return ""
    listed = "; ".join(phrases) + ("; and more" if more else "")
    return listed if major else "minor variants: " + listed


def _representatives(
    left: Sequence[Claim], right: Sequence[Claim], texts: _Texts
) -> tuple[Claim, Claim]:
    """The pair across two wordings that shows their difference best: the most major
    differences, then the earliest claim on the left, then the first partner on the right.

    A pair's score depends on its two wordings only, so each claim on the left is tried
    against the first claim of each wording on the right (from another source), not
    against every claim.
    """
    best = max(
        (
            (
                len(texts.compare_claims(left[i], right[j]).major),
                -left[i].start,
                -left[i].end,
                -i,
                -j,
            )
            for i, j in _candidate_pairs(left, right, texts)
        ),
        default=None,
    )
    if best is None:
        return left[0], right[0]
    return left[-best[3]], right[-best[4]]


def _candidate_pairs(
    left: Sequence[Claim], right: Sequence[Claim], texts: _Texts
) -> Iterator[tuple[int, int]]:
    """Each claim on the left with the first claim of each wording on the right that comes
    from another source: the only partners that can score best."""
    by_text: dict[str, list[int]] = {}
    for j, b in enumerate(right):
        by_text.setdefault(_quotation(b).normalized, []).append(j)
    for i, a in enumerate(left):
        for indices in by_text.values():
            partner = next((j for j in indices if right[j].source != a.source), None)
            if partner is not None:
                yield i, partner


def _excerpt(claim: Claim, start_words: str) -> str:
    """A dozen words of the quotation, from where the common passage starts if it can be found."""
    text = _quotation(claim).text
    if start_words:
        pattern = r"\W+".join(re.escape(w).replace("'", "['’]") for w in start_words.split())
        found = re.search(pattern, text, re.IGNORECASE)
        if found is not None and found.start() > 0:
            text = "…" + text[found.start() :]
    tokens = text.split()
    shown = " ".join(tokens[:EXCERPT_WORDS])
    return shown + ("…" if len(tokens) > EXCERPT_WORDS else "")
