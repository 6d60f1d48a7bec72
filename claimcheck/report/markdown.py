"""The Markdown report: what an editor reads first, conflicts up top, every quote traceable.

Everything that comes from an article (quotes, labels, values, paths) goes through `text()`
or `code()` so that it renders as the literal characters in GitHub-flavoured Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from claimcheck.models import Finding, FindingClaim, Report, Severity, Status
from claimcheck.report.json import valid_unicode

EMPTY_CELL = "—"
MATRIX_MAX_SOURCES = 60  # a fact × source table wider than this is unreadable

# Anything that ends a line in CommonMark, or that a reader might take for one.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
# Control characters, and bidi overrides/isolates that can visually reorder the rest of a line.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Inline punctuation with a meaning in GFM (`$` is GitHub math, `~` strikethrough).
_PUNCTUATION = str.maketrans({c: "\\" + c for c in "\\`*_[]|#~$"})
# Block markers (list items, setext/thematic rules) that only matter at the start of a line.
_LEADING_BLOCK = re.compile(r"^(\s*)([-+=])(?=[-+=\s]|$)")
_LEADING_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
# GFM's extended autolinks read raw input, so escapes inside them would show as typed.
_AUTOLINK_WWW = re.compile(r"(?i)(www)\.")


# What `_plain` could change (line breaks, control and bidi characters, surrogates) and,
# with what `text` escapes, what `text` could change. A value with none of it is returned as
# it is: one search instead of eight passes, for most values of a big report.
_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNPLAIN = re.compile("[" + _CONTROLS + "]")
_UNSAFE = re.compile(
    "[" + _CONTROLS + r"\\`*_\[\]|#~$&<>]|www\.|://|^(?:\s|[-+=]|\d{1,9}[.)])", re.IGNORECASE
)


def _plain(value: str) -> str:
    """One line of valid text: no line breaks, no control or bidi characters, no surrogates."""
    if _UNPLAIN.search(value) is None:
        return value
    value = valid_unicode(value)
    value = _LINE_BREAK.sub(" ", value)
    return _INVISIBLE.sub(" ", value)


def text(value: str) -> str:
    """Literal text that is safe anywhere inline, including a table cell or a heading."""
    if _UNSAFE.search(value) is None:
        return value
    value = _plain(value).translate(_PUNCTUATION)  # (a table: a regex template costs more)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # (Functions, not templates: a template is looked up afresh on every call.)
    value = _AUTOLINK_WWW.sub(_escape_dot, value).replace("://", "\\://")
    value = _LEADING_BLOCK.sub(_escape_second, value)
    return _LEADING_ORDERED.sub(_escape_second, value)


def _escape_dot(match: re.Match[str]) -> str:
    return match[1] + "\\."


def _escape_second(match: re.Match[str]) -> str:
    return match[1] + "\\" + match[2]


def code(value: str, *, in_table: bool) -> str:
    """A code span that survives any backticks in `value` (paths, ids): easy to copy."""
    value = _plain(value)
    if not value:
        return ""
    if in_table:
        # GFM splits cells before parsing code spans, so pipes must be escaped even here.
        value = value.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0) if "`" in value else 0
    fence = "`" * (longest + 1)
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def bold(value: str) -> str:
    """Bold escaped text; surrounding spaces would stop `**` from counting as emphasis."""
    inner = text(_plain(value).strip())
    return f"**{inner}**" if inner else ""


def table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A GFM table from already-escaped cells. `align` holds one of `l`/`r` per column."""
    rules = ["---:" if a == "r" else "---" for a in align.ljust(len(header), "l")]
    lines = [_row(header), _row(rules)]
    lines.extend(_row(row) for row in rows)
    return lines


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell if cell else " " for cell in cells) + " |"


class _Renderer:
    """Lookups that every section needs, computed once from the report (not from findings)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.paths = {s.id: s.path for s in report.sources}
        # Every source, then any that only findings name: a dict keeps the order.
        columns = dict.fromkeys(self.paths)
        for finding in report.findings:
            columns.update(dict.fromkeys(finding.sources))
        self.columns = list(columns)
        self.short = _short_names(self.columns)
        # Values that recur by the thousand in a big report (displays, kinds, labels, source
        # names) are escaped once each; quotes, nearly all distinct, are escaped as they come.
        self.text = _memoised(text)
        self.bold = _memoised(bold)
        # Per source, its path when `code` would only wrap `path:line` in single backticks.
        self._plain_paths: dict[str, str | None] = {}

    def where(self, claim: FindingClaim, *, in_table: bool = True) -> str:
        """`path:line`, the one thing an editor needs to check a quote."""
        if claim.source not in self._plain_paths:
            full = self.paths.get(claim.source, claim.source)
            plain = _UNPLAIN.search(full) is None and not full.startswith(" ")
            self._plain_paths[claim.source] = (
                full if plain and "|" not in full and "`" not in full else None
            )
        path = self._plain_paths[claim.source]
        if path is not None:
            return f"`{path}:{claim.line}`"
        return code(f"{self.paths.get(claim.source, claim.source)}:{claim.line}", in_table=in_table)

    def pieces(self) -> Iterator[str]:
        """The report, a section at a time: every line ends in a newline, and the blank lines
        after the last line with text are left out."""
        head = [
            "# claimcheck report",
            "",
            f"{text(self.report.tool)} {text(self.report.version)} · "
            f"report schema {text(self.report.schema_version)}",
            "",
        ]
        blanks = 0  # blank lines held back until a line with text follows them
        for section in (
            head.copy,
            self.summary,
            self.sources,
            self.conflicts,
            self.matrix,
            self.agreements,
            self.single_source,
        ):
            lines = section()
            if not any(lines):
                blanks += len(lines)
                continue
            trailing = len(lines)
            while lines[trailing - 1] == "":
                trailing -= 1
            yield "\n" * blanks + "\n".join(lines[:trailing]) + "\n"
            blanks = len(lines) - trailing

    # ----------------------------------------------------------------------- sections

    def summary(self) -> list[str]:
        s = self.report.summary
        counts = [s.sources, s.claims, s.findings, s.conflicts, s.agreements, s.single_source]
        header = ["Sources", "Claims", "Findings", "Conflicts", "Agreements", "Single-source"]
        if self.report.skipped:
            header.append("Skipped files")
            counts.append(len(self.report.skipped))
        known = [sev.value for sev in sorted(Severity, key=lambda sev: -sev.rank)]
        keys = [k for k in known if k in s.by_severity]
        keys += [k for k in s.by_severity if k not in known]
        severity_rows = [[text(k), str(s.by_severity[k])] for k in keys]
        lines = ["## Summary", ""]
        lines += table(header, [[str(c) for c in counts]], "r" * len(header))
        lines.append("")
        if severity_rows:
            lines += table(["Severity", "Count"], severity_rows, "lr")
            lines.append("")
        return lines

    def sources(self) -> list[str]:
        rows = []
        for source in self.report.sources:
            published = source.published.isoformat() if source.published else "unknown"
            rows.append(
                [
                    text(self.short[source.id]),
                    code(source.id, in_table=True),
                    code(source.path, in_table=True),
                    published,
                    text(source.published_from) if source.published_from else EMPTY_CELL,
                    text(source.outlet) if source.outlet else EMPTY_CELL,
                ]
            )
        lines = ["## Sources", ""]
        if rows:
            header = ["Column", "Source", "Path", "Published", "Date from", "Outlet"]
            lines += table(header, rows)
        else:
            lines.append("No sources were read.")
        lines.append("")
        if self.report.skipped:
            lines += ["### Skipped files", ""]
            skipped = [[code(n.path, in_table=True), text(n.reason)] for n in self.report.skipped]
            lines += table(["Path", "Reason"], skipped)
            lines.append("")
        return lines

    def conflicts(self) -> list[str]:
        findings = self._with_status(Status.CONFLICT)
        lines = [f"## Conflicts ({len(findings)})", ""]
        if not findings:
            return [*lines, "No conflicts found.", ""]
        for finding in findings:
            lines += [
                f"### {finding.severity.value.upper()} · {self.text(finding.kind)} · "
                f"{self.text(finding.subject_label)} · {code(finding.id, in_table=False)}",
                "",
                f"Rule {code(finding.rule, in_table=False)} · sources: "
                + ", ".join(self._source_name(s) for s in finding.sources),
                "",
                f"**Message:** {text(finding.message)}",
                "",
            ]
            if finding.detail:
                lines += [f"**Detail:** {text(finding.detail)}", ""]
            rows = []
            for claim in finding.claims:
                other = claim.group > 1
                rows.append(
                    [
                        f"**{claim.group}**" if other else str(claim.group),
                        self._source_name(claim.source),
                        self.where(claim),
                        _quote(claim.quote),
                        self.bold(claim.display) if other else self.text(claim.display),
                    ]
                )
            lines += table(["Camp", "Source", "Line", "Quote", "Value"], rows, "rll")
            lines.append("")
        return lines

    def matrix(self) -> list[str]:
        findings = [f for f in self.report.findings if len(f.sources) >= 2]
        lines = ["## Fact × source matrix", ""]
        if not findings:
            return [*lines, "No fact is reported by two or more sources.", ""]
        lines += [
            f"{EMPTY_CELL} = source does not state this fact; **bold (n)** = value in camp n, "
            "which disagrees with camp 1.",
            "",
        ]
        if len(self.columns) > MATRIX_MAX_SOURCES:
            return [
                *lines[:2],
                f"Not drawn for {len(self.columns):,} sources (at most {MATRIX_MAX_SOURCES} "
                "columns stay readable); the JSON report holds every claim.",
                "",
            ]
        rows = []
        for finding in findings:
            by_source: dict[str, list[FindingClaim]] = {}
            for claim in finding.claims:
                by_source.setdefault(claim.source, []).append(claim)
            cells = [
                self._matrix_cell(finding, by_source.get(source, [])) for source in self.columns
            ]
            status = finding.status.value.replace("_", "-")
            rows.append(
                [
                    code(finding.id, in_table=True),
                    f"{self.text(finding.kind)}: {self.text(finding.subject_label)}",
                    f"**{status}**" if finding.status is Status.CONFLICT else status,
                    *cells,
                ]
            )
        header = ["Finding", "Fact", "Status", *(text(self.short[c]) for c in self.columns)]
        lines += table(header, rows)
        lines.append("")
        return lines

    def agreements(self) -> list[str]:
        findings = self._with_status(Status.AGREE)
        lines = [f"## Agreements ({len(findings)})", ""]
        if not findings:
            return [*lines, "No agreements found.", ""]
        for finding in findings:
            values = " / ".join(self.text(d) for d in _distinct(c.display for c in finding.claims))
            where = ", ".join(
                f"{self._source_name(c.source)} {self.where(c, in_table=False)}"
                for c in finding.claims
            )
            lines.append(
                f"- {code(finding.id, in_table=False)} · {self.text(finding.kind)} · "
                f"{self.text(finding.subject_label)}: **{values}** — {where}"
            )
        lines.append("")
        return lines

    def single_source(self) -> list[str]:
        findings = self._with_status(Status.SINGLE_SOURCE)
        lines = [f"## Single-source claims ({len(findings)})", ""]
        if not findings:
            return [*lines, "No single-source claims.", ""]
        rows = [
            [
                code(finding.id, in_table=True),
                self.text(finding.kind),
                self.text(finding.subject_label),
                self.where(claim),
                self.text(claim.display),
                _quote(claim.quote),
            ]
            for finding in findings
            for claim in finding.claims
        ]
        lines += table(["Finding", "Kind", "Subject", "Source", "Value", "Quote"], rows)
        lines.append("")
        return lines

    # ----------------------------------------------------------------------- helpers

    def _with_status(self, status: Status) -> list[Finding]:
        return [f for f in self.report.findings if f.status is status]

    def _source_name(self, source: str) -> str:
        return self.text(self.short.get(source, source))

    def _matrix_cell(self, finding: Finding, claims: Sequence[FindingClaim]) -> str:
        """What one source says of one fact: its values, a dissenting camp's in bold."""
        cells = []
        seen = set()
        for claim in claims:
            if (claim.group, claim.display) in seen:
                continue
            seen.add((claim.group, claim.display))
            if finding.status is Status.CONFLICT and claim.group > 1:
                cells.append(f"{self.bold(claim.display)} ({claim.group})")
            else:
                cells.append(self.text(claim.display))
        return "; ".join(cells) if cells else EMPTY_CELL


def _memoised(escape: Callable[[str], str]) -> Callable[[str], str]:
    """`escape`, worked out once per distinct value."""
    known: dict[str, str] = {}

    def escaped(value: str) -> str:
        done = known.get(value)
        if done is None:
            done = known[value] = escape(value)
        return done

    return escaped


def _short_names(ids: Sequence[str]) -> dict[str, str]:
    """`000_6e4f….txt` → `000`, unless two sources would then share a name."""
    short = {i: i.split("_", 1)[0] or i for i in ids}
    taken: dict[str, int] = {}
    for name in short.values():
        taken[name] = taken.get(name, 0) + 1
    return {i: name if taken[name] == 1 else i for i, name in short.items()}


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _quote(quote: str) -> str:
    return f"“{text(quote)}”"


def render(report: Report) -> str:
    """The whole report as GitHub-flavoured Markdown, `\\n` line endings, trailing newline."""
    return "".join(_Renderer(report).pieces())


def write(report: Report, handle: BinaryIO) -> None:
    """`render(report)` as UTF-8, written a section at a time: the report of a big run is
    never held whole in memory, as text and again as bytes."""
    for piece in _Renderer(report).pieces():
        handle.write(piece.encode("utf-8"))
