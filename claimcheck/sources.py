"""Finding and reading articles, and working out when each was published."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from claimcheck.errors import SourceError, UserError
from claimcheck.models import Source, SourceNote
from claimcheck.text import mask_comments

ARTICLE_SUFFIXES = (".txt", ".md")
MANIFEST_NAMES = ("sources.yaml", "sources.yml")
_HEADER_CHARS = 600  # a dateline lives at the top of an article

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "Jan 15th 2022", "January 10, 2022", "10 January 2022", "01/14/22", "2022-01-14".
_DATELINE_PATTERNS = (
    re.compile(
        rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_RE})\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)(?!\d)"),
    re.compile(r"(?<![\d/])(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"),
)


@dataclass(frozen=True)
class ManifestEntry:
    outlet: str | None
    url: str | None
    published: dt.date | None


@dataclass(frozen=True)
class LoadedSources:
    sources: tuple[Source, ...]
    skipped: tuple[SourceNote, ...]


def load_sources(
    paths: Sequence[Path], cwd: Path | None = None, manifest: Path | None = None
) -> LoadedSources:
    """Read every article under `paths` in a stable order; unreadable files are an error.

    `manifest` names one sources.yaml for every folder (from the config); otherwise each
    folder's own sources.yaml is read.
    """
    cwd = cwd or Path.cwd()
    shared = read_manifest_file(manifest) if manifest is not None else None
    found: list[tuple[str, Path]] = []
    skipped: list[SourceNote] = []
    for root in paths:
        if not root.exists():
            raise UserError(f"{root}: no such file or folder")
        if root.is_file():
            found.append((root.name, root))
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if name.startswith(".") or name in MANIFEST_NAMES:
                    continue
                if path.suffix.lower() in ARTICLE_SUFFIXES:
                    found.append((rel, path))
                else:
                    skipped.append(
                        SourceNote(path=_display_path(path, cwd), reason="not .txt or .md")
                    )
    if not found:
        where = ", ".join(str(p) for p in paths)
        raise UserError(f"{where}: no .txt or .md articles found")
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    sources = []
    seen: set[str] = set()
    for source_id, path in sorted(found, key=lambda item: (item[0], str(item[1]))):
        if source_id in seen:
            raise UserError(f"{path}: two articles share the id '{source_id}'")
        seen.add(source_id)
        text = read_article(path)
        entries = shared if shared is not None else manifests.get(path.parent)
        if entries is None:
            entries = manifests[path.parent] = read_manifest(path.parent)
        entry = entries.get(source_id) or entries.get(path.name)
        sources.append(_make_source(source_id, path, text, entry, cwd))
    return LoadedSources(tuple(sources), tuple(sorted(skipped, key=lambda n: n.path)))


def read_article(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise SourceError(f"{path}: file is empty")
    if b"\x00" in raw[:8192]:
        raise SourceError(f"{path}: binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    return text.removeprefix("\ufeff")


def read_manifest(folder: Path) -> dict[str, ManifestEntry]:
    for name in MANIFEST_NAMES:
        path = folder / name
        if path.is_file():
            return read_manifest_file(path)
    return {}


def read_manifest_file(path: Path) -> dict[str, ManifestEntry]:
    """file name -> outlet, url, published; errors name the manifest (and line for YAML)."""
    if not path.is_file():
        raise SourceError(f"{path}: manifest not found")
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read manifest ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(f"{path}{where}: malformed YAML in manifest") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(f"{path}: manifest must map file names to outlet/published/url")
    entries = {}
    for file_name, meta in data.items():
        if not isinstance(meta, dict):
            raise SourceError(f"{path}: entry '{file_name}' must be a mapping")
        unknown = set(meta) - {"outlet", "published", "url"}
        if unknown:
            raise SourceError(f"{path}: entry '{file_name}': unknown field '{sorted(unknown)[0]}'")
        published = meta.get("published")
        if published is not None and not isinstance(published, dt.date):
            try:
                published = dt.date.fromisoformat(str(published))
            except ValueError:
                raise SourceError(
                    f"{path}: entry '{file_name}': field 'published' is not an ISO date"
                ) from None
        entries[str(file_name)] = ManifestEntry(
            outlet=_str_or_none(meta.get("outlet")),
            url=_str_or_none(meta.get("url")),
            published=published,
        )
    return entries


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _make_source(
    source_id: str, path: Path, text: str, entry: ManifestEntry | None, cwd: Path
) -> Source:
    published: dt.date | None = None
    published_from = None
    if entry is not None and entry.published is not None:
        published, published_from = entry.published, "manifest"
    if published is None and path.suffix.lower() == ".md":
        published = front_matter_date(text)
        published_from = "front_matter" if published else None
    if published is None:
        published = dateline_date(text)
        published_from = "text" if published else None
    return Source(
        id=source_id,
        path=_display_path(path, cwd),
        text=text,
        published=published,
        published_from=published_from,
        outlet=entry.outlet if entry else None,
        url=entry.url if entry else None,
    )


def _display_path(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return PurePosixPath(*path.parts).as_posix() if not path.is_absolute() else path.as_posix()


def front_matter_date(text: str) -> dt.date | None:
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict):
        return None
    for key in ("published", "date"):
        value = meta.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            found = dateline_date(value)
            if found:
                return found
    return None


def dateline_date(text: str) -> dt.date | None:
    """The first full date (with year) near the top of the article: its dateline or header."""
    head = mask_comments(text[: _HEADER_CHARS * 4])[:_HEADER_CHARS]
    best: tuple[int, dt.date] | None = None
    for pattern in _DATELINE_PATTERNS:
        for match in pattern.finditer(head):
            parsed = _date_from_match(match)
            if parsed is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), parsed)
                break
    return best[1] if best else None


def _date_from_match(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    month = _MONTHS.get(groups["month"].lower()) if groups.get("month") else None
    if month is None and groups.get("mnum"):
        month = int(groups["mnum"])
    year = int(groups["year"])
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month or 0, int(groups["day"]))
    except (ValueError, TypeError):
        return None
