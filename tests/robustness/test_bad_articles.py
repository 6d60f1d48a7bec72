"""Bad articles: each is skipped (or read with a warning) on one clear line, the run goes on.

Real files in tmp_path throughout; the end-to-end checks run `python -m claimcheck` in a child
process, as CI does. Exit 2 only when nothing could be read, or with strict mode.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from claimcheck import sources as sources_module
from claimcheck.errors import SourceError, UserError
from claimcheck.models import SourceNote
from claimcheck.pipeline import run
from claimcheck.sources import DEFAULT_MAX_BYTES, LoadedSources, load_sources

GOOD_A = "Jan 10th 2022\nDiplomats met in Geneva. Some 100,000 troops massed near the border.\n"
GOOD_B = "Jan 11th 2022\nTalks went on in Geneva while 100,000 troops waited at the border.\n"
LEGACY_TEXT = "Jan 12th 2022\n“Genève” – some 100,000 troops, said the café owner.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def good_folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    write(root / "a.txt", GOOD_A)
    write(root / "b.txt", GOOD_B)
    return root


def unreadable(loaded: LoadedSources) -> dict[str, str]:
    return {n.path: n.reason for n in loaded.skipped if n.kind == "unreadable"}


def only_note(loaded: LoadedSources) -> SourceNote:
    (note,) = [n for n in loaded.skipped if n.kind == "unreadable"]
    return note


def symlink(link: Path, target: str | Path) -> None:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError) as exc:
        pytest.skip(f"symlinks not available here: {exc}")


# --------------------------------------------------------------------------- binary and empty


@pytest.mark.parametrize(
    "content",
    [
        b"GENEVA \x00\x01\x02 100,000 troops\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(1, 9)) * 50 + b"some words",
        random.Random(0).randbytes(4000).replace(b"\x00", b"\x01"),
    ],
    ids=["nul-bytes", "png-named-txt", "control-characters", "random-bytes-without-nul"],
)
def test_binary_file_is_skipped(tmp_path: Path, content: bytes) -> None:
    root = good_folder(tmp_path)
    write(root / "photo.txt", content)
    loaded = load_sources([root], cwd=tmp_path)
    assert [s.id for s in loaded.sources] == ["a.txt", "b.txt"]
    note = only_note(loaded)
    assert note.path == "articles/photo.txt"
    assert note.reason.startswith("binary file"), note.reason


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\t\r\n ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", " \n\u3000\n".encode("utf-16")],
    ids=["zero-bytes", "whitespace", "utf8-bom-only", "utf8-bom-whitespace", "utf16-whitespace"],
)
def test_empty_file_is_skipped(tmp_path: Path, content: bytes) -> None:
    root = good_folder(tmp_path)
    write(root / "empty.md", content)
    note = only_note(load_sources([root], cwd=tmp_path))
    assert (note.path, note.reason) == ("articles/empty.md", "empty file")


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_honoured_and_stripped(tmp_path: Path, codec: str) -> None:
    text = LEGACY_TEXT
    raw = text.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):  # these codecs write no BOM: add the right one
        raw = "\ufeff".encode(codec) + raw
    root = good_folder(tmp_path)
    write(root / "c.txt", raw)
    loaded = load_sources([root], cwd=tmp_path)
    source = next(s for s in loaded.sources if s.id == "c.txt")
    assert source.text == text
    assert source.published is not None and source.published.day == 12
    assert loaded.warnings == () and unreadable(loaded) == {}


def test_offsets_in_a_utf16_article_point_into_the_decoded_text(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "c.txt", LEGACY_TEXT.encode("utf-16"))
    write(root / "d.txt", LEGACY_TEXT.encode("cp1252"))
    report = run([root])
    texts = {s.id: s.text for s in load_sources([root]).sources}
    claims = [c for f in report.findings for c in f.claims]
    assert {"c.txt", "d.txt"} <= {c.source for c in claims}
    for claim in claims:
        assert texts[claim.source][claim.start : claim.end] == claim.quote


def test_windows_1252_is_decoded_with_a_warning_naming_file_and_encoding(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "legacy.txt", LEGACY_TEXT.encode("cp1252"))
    loaded = load_sources([root], cwd=tmp_path)
    source = next(s for s in loaded.sources if s.id == "legacy.txt")
    assert source.text == LEGACY_TEXT
    (warning,) = loaded.warnings
    assert warning.path == "articles/legacy.txt"
    assert "not UTF-8" in warning.reason and "Windows-1252" in warning.reason
    assert "Latin-1" not in warning.reason
    assert unreadable(loaded) == {}


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "legacy.txt", b"Jan 12th 2022\nCaf\xe9 \x81 100,000 troops.\n")
    loaded = load_sources([root], cwd=tmp_path)
    source = next(s for s in loaded.sources if s.id == "legacy.txt")
    assert source.text == "Jan 12th 2022\nCafé \x81 100,000 troops.\n"
    (warning,) = loaded.warnings
    assert "Windows-1252" in warning.reason and "Latin-1" in warning.reason


def test_stray_bytes_in_a_utf8_article_keep_the_valid_characters(tmp_path: Path) -> None:
    """Decided: valid UTF-8 stays as it is; only the invalid bytes are read as Windows-1252."""
    root = good_folder(tmp_path)
    head = "Jan 12th 2022\nGenève’s mayor said ".encode()
    write(root / "mixed.txt", head + b"\x93100,000 troops\x94.\n")
    loaded = load_sources([root], cwd=tmp_path)
    source = next(s for s in loaded.sources if s.id == "mixed.txt")
    assert source.text == "Jan 12th 2022\nGenève’s mayor said “100,000 troops”.\n"
    (warning,) = loaded.warnings
    assert warning.path == "articles/mixed.txt"
    assert "2 bytes not valid UTF-8" in warning.reason
    assert f"offset {len(head)}" in warning.reason and "Windows-1252" in warning.reason


# --------------------------------------------------------------------------- size


def test_file_over_the_limit_is_skipped_naming_size_and_limit(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "big.txt", "x" * 150)
    write(root / "edge.txt", "y" * 100)
    loaded = load_sources([root], cwd=tmp_path, max_bytes=100)
    reason = unreadable(loaded)["articles/big.txt"]
    assert "too large" in reason and "150 bytes" in reason and "limit 100 bytes" in reason
    assert "articles/edge.txt" not in unreadable(loaded), "exactly the limit is fine"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    with (root / "huge.txt").open("wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no disk space, but stat says 50 MB
    tracemalloc.start()
    try:
        loaded = load_sources([root], cwd=tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    reason = unreadable(loaded)["articles/huge.txt"]
    assert f"{DEFAULT_MAX_BYTES + 1:,} bytes" in reason and "limit 50.0 MB" in reason
    assert peak < 5 * 1024 * 1024, f"{peak:,} bytes allocated: the file was read"


@pytest.mark.parametrize(("max_bytes", "readable"), [(200, False), (1000, True)])
def test_file_that_grows_after_the_stat_is_still_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_bytes: int, readable: bool
) -> None:
    root = good_folder(tmp_path)
    body = "Jan 12th 2022\n" + "word " * 60  # 314 bytes
    growing = write(root / "growing.txt", body)
    real_fstat = os.fstat
    growing_ino = growing.stat().st_ino

    def fstat_before_growth(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        if info.st_ino != growing_ino:
            return info
        return os.stat_result((*info[:6], 10, *info[7:10]))  # "10 bytes" when listed

    monkeypatch.setattr(os, "fstat", fstat_before_growth)  # what sources.py calls
    loaded = load_sources([root], cwd=tmp_path, max_bytes=max_bytes)
    if readable:
        assert next(s for s in loaded.sources if s.id == "growing.txt").text == body
    else:
        assert "grew past the limit of 200 bytes" in unreadable(loaded)["articles/growing.txt"]


# --------------------------------------------------------------------------- races, permissions


def test_file_that_vanishes_after_listing_is_skipped_with_the_os_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = good_folder(tmp_path)
    gone = write(root / "gone.txt", GOOD_A)
    real_walk = sources_module._walk

    def walk_then_delete(*args: Any) -> None:
        real_walk(*args)
        gone.unlink()

    monkeypatch.setattr(sources_module, "_walk", walk_then_delete)
    loaded = load_sources([root], cwd=tmp_path)
    assert unreadable(loaded) == {"articles/gone.txt": "cannot read: No such file or directory"}
    assert [s.id for s in loaded.sources] == ["a.txt", "b.txt"]


needs_permissions = pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="file permissions are not enforced here (Windows or root)",
)


@needs_permissions
def test_file_without_read_permission_is_skipped(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    locked = write(root / "locked.txt", GOOD_A)
    locked.chmod(0)
    try:
        loaded = load_sources([root], cwd=tmp_path)
    finally:
        locked.chmod(0o644)
    assert unreadable(loaded) == {"articles/locked.txt": "cannot read: Permission denied"}


@needs_permissions
def test_folder_without_read_permission_is_noted(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    locked = root / "locked"
    write(locked / "c.txt", GOOD_A)
    locked.chmod(0)
    try:
        loaded = load_sources([root], cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert unreadable(loaded) == {"articles/locked": "cannot read folder: Permission denied"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_skipped_without_blocking(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    os.mkfifo(root / "pipe.txt")
    assert unreadable(load_sources([root], cwd=tmp_path)) == {
        "articles/pipe.txt": "not a regular file"
    }


# --------------------------------------------------------------------------- symlinks


def test_symlinks(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(tmp_path / "outside.txt", GOOD_B)
    write(tmp_path / "elsewhere" / "c.txt", GOOD_B)
    symlink(root / "link_in.txt", "a.txt")
    symlink(root / "link_out.txt", tmp_path / "outside.txt")
    symlink(root / "broken.txt", "no-such-file.txt")
    symlink(root / "loop.txt", "loop.txt")
    symlink(root / "linked_folder", tmp_path / "elsewhere")
    (root / "sub").mkdir()
    symlink(root / "sub" / "up", "..")  # a folder loop: never walked into
    loaded = load_sources([root], cwd=tmp_path)
    assert [s.id for s in loaded.sources] == ["a.txt", "b.txt", "link_in.txt"]
    link_in = loaded.sources[2]
    assert (link_in.path, link_in.text) == ("articles/link_in.txt", GOOD_A)
    assert unreadable(loaded) == {
        "articles/broken.txt": "broken symlink",
        "articles/link_out.txt": "symlink points outside the folder",
        "articles/loop.txt": "symlink loop",
    }
    folders = {n.path: n.reason for n in loaded.skipped if n.kind == "not_article"}
    assert folders == {
        "articles/linked_folder": "symlinked folder, not followed",
        "articles/sub/up": "symlinked folder, not followed",
    }


def test_a_symlinked_file_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    write(tmp_path / "real" / "a.txt", GOOD_A)
    symlink(tmp_path / "named.txt", tmp_path / "real" / "a.txt")
    (source,) = load_sources([tmp_path / "named.txt"], cwd=tmp_path).sources
    assert (source.id, source.text) == ("named.txt", GOOD_A)


# --------------------------------------------------------------------------- all bad, strict


def test_nothing_readable_is_a_source_error_naming_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    write(root / "a.txt", b"")
    write(root / "b.txt", b"\x00\x01")
    write(root / "c.md", b"  \n")
    write(root / "photo.png", b"\x89PNG")
    with pytest.raises(SourceError) as info:
        load_sources([root], cwd=tmp_path)
    message = str(info.value)
    assert message.startswith(f"{root}: no readable articles: 3 skipped (")
    assert "a.txt: empty file" in message and "b.txt: binary file" in message
    assert "\n" not in message


def test_strict_raises_on_the_first_unreadable_article(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "x_binary.txt", b"\x00\x01")
    write(root / "y_empty.txt", b"")
    with pytest.raises(SourceError, match=r"x_binary\.txt: binary file") as info:
        load_sources([root], cwd=tmp_path, strict=True)
    assert isinstance(info.value, UserError)


def test_strict_still_reads_a_guessed_encoding(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "legacy.txt", LEGACY_TEXT.encode("cp1252"))
    loaded = load_sources([root], cwd=tmp_path, strict=True)
    assert len(loaded.sources) == 3 and len(loaded.warnings) == 1


def test_the_report_carries_skipped_articles_and_decoding_warnings(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "bin.txt", b"\x00")
    write(root / "legacy.txt", LEGACY_TEXT.encode("cp1252"))
    write(root / "notes.csv", "a,b\n")
    report = run([root])
    kinds = {Path(n.path).name: n.kind for n in report.skipped}
    assert kinds == {"bin.txt": "unreadable", "notes.csv": "not_article"}
    assert [Path(n.path).name for n in report.decoding_warnings] == ["legacy.txt"]
    with pytest.raises(SourceError, match=r"bin\.txt"):
        run([root], strict=True)


# --------------------------------------------------------------------------- odd file names

ODD_NAMES = ["with space.txt", 'it\'s "quoted".txt', "new\nline.txt", "café ünïcode 東京.txt"]


def test_odd_file_names_keep_relative_posix_ids(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    for i, name in enumerate(ODD_NAMES):
        write(root / "sub dir" / name, GOOD_A if i % 2 else GOOD_B)
    loaded = load_sources([root], cwd=tmp_path)
    assert [s.id for s in loaded.sources] == sorted(f"sub dir/{n}" for n in ODD_NAMES)
    assert all(s.path == f"articles/{s.id}" for s in loaded.sources)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_file_name_that_is_not_utf8_gets_a_valid_id(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(Path(os.fsdecode(os.fsencode(root) + b"/caf\xe9.txt")), GOOD_B)
    loaded = load_sources([root], cwd=tmp_path)
    assert "caf\\xe9.txt" in [s.id for s in loaded.sources]
    for source in loaded.sources:
        source.id.encode("utf-8")  # no lone surrogates: hashable, printable, JSON-safe


# --------------------------------------------------------------------------- many files


@pytest.mark.slow
def test_twenty_thousand_files_load_fast(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    for folder in range(100):
        sub = root / f"f{folder:03d}"
        sub.mkdir(parents=True)
        for i in range(200):
            (sub / f"a{i:03d}.txt").write_bytes(b"Jan 15th 2022\n100,000 troops massed.\n")
    write(root / "f000" / "bad.txt", b"\x00")
    write(root / "f050" / "notes.csv", "a,b\n")
    start = time.perf_counter()
    loaded = load_sources([root], cwd=tmp_path)
    elapsed = time.perf_counter() - start
    assert len(loaded.sources) == 20_000
    assert len(loaded.skipped) == 2
    assert elapsed < 10, f"loading 20,000 files took {elapsed:.1f} s"


# --------------------------------------------------------------------------- the real CLI


REPO_ROOT = Path(__file__).resolve().parents[2]


def claimcheck(args: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m claimcheck` from this checkout, free of CI's and the user's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMCHECK_", "GITHUB_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *[str(a) for a in args]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@cache
def cli_has(option: str) -> bool:
    return option in claimcheck(["--help"], Path.cwd()).stdout


def report_of(out: Path) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((out / "claimcheck.json").read_text(encoding="utf-8"))
    return data


BAD = {
    "binary.txt": (b"GENEVA \x00\x01 troops", "binary file"),
    "empty.md": (b" \n", "empty file"),
    "huge.txt": (None, "too large"),
}


def bad_folder(tmp_path: Path) -> Path:
    root = good_folder(tmp_path)
    for name, (content, _) in BAD.items():
        if content is None:
            with (root / name).open("wb") as handle:
                handle.truncate(DEFAULT_MAX_BYTES + 1)
        else:
            write(root / name, content)
    write(root / "legacy.txt", LEGACY_TEXT.encode("cp1252"))
    return root


def test_cli_skips_each_bad_article_on_one_line_and_goes_on(tmp_path: Path) -> None:
    """`--format json,text` puts the text report on stdout, so notes and logs go to stderr."""
    bad_folder(tmp_path)
    proc = claimcheck(["articles", "--out", "out", "--format", "json,text"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    for name, (_, words) in BAD.items():
        lines = [line for line in proc.stderr.splitlines() if name in line]
        assert len(lines) == 1, f"{name}: {lines}\n{proc.stderr}"
        assert words in lines[0]
    report = report_of(tmp_path / "out")
    assert [s["id"] for s in report["sources"]] == ["a.txt", "b.txt", "legacy.txt"]
    assert sorted(n["path"] for n in report["skipped"] if n["kind"] == "unreadable") == [
        f"articles/{name}" for name in sorted(BAD)
    ]
    assert [w["path"] for w in report["decoding_warnings"]] == ["articles/legacy.txt"]


def test_cli_exits_2_when_no_article_is_readable(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    write(root / "binary.txt", b"\x00\x01")
    write(root / "empty.txt", b"")
    proc = claimcheck([root, "--out", tmp_path / "out"], tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("claimcheck: error: ")
    assert "no readable articles: 2 skipped" in lines[0] and "binary.txt" in lines[0]
    assert not (tmp_path / "out").exists()


def test_cli_odd_file_names_run_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    for i, name in enumerate(ODD_NAMES):
        write(root / name, GOOD_A if i % 2 else GOOD_B)
    write(root / "bad\nname.txt", b"\x00")
    if sys.platform not in ("win32", "darwin"):
        write(Path(os.fsdecode(os.fsencode(root) + b"/caf\xe9.txt")), GOOD_B)
    proc = claimcheck(["articles", "--out", "out"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "claimcheck.json",
        "claimcheck.md",
    ]
    ids = [s["id"] for s in report_of(tmp_path / "out")["sources"]]
    assert set(ODD_NAMES) <= set(ids)


@pytest.mark.skipif(not cli_has("--strict"), reason="the CLI has no --strict option yet")
def test_cli_strict_exits_2_on_one_bad_article(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "binary.txt", b"\x00\x01")
    proc = claimcheck(["articles", "--out", "out", "--strict"], tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "binary.txt" in lines[0] and "binary file" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(
    not cli_has("--max-file-size"), reason="the CLI has no --max-file-size option yet"
)
def test_cli_max_file_size(tmp_path: Path) -> None:
    root = good_folder(tmp_path)
    write(root / "long.txt", GOOD_A + "More words. " * 200)
    proc = claimcheck(["articles", "--out", "out", "--max-file-size", "1000"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    notes = {n["path"]: n["reason"] for n in report_of(tmp_path / "out")["skipped"]}
    assert (
        "too large" in notes["articles/long.txt"]
        and "limit 1,000 bytes" in notes["articles/long.txt"]
    )


def test_cli_refuses_a_200_mb_article_without_reading_it(tmp_path: Path) -> None:
    """Sparse, so it costs no disk; refused from its size alone, in the time of a normal run."""
    root = good_folder(tmp_path)
    with (root / "huge.txt").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    start = time.monotonic()
    proc = claimcheck(["articles", "--out", "out"], tmp_path)
    elapsed = time.monotonic() - start
    assert proc.returncode in (0, 1), proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "huge.txt" in line]
    assert len(lines) == 1 and "too large" in lines[0] and "209,715,200 bytes" in lines[0], lines
    assert elapsed < 30, f"{elapsed:.1f}s"
    assert [s["id"] for s in report_of(tmp_path / "out")["sources"]] == ["a.txt", "b.txt"]


@pytest.mark.slow
def test_cli_runs_twenty_thousand_files(tmp_path: Path) -> None:
    """The whole run, not only the listing: 20,000 articles in 100 folders, one bad file."""
    root = tmp_path / "articles"
    for folder in range(100):
        sub = root / f"f{folder:03d}"
        sub.mkdir(parents=True)
        for i in range(200):
            (sub / f"a{i:03d}.txt").write_bytes(b"Jan 15th 2022\nDiplomats met in Geneva.\n")
    write(root / "f042" / "bad.txt", b"\x00\x01")
    start = time.monotonic()
    proc = claimcheck(["articles", "--out", "out", "--format", "json"], tmp_path)
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    (line,) = [line for line in proc.stderr.splitlines() if "bad.txt" in line]
    assert "articles/f042/bad.txt" in line and "binary file" in line
    report = report_of(tmp_path / "out")
    assert len(report["sources"]) == 20_000
    assert elapsed < 120, f"{elapsed:.0f}s for 20,000 articles"
