"""Sorting claims into camps of mutually compatible values, shared by every comparator."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from claimcheck.models import Claim

Compatible = Callable[[Claim, Claim], bool]


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
    ordered = sorted(claims, key=lambda c: c.sort_key)
    if vagueness is not None:
        ordered.sort(key=vagueness)
    camps: list[list[Claim]] = []
    for claim in ordered:
        for camp in camps:
            if all(compatible(claim, member) for member in camp):
                camp.append(claim)
                break
        else:
            camps.append([claim])
    camps.sort(key=lambda camp: (-len({c.source for c in camp}), -len(camp), camp[0].sort_key))
    return [tuple(sorted(camp, key=lambda c: c.sort_key)) for camp in camps]


def cross_source_conflicts(
    claims: Sequence[Claim], compatible: Compatible
) -> list[tuple[Claim, Claim]]:
    """Pairs of claims from different sources that cannot both be true."""
    ordered = sorted(claims, key=lambda c: c.sort_key)
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if a.source != b.source and not compatible(a, b):
                pairs.append((a, b))
    return pairs
