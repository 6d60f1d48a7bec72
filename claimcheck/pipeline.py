"""The whole run as one function: sources → extract → normalize → align → compare → Report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from claimcheck import __version__
from claimcheck.align import align
from claimcheck.compare import compare_facts
from claimcheck.extract import CompiledRules, compile_rules, extract_source
from claimcheck.models import Claim, Report, ReportSource, RuleInfo, Source, Status, Summary
from claimcheck.normalize import Tables, normalize_source
from claimcheck.rules import RuleSet, load_rules
from claimcheck.sources import load_sources


def claims_of(source: Source, compiled: CompiledRules, tables: Tables) -> list[Claim]:
    """Everything one source claims: a pure function of the source and the rules."""
    return normalize_source(source, extract_source(source, compiled), tables)


_WORKER: tuple[CompiledRules, Tables] | None = None


def _init_worker(ruleset: RuleSet) -> None:
    global _WORKER
    _WORKER = (compile_rules(ruleset), Tables(ruleset))


def _claims_in_worker(source: Source) -> list[Claim]:
    assert _WORKER is not None
    return claims_of(source, *_WORKER)


def extract_all(sources: Sequence[Source], ruleset: RuleSet, jobs: int = 1) -> list[Claim]:
    if jobs > 1 and len(sources) > 1:
        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_init_worker, initargs=(ruleset,)
        ) as pool:
            per_source = list(pool.map(_claims_in_worker, sources, chunksize=4))
    else:
        compiled, tables = compile_rules(ruleset), Tables(ruleset)
        per_source = [claims_of(source, compiled, tables) for source in sources]
    return [claim for claims in per_source for claim in claims]


def run(
    paths: Sequence[Path],
    rule_dirs: Sequence[Path] = (),
    jobs: int = 1,
    ruleset: RuleSet | None = None,
) -> Report:
    ruleset = ruleset or load_rules(rule_dirs)
    loaded = load_sources(paths)
    claims = extract_all(loaded.sources, ruleset, jobs)
    findings = compare_facts(align(claims), ruleset)
    statuses = Counter(f.status for f in findings)
    severities = Counter(f.severity.value for f in findings if f.status is Status.CONFLICT)
    return Report(
        version=__version__,
        sources=tuple(
            ReportSource(
                id=s.id,
                path=s.path,
                published=s.published,
                published_from=s.published_from,
                outlet=s.outlet,
                url=s.url,
            )
            for s in loaded.sources
        ),
        skipped=loaded.skipped,
        summary=Summary(
            sources=len(loaded.sources),
            claims=len(claims),
            findings=len(findings),
            conflicts=statuses[Status.CONFLICT],
            agreements=statuses[Status.AGREE],
            single_source=statuses[Status.SINGLE_SOURCE],
            by_severity={k: severities[k] for k in ("error", "warning", "info")},
        ),
        rules=rule_infos(ruleset),
        findings=tuple(findings),
    )


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
