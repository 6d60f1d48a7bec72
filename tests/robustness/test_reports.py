"""Reports through the real executable: nothing written outside `--out`, no temp file left
from a killed run, valid and escaped output for any text, the same bytes whatever the run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest

if TYPE_CHECKING:
    from conftest import Harness

REPO_ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
FORMATS = "md,json,sarif"
REPORTS = ["claimcheck.json", "claimcheck.md", "claimcheck.sarif"]
HOUR = 3600


def claimcheck(
    harness: Harness, args: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return harness.run(args, cwd, timeout=180, env=env)[0]


def articles(tmp_path: Path, harness: Harness, copies: int = 1) -> Path:
    return harness.build_corpus(tmp_path / "articles", copies, seeds=(1, 3))


def tree(root: Path, skip: Path | None = None) -> dict[str, tuple[str, bytes]]:
    """Every entry under `root` (not following symlinks): kind and content or link target."""
    found: dict[str, tuple[str, bytes]] = {}
    for path in sorted(root.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = ("link", os.readlink(path).encode())
        elif path.is_file():
            found[name] = ("file", path.read_bytes())
        else:
            found[name] = ("dir", b"")
    return found


# --------------------------------------------------------------------------- killed runs


def test_temp_files_left_by_killed_runs_are_swept_by_the_next_run(
    harness: Harness, tmp_path: Path
) -> None:
    """Only claimcheck's own temp names; only when the run that made one is dead (pid in the
    name) or it is over an hour old. A live run's temp file and other files stay."""
    corpus = articles(tmp_path, harness)
    out = tmp_path / "out"
    out.mkdir()
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    dead, live = finished.pid, os.getpid()
    (tmp_path / "precious.txt").write_bytes(b"keep me")
    swept = [
        f".claimcheck.md.{dead}-0badc0de.tmp",  # a killed run's
        f".claimcheck.json.{live}-00000001.tmp",  # pid alive (reused?) but hours old
        ".claimcheck.sarif.zz_zz999.tmp",  # an earlier version's name, hours old
    ]
    kept = [
        f".claimcheck.json.{live}-0badc0de.tmp",  # a run writing right now
        ".claimcheck.sarif.ab_cd123.tmp",  # an earlier version's name, fresh
        ".claimcheck.md.backup",
        "claimcheck.md.tmp",
        "notes.tmp",
    ]
    for name in swept + kept:
        (out / name).write_bytes(b"partial")
    for name in (swept[1], swept[2], kept[3]):
        os.utime(out / name, (time.time() - 2 * HOUR, time.time() - 2 * HOUR))
    link = f".claimcheck.md.{dead}-deadbeef.tmp"
    os.symlink(tmp_path / "precious.txt", out / link)  # not a regular file: left alone

    result = claimcheck(harness, [corpus, "--out", out, "--format", FORMATS, "-q"], tmp_path)
    assert result.returncode in (0, 1), result.stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == sorted([*REPORTS, *kept, link])
    assert (tmp_path / "precious.txt").read_bytes() == b"keep me"


# --------------------------------------------------------------------------- --out


def test_out_never_writes_outside_its_folder(harness: Harness, tmp_path: Path) -> None:
    """Report names are fixed, and a symlink planted where a report goes is replaced, never
    written through: everything outside `--out` is byte for byte as it was."""
    corpus = articles(tmp_path, harness)
    out = tmp_path / "nested" / ".." / "out"
    (tmp_path / "out").mkdir()
    (tmp_path / "victim.md").write_bytes(b"not a report")
    os.symlink("../victim.md", tmp_path / "out" / "claimcheck.md")
    os.symlink(tmp_path / "victim.md", tmp_path / "out" / "claimcheck.json")
    (tmp_path / "nested").mkdir()
    before = tree(tmp_path, skip=tmp_path / "out")

    result = claimcheck(harness, [corpus, "--out", out, "--format", FORMATS], tmp_path)
    assert result.returncode in (0, 1), result.stderr.decode()
    assert tree(tmp_path, skip=tmp_path / "out") == before
    written = tmp_path / "out"
    assert sorted(p.name for p in written.iterdir()) == REPORTS
    for name in REPORTS:
        assert not (written / name).is_symlink()
    assert (written / "claimcheck.md").read_text(encoding="utf-8").startswith("# claimcheck")


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_out_that_cannot_be_written_is_one_line_exit_2(
    harness: Harness, tmp_path: Path, kind: str
) -> None:
    if kind == "unwritable" and (os.name != "posix" or os.geteuid() == 0):
        pytest.skip("permissions are not enforced for root")
    corpus = articles(tmp_path, harness)
    out = tmp_path / "out"
    if kind == "file":
        out.write_bytes(b"a file, not a folder")
    else:
        out.mkdir()
        out.chmod(0o500)
    try:
        result = claimcheck(harness, [corpus, "--out", out, "-q"], tmp_path)
    finally:
        if kind == "unwritable":
            out.chmod(0o755)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr
    assert stderr.startswith("claimcheck: error: cannot write reports to ") and str(out) in stderr
    if kind == "file":
        assert out.read_bytes() == b"a file, not a folder"
    else:
        assert list(out.iterdir()) == []


# --------------------------------------------------------------------------- hostile text

# Two articles whose names and quotations carry what breaks Markdown, HTML, JSON, SARIF and
# workflow commands; their troop figures disagree, so every format has a conflict to show.
HOSTILE = {
    "#1 <script>alert(1) a|b`c`.md": (
        "Jan 10th 2022\n# Breaking | news\n"
        "“We will not <script>alert(1)</script> move | `rm -rf` 100% of troops, at all,” said "
        "Sergei Ryabkov.\nSome 100,000 troops massed near the border.\n"
    ),
    "100%, a:b\r::error::x.txt": (
        "Jan 10th 2022\n"
        "“We will never <b>move</b> | ``x`` any \x1b[31mtroops\x0b, not at all\u2028,” said "
        "Sergei Ryabkov.\nSome 175,000 troops massed near the border.\n"
    ),
}


@pytest.fixture(scope="module")
def hostile(harness: Harness, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "articles"
    folder.mkdir()
    for name, text in HOSTILE.items():
        (folder / name).write_text(text, encoding="utf-8")
    # Not UTF-8 in name, UTF-16 with a lone surrogate inside: decoded, never carried along.
    (folder / os.fsdecode(b"caf\xe9.txt")).write_bytes(
        b"\xff\xfe"
        + "Jan 10th 2022\nSome 150,000 \ud800 troops massed.\n".encode("utf-16-le", "surrogatepass")
    )
    result = claimcheck(
        harness, ["articles", "--out", "out", "--format", FORMATS + ",github,text"], root
    )
    assert result.returncode == 1, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    return {"root": root, "stdout": result.stdout, "out": root / "out"}


def test_markdown_report_escapes_html_pipes_backticks_and_headings(
    hostile: dict[str, Any],
) -> None:
    from test_properties import assert_valid_markdown

    text = (hostile["out"] / "claimcheck.md").read_bytes().decode("utf-8")
    assert_valid_markdown(text)  # no raw HTML outside code, no stray table cells
    assert "&lt;script&gt;" in text and "\\|" in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert all(re.match(r"#{1,3} [A-Za-z]", line) for line in headings), headings
    assert not any("Breaking" in line for line in headings)


def test_json_and_sarif_are_valid_for_any_text(hostile: dict[str, Any]) -> None:
    import jsonschema
    from test_properties import _reject_constant

    out = hostile["out"]
    report = json.loads((out / "claimcheck.json").read_bytes().decode("utf-8"),
                        parse_constant=_reject_constant)  # fmt: skip
    ids = {source["id"] for source in report["sources"]}
    assert set(HOSTILE) <= ids and "caf\\xe9.txt" in ids
    quotes = [claim["quote"] for finding in report["findings"] for claim in finding["claims"]]
    assert any("<script>alert(1)</script>" in quote for quote in quotes)  # data, unescaped

    sarif = json.loads((out / "claimcheck.sarif").read_bytes().decode("utf-8"),
                       parse_constant=_reject_constant)  # fmt: skip
    if SARIF_SCHEMA.is_file():
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
        assert not errors, [e.message for e in errors[:3]]
    uris = {unquote(a["location"]["uri"]) for a in sarif["runs"][0]["artifacts"]}
    assert {f"articles/{name}" for name in HOSTILE} <= uris


def _unescape(value: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def test_github_annotations_escape_percent_newlines_colons_and_commas(
    hostile: dict[str, Any],
) -> None:
    stdout = hostile["stdout"].decode("utf-8")
    lines = [line for line in stdout.split("\n") if line.startswith("::")]
    assert len(lines) >= 1
    files = set()
    for line in lines:
        match = re.fullmatch(r"::(error|warning|notice) ([^:\r\n]*)::([^\r\n]*)", line)
        assert match, f"not one workflow command: {line!r}"
        properties = dict(part.split("=", 1) for part in match.group(2).split(","))
        assert {"file", "line", "title"} <= set(properties)
        files.add(_unescape(properties["file"]))
        assert "%" not in _unescape(match.group(3)).replace("100%", "")
    assert files <= {f"articles/{name}" for name in HOSTILE} | {"articles/caf\\xe9.txt"}
    assert "\r" not in stdout
    text_lines = [line for line in stdout.split("\n") if line and not line.startswith("::")]
    *findings, summary = text_lines  # `--format text`: one line per finding, then a count
    assert findings and all(line.startswith("articles/") for line in findings), findings
    assert summary.startswith("claimcheck: 1 conflict")
    assert "\x1b" not in stdout, "a terminal escape sequence reached stdout"


# --------------------------------------------------------------------------- determinism


@pytest.mark.slow
def test_same_bytes_whatever_jobs_hash_seed_or_listing_order(
    harness: Harness, tmp_path: Path
) -> None:
    """Two copies of one corpus written in opposite orders (so the folder lists differently),
    run with --jobs 1 and 2 under different PYTHONHASHSEEDs: identical reports and stdout."""
    first = harness.build_corpus(tmp_path / "a" / "articles", 2)
    second = tmp_path / "b" / "articles"
    second.mkdir(parents=True)
    for path in sorted(first.iterdir(), reverse=True):
        (second / path.name).write_bytes(path.read_bytes())
    runs = [("a", "1", "0"), ("a", "2", "1"), ("b", "1", "12345"), ("b", "2", "random")]
    outputs = []
    for folder, jobs, seed in runs:
        cwd = tmp_path / folder
        result = claimcheck(
            harness,
            ["articles", "--out", "out", "--format", FORMATS + ",text,github", "--jobs", jobs],
            cwd,
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 1, result.stderr.decode()
        outputs.append((result.stdout, harness.read_dir(cwd / "out")))
    assert sorted(outputs[0][1]) == REPORTS
    for (folder, jobs, seed), output in zip(runs[1:], outputs[1:], strict=True):
        assert output == outputs[0], f"differs: folder {folder}, --jobs {jobs}, seed {seed}"
