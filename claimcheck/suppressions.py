"""Inline suppressions: an editor's `claimcheck-disable` comment marks a conflict as reviewed.

The comments are HTML comments, so they stay invisible when the Markdown/HTML article renders:

    <!-- claimcheck-disable-next-line troop_count -- figures checked with the desk -->
    <!-- claimcheck-disable date, participant -->  …  <!-- claimcheck-enable date, participant -->

A region without an enable runs to the end of the file. Directives are recognised
case-sensitively (`ClaimCheck-Disable` is an ordinary comment), with any white space around
the parts. Every directive must name loaded rule ids: a blanket disable would hide conflicts
the editor never saw, and a misspelt id would silently suppress nothing.

Only CONFLICT findings are suppressed (agreements and single-source facts need no review). So
a directive is "unused" as soon as the conflict it was written for goes away, even if the
claims on its lines still agree with other sources: that is the moment to delete it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from claimcheck.errors import UserError
from claimcheck.models import Finding, Source, Status, Suppression, UnusedSuppression

DISABLE = "claimcheck-disable"
DISABLE_NEXT_LINE = "claimcheck-disable-next-line"
ENABLE = "claimcheck-enable"
DIRECTIVES = (DISABLE, DISABLE_NEXT_LINE, ENABLE)

# Any HTML comment, possibly over several lines; it is a directive when its body starts with
# `claimcheck-` (any other `claimcheck-…` name is an error, so a typo cannot go unnoticed).
_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(r"\s*(?P<name>claimcheck(?:-[A-Za-z]+)+)(?P<rest>.*)", re.DOTALL)
# Rule ids end at the first `--`; what follows is the justification.
_JUSTIFICATION = re.compile(r"--")
_RULE_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Directive:
    """One rule switched off over lines `start_line`..`end_line` (inclusive) of one source.

    `end_line` None means to the end of the file. A comment naming several rules gives one
    directive per rule, so each can be reported unused on its own.
    """

    source: str  # Source.id, as claims and findings name their source
    comment_line: int
    rule: str
    start_line: int
    end_line: int | None
    justification: str | None = None

    def covers(self, line: int) -> bool:
        return self.start_line <= line and (self.end_line is None or line <= self.end_line)

    @property
    def order(self) -> tuple[str, int, str, int, float, str]:
        end = float("inf") if self.end_line is None else self.end_line
        return (
            self.source,
            self.comment_line,
            self.rule,
            self.start_line,
            end,
            self.justification or "",
        )


@dataclass(frozen=True)
class _Comment:
    name: str
    rules: tuple[str, ...]
    justification: str | None
    line: int  # where `<!--` stands
    last_line: int  # where `-->` stands


def find_suppressions(source: Source, known_rules: Collection[str]) -> list[Directive]:
    """Every directive in one article: pure, so it can run per source (in parallel)."""
    text = source.text
    line_starts = [0, *(m.end() for m in re.finditer(r"\n", text))]

    def line_of(offset: int) -> int:
        return bisect_right(line_starts, offset)

    comments = [
        comment
        for match in _COMMENT.finditer(text)
        if (comment := _parse(match, line_of, source.path, known_rules)) is not None
    ]
    # Lines left blank once directives are blanked out: next-line directives skip them, so
    # stacked directives all reach the same line of text.
    masked = mask_directives(text).split("\n")
    directives: list[Directive] = []
    open_regions: dict[str, list[Directive]] = {}
    for comment in comments:
        if comment.name == DISABLE_NEXT_LINE:
            target = next(
                (n for n in range(comment.last_line + 1, len(masked) + 1) if masked[n - 1].strip()),
                len(masked) + 1,  # nothing follows: suppresses nothing, reported unused
            )
            directives.extend(
                Directive(source.id, comment.line, rule, target, target, comment.justification)
                for rule in comment.rules
            )
        elif comment.name == DISABLE:
            for rule in comment.rules:
                open_regions.setdefault(rule, []).append(
                    Directive(
                        source.id, comment.line, rule, comment.line, None, comment.justification
                    )
                )
        else:
            for rule in comment.rules:
                regions = open_regions.pop(rule, [])
                if not regions:
                    raise UserError(
                        f"{source.path}:{comment.line}: {ENABLE} {rule} has no "
                        f"{DISABLE} {rule} open before it"
                    )
                directives.extend(replace(region, end_line=comment.line) for region in regions)
    directives.extend(region for regions in open_regions.values() for region in regions)
    return sorted(directives, key=lambda d: d.order)


def mask_directives(text: str) -> str:
    """`text` with every directive comment blanked to spaces, newlines and offsets kept.

    Extractors could read the article through this so a justification such as
    "-- desk confirmed 175,000 troops" never becomes a claim of its own.
    """
    return _COMMENT.sub(
        lambda m: (
            re.sub(r"[^\n]", " ", m.group(0))
            if _DIRECTIVE.fullmatch(m.group("body"))
            else m.group(0)
        ),
        text,
    )


def find_all_suppressions(
    sources: Iterable[Source], known_rules: Collection[str]
) -> dict[str, list[Directive]]:
    """`find_suppressions` for each source, keyed by source id (what `apply_suppressions` takes)."""
    return {source.id: find_suppressions(source, known_rules) for source in sources}


def apply_suppressions(
    findings: Sequence[Finding], directives: Mapping[str, Sequence[Directive]]
) -> tuple[list[Finding], list[UnusedSuppression]]:
    """Mark each conflict with a claim on a line an editor covered for its rule.

    A conflict is suppressed when ANY of its claims sits on a covered line of that claim's own
    source: the editor reviewed the conflict at that place. Every directive that matched is
    recorded on the finding (existing suppressions are kept). Directives that suppressed no
    conflict come back as unused, sorted by source, line and rule.
    """
    used: set[Directive] = set()
    result: list[Finding] = []
    for finding in findings:
        if finding.status is not Status.CONFLICT:
            result.append(finding)
            continue
        matched = sorted(
            {
                directive
                for claim in finding.claims
                for directive in directives.get(claim.source, ())
                if directive.rule == finding.rule and directive.covers(claim.line)
            },
            key=lambda d: d.order,
        )
        if not matched:
            result.append(finding)
            continue
        used.update(matched)
        added: list[Suppression] = []
        for directive in matched:
            suppression = Suppression(
                kind="inSource",
                source=directive.source,
                line=directive.comment_line,
                justification=directive.justification,
            )
            if suppression not in added and suppression not in finding.suppressions:
                added.append(suppression)
        result.append(finding.model_copy(update={"suppressions": (*finding.suppressions, *added)}))
    unused = {
        UnusedSuppression(source=d.source, line=d.comment_line, rule=d.rule)
        for per_source in directives.values()
        for d in per_source
        if d not in used
    }
    return result, sorted(unused, key=lambda u: (u.source, u.line, u.rule))


# --------------------------------------------------------------------------- parsing


def _parse(
    match: re.Match[str],
    line_of: Callable[[int], int],
    path: str,
    known_rules: Collection[str],
) -> _Comment | None:
    directive = _DIRECTIVE.fullmatch(match.group("body"))
    if directive is None:
        return None  # an ordinary comment
    line = line_of(match.start())
    where = f"{path}:{line}"
    name = directive.group("name")
    if name not in DIRECTIVES:
        raise UserError(f"{where}: unknown directive '{name}' (known: {', '.join(DIRECTIVES)})")
    parts = _JUSTIFICATION.split(directive.group("rest"), maxsplit=1)
    rules = tuple(dict.fromkeys(r for r in _RULE_SEPARATORS.split(parts[0]) if r))
    if not rules:
        raise UserError(f"{where}: {name} needs a rule id")
    for rule in rules:
        if rule not in known_rules:
            raise UserError(
                f"{where}: unknown rule '{rule}' (known: {', '.join(sorted(known_rules))})"
            )
    justification = " ".join(parts[1].split()) if len(parts) > 1 else ""
    return _Comment(
        name=name,
        rules=rules,
        justification=justification or None,
        line=line,
        last_line=line_of(match.end() - 1),
    )
