"""``python -m bench --scale``: an auditor's replay and verification of a province-sized history.

One province as the 2025 map has them (34 make the nation; see :class:`bench.province.ProvinceShape`) is
recorded command by command in the registry's, scoring's and awards' own databases, then, per backend (a
SQLite file per service; a fresh PostgreSQL database per service), each service's read models are rebuilt from
its own log through its real projection, and each log is verified as an auditor does. Each phase runs in a
process of its own (:mod:`bench.scale_phases`), so the memory reported is the phase's: the resident set's
high-water mark of that process, imports included (shown apart, as "start").

Then, per backend, the read side (:mod:`bench.scale_queries`): each service's copies of the other services' events
filled from their logs (``feed``), and the p50, p95 and p99 of the main read queries a person triggers, through
the services' own apps (``queries``; ``--scale-queries`` requests each, 0 skips both). Their line, before the
``scale: <N> events`` line: ``queries: p99 scoreboard … ms, proposals board … ms, explanation … ms, unit history
… ms (sqlite); … (postgres)``.

Then the cost as the log grows (:mod:`bench.growth`). The line before last: ``scale: <N> events; replay sqlite
… ev/s postgres … ev/s; verify …; peak RSS … MB``; the last: ``scale: append at 10^6 events is F of its rate at
10^4; replay s/event at 10^6 is G of its value at 10^4``. The figures are written to ``bench/results/scale.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import growth
from bench.databases import fresh_postgres, postgres_unavailable
from bench.province import ProvinceShape
from bench.report import say, say_table, write_json
from bench.scale_queries import QUERIES, WARM_UP, QueryTiming
from thidua_contracts.envelope import Source

ROOT = Path(__file__).resolve().parent.parent
NATION = 34
"""Provinces and cities of Viet Nam after the 2025 merger."""
SOURCES: tuple[Source, ...] = ("registry", "scoring", "awards")
"""The services whose own logs the province's history fills (notifications records only what it sends)."""


@dataclass(frozen=True)
class PhaseResult:
    phase: str
    service: str
    events: int
    seconds: float
    rss_before_mb: float
    """The process's resident high-water mark when the phase began (imports, engine)."""
    rss_peak_mb: float
    """The process's resident high-water mark when the phase ended."""
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else float("inf")


def shape_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that size the province (shared with ``python -m bench --scale``)."""
    default = ProvinceShape()
    parser.add_argument("--scale-blocs", type=int, default=default.blocs, help=f"blocs (default {default.blocs})")
    parser.add_argument("--scale-units", type=int, default=default.units_per_bloc,
                        help=f"member units per bloc (default {default.units_per_bloc})")
    parser.add_argument("--scale-criteria", type=int, default=default.criteria,
                        help=f"criteria per scoring table (default {default.criteria})")
    parser.add_argument("--scale-years", type=int, default=default.years, help=f"years (default {default.years})")
    parser.add_argument("--scale-json", type=Path, default=Path("bench/results/scale.json"),
                        help="where the figures are written (default bench/results/scale.json)")
    parser.add_argument("--scale-queries", type=int, default=300,
                        help="requests per read query, timed on each backend (default 300; 0 skips the queries)")
    parser.add_argument("--scale-growth", type=int, default=1_000_000,
                        help="events of the growth measurement (append rate and replay cost at 10^4, 10^5, … "
                             "events; default 1,000,000; 0 skips it)")


def shape_of(arguments: argparse.Namespace) -> ProvinceShape:
    return ProvinceShape(blocs=arguments.scale_blocs, units_per_bloc=arguments.scale_units,
                         criteria=arguments.scale_criteria, years=arguments.scale_years)


@contextlib.contextmanager
def databases(backend: str, folder: Path) -> Iterator[dict[Source, str]]:
    """Each service's own database on ``backend``, empty (PostgreSQL's dropped afterwards)."""
    if backend == "sqlite":
        yield {source: f"sqlite+aiosqlite:///{folder / f'scale-{source}.db'}" for source in SOURCES}
        return
    with contextlib.ExitStack() as stack:
        yield {source: stack.enter_context(fresh_postgres(f"bench_scale_{source}")).async_url for source in SOURCES}


def shape_options(shape: ProvinceShape) -> list[str]:
    return [f"--scale-blocs={shape.blocs}", f"--scale-units={shape.units_per_bloc}",
            f"--scale-criteria={shape.criteria}", f"--scale-years={shape.years}"]


def phase_lines(phase: str, urls: dict[Source, str], shape: ProvinceShape, *options: str) -> list[dict[str, Any]]:
    """One phase in a new process (its progress on our standard error); its JSON lines."""
    command = [sys.executable, "-m", "bench.scale_phases", phase,
               *(f"--url={source}={url}" for source, url in urls.items()), *shape_options(shape), *options]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"scale: the {phase} phase failed (exit {done.returncode}); its error is above")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def run_phase(phase: str, urls: dict[Source, str], shape: ProvinceShape, *options: str) -> list[PhaseResult]:
    return [PhaseResult(**line) for line in phase_lines(phase, urls, shape, *options)]


def run_backend(backend: str, folder: Path, shape: ProvinceShape,
                queries: int) -> tuple[list[tuple[str, PhaseResult]], list[tuple[str, QueryTiming]]]:
    results: list[tuple[str, PhaseResult]] = []
    timings: list[tuple[str, QueryTiming]] = []
    with databases(backend, folder) as urls:
        say(f"\n[{backend}] generate: every command in its own transaction, through the service's unit of work",
            sys.stderr)
        generated = run_phase("generate", urls, shape)
        expected: dict[str, int] = {source: count for source, count in shape.expected_events().items()}
        for result in generated:
            if result.events != expected[result.service]:
                raise SystemExit(f"scale: {result.service} recorded {result.events} events, "
                                 f"{expected[result.service]} expected")
        results += [(backend, result) for result in generated]
        for source, url in urls.items():
            say(f"[{backend}] replay {source}: its own log into its own read models, one transaction", sys.stderr)
            results += [(backend, result) for result in run_phase("replay", {source: url}, shape)]
        for phase, what in (("verify-audit", "the audit API's pages, then the chain"),
                            ("verify-store", "the store's check: the chain and each row's columns")):
            for source, url in urls.items():
                say(f"[{backend}] {phase} {source}: {what}", sys.stderr)
                results += [(backend, result) for result in run_phase(phase, {source: url}, shape)]
        if queries > 0:
            for source in ("scoring", "awards"):
                say(f"[{backend}] feed {source}: its copies of the other services' events, from their logs",
                    sys.stderr)
                results += [(backend, result) for result in run_phase("feed", urls, shape, f"--feed={source}")]
            say(f"[{backend}] queries: scoreboard, proposals board, explanation, unit history, {queries} requests "
                "each through the services' apps", sys.stderr)
            timings += [(backend, QueryTiming(**line))
                        for line in phase_lines("queries", urls, shape, f"--scale-queries={queries}")]
    return results, timings


def rate(results: Sequence[tuple[str, PhaseResult]], backend: str, phase: str) -> float | None:
    """Events per second of a phase on a backend, all services together."""
    chosen = [result for where, result in results if where == backend and result.phase == phase]
    seconds = sum(result.seconds for result in chosen)
    return sum(result.events for result in chosen) / seconds if chosen and seconds > 0 else None


def rates_text(results: Sequence[tuple[str, PhaseResult]], backends: Sequence[str], phase: str) -> str:
    parts = []
    for backend in backends:
        value = rate(results, backend, phase)
        parts.append(f"{backend} {'n/a' if value is None else f'{value:,.0f} ev/s'}")
    return " ".join(parts)


def table(results: Sequence[tuple[str, PhaseResult]]) -> None:
    say_table([("backend", "<9"), ("service", "<9"), ("phase", "<13"), ("events", ">8,"), ("seconds", ">8.2f"),
               ("events/s", ">10,.0f"), ("RSS start", ">10"), ("RSS peak", ">9")],
              [(backend, result.service, result.phase, result.events, result.seconds, result.rate,
                f"{result.rss_before_mb:.0f} MB", f"{result.rss_peak_mb:.0f} MB") for backend, result in results])


def query_table(timings: Sequence[tuple[str, QueryTiming]]) -> None:
    say_table([("backend", "<9"), ("query", "<16"), ("service", "<9"), ("requests", ">8"), ("p50 ms", ">7.1f"),
               ("p95 ms", ">7.1f"), ("p99 ms", ">7.1f"), ("max ms", ">7.1f"), ("route", "")],
              [(backend, timing.query, timing.service, timing.requests, timing.p50_ms, timing.p95_ms, timing.p99_ms,
                timing.max_ms, timing.route) for backend, timing in timings])


def queries_summary(timings: Sequence[tuple[str, QueryTiming]], backends: Sequence[str]) -> str:
    """``queries: p99 scoreboard X ms, proposals board Y ms, explanation Z ms, unit history W ms (sqlite); …``"""
    parts = []
    for backend in backends:
        p99 = {timing.query: timing.p99_ms for where, timing in timings if where == backend}
        parts.append(", ".join(f"{name} {p99[name]:.1f} ms" for name, _ in QUERIES if name in p99)
                     + f" ({backend})")
    return "queries: p99 " + "; ".join(parts)


def run(arguments: argparse.Namespace, shape: ProvinceShape) -> int:
    expected = shape.expected_events()
    total = sum(expected.values())
    say(f"thidua scale — python {platform.python_version()}: one province of {shape.blocs} blocs × "
        f"{shape.units_per_bloc} units × {shape.criteria} criteria × {shape.years} years: "
        + ", ".join(f"{source} {count:,}" for source, count in expected.items()) + f" events ({total:,})")
    backends: list[str] = list(arguments.backends)
    if "postgres" in backends:
        reason = postgres_unavailable()
        if reason is not None:
            say(f"PostgreSQL is not usable, running SQLite only: {reason}")
            backends.remove("postgres")
    results: list[tuple[str, PhaseResult]] = []
    timings: list[tuple[str, QueryTiming]] = []
    with tempfile.TemporaryDirectory(prefix="thidua-scale-") as folder:
        for backend in backends:
            ran, timed = run_backend(backend, Path(folder), shape, arguments.scale_queries)
            results += ran
            timings += timed
    say("\nfigures (RSS: the phase's process, its high-water mark when the phase began and when it ended):")
    table(results)
    for backend in backends:
        replay = rate(results, backend, "replay")
        if replay is not None:
            minutes = NATION * total / replay / 60
            say(f"  {backend}: the nation ({NATION} provinces, {NATION * total:,} events) would replay in about "
                f"{minutes:,.0f} min at this rate, if it stays linear")
    if timings:
        say(f"\nread queries ({arguments.scale_queries} requests each after {WARM_UP} untimed, one at a time, "
            "through the services' apps in one process, an admin's token):")
        query_table(timings)
        say(queries_summary(timings, backends))
    peak = max(results, key=lambda item: item[1].rss_peak_mb)
    say(f"scale: {total:,} events; replay {rates_text(results, backends, 'replay')}; "
        f"verify {rates_text(results, backends, 'verify-audit')}; "
        f"peak RSS {peak[1].rss_peak_mb:.0f} MB ({peak[0]} {peak[1].service} {peak[1].phase})")
    growths: list[growth.Growth] = []
    if arguments.scale_growth >= growth.BLOCK:
        with tempfile.TemporaryDirectory(prefix="thidua-growth-") as folder:
            for backend in backends:
                with growth_database(backend, Path(folder)) as url:
                    growths.append(growth.measure(backend, url, arguments.scale_growth))
        say("\ngrowth (append: the block of 10^4 events ending there; replay: from the start up to there):")
        growth.table(growths)
    write_json(arguments.scale_json, {
        "province": {"blocs": shape.blocs, "units_per_bloc": shape.units_per_bloc, "criteria": shape.criteria,
                     "years": shape.years, "events": expected},
        "phases": [{"backend": backend, **asdict(result), "rate": result.rate} for backend, result in results],
        "queries": [{"backend": backend, **asdict(timing)} for backend, timing in timings],
        "growth": [asdict(item) for item in growths]})
    say(growth.summary(growths))
    return 0


@contextlib.contextmanager
def growth_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'growth.db'}"
        return
    with fresh_postgres("bench_growth") as database:
        yield database.async_url
