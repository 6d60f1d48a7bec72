"""The whole run as one function: sources → extract → normalize → align → compare → Report."""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from claimcheck import __version__, interrupt
from claimcheck.align import align
from claimcheck.baseline import apply_baseline, load_baseline
from claimcheck.collector import cycle_collection_paused
from claimcheck.compare import compare_facts
from claimcheck.extract import CompiledRules, compile_rules, extract_source
from claimcheck.models import (
    Claim,
    Fact,
    Report,
    ReportSource,
    RuleInfo,
    Source,
    StaleBaselineEntry,
    Status,
    Summary,
)
from claimcheck.normalize import Tables, normalize_source
from claimcheck.rules import RuleSet, load_rules
from claimcheck.sources import DEFAULT_MAX_BYTES, load_sources
from claimcheck.suppressions import apply_suppressions, find_all_suppressions
from claimcheck.text import Document


def claims_of(source: Source, compiled: CompiledRules, tables: Tables) -> list[Claim]:
    """Everything one source claims: a pure function of the source and the rules."""
    doc = Document(source)
    return normalize_source(source, extract_source(source, compiled, doc), tables, doc)


_CHUNK = 4  # sources per task sent to a worker
_MANAGER_EXIT_TIMEOUT = 5.0  # seconds; the pool's manager thread takes milliseconds
_WORKER: tuple[CompiledRules, Tables] | None = None


def _init_worker(ruleset: RuleSet) -> None:
    global _WORKER
    interrupt.ignore_in_worker()
    gc.disable()  # see `collector.cycle_collection_paused`: a worker lives only for the run
    _WORKER = (compile_rules(ruleset), Tables(ruleset))


def _claims_in_worker(sources: Sequence[Source]) -> list[list[Claim]]:
    assert _WORKER is not None
    return [claims_of(source, *_WORKER) for source in sources]


Progress = Callable[[int, int], None]

_LAST_COMPILED: tuple[RuleSet, CompiledRules, Tables] | None = None


def compiled_for(ruleset: RuleSet) -> tuple[CompiledRules, Tables]:
    """The rule set's finders and tables, kept for the last rule set asked for: a caller that
    checks folder after folder with one (immutable) rule set compiles its patterns once, as
    the command, which runs once, does anyway. The finders' own caches only remember what a
    pure function gave, so a second run gives what a fresh one would."""
    global _LAST_COMPILED
    if _LAST_COMPILED is None or _LAST_COMPILED[0] is not ruleset:
        _LAST_COMPILED = (ruleset, compile_rules(ruleset), Tables(ruleset))
    return _LAST_COMPILED[1], _LAST_COMPILED[2]


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill the workers: they ignore Ctrl-C, and would otherwise
    finish every chunk already handed to them before `shutdown` returns.

    Then wait for the pool's manager thread to finish, since `concurrent.futures` joins it
    when the interpreter exits. A worker killed halfway through sending its claims leaves
    that thread waiting for the rest of the message, forever, because the pool holds the
    pipe's writing end as well: closing that end turns the wait into end-of-file. Left
    running, the thread would also race the exit ("Exception ignored ... Bad file
    descriptor").
    """
    # No public accessors: read them before `shutdown` forgets them.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results_writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    pool.shutdown(wait=False, cancel_futures=True)
    interrupt.kill_and_reap(workers)
    if results_writer is not None:
        with contextlib.suppress(OSError):
            results_writer.close()  # the parent never writes results: only its workers do
    if manager is not None:
        manager.join(_MANAGER_EXIT_TIMEOUT)


@cycle_collection_paused()
def extract_all(
    sources: Sequence[Source], ruleset: RuleSet, jobs: int = 1, progress: Progress | None = None
) -> list[Claim]:
    """Claims of every source, in source order whatever the number of processes."""
    per_source: list[list[Claim]] = []
    if jobs > 1 and len(sources) > 1:
        # Workers and the pool's threads start with Ctrl-C blocked (see `interrupt.blocked`),
        # then workers ignore it: the parent alone decides. The command's handler kills them
        # at once; a library caller's KeyboardInterrupt stops them below. Chunks are submitted
        # one by one, not through `map`: an interrupted `map` cancels its futures from this
        # thread while the pool's manager thread, seeing its workers killed, fails the same
        # futures ("InvalidStateError" on Python 3.11). Only that thread then cancels them.
        with interrupt.blocked():
            pool = ProcessPoolExecutor(
                max_workers=jobs, initializer=_init_worker, initargs=(ruleset,)
            )
            try:
                chunks = [
                    pool.submit(_claims_in_worker, sources[start : start + _CHUNK])
                    for start in range(0, len(sources), _CHUNK)
                ]
            except BaseException:
                _stop_pool(pool)
                raise
        try:
            chunks.reverse()
            while chunks:
                for claims in chunks.pop().result():  # (popped: freed with its future once read)
                    per_source.append(claims)
                    if progress is not None:
                        progress(len(per_source), len(sources))
            pool.shutdown()  # (a Ctrl-C while the workers exit must kill them too)
        except BaseException:  # KeyboardInterrupt, or a worker's error: do not finish the queue
            _stop_pool(pool)
            raise
    else:
        compiled, tables = compiled_for(ruleset)
        for source in sources:
            per_source.append(claims_of(source, compiled, tables))
            if progress is not None:
                progress(len(per_source), len(sources))
    return [claim for claims in per_source for claim in claims]


FAULT_INJECTION_ENV = "CLAIMCHECK_FAULT_INJECTION"


@cycle_collection_paused()
def run(
    paths: Sequence[Path],
    rule_dirs: Sequence[Path] = (),
    jobs: int = 1,
    ruleset: RuleSet | None = None,
    baseline: Path | None = None,
    manifest: Path | None = None,
    progress: Progress | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Everything one check does, up to the report; writing it is the caller's business."""
    if os.environ.get(FAULT_INJECTION_ENV) == "internal-error":
        raise RuntimeError("fault injected by " + FAULT_INJECTION_ENV)  # tests exit code 3
    ruleset = ruleset or load_rules(rule_dirs)
    loaded = load_sources(paths, manifest=manifest, strict=strict, max_bytes=max_bytes)
    directives = find_all_suppressions(loaded.sources, [rule.id for rule in ruleset.rules])
    report_sources = tuple(
        ReportSource(
            id=s.id,
            path=s.path,
            published=s.published,
            published_from=s.published_from,
            outlet=s.outlet,
            url=s.url,
        )
        for s in loaded.sources
    )
    claims = extract_all(loaded.sources, ruleset, jobs, progress)
    skipped, warnings = loaded.skipped, loaded.warnings
    del loaded  # the articles' text is not needed past extraction: free it for the big runs
    claim_count = len(claims)
    facts = align(claims)
    del claims
    # Each fact's claims are dropped once its findings hold them (peak memory of big runs).
    published = {s.id: s.published for s in report_sources}
    findings, unused = apply_suppressions(
        compare_facts(_drain(facts), ruleset, published), directives
    )
    stale: list[StaleBaselineEntry] = []
    if baseline is not None:
        findings, stale = apply_baseline(findings, load_baseline(baseline))
    statuses = Counter(f.status for f in findings)
    severities = Counter(f.severity.value for f in findings if f.status is Status.CONFLICT)
    return Report(
        version=__version__,
        sources=report_sources,
        skipped=skipped,
        decoding_warnings=warnings,
        summary=Summary(
            sources=len(report_sources),
            claims=claim_count,
            findings=len(findings),
            conflicts=statuses[Status.CONFLICT],
            agreements=statuses[Status.AGREE],
            single_source=statuses[Status.SINGLE_SOURCE],
            by_severity={k: severities[k] for k in ("error", "warning", "info")},
        ),
        rules=rule_infos(ruleset),
        findings=tuple(findings),
        baseline=display_path(baseline) if baseline is not None else None,
        stale_baseline=tuple(stale),
        unused_suppressions=tuple(unused),
    )


def _drain(facts: list[Fact]) -> Iterator[Fact]:
    """The facts in order, each forgotten by the list as it is handed out."""
    facts.reverse()
    while facts:
        yield facts.pop()


def rule_infos(ruleset: RuleSet) -> tuple[RuleInfo, ...]:
    return tuple(
        RuleInfo(
            id=rule.id,
            kind=rule.kind,
            severity=rule.severity,
            description=" ".join(rule.description.split()),
            file=display_path(Path(ruleset.rule_files[rule.id])),
        )
        for rule in sorted(ruleset.rules, key=lambda r: r.id)
    )


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it; the installed rules as 'claimcheck:'."""
    from claimcheck.rules import DEFAULT_RULES_DIR

    try:
        return "claimcheck:" + path.relative_to(DEFAULT_RULES_DIR).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
