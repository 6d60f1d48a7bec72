"""How the command stops: at once on Ctrl-C or SIGTERM (no temp file left, exit 130 or 143),
and quietly when the reader of its output has gone.

Raising `KeyboardInterrupt` from a signal handler lands wherever the main thread happens to
be: inside finalizers ("Exception ignored" tracebacks), inside the process pool's machinery,
or in interpreter shutdown, after which Python restores the default handler and the signal
kills the process (exit -2). So the handler does not raise: it removes the temp files it was
told about, kills the pool's workers and calls `os._exit`. Reports are written atomically, so
nothing else needs cleaning up.

Only the command line installs it (`claimcheck.__main__`), before its slow imports; a program
that merely imports claimcheck keeps its own SIGINT handling. This module imports nothing
heavy, so that installing it costs nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from types import FrameType
from typing import Any, NoReturn

_MESSAGES = {signal.SIGINT: b"interrupted", signal.SIGTERM: b"terminated"}
_owner: int | None = None  # pid of the process that installed the handler
_temp_files: set[str] = set()
_deferring = 0
_pending: int | None = None


def install() -> None:
    """Handle SIGINT and SIGTERM in this process from now on (the command line only)."""
    global _owner
    _owner = os.getpid()
    for signum in _MESSAGES:
        signal.signal(signum, _handle)


def track(path: str) -> None:
    """A temp file to remove if the run is interrupted (register it before creating it)."""
    _temp_files.add(path)


def untrack(path: str) -> None:
    _temp_files.discard(path)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold a signal until the block ends: the report renames happen all together or not at all."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if _deferring == 0 and _pending is not None:
        stop(_pending)


@contextlib.contextmanager
def blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread while worker processes and threads start.

    Processes forked and threads started inside inherit the mask, so the pool's threads never
    take the signal from the main thread, and a worker cannot be interrupted before its
    initializer has told it to ignore Ctrl-C. The signal is delivered when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set(_MESSAGES))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def settle() -> None:
    """The reports are written: the run's outcome is decided, and a Ctrl-C while its last
    lines are printed no longer turns it into an interrupted run (exit 130 after 'wrote …')."""
    if _owner == os.getpid():
        for signum in _MESSAGES:
            signal.signal(signum, signal.SIG_IGN)


def ignore_in_worker() -> None:
    """In a pool worker: Ctrl-C reaches the whole process group, but only the parent acts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler must not run here
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(_MESSAGES))


def _handle(signum: int, frame: FrameType | None) -> None:
    global _pending
    if os.getpid() != _owner:
        return  # a worker forked before its initializer ran: the parent decides
    if _deferring:
        _pending = signum
        return
    stop(signum)


def stop(signum: int) -> NoReturn:
    """Remove our temp files, kill the workers, one line on stderr, exit 128 + signum."""
    for other in _MESSAGES:
        signal.signal(other, signal.SIG_IGN)  # a second Ctrl-C must not start this again
    for path in list(_temp_files):
        with contextlib.suppress(OSError):
            os.unlink(path)
    _kill_workers()
    message = _MESSAGES.get(signal.Signals(signum), b"stopped by a signal")
    with contextlib.suppress(OSError):
        os.write(2, b"claimcheck: error: " + message + b"\n")
    os._exit(128 + signum)


def _kill_workers() -> None:
    """The command's only child processes are the pool's workers."""
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None:
        kill_and_reap(multiprocessing.active_children())


def kill_and_reap(processes: Iterable[Any]) -> None:
    """SIGKILL `multiprocessing` processes and wait for them, so none outlives the run."""
    processes = list(processes)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(5)


def discard_output(stream: Any) -> None:
    """Point a stream's descriptor at /dev/null once its reader has gone, so what is still
    buffered, and the flush at exit, go nowhere instead of raising again (the Python docs'
    recipe for SIGPIPE)."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (a test's capture): nothing to redirect
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def exit_now(code: int) -> NoReturn:
    """Run the atexit hooks and flush, then leave without interpreter shutdown.

    During shutdown Python restores SIGINT's default action, so a Ctrl-C landing there would
    end the process by the signal instead of with 130. Until `os._exit`, the handler stays.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nobody is reading any more
            with contextlib.suppress(OSError):
                discard_output(stream)
    os._exit(code)
