"""SIGKILL at random points of a run: a report file is either absent, the previous one, or whole.

`write_reports` renders everything first, then writes each report to a hidden temp file
beside its target, fsyncs it and `os.replace`s it into place. Whenever the process dies, every
`claimcheck.*` file in `--out` must therefore be a complete report: the one it replaced, or
the one the run was writing. A killed run may leave its hidden temp files behind (nothing runs
after SIGKILL); they are counted, must never look like reports, and the next complete run
removes them.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Harness

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="POSIX signals"),
]

KILLS = 50
SMALL_SEEDS = (1, 3, 4)
RNG_SEED = 20220110
FORMATS = "md,json,sarif"
# What `write_reports` names its temp files: `.claimcheck.md.<pid>-<random>.tmp`.
TEMP_NAME = re.compile(r"^\.claimcheck\.(md|json|sarif)\..+\.tmp$")


def _reject_constant(name: str) -> None:
    raise ValueError(f"non-standard JSON token {name}")


def assert_complete(name: str, data: bytes) -> None:
    """A report file that a reader could use: parses, and is not cut short."""
    text = data.decode("utf-8")
    if name.endswith((".json", ".sarif")):
        json.loads(text, parse_constant=_reject_constant)
    else:
        assert text.startswith("# claimcheck"), f"{name} starts {text[:40]!r}"
    assert text.endswith("\n"), f"{name} does not end with a newline"


def reference_run(
    harness: Harness, corpus: Path, out: Path, cwd: Path
) -> tuple[dict[str, bytes], float, float]:
    """A complete run: (its reports, when the first file appeared in `out`, its duration)."""
    process = subprocess.Popen(
        harness.argv(corpus, "--out", out, "--format", FORMATS, "-q"),
        cwd=cwd,
        env=harness.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    start = time.monotonic()
    writing: float | None = None
    while process.poll() is None:
        if writing is None and out.is_dir() and any(out.iterdir()):
            writing = time.monotonic() - start
        time.sleep(0.0005)
    duration = time.monotonic() - start
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    assert process.returncode in (0, 1), stderr
    return harness.read_dir(out), writing if writing is not None else 0.95 * duration, duration


def test_sigkill_at_random_points_never_leaves_a_partial_report(
    harness: Harness, tmp_path: Path
) -> None:
    started = time.monotonic()
    # The three shortest seeds: a run of about a second, most of it start-up.
    corpus = harness.build_corpus(tmp_path / "corpus", 1, seeds=SMALL_SEEDS)
    previous = harness.build_corpus(tmp_path / "previous", 1, variant=4, seeds=SMALL_SEEDS)

    # One complete run is the reference: every report a killed run leaves must be it or the
    # previous one. Its timeline spreads the kills: when the first file appears in --out
    # (the reports are being written) and when it ends.
    old, _, _ = reference_run(harness, previous, tmp_path / "old", tmp_path)  # warms caches too
    new, writing, duration = reference_run(harness, corpus, tmp_path / "new", tmp_path)
    assert sorted(new) == sorted(old) == sorted(harness.report_names)
    for name, data in [*new.items(), *old.items()]:
        assert_complete(name, data)

    rng = random.Random(RNG_SEED)
    outcomes: Counter[str] = Counter()
    leftovers: list[str] = []
    out = tmp_path / "out"
    argv = harness.argv(corpus, "--out", out, "--format", FORMATS, "-q")
    for kill in range(KILLS):
        before = old if kill % 2 else {}
        harness.write_dir(before, out)
        # Two kills in three anywhere in the run, one in three around the writing.
        if kill % 3 == 2:
            delay = rng.uniform(writing - 0.05, writing + 0.05)
        else:
            delay = rng.uniform(0.0, duration)
        process = subprocess.Popen(
            argv,
            cwd=tmp_path,
            env=harness.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        finished = process.poll() is not None
        if not finished:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

        left = harness.read_dir(out)
        where = f"kill {kill} at {delay:.3f}s of {duration:.3f}s"
        for name, data in left.items():
            if name in harness.report_names:
                assert data in (new[name], before.get(name)), f"{where}: {name} is partial"
                assert_complete(name, data)
            elif TEMP_NAME.match(name):
                leftovers.append(name)
            else:
                pytest.fail(f"{where}: unexpected file in --out: {name}")
        reports = {n: d for n, d in left.items() if n in harness.report_names}
        if finished:
            assert reports == new, f"{where}: the run finished but its reports are not whole"
            outcomes["finished"] += 1
        elif reports == before:
            outcomes["untouched"] += 1
        elif reports == new:
            outcomes["written"] += 1
        else:
            outcomes["mixed"] += 1  # some files replaced, some not: each whole, see above
    elapsed = time.monotonic() - started
    print(
        f"\n{KILLS} kills in {elapsed:.1f}s (run {duration:.2f}s, writing from "
        f"{writing:.2f}s): {dict(outcomes)}, {len(leftovers)} temp files left"
    )
    if leftovers:
        # The next complete run sweeps what the killed ones left (their pids are dead).
        harness.write_dir({**new, leftovers[0]: b"partial"}, out)
        reference_run(harness, corpus, out, tmp_path)
        assert harness.read_dir(out) == new, f"{leftovers[0]} survived the next run"
