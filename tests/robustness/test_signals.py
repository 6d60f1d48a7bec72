"""Signals against the real executable: Ctrl-C mid-run, and a reader that closes the pipe.

A run on a few dozen articles takes seconds, long enough to interrupt at chosen points. After
SIGINT claimcheck must stop within a second with exit code 130 and one line on stderr, and
leave its `--out` folder as it was (previous reports, or none) or holding the complete new
reports: never a half-written file or a temp file.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Harness

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

COPIES = 50  # 250 articles: a run of a few seconds, long enough to interrupt at leisure
FORMATS = "md,json,sarif"
STOP_LIMIT = 1.0  # seconds from the signal to the exit
INTERRUPTED = "claimcheck: error: interrupted"
RANDOM_INTERRUPTS = 12
MAX_RANDOM_INTERRUPTS = 48  # the most draws made before too few interrupted runs fail the test


@dataclass(frozen=True)
class Scene:
    root: Path
    corpus: Path
    startup: float  # wall time of a run on one small article: imports, rules, pint
    duration: float  # wall time of a full run on `corpus`
    new: dict[str, bytes]  # the reports of a complete run on `corpus`
    old: dict[str, bytes]  # reports of another corpus: what `--out` held before


@dataclass(frozen=True)
class Outcome:
    returncode: int | None  # None: still running when given up on (then killed)
    stop: float | None  # seconds from the signal to the exit; None: finished before it
    stdout: str
    stderr: str
    left: dict[str, bytes]  # what `--out` holds afterwards
    orphans: bool  # processes of its group (pool workers) still alive after it exited


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory, harness: Harness) -> Scene:
    root = tmp_path_factory.mktemp("signals")
    corpus = harness.build_corpus(root / "corpus", COPIES)
    previous = harness.build_corpus(root / "previous", 1, variant=4)
    tiny = root / "tiny"
    tiny.mkdir()
    shutil.copy(sorted(harness.seeds.glob("*.txt"))[-1], tiny)
    result, startup = harness.run([tiny, "--out", root / "tiny-out", "-q"], cwd=root)
    assert result.returncode in (0, 1), result.stderr.decode()
    result, duration = harness.run([corpus, "--out", root / "new", "--format", FORMATS], cwd=root)
    assert result.returncode in (0, 1), result.stderr.decode()
    old, _ = harness.run([previous, "--out", root / "old", "--format", FORMATS], cwd=root)
    assert old.returncode in (0, 1), old.stderr.decode()
    new_reports, old_reports = harness.read_dir(root / "new"), harness.read_dir(root / "old")
    assert sorted(new_reports) == sorted(harness.report_names)
    assert sorted(old_reports) == sorted(harness.report_names)
    assert new_reports != old_reports
    return Scene(root, corpus, startup, duration, new_reports, old_reports)


def interrupt(
    harness: Harness,
    scene: Scene,
    out: Path,
    when: float | str,
    *,
    jobs: int = 1,
    group: bool = False,
    corpus: Path | None = None,
    signum: int = signal.SIGINT,
    twice: bool = False,
    command: list[str] | None = None,
) -> Outcome:
    """Start a run writing to `out`, send SIGINT and time how long it takes to exit.

    `when`: seconds after the start; "importing" as soon as pydantic is loaded (claimcheck
    is still importing); "workers" as soon as the `--jobs` worker processes exist.
    """
    args: list[str | Path] = [corpus or scene.corpus, "--out", out, "--format", FORMATS]
    args += ["--jobs", str(jobs)]
    argv = [*command, *(str(a) for a in args)] if command else harness.argv(*args)
    process = subprocess.Popen(
        argv,
        cwd=scene.root,
        env=harness.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
    )
    orphans = False
    try:
        if when == "importing":
            _wait_until(lambda: _has_loaded(process.pid, "pydantic_core"), process)
        elif when == "workers":
            _wait_until(lambda: len(_children(process.pid)) >= jobs, process)
        else:
            time.sleep(float(when))
        stop: float | None = None
        if process.poll() is None:
            sent = time.monotonic()
            for _ in range(2 if twice else 1):
                if group:
                    os.killpg(process.pid, signum)  # Ctrl-C: the whole foreground job
                else:
                    os.kill(process.pid, signum)  # `kill -INT`, `timeout -s INT`
                time.sleep(0.01 if twice else 0)
            while process.poll() is None and time.monotonic() - sent < STOP_LIMIT + 4:
                time.sleep(0.005)
            stop = time.monotonic() - sent
        returncode = process.poll()
        if returncode is not None:
            time.sleep(0.2)
            orphans = _group_alive(process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the group
        stdout, stderr = process.communicate(timeout=30)
    return Outcome(
        returncode=returncode,
        stop=stop,
        stdout=stdout.decode("utf-8", "replace"),
        stderr=stderr.decode("utf-8", "replace"),
        left=harness.read_dir(out),
        orphans=orphans,
    )


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while process.poll() is None and not condition() and time.monotonic() < deadline:
        time.sleep(0.001)


def _has_loaded(pid: int, library: str) -> bool:
    """Whether the process has mapped `library` into memory (Linux)."""
    try:
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
            return library in maps.read()
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """Live child processes of `pid` (Linux)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def assert_out_folder_intact(outcome: Outcome, before: dict[str, bytes], scene: Scene) -> None:
    """`--out` holds what it held before, or the complete new reports: nothing else."""
    extra = sorted(set(outcome.left) - set(scene.new))
    assert not extra, f"files left in --out besides the reports: {extra}"
    if outcome.left == before:
        return
    assert outcome.left == scene.new, "--out holds neither the previous reports nor the new: " + (
        ", ".join(f"{name}: {_which(data, before, scene)}" for name, data in outcome.left.items())
    )


def _which(data: bytes, before: dict[str, bytes], scene: Scene) -> str:
    if data in scene.new.values():
        return "new"
    return "previous" if data in before.values() else "PARTIAL"


# --------------------------------------------------------------------------- SIGINT


@pytest.mark.parametrize(
    ("fraction", "previous"),
    [(0.1, True), (0.45, False), (0.8, True), (0.95, False), (0.99, True)],
    ids=["early-prev", "middle-empty", "late-prev", "end-empty", "writing-prev"],
)
def test_sigint_stops_fast_and_leaves_no_partial_report(
    harness: Harness, scene: Scene, fraction: float, previous: bool, tmp_path: Path
) -> None:
    """Ctrl-C at a point of the run after start-up (`fraction` of the extraction time)."""
    out = tmp_path / "out"
    before = scene.old if previous else {}
    harness.write_dir(before, out)
    when = scene.startup + fraction * max(scene.duration - scene.startup, 0.5)
    outcome = interrupt(harness, scene, out, when)

    assert "Traceback" not in outcome.stderr + outcome.stdout, outcome.stderr
    # The run finished first, or (near its end) the signal reached it after its last
    # instruction, in `os._exit` itself: then it must have finished properly.
    finished = outcome.stop is None or (fraction >= 0.9 and outcome.returncode in (0, 1))
    if finished:
        assert outcome.returncode in (0, 1), outcome.stderr
        assert outcome.left == scene.new
        assert INTERRUPTED not in outcome.stderr
        return
    assert outcome.returncode == 130, (
        f"exit {outcome.returncode} after SIGINT at {when:.2f}s\n{outcome.stderr}"
    )
    assert outcome.stop <= STOP_LIMIT, f"took {outcome.stop:.2f}s to stop after SIGINT"
    assert [line for line in outcome.stderr.splitlines() if line.strip()] == [INTERRUPTED]
    assert_out_folder_intact(outcome, before, scene)


def test_sigint_message_is_exactly_one_line(harness: Harness, scene: Scene, tmp_path: Path) -> None:
    when = scene.startup + 0.5 * max(scene.duration - scene.startup, 0.5)
    outcome = interrupt(harness, scene, tmp_path / "out", when)
    assert outcome.stop is not None
    assert outcome.stderr == INTERRUPTED + "\n"


needs_proc = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")


@needs_proc
def test_sigint_while_importing_is_one_line_too(
    harness: Harness, scene: Scene, tmp_path: Path
) -> None:
    outcome = interrupt(harness, scene, tmp_path / "out", "importing")
    assert outcome.stop is not None and outcome.stop <= STOP_LIMIT
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.returncode == 130
    assert outcome.left == {}


def _assert_clean_early_stop(outcome: Outcome) -> None:
    """Interrupted long before the end: one line, exit 130, quickly, nothing left behind."""
    assert outcome.stop is not None
    assert outcome.returncode is not None, "still running 5 s after SIGINT (hangs)"
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.returncode == 130, outcome.stderr
    assert outcome.stop <= STOP_LIMIT, f"took {outcome.stop:.2f}s to stop after SIGINT"
    assert not outcome.orphans, "worker processes outlived claimcheck"
    assert outcome.left == {}


@needs_proc
def test_ctrl_c_while_workers_start(harness: Harness, scene: Scene, tmp_path: Path) -> None:
    outcome = interrupt(harness, scene, tmp_path / "out", "workers", jobs=2, group=True)
    _assert_clean_early_stop(outcome)


@pytest.mark.parametrize("group", [False, True], ids=["kill-pid", "ctrl-c-group"])
def test_sigint_with_jobs_mid_run(
    harness: Harness, scene: Scene, tmp_path: Path, group: bool
) -> None:
    """Twice the usual corpus on 2 workers, interrupted early: most of the work is queued."""
    corpus = harness.build_corpus(tmp_path / "corpus", 2 * COPIES)
    outcome = interrupt(
        harness, scene, tmp_path / "out", scene.startup + 1.0, jobs=2, group=group, corpus=corpus
    )
    _assert_clean_early_stop(outcome)


def _one_line(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_sigterm_is_handled_like_ctrl_c(harness: Harness, scene: Scene, tmp_path: Path) -> None:
    """`timeout`, `kill` and a cancelled CI job send SIGTERM: exit 143, one line, no partial."""
    out = tmp_path / "out"
    harness.write_dir(scene.old, out)
    when = scene.startup + 0.5 * max(scene.duration - scene.startup, 0.5)
    outcome = interrupt(harness, scene, out, when, signum=signal.SIGTERM)
    assert outcome.stop is not None, "finished before the signal"
    assert outcome.returncode == 128 + signal.SIGTERM, outcome.stderr
    assert outcome.stop <= STOP_LIMIT, f"took {outcome.stop:.2f}s to stop after SIGTERM"
    assert _one_line(outcome.stderr) == ["claimcheck: error: terminated"]
    assert_out_folder_intact(outcome, scene.old, scene)


def test_a_second_ctrl_c_changes_nothing(harness: Harness, scene: Scene, tmp_path: Path) -> None:
    when = scene.startup + 0.3 * max(scene.duration - scene.startup, 0.5)
    outcome = interrupt(harness, scene, tmp_path / "out", when, twice=True, group=True)
    assert outcome.returncode == 130, outcome.stderr
    assert outcome.stderr == INTERRUPTED + "\n"
    assert outcome.left == {}


@needs_proc
def test_the_installed_command_handles_ctrl_c_while_importing_too(
    harness: Harness, scene: Scene, tmp_path: Path
) -> None:
    """The console script (`claimcheck = claimcheck.__main__:main`), not only `python -m`."""
    script = Path(sys.executable).with_name("claimcheck")
    if not script.exists():
        pytest.skip("claimcheck is not installed in this environment")
    outcome = interrupt(
        harness, scene, tmp_path / "out", "importing", command=[sys.executable, str(script)]
    )
    assert outcome.returncode == 130, outcome.stderr
    assert outcome.stderr == INTERRUPTED + "\n"
    assert outcome.left == {}


def _handler_installed(pid: int) -> bool:
    """Whether claimcheck's handler is in place: it catches SIGTERM, plain Python does not."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    except OSError:
        pass
    return False


@needs_proc
@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_a_short_run(
    harness: Harness, scene: Scene, tmp_path: Path
) -> None:
    """A one-article run interrupted at random points from handler installation to exit:
    imports, rules, extraction, writing, interpreter shutdown. Each run ends with 130, one
    line and its reports untouched, or (signal too late) finished with complete reports;
    never killed by the signal (-2) and never a traceback."""
    tiny = scene.root / "tiny"
    # How long the run lasts once the handler is in place: the draws below are made over that
    # stretch, whatever share of the whole run the interpreter's own start-up takes. The
    # shortest of three runs: one slow run (a busy machine) would put the late draws after
    # the end of most runs.
    durations = []
    for _ in range(3):
        reference = subprocess.Popen(
            harness.argv(tiny, "--out", tmp_path / "ref", "--format", FORMATS, "-q"),
            cwd=tmp_path, env=harness.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        _wait_until(partial(_handler_installed, reference.pid), reference)
        installed = time.monotonic()
        _, reference_err = reference.communicate(timeout=60)
        durations.append(time.monotonic() - installed)
        assert reference.returncode in (0, 1), reference_err.decode()
    duration = min(durations)
    new = harness.read_dir(tmp_path / "ref")
    rng = random.Random(130)
    out = tmp_path / "out"
    argv = harness.argv(tiny, "--out", out, "--format", FORMATS, "-q")
    outcomes: list[str] = []
    attempt = 0
    # At least RANDOM_INTERRUPTS draws, and more until half that many runs were interrupted:
    # the test must see interruptions, whatever the pace of the machine it runs on.
    while attempt < RANDOM_INTERRUPTS or (
        outcomes.count("interrupted") < RANDOM_INTERRUPTS // 2 and attempt < MAX_RANDOM_INTERRUPTS
    ):
        early = attempt % 2 == 1
        before = scene.old if early else {}
        harness.write_dir(before, out)
        process = subprocess.Popen(argv, cwd=tmp_path, env=harness.env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        _wait_until(partial(_handler_installed, process.pid), process)
        # Every other draw aims at the last fifth of the run: writing and shutdown.
        low = 0.0 if early else 0.8 * duration
        time.sleep(rng.uniform(low, 1.05 * duration))
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGINT)
        _, stderr_bytes = process.communicate(timeout=30)
        stderr = stderr_bytes.decode("utf-8", "replace")
        left = harness.read_dir(out)
        where = f"attempt {attempt}: exit {process.returncode}\n{stderr}"
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, where
        if process.returncode == 130:
            assert _one_line(stderr) == [INTERRUPTED], where
            assert left in (before, new), f"{where}: --out holds a partial or mixed set"
            outcomes.append("interrupted")
        else:
            assert process.returncode in (0, 1), where
            assert left == new, f"{where}: finished, but its reports are not whole"
            outcomes.append("finished")
            if early:
                # A run that ended before a draw from its whole span ran faster than the reference
                # runs did: later draws aim at a shorter run.
                duration *= 0.75
        attempt += 1
    print(f"\n{attempt} interrupts: {Counter(outcomes)}")
    assert outcomes.count("interrupted") >= RANDOM_INTERRUPTS // 2


# ----------------------------------------------------------------- the handler's own promises

_WRITE_SCRIPT = """
import os, signal, sys
from pathlib import Path
from claimcheck import interrupt
from claimcheck.pipeline import run
from claimcheck.report import write_reports

interrupt.install()
report = run([Path(sys.argv[1])])
real = getattr(os, sys.argv[3])
calls = []

def signal_after_first_call(*args, **kwargs):
    result = real(*args, **kwargs)
    calls.append(args)
    if len(calls) == 1:
        os.kill(os.getpid(), signal.SIGINT)
    return result

setattr(os, sys.argv[3], signal_after_first_call)
write_reports(report, Path(sys.argv[2]), sys.argv[4].split(","))
print("not interrupted")
"""


@pytest.mark.parametrize(
    ("during", "expect"),
    [("fsync", "previous"), ("replace", "new")],
    ids=["while-writing-temp-files", "while-renaming"],
)
def test_ctrl_c_while_reports_are_written(
    harness: Harness, scene: Scene, tmp_path: Path, during: str, expect: str
) -> None:
    """SIGINT right after the first temp file is synced: the temps go, the previous reports
    stay. Right after the first rename: the other renames still happen (all new, not mixed)."""
    tiny = scene.root / "tiny"
    reference, _ = harness.run([tiny, "--out", tmp_path / "ref", "--format", FORMATS],
                               cwd=tmp_path)  # fmt: skip
    assert reference.returncode in (0, 1)
    new = harness.read_dir(tmp_path / "ref")
    out = tmp_path / "out"
    harness.write_dir(scene.old, out)
    result = subprocess.run(
        [sys.executable, "-c", _WRITE_SCRIPT, str(tiny), str(out), during, FORMATS],
        cwd=tmp_path, env=harness.env(), capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 130, stderr
    assert stderr == INTERRUPTED + "\n"
    assert b"not interrupted" not in result.stdout
    assert harness.read_dir(out) == (scene.old if expect == "previous" else new)


_BASELINE_SCRIPT = """
import os, signal, sys
from pathlib import Path
from claimcheck import interrupt
from claimcheck.baseline import write_baseline
from claimcheck.pipeline import run

interrupt.install()
findings = run([Path(sys.argv[1])]).findings
real = os.fsync

def signal_after(fd):
    real(fd)
    os.kill(os.getpid(), signal.SIGINT)

os.fsync = signal_after
write_baseline(Path(sys.argv[2]), findings)
print("not interrupted")
"""


def test_ctrl_c_while_the_baseline_is_written(
    harness: Harness, scene: Scene, tmp_path: Path
) -> None:
    """`claimcheck baseline`: the temp file goes, the previous baseline stays as it was."""
    baseline = tmp_path / "ci" / ".claimcheck-baseline.json"
    baseline.parent.mkdir()
    baseline.write_bytes(b'{"previous": true}\n')
    result = subprocess.run(
        [sys.executable, "-c", _BASELINE_SCRIPT, str(scene.root / "tiny"), str(baseline)],
        cwd=tmp_path, env=harness.env(), capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 130, result.stderr.decode()
    assert result.stderr.decode() == INTERRUPTED + "\n"
    assert sorted(p.name for p in baseline.parent.iterdir()) == [baseline.name]
    assert baseline.read_bytes() == b'{"previous": true}\n'


def test_library_users_keep_their_own_ctrl_c(harness: Harness, tmp_path: Path) -> None:
    """Importing claimcheck (even `claimcheck.__main__`) installs no handler: only running
    the command does. A program's KeyboardInterrupt stays its own."""
    script = (  # as the program had them: a test run started in the background ignores SIGINT
        "import signal\n"
        "before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)\n"
        "import claimcheck.__main__, claimcheck.cli, claimcheck.pipeline\n"
        "assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=harness.env(),
                            capture_output=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b"ok\n"


_LIBRARY_SCRIPT = """
import multiprocessing, signal, sys, threading, time
from pathlib import Path
from claimcheck.pipeline import run

# Python's own Ctrl-C, even where the test run was started with SIGINT ignored (in the background)
signal.signal(signal.SIGINT, signal.default_int_handler)

sent = []

def interrupt_soon():
    deadline = time.monotonic() + 20
    while len(multiprocessing.active_children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)
    sent.append(time.monotonic())
    signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

threading.Thread(target=interrupt_soon, daemon=True).start()
try:
    run([Path(sys.argv[1])], jobs=2)
    print("finished")
except KeyboardInterrupt:
    took = time.monotonic() - sent[0]
    # Workers still running, as the system sees them: multiprocessing's own list can name
    # for a moment a worker its pool's thread has just reaped.
    def running(pid):
        try:
            return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    print(f"{took:.3f}", sum(running(p.pid) for p in multiprocessing.active_children()))
"""


@needs_proc
def test_library_callers_keyboard_interrupt_stops_the_workers(
    harness: Harness, scene: Scene, tmp_path: Path
) -> None:
    """`run(jobs=2)` from a program with Python's own Ctrl-C: KeyboardInterrupt reaches the
    caller quickly, the workers (which ignore SIGINT) are killed, not left to finish the queue."""
    corpus = harness.build_corpus(tmp_path / "corpus", 2 * COPIES)
    result = subprocess.run(
        [sys.executable, "-c", _LIBRARY_SCRIPT, str(corpus)],
        cwd=tmp_path, env=harness.env(), capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    took, children = result.stdout.decode().split()
    assert float(took) <= STOP_LIMIT, f"{took}s from KeyboardInterrupt to the caller"
    assert children == "0", "workers outlived the interrupted run"


_HALF_SENT_SCRIPT = """
import multiprocessing, os, struct, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from claimcheck.pipeline import _stop_pool

def half_sent(marker):
    # As a worker killed while it sends its claims: the header and the start of a message.
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:
        frame = frame.f_back
    writer = frame.f_locals["result_queue"]._writer
    os.write(writer.fileno(), struct.pack("!i", 1 << 20) + b"x" * 100)
    Path(marker).touch()
    time.sleep(60)

pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
pool.submit(half_sent, sys.argv[1])
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
time.sleep(0.1)  # the pool's manager thread is reading the message by now
_stop_pool(pool)
print("stopped", flush=True)
"""


@needs_proc
def test_a_worker_killed_while_it_sends_its_claims_does_not_hang_the_exit(
    harness: Harness, tmp_path: Path
) -> None:
    """A library caller's interrupted `run(jobs=2)` kills the workers, one of them perhaps
    halfway through a message to the pool's manager thread. The program must still exit:
    `concurrent.futures` joins that thread at exit, and it must not be left waiting for the
    rest of the message (nor racing the exit: "Exception ignored ... Bad file descriptor")."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _HALF_SENT_SCRIPT, str(tmp_path / "sent")],
            cwd=tmp_path, env=harness.env(), capture_output=True, timeout=30, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"the program never exited after stopping the pool: {hung.stdout!r}")
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert result.stdout == b"stopped\n"
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


# --------------------------------------------------------------------------- SIGPIPE


def test_head_dash_one_ends_quietly(harness: Harness, tmp_path: Path) -> None:
    """`claimcheck seeds/ --format text | head -1`, piped exactly as a shell does."""
    producer = subprocess.Popen(
        harness.argv(harness.seeds, "--format", "text"),
        cwd=tmp_path,
        env=harness.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert producer.stdout is not None and producer.stderr is not None
    head = subprocess.run(
        ["head", "-1"], stdin=producer.stdout, capture_output=True, timeout=60, check=False
    )
    producer.stdout.close()  # only `head` holds the read end now, as in a shell pipeline
    stderr = producer.stderr.read().decode("utf-8", "replace")
    producer.stderr.close()
    code = producer.wait(timeout=60)

    assert head.returncode == 0
    assert head.stdout.count(b"\n") == 1 and b"seeds/" in head.stdout
    assert code in (0, 1), stderr
    assert "BrokenPipeError" not in stderr and "Traceback" not in stderr, stderr
    assert not (tmp_path / "reports").exists()  # stdout formats write no files


@pytest.mark.parametrize("fmt", ["text", "github", "text,github"])
def test_reader_gone_before_the_first_write(harness: Harness, tmp_path: Path, fmt: str) -> None:
    """The reader has already exited: the first write gets EPIPE, every time."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            harness.argv(harness.seeds, "--format", fmt),
            cwd=tmp_path,
            env=harness.env(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode in (0, 1), stderr
    assert "BrokenPipeError" not in stderr and "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr


def test_a_gate_piped_into_head_keeps_its_exit_code(harness: Harness, tmp_path: Path) -> None:
    """`{ echo first; claimcheck …; } | head -1` in a real shell: `head` has exited before
    claimcheck prints, so every write meets a closed pipe. claimcheck stops printing quietly
    and exits with its verdict (1 here: conflicts), exactly as without the pipe."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("needs bash")
    corpus = harness.build_corpus(tmp_path / "corpus", 2)
    reference, _ = harness.run([corpus, "--format", "text,github"], cwd=tmp_path)
    assert reference.returncode == 1, reference.stderr.decode()
    assert reference.stdout.count(b"\n") >= 2
    script = '{ echo first; "$@"; echo "claimcheck exited $?" >&2; } | head -1'
    argv = harness.argv(corpus, "--format", "text,github")
    result = subprocess.run(
        [bash, "-c", script, "bash", *argv],
        cwd=tmp_path,
        env=harness.env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.stdout == b"first\n"
    assert "claimcheck exited 1" in stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert "Broken pipe" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert stderr.replace("claimcheck exited 1\n", "") == reference.stderr.decode()


def test_closed_stdout_keeps_the_exit_code_and_the_stderr_log(
    harness: Harness, tmp_path: Path
) -> None:
    """Only stdout is gone: the summary and "wrote" lines still reach stderr, reports are
    written, and the exit code is the findings' (1), not 0 and not Python's 120."""
    corpus = harness.build_corpus(tmp_path / "corpus", 2)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            harness.argv(corpus, "--format", "md,text", "--out", tmp_path / "out"),
            cwd=tmp_path, env=harness.env(), stdout=write_end, stderr=subprocess.PIPE,
            timeout=120, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert "conflicts" in stderr and "wrote " in stderr and "claimcheck.md" in stderr
    assert (tmp_path / "out" / "claimcheck.md").read_text(encoding="utf-8").startswith("# ")


def test_a_signal_after_the_reports_are_written_does_not_make_the_run_interrupted(
    tmp_path: Path,
) -> None:
    """Once the reports are written (`interrupt.settle`), a Ctrl-C while the last lines are
    printed leaves the run's outcome alone: no 'interrupted', no exit 130 after 'wrote …'."""
    script = (
        "import os, signal, sys\n"
        "from claimcheck import interrupt\n"
        "interrupt.install()\n"
        "interrupt.settle()\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "print('finished')\n"
        "sys.exit(1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout == "finished\n"
    assert "interrupted" not in result.stderr and "terminated" not in result.stderr
