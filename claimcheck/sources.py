"""Finding and reading articles, and working out when each was published."""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import os
import re
import stat
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from claimcheck.errors import SourceError, UserError
from claimcheck.models import Source, SourceNote
from claimcheck.text import mask_comments
from claimcheck.yamlio import parse_yaml

ARTICLE_SUFFIXES = (".txt", ".md")
MANIFEST_NAMES = ("sources.yaml", "sources.yml")
_HEADER_CHARS = 600  # a dateline lives at the top of an article
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # far beyond any article; guards memory in CI

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
    """What was read: articles, files left out (`kind` tells why) and guessed encodings."""

    sources: tuple[Source, ...]
    skipped: tuple[SourceNote, ...]
    warnings: tuple[SourceNote, ...] = ()


class UnreadableArticle(SourceError):
    """An article that cannot be read: `reason` is the note's text, the message adds the path."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{printable(path)}: {reason}")


@dataclass(frozen=True)
class ArticleText:
    """Decoded text (what every span offset refers to) and, when the encoding was a guess, why."""

    text: str
    encoding: str
    warning: str | None = None


@dataclass(frozen=True)
class _Candidate:
    """An article found but not yet read. `path` is a plain string: 20,000 Path objects cost
    more than the whole walk. `folder` is the resolved folder a symlinked file must stay in
    (None for a file named on the command line)."""

    source_id: str
    path: str
    display: str
    folder: Path | None


def load_sources(
    paths: Sequence[Path],
    cwd: Path | None = None,
    manifest: Path | None = None,
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadedSources:
    """Read every article under `paths` in a stable order.

    An article that cannot be read (binary, empty, too large, vanished, a symlink out of the
    folder, ...) is skipped with a note so one bad file does not hide the others; with `strict`
    the first one raises. A guessed encoding is a warning, never an error, even with `strict`.
    `SourceError` when nothing at all could be read. `manifest` names one sources.yaml for
    every folder (from the config); otherwise each folder's own is read.
    """
    cwd = cwd or Path.cwd()
    cwd_abs = cwd.resolve()
    shared = read_manifest_file(manifest) if manifest is not None else None
    found: list[_Candidate] = []
    notes: list[SourceNote] = []
    for root in paths:
        if not root.exists():
            raise UserError(f"{printable(str(root))}: no such file or folder")
        if not root.is_dir():
            display = valid_text(_display_path(root, cwd))
            found.append(_Candidate(valid_text(root.name), os.fspath(root), display, None))
        else:
            _walk(root, cwd_abs, found, notes, strict)
    unreadable = [n for n in notes if n.kind == "unreadable"]
    if not found and not unreadable:
        where = ", ".join(printable(str(p)) for p in paths)
        raise UserError(f"{where}: no .txt or .md articles found")
    manifests: dict[str, dict[str, ManifestEntry]] = {}
    sources: list[Source] = []
    warnings: list[SourceNote] = []
    seen: set[str] = set()
    for found_file in sorted(found, key=lambda c: (c.source_id, c.path)):
        if found_file.source_id in seen:
            raise UserError(
                f"{printable(valid_text(found_file.path))}: two articles share the id "
                f"'{printable(found_file.source_id)}'"
            )
        seen.add(found_file.source_id)
        try:
            article = _read_candidate(found_file, max_bytes)
        except UnreadableArticle as exc:
            if strict:
                raise
            note = SourceNote(path=found_file.display, reason=exc.reason, kind="unreadable")
            notes.append(note)
            unreadable.append(note)
            continue
        if article.warning is not None:
            warnings.append(
                SourceNote(path=found_file.display, reason=article.warning, kind="decoded")
            )
        folder, name = os.path.split(found_file.path)
        entries = shared if shared is not None else manifests.get(folder)
        if entries is None:
            entries = manifests[folder] = read_manifest(Path(folder))
        entry = entries.get(found_file.source_id) or entries.get(name)
        sources.append(_make_source(found_file.source_id, found_file, article.text, entry))
    if not sources:
        raise SourceError(_nothing_readable(paths, unreadable))
    return LoadedSources(
        tuple(_with_story_years(sources)),
        tuple(sorted(notes, key=lambda n: n.path)),
        tuple(warnings),
    )


def _with_story_years(sources: list[Source]) -> list[Source]:
    """Articles given the year their folder's dated ones were published in (the median, the
    lower of two middles): a folder is one story, and 'In October 2018, a Lion Air jet
    crashed, killing all 189 people' in an undated report of a 2021 crash is another event's
    toll, while a piece written in 2021 on the 1986 summit dates the story's own events."""
    folders = [os.path.dirname(source.path) for source in sources]
    years: dict[str, list[int]] = {}
    for folder, source in zip(folders, sources, strict=True):
        if source.published is not None:
            years.setdefault(folder, []).append(source.published.year)
    story = {folder: statistics.median_low(found) for folder, found in years.items()}
    return [
        source.model_copy(update={"story_year": story[folder]}) if folder in story else source
        for folder, source in zip(folders, sources, strict=True)
    ]


def _walk(
    root: Path, cwd_abs: Path, found: list[_Candidate], notes: list[SourceNote], strict: bool
) -> None:
    """List one folder tree without following symlinked folders; linear in the number of files."""
    root_abs = root.resolve()
    try:
        prefix = root_abs.relative_to(cwd_abs).as_posix()
    except ValueError:
        prefix = root.as_posix()
    prefix = "" if prefix == "." else valid_text(prefix.rstrip("/")) + "/"
    root_str = os.fspath(root)

    def on_error(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename, root_str) if exc.filename else "."
        display = (prefix + ("" if rel == "." else valid_text(_posix(rel)))).rstrip("/") or "."
        reason = f"cannot read folder: {exc.strerror or exc}"
        if strict:
            raise UnreadableArticle(display, reason)
        notes.append(SourceNote(path=display, reason=reason, kind="unreadable"))

    for dirpath, dirnames, filenames in os.walk(root_str, followlinks=False, onerror=on_error):
        rel_dir = valid_text(_posix(os.path.relpath(dirpath, root_str)))
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(dirpath, name)):
                notes.append(
                    SourceNote(
                        path=prefix + rel_dir + valid_text(name),
                        reason="symlinked folder, not followed",
                    )
                )
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if name.startswith(".") or name in MANIFEST_NAMES:
                continue
            rel = rel_dir + valid_text(name)
            if os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES:
                path = os.path.join(dirpath, name)
                found.append(_Candidate(rel, path, prefix + rel, root_abs))
            else:
                notes.append(SourceNote(path=prefix + rel, reason="not .txt or .md"))


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _nothing_readable(paths: Sequence[Path], unreadable: Sequence[SourceNote]) -> str:
    """One line saying why nothing was read: the first few reasons, then how many more."""
    where = ", ".join(printable(str(p)) for p in paths)
    shown = "; ".join(f"{printable(n.path)}: {n.reason}" for n in unreadable[:3])
    more = f"; and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
    return f"{where}: no readable articles: {len(unreadable)} skipped ({shown}{more})"


def _read_candidate(found: _Candidate, max_bytes: int) -> ArticleText:
    """A symlinked article is read only if it resolves inside the folder it was found in."""
    target: str | Path = found.path
    if found.folder is not None and os.path.islink(found.path):
        try:
            target = Path(found.path).resolve(strict=True)
        except FileNotFoundError:
            raise UnreadableArticle(found.display, "broken symlink") from None
        except RuntimeError:  # Python < 3.13 reports a loop this way
            raise UnreadableArticle(found.display, "symlink loop") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnreadableArticle(found.display, "symlink loop") from None
            raise UnreadableArticle(found.display, _os_reason(exc)) from None
        if not target.is_relative_to(found.folder):
            raise UnreadableArticle(found.display, "symlink points outside the folder")
    return read_article_text(target, max_bytes, display=found.display)


def read_article(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of one article; `UnreadableArticle` (a `SourceError`) says why not."""
    return read_article_text(path, max_bytes).text


def read_article_text(
    path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES, display: str | None = None
) -> ArticleText:
    """Read at most `max_bytes` without blocking on a pipe or loading a huge file into memory."""
    name = display if display is not None else valid_text(os.fspath(path))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableArticle(name, _os_reason(exc)) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableArticle(name, "not a regular file")
            if info.st_size > max_bytes:
                reason = f"file too large: {_size(info.st_size)}, limit {_size(max_bytes)}"
                raise UnreadableArticle(name, reason)
            raw = _read_bounded(handle, info.st_size, max_bytes)
    except OSError as exc:
        raise UnreadableArticle(name, _os_reason(exc)) from None
    if raw is None:
        reason = f"file too large: grew past the limit of {_size(max_bytes)} while being read"
        raise UnreadableArticle(name, reason)
    try:
        return decode_article(raw)
    except ValueError as exc:
        raise UnreadableArticle(name, str(exc)) from None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def _os_reason(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"


def _read_bounded(handle: BinaryIO, size: int, max_bytes: int) -> bytes | None:
    """The whole file, or None once it passes `max_bytes` (it may grow after the stat)."""
    chunks = [handle.read(size + 1)]
    total = len(chunks[0])
    while total > size and total <= max_bytes:  # larger than the stat said: read on in steps
        chunk = handle.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks) if total <= max_bytes else None


_CHUNK = 1024 * 1024


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB ({n:,} bytes)"
    return f"{n:,} bytes"


# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE"),
)
# Windows-1252 leaves these five bytes undefined; Latin-1 maps them to C1 controls.
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_LEGACY = {
    b: bytes([b]).decode("latin-1" if b in _CP1252_UNDEFINED else "cp1252") for b in range(256)
}
# `surrogateescape` turns each byte that is not valid UTF-8 into U+DC80..U+DCFF.
_ESCAPED_TO_LEGACY = {0xDC00 + b: _LEGACY[b] for b in range(0x80, 0x100)}
_UNDEFINED_ESCAPED = tuple(chr(0xDC00 + b) for b in sorted(_CP1252_UNDEFINED))
# Controls other than whitespace, C1 controls, U+FFFD and private use: not what articles hold.
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_NON_TEXT_SHARE = 0.05


def decode_article(raw: bytes) -> ArticleText:
    """Bytes to article text; `ValueError` with the reason when it is not text.

    A UTF-8/16/32 byte-order mark is honoured and stripped. Without one the text is UTF-8, and
    each byte that is not part of a valid UTF-8 sequence is taken as Windows-1252 (Latin-1 for
    the five bytes it leaves undefined), with a warning. For a legacy file with no valid
    multi-byte sequence that is exactly decoding it as Windows-1252; for a UTF-8 file with a
    few stray bytes it keeps every valid character rather than turning them into mojibake.
    """
    if not raw.strip():
        raise ValueError("empty file")
    warning = None
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
            encoding = label
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                text = body.decode(codec, "replace")
                warning = (
                    f"invalid {label} at byte {exc.start + len(bom)}: "
                    "undecodable data replaced by U+FFFD"
                )
            break
    else:
        body = raw.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in body:
            raise ValueError("binary file (contains NUL bytes)")
        text, encoding, warning = _utf8_or_legacy(body, len(raw) - len(body))
    if not text.strip():
        raise ValueError("empty file")
    if _mostly_non_text(text):
        raise ValueError("binary file (mostly control characters)")
    return ArticleText(text, encoding, warning)


def _utf8_or_legacy(raw: bytes, offset: int) -> tuple[str, str, str | None]:
    """Text, encoding name, warning; `offset` is where `raw` starts in the file (after a BOM)."""
    try:
        return raw.decode("utf-8"), "UTF-8", None
    except UnicodeDecodeError as exc:
        first = exc.start
    escaped = raw.decode("utf-8", "surrogateescape")
    # Bytes lost when the escapes are dropped = bytes that were not valid UTF-8.
    invalid = len(raw) - len(escaped.encode("utf-8", "ignore"))
    non_ascii = len(escaped) - len(escaped.encode("ascii", "ignore"))
    legacy = "Windows-1252"
    if any(ch in escaped for ch in _UNDEFINED_ESCAPED):
        legacy += " (Latin-1 for bytes it leaves undefined)"
    text = escaped.translate(_ESCAPED_TO_LEGACY)
    where = f"byte 0x{raw[first]:02x} at offset {offset + first}"
    if non_ascii > invalid:  # some valid multi-byte UTF-8 too: a UTF-8 file with stray bytes
        plural = "s" if invalid != 1 else ""
        warning = (
            f"{invalid} byte{plural} not valid UTF-8 (first: {where}); decoded those as {legacy}"
        )
        return text, f"UTF-8+{legacy.split()[0]}", warning
    return text, legacy.split()[0], f"not UTF-8 (first: {where}); decoded as {legacy}"


def _mostly_non_text(text: str) -> bool:
    """More than 5% control or replacement characters: binary data that happened to decode.

    One such character is always allowed (a DOS end-of-file mark in a short file)."""
    allowed = max(1, int(len(text) * _NON_TEXT_SHARE))
    found = sum(1 for _ in islice(_NON_TEXT.finditer(text), allowed + 1))  # stop early
    return found > allowed


def printable(value: str) -> str:
    """A path or id for a one-line message: control characters (a newline in a file name)
    are escaped so they cannot break or forge lines."""
    if _CONTROL.search(value) is None:
        return value
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_text(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) become `\\xNN`, so ids can be hashed, printed and written as JSON."""
    if _SURROGATE.search(name) is None:
        return name
    return _SURROGATE.sub(_escape_surrogate, name)


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


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
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read manifest ({exc})") from None
    _, data = parse_yaml(text, str(path), SourceError)
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
    source_id: str, found: _Candidate, text: str, entry: ManifestEntry | None
) -> Source:
    published: dt.date | None = None
    published_from = None
    if entry is not None and entry.published is not None:
        published, published_from = entry.published, "manifest"
    if published is None and os.path.splitext(found.path)[1].lower() == ".md":
        published = front_matter_date(text)
        published_from = "front_matter" if published else None
    if published is None:
        published = dateline_date(text)
        published_from = "text" if published else None
    return Source(
        id=source_id,
        path=found.display,
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
        _, meta = parse_yaml(text[3:end], "front matter", SourceError)
    except SourceError:
        return None  # not front matter after all: the text's dateline may still date it
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
