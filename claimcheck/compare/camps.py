"""Sorting claims into camps of mutually compatible values, shared by every comparator."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from claimcheck.models import Claim, claim_order

Compatible = Callable[[Claim, Claim], bool]
K = TypeVar("K", bound=Hashable)


def split_camps(
    claims: Sequence[Claim],
    compatible: Compatible,
    vagueness: Callable[[Claim], float] | None = None,
) -> list[tuple[Claim, ...]]:
    """Greedy cover by camps whose members all agree with each other.

    The most precise claims found the camps and vaguer ones join the first camp they fit:
    "three hours" and "3½ hours" each found a camp, "nearly three hours" joins the first and
    "more than three hours" the second, as an editor would read them. Deterministic: ties are
    broken by the claims' position (source, offset).
    """
    ordered = _in_order(claims, vagueness)
    camps: list[list[Claim]] = []
    for claim in ordered:
        for camp in camps:
            if all(compatible(claim, member) for member in camp):
                camp.append(claim)
                break
        else:
            camps.append([claim])
    return _ranked(camps, in_position_order=vagueness is None)


def cross_source_conflicts(
    claims: Sequence[Claim], compatible: Compatible
) -> list[tuple[Claim, Claim]]:
    """Pairs of claims from different sources that cannot both be true."""
    ordered = sorted(claims, key=claim_order)
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if a.source != b.source and not compatible(a, b):
                pairs.append((a, b))
    return pairs


def split_camps_by(
    claims: Sequence[Claim],
    key: Callable[[Claim], K],
    compatible: Callable[[K, K], bool],
    vagueness: Callable[[Claim], float] | None = None,
    *,
    same_source_agrees: bool = False,
) -> list[tuple[Claim, ...]]:
    """`split_camps` for a comparator that looks only at `key(claim)` (the normalised value),
    and, with `same_source_agrees`, holds any two claims of one source compatible.

    The same camps, found without comparing every claim with every member: each pair of
    keys is compared once, and a camp remembers which of its keys each key does not fit
    (see `_Camp`). A fact that a thousand sources state in a dozen ways costs a look at a
    dozen camps per claim at most, not a thousand comparisons.
    """
    ordered = _in_order(claims, vagueness)
    # Keys are numbered as they come, so that the bookkeeping below hashes small ints, not
    # values (a pydantic value hashes and compares in Python).
    number: dict[K, int] = {}
    keys: list[K] = []

    def numbered(i: int, j: int) -> bool:
        return compatible(keys[i], keys[j])

    fits = _Memo(numbered)
    camps: list[_Camp] = []
    # A key seen before goes where it went the first time, when keys are compared alone:
    # earlier camps refused it then and still do, and every later member of its camp was
    # found compatible with it (the comparators are symmetric, and this is checked to be
    # reflexive before it is relied on).
    placed: dict[int, _Camp] = {}
    openings: dict[int, _Openings] = {}
    for claim in ordered:
        value = key(claim)
        k = number.get(value)
        if k is None:
            k = number[value] = len(keys)
            keys.append(value)
        home = placed.get(k)
        if home is not None:
            home.members.append(claim)
            continue
        source = claim.source
        where = openings.get(k)
        if where is None:
            where = openings[k] = _Openings()
        home = where.home(k, source, camps, fits, same_source_agrees)
        if home is None:
            home = _Camp()
            camps.append(home)
        home.add(claim, k, source)
        if not same_source_agrees and fits(k, k):
            placed[k] = home
    return _ranked([camp.members for camp in camps], in_position_order=vagueness is None)


class _Camp:
    """One camp: its members, its distinct keys with the sources stating each, and for each
    key tested against it, the camp's keys that it does not fit (its blockers).

    A claim fits the camp when it fits every key there, or (`same_source_agrees`) when each
    key it does not fit is stated by its own source alone. The blockers of a key are found
    once and extended only by keys that joined since, so testing a claim costs little more
    than a look at its blockers, however many claims the camp holds.
    """

    def __init__(self) -> None:
        self.members: list[Claim] = []
        # Key -> its sources; the sources are read (and kept complete) only with
        # `same_source_agrees`, the one case where a key placed before is tested again.
        self.sources: dict[int, set[str]] = {}
        # key tested -> (how many of the camp's keys it was tested against, its blockers)
        self._blockers: dict[int, tuple[int, list[int]]] = {}

    def welcomes(
        self, k: int, fits: Callable[[int, int], bool], same_source_agrees: bool
    ) -> tuple[bool, str | None]:
        """Whose claims of `k` the camp admits now: (True, None) anyone's, (False, source)
        that one source's only, (False, None) no one's. Only ever stricter as it grows."""
        tested, blockers = self._blockers.get(k, (0, []))
        if tested < len(self.sources):
            keys = list(self.sources)
            blockers.extend(other for other in keys[tested:] if not fits(k, other))
            self._blockers[k] = (len(keys), blockers)
        if not blockers:
            return True, None
        if not same_source_agrees:
            return False, None
        owners = self.sources[blockers[0]]
        if len(owners) == 1 and all(self.sources[b] == owners for b in blockers):
            return False, next(iter(owners))
        return False, None

    def add(self, claim: Claim, k: int, source: str) -> None:
        self.members.append(claim)
        self.sources.setdefault(k, set()).add(source)


class _Openings:
    """Which camps one key may still join: those last seen admitting anyone's claims of it,
    those last seen admitting one source's only, and the camps it was not yet tested against.

    Camps only get stricter (`_Camp.welcomes`), so a camp left out can never admit the key
    again, and a candidate is tested afresh before it is taken. A claim thus finds the first
    camp that admits it without trying the camps that belong to other sources: a fact that
    every source prints in two wordings no two sources share makes a camp per source.
    """

    def __init__(self) -> None:
        self.tested = 0  # camps[:tested] were tested; each is in a heap below or never admits
        self.anyone: list[int] = []  # heaps of camp indices
        self.only: dict[str, list[int]] = {}

    def home(
        self,
        k: int,
        source: str,
        camps: Sequence[_Camp],
        fits: Callable[[int, int], bool],
        same_source_agrees: bool,
    ) -> _Camp | None:
        """The first camp that admits a claim of `k` from `source`, if any."""
        anyone, mine = self.anyone, self.only.setdefault(source, [])
        while anyone or mine:
            heap = anyone if anyone and (not mine or anyone[0] < mine[0]) else mine
            everyone, owner = camps[heap[0]].welcomes(k, fits, same_source_agrees)
            if everyone or owner == source:
                return camps[heap[0]]
            index = heapq.heappop(heap)
            if owner is not None:
                heapq.heappush(self.only.setdefault(owner, []), index)
        while self.tested < len(camps):
            index = self.tested
            self.tested += 1
            everyone, owner = camps[index].welcomes(k, fits, same_source_agrees)
            if everyone:
                heapq.heappush(anyone, index)
            elif owner is not None:
                heapq.heappush(self.only.setdefault(owner, []), index)
            if everyone or owner == source:
                return camps[index]
        return None


def any_source_pair_disagrees(
    claims: Sequence[Claim], key: Callable[[Claim], K], compatible: Callable[[K, K], bool]
) -> bool:
    """Whether two sources exist none of whose claims agree with any claim of the other.

    Sources that state the same set of values stand or fall together, so each distinct set
    is tested once against each other set (and against itself when several sources share it).
    """
    by_source: dict[str, set[K]] = {}
    for claim in claims:
        by_source.setdefault(claim.source, set()).add(key(claim))
    sharing: dict[frozenset[K], int] = {}
    for keys in by_source.values():
        frozen = frozenset(keys)
        sharing[frozen] = sharing.get(frozen, 0) + 1
    fits = _Memo(compatible)
    sets = list(sharing)
    for i, a in enumerate(sets):
        for b in sets[i:] if sharing[a] > 1 else sets[i + 1 :]:
            if not any(fits(x, y) for x in a for y in b):
                return True
    return False


def _in_order(claims: Sequence[Claim], vagueness: Callable[[Claim], float] | None) -> list[Claim]:
    """The most precise claims first (they found the camps), ties by position."""
    ordered = sorted(claims, key=claim_order)
    if vagueness is not None:
        ordered.sort(key=vagueness)
    return ordered


def _ranked(
    camps: list[list[Claim]], *, in_position_order: bool = False
) -> list[tuple[Claim, ...]]:
    """Camps by how many sources they hold, then size, then position; claims in order
    (already so when they joined in order of position: no vagueness reordered them)."""
    camps.sort(key=lambda camp: (-len({c.source for c in camp}), -len(camp), claim_order(camp[0])))
    if in_position_order:
        return [tuple(camp) for camp in camps]
    return [tuple(sorted(camp, key=claim_order)) for camp in camps]


class _Memo:
    """A comparison of two keys, worked out once per ordered pair."""

    def __init__(self, compatible: Callable[[K, K], bool]) -> None:
        self._compatible = compatible
        self._known: dict[tuple[Hashable, Hashable], bool] = {}

    def __call__(self, a: Hashable, b: Hashable) -> bool:
        pair = (a, b)
        known = self._known.get(pair)
        if known is None:
            known = self._known[pair] = self._compatible(a, b)  # type: ignore[arg-type]
        return known
