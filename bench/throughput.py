"""How fast claimcheck reads articles: characters per second, peak memory, and how both grow.

Usage: python bench/throughput.py [--sizes 1,5,10,25,50] [--corpus-dir DIR] [--repeat 3]
                                  [--budget 120] [--seed-repeat 20] [--no-cli] [--no-inproc]
                                  [--jobs 1,2] [--timeout 3600] [--json FILE]

Measures, on the seed articles and on the synthetic corpus (bench/corpus.py) at each size:
  extract   claimcheck.pipeline.extract_all(sources, ruleset): extraction and normalisation
            only (claims_of for every source), sources already in memory, one process;
  align+cmp claimcheck.align.align + compare.compare_facts on those claims: the stages that
            see all sources at once, where anything quadratic in a fact's claims shows;
  run       claimcheck.pipeline.run([folder]): end to end in this process (reading the files,
            extracting, aligning, comparing; not writing the report);
  cli -jN   the real `python -m claimcheck FOLDER --out TMP -q --jobs N` as a subprocess: wall
            time, CPU time (user + system, workers included: steadier than wall time on a
            busy machine), peak RSS of its largest process (getrusage of the child) and of the whole
            process tree (sampled from /proc every 20 ms, so it includes --jobs workers).
Figures are medians over repeated runs: up to --repeat runs, fewer when one run takes longer
than --budget seconds (the run count is printed). The seeds are small, so they are repeated
--seed-repeat times in process for a stable figure. The growth exponent is the least-squares
slope of log(time) and log(peak RSS) against log(characters) over the sizes: 1.0 is linear.

To measure a patched copy of claimcheck, run with PYTHONPATH=/path/to/copy: the subprocesses
inherit it. Corpora are generated into --corpus-dir (default: a temporary folder) if missing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

TARGETS = {
    "one-core end-to-end throughput": "≥ 5 MB/s",
    "50 MB with --jobs 2": "< 20 s",
    "peak RSS at 50 MB": "< 1 GB",
    "growth exponent (time, memory)": "≤ 1.1",
}


# --------------------------------------------------------------------------- measuring


@dataclass
class Timing:
    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else math.nan


def timed(function: Callable[[], object], repeat: int, budget: float) -> tuple[Timing, object]:
    """Median-ready timings: at least one run, at most `repeat`, stopping past `budget` s."""
    timing = Timing()
    result: object = None
    spent = 0.0
    while len(timing.runs) < repeat and (not timing.runs or spent < budget):
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        timing.runs.append(elapsed)
        spent += elapsed
    return timing, result


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    total = 0
    stack = [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * page
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


@dataclass
class CliRun:
    seconds: float
    peak_rss_largest: int  # bytes, getrusage of the child (largest single process)
    peak_rss_tree: int  # bytes, sampled sum over the process tree
    returncode: int
    cpu_seconds: float  # user + system, the command and its --jobs workers


def run_cli(folder: Path, jobs: int, timeout: float) -> CliRun:
    """The real command line, in a fresh interpreter, on a folder; the report goes to a temp dir.

    Each run goes through a small parent so that RUSAGE_CHILDREN's peak is this run's alone.
    """
    with tempfile.TemporaryDirectory(prefix="cc-bench-out-") as out:
        command = [
            sys.executable, "-m", "claimcheck", str(folder.resolve()), "--out", out, "-q",
            "--jobs", str(jobs), "--fail-on", "never",
        ]  # fmt: skip
        wrapper = (
            "import resource, subprocess, sys, time, json\n"
            "t = time.perf_counter()\n"
            f"p = subprocess.run({command!r}, stdout=subprocess.DEVNULL, timeout={timeout})\n"
            "t = time.perf_counter() - t\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(json.dumps([t, u.ru_maxrss * 1024, p.returncode, u.ru_utime + u.ru_stime]))\n"
        )
        proc = subprocess.Popen(
            [sys.executable, "-c", wrapper], stdout=subprocess.PIPE, text=True, cwd=out
        )  # not the repo: `-m` puts the working directory first on sys.path
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                stop.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, _ = proc.communicate()
        stop.set()
        sampler.join()
        seconds, largest, code, cpu = json.loads(stdout.strip().splitlines()[-1])
        # The wrapper itself (a bare interpreter, ~10 MB) is in the tree sample: leave it out.
        return CliRun(seconds, largest, max(peak - _WRAPPER_RSS, largest), code, cpu)


_WRAPPER_RSS = 0


def _measure_wrapper_rss() -> int:
    proc = subprocess.Popen(
        [sys.executable, "-c", "import resource, subprocess, sys, time, json; time.sleep(0.3)"]
    )
    time.sleep(0.2)
    rss = _tree_rss(proc.pid)
    proc.wait()
    return rss


# --------------------------------------------------------------------------- the figures


@dataclass
class Row:
    name: str
    chars: int
    sources: int
    claims: int = 0
    findings: int = 0
    extract_s: float = math.nan
    extract_runs: int = 0
    group_s: float = math.nan  # align + compare of the extracted claims
    run_s: float = math.nan
    run_runs: int = 0
    cli: dict[int, dict[str, float]] = field(default_factory=dict)  # jobs -> figures


def load(folder: Path) -> tuple[list, int]:
    from claimcheck.sources import load_sources

    sources = list(load_sources([folder]).sources)
    return sources, sum(len(s.text) for s in sources)


def measure(name: str, folder: Path, args: argparse.Namespace, repeat: int, budget: float) -> Row:
    from claimcheck.align import align
    from claimcheck.compare import compare_facts
    from claimcheck.pipeline import extract_all, run
    from claimcheck.rules import load_rules

    ruleset = load_rules([])
    sources, chars = load(folder)
    row = Row(name, chars, len(sources))
    if not args.no_inproc:
        timing, claims = timed(lambda: extract_all(sources, ruleset), repeat, budget)
        row.extract_s, row.extract_runs = timing.median, len(timing.runs)
        row.claims = len(claims)  # type: ignore[arg-type]
        timing, _ = timed(lambda: compare_facts(align(claims), ruleset), repeat, budget)
        row.group_s = timing.median
        del claims
        timing, report = timed(lambda: run([folder], ruleset=ruleset), repeat, budget)
        row.run_s, row.run_runs = timing.median, len(timing.runs)
        row.findings = report.summary.findings  # type: ignore[attr-defined]
        row.claims = report.summary.claims  # type: ignore[attr-defined]
        del report
        _progress(
            f"{name}: extract {row.extract_s:.2f} s, align+compare {row.group_s:.2f} s, "
            f"run {row.run_s:.2f} s"
        )
    if not args.no_cli:
        for jobs in args.jobs:
            runs = []
            spent = 0.0
            while len(runs) < max(1, min(repeat, args.cli_repeat)) and (not runs or spent < budget):
                result = run_cli(folder, jobs, args.timeout)
                if result.returncode not in (0, 1):
                    raise SystemExit(f"claimcheck failed on {folder} (exit {result.returncode})")
                runs.append(result)
                spent += result.seconds
            row.cli[jobs] = {
                "seconds": statistics.median(r.seconds for r in runs),
                "cpu": statistics.median(r.cpu_seconds for r in runs),
                "runs": len(runs),
                "rss_largest": max(r.peak_rss_largest for r in runs),
                "rss_tree": max(r.peak_rss_tree for r in runs),
            }
            _progress(f"{name}: cli -j{jobs} {row.cli[jobs]['seconds']:.2f} s")
    return row


def _progress(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y against log x: the growth exponent."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(points) < 2:
        return math.nan
    mx = statistics.fmean(p[0] for p in points)
    my = statistics.fmean(p[1] for p in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else math.nan


def _rate(chars: int, seconds: float) -> str:
    if not seconds or math.isnan(seconds):
        return "—"
    r = chars / seconds
    return f"{r / 1e6:.2f} M" if r >= 1e6 else f"{r / 1e3:.0f} k"


def _secs(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds:.2f}"


def _mb(n: float) -> str:
    return "—" if not n or math.isnan(n) else f"{n / 2**20:.0f}"


def print_table(rows: list[Row], jobs: list[int]) -> None:
    head = f"{'corpus':>8} {'chars':>11} {'srcs':>5} {'claims':>7} {'extract s':>9} {'chars/s':>8}"
    head += f" {'align+cmp s':>11} {'run s':>8} {'chars/s':>8}"
    for j in jobs:
        head += f" {'cli-j' + str(j) + ' s':>9} {'cpu s':>7} {'chars/s':>8} {'RSS MiB':>7} {'tree MiB':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        line = f"{r.name:>8} {r.chars:>11,} {r.sources:>5} {r.claims:>7} "
        line += f"{_secs(r.extract_s):>9} {_rate(r.chars, r.extract_s):>8} "
        line += f"{_secs(r.group_s):>11} {_secs(r.run_s):>8} {_rate(r.chars, r.run_s):>8}"
        for j in jobs:
            c = r.cli.get(j)
            if c is None:
                line += f" {'—':>9} {'—':>7} {'—':>8} {'—':>7} {'—':>8}"
            else:
                line += (
                    f" {_secs(c['seconds']):>9} {_secs(c['cpu']):>7} {_rate(r.chars, c['seconds']):>8}"
                    f" {_mb(c['rss_largest']):>7} {_mb(c['rss_tree']):>8}"
                )
        print(line)
    print(
        "chars/s: characters of article text per second (k = 10^3, M = 10^6), from wall time; "
        "cpu s: user+system CPU of the command and its workers; runs per median: "
        + ", ".join(
            f"{r.name} {r.extract_runs}/{r.run_runs}/"
            + "/".join(str(int(r.cli[j]["runs"])) for j in jobs if j in r.cli)
            for r in rows
        )
    )


def print_growth(rows: list[Row], jobs: list[int]) -> dict[str, float]:
    synthetic = [r for r in rows if r.name != "seeds"]
    xs = [float(r.chars) for r in synthetic]
    exponents: dict[str, float] = {}
    exponents["extract time"] = slope(xs, [r.extract_s for r in synthetic])
    exponents["align+compare time"] = slope(xs, [r.group_s for r in synthetic])
    exponents["run time"] = slope(xs, [r.run_s for r in synthetic])
    for j in jobs:
        with_cli = [r for r in synthetic if j in r.cli]
        xj = [float(r.chars) for r in with_cli]
        exponents[f"cli -j{j} time"] = slope(xj, [r.cli[j]["seconds"] for r in with_cli])
        exponents[f"cli -j{j} CPU time"] = slope(xj, [r.cli[j]["cpu"] for r in with_cli])
        exponents[f"cli -j{j} peak RSS (tree)"] = slope(
            xj, [r.cli[j]["rss_tree"] for r in with_cli]
        )
    print("growth exponent (log-log least-squares slope over sizes "
          + ", ".join(r.name for r in synthetic) + "):")  # fmt: skip
    for key, value in exponents.items():
        print(f"  {key:28} {'—' if math.isnan(value) else f'{value:.2f}'}")
    return exponents


def print_targets(rows: list[Row], exponents: dict[str, float]) -> None:
    synthetic = [r for r in rows if r.name != "seeds"]
    if not synthetic:
        return
    big = max(synthetic, key=lambda r: r.chars)
    print(f"targets (largest corpus measured: {big.name}, {big.chars / 1e6:.1f} MB):")
    best = max((r.chars / r.run_s for r in synthetic if r.run_s == r.run_s), default=math.nan)
    cli1 = max((r.chars / r.cli[1]["seconds"] for r in synthetic if 1 in r.cli), default=math.nan)
    print(
        f"  one core end to end  ≥ 5 MB/s : run {best / 1e6:.3f} MB/s, cli -j1 {cli1 / 1e6:.3f} MB/s"
    )
    if 2 in big.cli:
        secs = big.cli[2]["seconds"] * 50e6 / big.chars
        note = "" if big.chars >= 49e6 else f" (scaled linearly to 50 MB from {big.name})"
        print(f"  50 MB with --jobs 2  < 20 s   : {secs:.0f} s{note}")
    rss = max((c["rss_tree"] for c in big.cli.values()), default=math.nan)
    print(f"  peak RSS at 50 MB    < 1 GB   : {_mb(rss)} MiB at {big.name}")
    worst = max((v for v in exponents.values() if v == v), default=math.nan)
    print(f"  growth exponent      ≤ 1.1    : worst {'—' if worst != worst else f'{worst:.2f}'}")


# --------------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1,5,10,25,50", help="corpus sizes in MB")
    parser.add_argument("--corpus-dir", type=Path, default=None, help="where corpora live")
    parser.add_argument("--corpus-seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per median (synthetic)")
    parser.add_argument("--cli-repeat", type=int, default=3, help="at most this many CLI runs")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds before no repeat")
    parser.add_argument("--seed-repeat", type=int, default=20, help="runs per median (seeds)")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for the CLI runs")
    parser.add_argument("--timeout", type=float, default=3600.0, help="per CLI run, seconds")
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess runs")
    parser.add_argument("--no-inproc", action="store_true", help="skip the in-process runs")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seed articles")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    args.jobs = [int(j) for j in args.jobs.split(",") if j]
    sizes = [float(s) for s in args.sizes.split(",") if s]

    import claimcheck

    global _WRAPPER_RSS
    _WRAPPER_RSS = _measure_wrapper_rss()
    print(f"claimcheck from {Path(claimcheck.__file__).parent}; python {sys.version.split()[0]};"
          f" {os.cpu_count()} CPUs")  # fmt: skip
    rows: list[Row] = []
    if not args.no_seeds:
        rows.append(measure("seeds", SEEDS, args, args.seed_repeat, budget=60.0))
    tmp = None
    root = args.corpus_dir
    if root is None:
        tmp = tempfile.TemporaryDirectory(prefix="cc-bench-corpus-")
        root = Path(tmp.name)
    try:
        for size in sizes:
            folder = root / f"seed{args.corpus_seed}_{size:g}mb"
            if not folder.exists():
                started = time.perf_counter()
                corpus.generate(folder, size, args.corpus_seed)
                _progress(f"generated {folder} in {time.perf_counter() - started:.1f} s")
            rows.append(measure(f"{size:g} MB", folder, args, args.repeat, args.budget))
            print_table(rows, args.jobs)  # as it goes: the big sizes take a while
            print(flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    print("=" * 100)
    print_table(rows, args.jobs)
    print()
    exponents = print_growth(rows, args.jobs)
    print()
    print_targets(rows, exponents)
    if args.json is not None:
        args.json.write_text(
            json.dumps({"rows": [asdict(r) for r in rows], "exponents": exponents}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
