"""``python -m bench``: our event store against ``eventsourcing``, append and replay, SQLite and PostgreSQL.

The last line printed is ``ratio vs eventsourcing: append …, replay …`` (ours events/s divided by
theirs, per backend). Ours in that line is the append through ``SqlUnitOfWork`` (what a command
handler does) and the replay through ``read_log`` with typed payloads (``ours-read_log``, what
projections use). The replay on raw bodies (``ours-fast``), not yet a library path, is printed
just before.

With ``--scale``, it measures instead the replay and verification of a province-sized history
(:mod:`bench.scale`); with ``--pipeline``, the running system: the time from a command in one service to
another's read model (:mod:`bench.pipeline`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import platform
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bench import kafka_paths, ours, pipeline, proposals, readmodel, scale, theirs
from bench.databases import fresh_postgres, postgres_unavailable
from bench.report import Figure, Figures, Progress, say, write_json
from bench.scale import shape_arguments, shape_of
from bench.workload import Workload, expected_read_model, make_workload
from thidua_shared.logging import configure_logging
from thidua_shared.store.db import create_engine

BACKENDS = ("sqlite", "postgres")
SYSTEMS = ("ours", "eventsourcing")


@dataclass(frozen=True, slots=True)
class Target:
    """Where each side runs on one backend: our engine URL and the library's env."""

    backend: str
    our_url: str
    their_env: dict[str, str]
    folder: Path


@dataclass(frozen=True, slots=True)
class Options:
    systems: list[str]
    replay_repeats: int
    proposals: bool
    latencies: dict[str, float] = field(default_factory=dict)
    """Filled as it runs: the concurrent writers' transaction times (seconds), by backend and share."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aggregates", type=int, default=2000)
    parser.add_argument("--events-per-aggregate", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgres",
                        help="comma-separated, of: sqlite, postgres (default both)")
    parser.add_argument("--systems", default="ours,eventsourcing",
                        help="comma-separated, of: ours, eventsourcing (default both)")
    parser.add_argument("--es-sqlite-synchronous", default="NORMAL", type=str.upper,
                        choices=("OFF", "NORMAL", "FULL", "EXTRA"),
                        help="PRAGMA synchronous for eventsourcing's SQLite connections: NORMAL "
                             "(default, as ours) or FULL (as the library leaves it)")
    parser.add_argument("--replay-repeats", type=int, default=5,
                        help="each replay runs this many times on the same log; the best time is "
                             "reported, the least disturbed by other work on the machine (default 5)")
    parser.add_argument("--kafka", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure relay and consume against the raw broker (default on; "
                             "KAFKA_BOOTSTRAP_SERVERS or the embedded broker)")
    parser.add_argument("--json", type=Path, default=Path("bench/results/store.json"),
                        help="where the figures are written (default bench/results/store.json)")
    parser.add_argument("--proposals", action="store_true",
                        help="also measure the prototypes of bench/proposals.py (not in the ratio line)")
    parser.add_argument("--scale", action="store_true",
                        help="instead: replay and verify a province-sized history of the services' own events "
                             "(bench/scale.py; sized by the --scale-* options, --backends applies)")
    shape_arguments(parser)
    args = parser.parse_args(argv)
    if args.replay_repeats < 1:
        parser.error("--replay-repeats must be at least 1")
    for name, allowed in (("backends", BACKENDS), ("systems", SYSTEMS)):
        chosen = [item.strip() for item in getattr(args, name).split(",") if item.strip()]
        unknown = sorted(set(chosen) - set(allowed))
        if unknown or not chosen:
            parser.error(f"--{name}: choose from {', '.join(allowed)} (got {getattr(args, name)!r})")
        setattr(args, name, chosen)
    return args


@contextlib.contextmanager
def targets(backend: str, folder: Path, es_synchronous: str) -> Iterator[Target]:
    if backend == "sqlite":
        yield Target(
            backend, f"sqlite+aiosqlite:///{folder / 'ours.db'}",
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
             "SQLITE_DBNAME": str(folder / "eventsourcing.db"),
             "SQLITE_SYNCHRONOUS": es_synchronous},
            folder,
        )
        return
    with fresh_postgres("bench_ours") as mine, fresh_postgres("bench_es") as other:
        yield Target(backend, mine.async_url, other.eventsourcing_env(), folder)


def check(label: str, found: dict[str, tuple[str, int]], expected: dict[str, tuple[str, int]]) -> None:
    if found != expected:
        wrong = sum(1 for key, value in expected.items() if found.get(key) != value)
        raise SystemExit(f"{label}: read model is wrong for {wrong} of {len(expected)} units")


async def ours_append(target: Target, workload: Workload, figures: Figures) -> None:
    engine = await ours.open_store(target.our_url)
    try:
        progress = Progress(f"ours {target.backend} append", workload.total_events)
        seconds = await ours.append(engine, workload, progress)
        figures.add(Figure("ours", "append", target.backend, workload.total_events, seconds))
        say(f"    (ours: {await ours.stored_bytes_per_event(engine):.0f} bytes of body per event)")
    finally:
        await engine.dispose()


async def ours_replay(target: Target, workload: Workload, figures: Figures, options: Options) -> None:
    engine = await ours.open_store(target.our_url)
    expected = expected_read_model(workload)
    sqlite = target.backend == "sqlite"

    async def prefetch(engine: AsyncEngine, progress: Progress) -> float:
        return await proposals.replay_prefetch(engine, progress, sqlite)

    runs: list[tuple[str, Callable[[AsyncEngine, Progress], Awaitable[float]]]] = [
        ("ours-read_log", ours.replay_read_log), ("ours-fast", ours.replay_fast)]
    if options.proposals:
        runs.append(("prop:prefetch", prefetch))
    try:
        for system, run in runs:
            times = []
            for repeat in range(options.replay_repeats):
                await ours.prepare_read_model(engine)
                progress = Progress(f"{system} {target.backend} replay #{repeat + 1}",
                                    workload.total_events)
                times.append(await run(engine, progress))
                check(f"{system} {target.backend}", await ours.read_model(engine), expected)
            figures.add(Figure(system, "replay", target.backend, progress.done,
                               min(times)))
    finally:
        await engine.dispose()


async def proposed_appends(target: Target, workload: Workload, figures: Figures) -> None:
    """The append prototypes, each on a fresh database, with the hash chain checked afterwards."""
    if target.backend == "sqlite":
        for system, one_hop in (("prop:sqlite3-inline", False), ("prop:sqlite3-1hop", True)):
            path = target.folder / f"{system.split(':')[1]}.db"
            engine = await ours.open_store(f"sqlite+aiosqlite:///{path}")
            await engine.dispose()
            progress = Progress(f"{system} append", workload.total_events)
            seconds = await proposals.append_sqlite(str(path), workload, progress, one_hop)
            await _checked(system, target, workload, figures, seconds, f"sqlite+aiosqlite:///{path}")
        return
    with fresh_postgres("bench_prop") as database:
        engine = await ours.open_store(database.async_url)
        await engine.dispose()
        progress = Progress("prop:pg-1stmt append", workload.total_events)
        seconds = await proposals.append_postgres(database.async_url, workload, progress)
        await _checked("prop:pg-1stmt", target, workload, figures, seconds, database.async_url)


async def _checked(system: str, target: Target, workload: Workload, figures: Figures,
                   seconds: float, url: str) -> None:
    engine = create_engine(url)
    try:
        breaks = await proposals.chain_breaks(engine)
    finally:
        await engine.dispose()
    if breaks:
        raise SystemExit(f"{system}: the hash chain has {breaks} breaks")
    figures.add(Figure(system, "append", target.backend, workload.total_events, seconds))


WRITERS = 16
"""Concurrent writers in the second append measurement (the issue's figure: 16)."""


@contextlib.contextmanager
def another_database(target: Target, name: str) -> Iterator[str]:
    """An empty database of the target's backend beside the target's own, for a second measurement."""
    if target.backend == "sqlite":
        yield f"sqlite:///{target.folder / f'{name}.db'}"
        return
    with fresh_postgres(f"bench_{name}") as database:
        yield database.async_url


async def ours_append_concurrently(target: Target, workload: Workload, figures: Figures,
                                   latencies: dict[str, float]) -> None:
    with another_database(target, f"ours_{WRITERS}w") as url:
        engine = await ours.open_store(url)
        try:
            progress = Progress(f"ours {target.backend} append, {WRITERS} writers", workload.total_events)
            seconds, each = await ours.append_concurrently(engine, workload, progress, WRITERS)
        finally:
            await engine.dispose()
    figures.add(Figure(f"ours-{WRITERS}w", "append", target.backend, workload.total_events, seconds))
    each.sort()
    for share in (50, 99):
        latencies[f"{target.backend} p{share}"] = each[min(len(each) - 1, len(each) * share // 100)]
    say(f"    (ours, {WRITERS} concurrent writers: one transaction takes p50 "
        f"{latencies[f'{target.backend} p50'] * 1000:.1f} ms, p99 {latencies[f'{target.backend} p99'] * 1000:.1f} ms)")


def their_append(target: Target, workload: Workload, figures: Figures) -> None:
    app = theirs.open_app(target.their_env)
    try:
        progress = Progress(f"eventsourcing {target.backend} append", workload.total_events)
        seconds = theirs.append(app, workload, progress)
        figures.add(Figure("eventsourcing", "append", target.backend, workload.total_events, seconds))
        say(f"    (eventsourcing: {theirs.stored_bytes_per_event(app):.0f} bytes of state per event)")
    finally:
        app.close()


def their_replay(target: Target, workload: Workload, figures: Figures, options: Options) -> None:
    app = theirs.open_app(target.their_env)
    expected = expected_read_model(workload)
    try:
        times = []
        for repeat in range(options.replay_repeats):
            theirs.prepare_read_model(app)
            progress = Progress(f"eventsourcing {target.backend} replay #{repeat + 1}",
                                workload.total_events)
            times.append(theirs.replay(app, progress))
            check(f"eventsourcing {target.backend}", theirs.read_model(app), expected)
        figures.add(Figure("eventsourcing", "replay", target.backend, progress.done,
                           min(times)))
    finally:
        app.close()


def run_backend(target: Target, workload: Workload, options: Options, figures: Figures) -> None:
    say(f"\n[{target.backend}] append: {len(workload.units):,} aggregates × "
        f"{workload.events_per_aggregate} events, one transaction per aggregate")
    if "ours" in options.systems:
        asyncio.run(ours_append(target, workload, figures))
    if "eventsourcing" in options.systems:
        their_append(target, workload, figures)
    if "ours" in options.systems:
        asyncio.run(ours_append_concurrently(target, workload, figures, options.latencies))
    if options.proposals and "ours" in options.systems:
        asyncio.run(proposed_appends(target, workload, figures))
    say(f"[{target.backend}] replay: whole log in order, pages of {readmodel.PAGE_SIZE:,} into a "
        f"read model; best of {options.replay_repeats}")
    gc.collect()
    gc.freeze()  # the heap the appends left, out of full collections, for both systems (as a service starts)
    try:
        if "ours" in options.systems:
            asyncio.run(ours_replay(target, workload, figures, options))
        if "eventsourcing" in options.systems:
            their_replay(target, workload, figures, options)
    finally:
        gc.unfreeze()


def usable_backends(wanted: list[str], systems: list[str]) -> list[str]:
    backends = list(wanted)
    if "postgres" in backends:
        reason = postgres_unavailable()
        if reason is None and "eventsourcing" in systems:
            reason = theirs.POSTGRES_MISSING
        if reason is not None:
            say(f"PostgreSQL is not usable, running SQLite only: {reason}")
            backends.remove("postgres")
    return backends


def main(argv: list[str]) -> int:
    if "--pipeline" in argv:
        return pipeline.main(argv)
    args = parse(argv)
    configure_logging("bench", "WARNING", json=False)
    if args.scale:
        try:
            shape = shape_of(args)
        except ValueError as error:
            raise SystemExit(f"--scale: {error}") from error
        return scale.run(args, shape)
    workload = make_workload(args.aggregates, args.events_per_aggregate)
    say(f"thidua event store vs eventsourcing — python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {workload.total_events:,} events per run")
    say("SQLite: a file per system, WAL; synchronous NORMAL for ours, "
        f"{args.es_sqlite_synchronous} for eventsourcing. PostgreSQL: a fresh database per "
        "system on the same server (ours asyncpg, eventsourcing psycopg 3).")
    backends = usable_backends(args.backends, args.systems)
    options = Options(args.systems, args.replay_repeats, args.proposals)
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as folder:
        for backend in backends:
            with targets(backend, Path(folder), args.es_sqlite_synchronous) as target:
                run_backend(target, workload, options, figures)
        kafka = ""
        if args.kafka and "ours" in args.systems:
            kafka = asyncio.run(kafka_paths.run(Path(folder), workload,
                                                os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), figures))
    say("\nfigures:")
    for figure in figures.items:
        say(figure.line())
    if args.proposals:
        for system in sorted({figure.system for figure in figures.items if figure.system[:5] == "prop:"}):
            phase = next(figure.phase for figure in figures.items if figure.system == system)
            say(f"prototype {system}, ratio vs eventsourcing: "
                + figures.ratio_text(phase, backends, ours=system))
    if kafka:
        say(f"ratio vs raw broker: {kafka}")
    say("replay on raw bodies with orjson (not yet a library path), ratio vs eventsourcing: "
        + figures.ratio_text("replay", backends, ours="ours-fast"))
    ratios = (f"ratio vs eventsourcing: {figures.ratio_text('append', backends)}, "
              f"{figures.ratio_text('replay', backends, ours='ours-read_log')}")
    write_json(args.json, {
        "events": workload.total_events, "backends": backends,
        "figures": [{**asdict(figure), "rate": figure.rate} for figure in figures.items],
        "concurrent_writers": WRITERS, "concurrent_transaction_seconds": options.latencies,
        "ratio_vs_raw_broker": kafka, "ratio_vs_eventsourcing": ratios.split(": ", 1)[1]})
    say(ratios)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
