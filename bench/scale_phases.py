"""The phases of the scale benchmark; ``python -m bench.scale_phases`` runs one in a process of its own, so that
the memory it reports is that phase's (``ru_maxrss`` is process-wide and only grows).

- ``generate``: record the province's history (:mod:`bench.province`) in each service's database.
- ``replay``: rebuild one service's read models from its own log, through its real projection
  (:func:`thidua_shared.replay.rebuild` with the service's ``own_events`` and ``own_tables``), and check they
  hold the rows the commands left.
- ``verify-audit``: the auditor's check of one service's log, pages read as the audit API reads them and the
  chain checked by :class:`thidua_shared.audit_verify.ChainCheck`, page by page;
- ``verify-store``: the store's own check (:func:`thidua_shared.store.audit.verify_log`, ``thidua store verify``);
- ``feed``: one service's read models of other services' events, from their logs (:func:`bench.scale_queries.feed`);
- ``queries``: the main read queries timed through the services' own apps (:func:`bench.scale_queries.measure`);
  its JSON lines are :class:`bench.scale_queries.QueryTiming`.

Progress goes to standard error; each result is a JSON line on standard output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict

import orjson
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from awards.bootstrap import SERVICE as AWARDS
from bench.province import ProvinceShape, Recorder, record_awards, record_registry, record_scoring
from bench.report import Progress
from bench.scale import SOURCES, PhaseResult, shape_arguments, shape_of
from bench.scale_queries import feed, measure
from registry.bootstrap import SERVICE as REGISTRY
from scoring.bootstrap import SERVICE as SCORING
from thidua_contracts.envelope import Actor, Source
from thidua_shared.audit_verify import ChainCheck, Entry
from thidua_shared.hashing import GENESIS
from thidua_shared.logging import configure_logging
from thidua_shared.replay import rebuild
from thidua_shared.service import ServiceDefinition
from thidua_shared.store import migrate
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events, log_head

SERVICES: dict[Source, ServiceDefinition] = {"registry": REGISTRY, "scoring": SCORING, "awards": AWARDS}
assert tuple(SERVICES) == SOURCES
AUDIT_PAGE = 1000
"""Events per page, as the audit CLI asks the audit API for them."""


def rss_mb() -> float:
    """The resident set's high-water mark of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stderr_progress(label: str, total: int) -> Progress:
    return Progress(label, total, out=sys.stderr)


async def migrated(url: str, service: ServiceDefinition) -> AsyncEngine:
    engine = create_engine(url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS, service.migrations])
    return engine


async def generate(shape: ProvinceShape, urls: dict[Source, str]) -> list[PhaseResult]:
    """The province's history in the three services' databases, service by service (awards needs scoring's
    rankings). The migrations run before the clock starts."""
    results = []
    expected = shape.expected_events()
    rankings = None
    for source, service in SERVICES.items():
        engine = await migrated(urls[source], service)
        try:
            progress = stderr_progress(f"{source} generate", expected[source])
            recorder = Recorder(engine, source, service.own_events, shape.province,
                                Actor(id=f"bench-{source}", role="admin"), progress.add)
            before, started = rss_mb(), time.perf_counter()
            if source == "registry":
                await record_registry(shape, recorder)
            elif source == "scoring":
                rankings = await record_scoring(shape, recorder)
            else:
                assert rankings is not None
                await record_awards(shape, recorder, rankings)
            results.append(PhaseResult("generate", source, progress.done, time.perf_counter() - started,
                                       before, rss_mb()))
        finally:
            await engine.dispose()
    return results


async def row_counts(engine: AsyncEngine, tables: Sequence[Table]) -> dict[str, int]:
    async with engine.connect() as connection:
        return {table.name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
                for table in tables}


class ReplayMismatch(Exception):
    """The rebuilt read models do not hold the rows the commands left."""


async def replay(source: Source, url: str) -> PhaseResult:
    service = SERVICES[source]
    engine = create_engine(url)
    try:
        live = await row_counts(engine, service.own_tables)
        progress = stderr_progress(f"{source} replay", 0)

        def show(done: int, total: int) -> None:
            progress.total = total
            progress.add(done - progress.done)

        before, started = rss_mb(), time.perf_counter()
        replayed = await rebuild(engine, source, service.own_events, service.own_tables, progress=show)
        seconds = time.perf_counter() - started
        rebuilt = await row_counts(engine, service.own_tables)
    finally:
        await engine.dispose()
    if rebuilt != live:
        raise ReplayMismatch(f"{source}: the commands left {live}, the replay rebuilt {rebuilt}")
    return PhaseResult("replay", source, replayed, seconds, before, rss_mb(), rebuilt)


class ChainBroken(Exception):
    """The verification found problems in a log the benchmark itself wrote."""


async def audit_check(engine: AsyncEngine, progress: Progress) -> tuple[ChainCheck, int, str]:
    """The whole log checked as the audit CLI checks it: page by page as the audit API pages it (one connection
    per page), nothing held but the chain's state; and the log's head."""
    check = ChainCheck()
    after, head_position, head_hash = 0, 0, GENESIS
    while True:
        async with engine.connect() as connection:
            rows = (await connection.execute(
                select(events.c.position, events.c.body, events.c.hash)
                .where(events.c.position > after).order_by(events.c.position).limit(AUDIT_PAGE))).all()
            head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).first()
        if head is not None:
            head_position, head_hash = int(head[0]), str(head[1])
        for position, body, hash_ in rows:
            check.feed(Entry(int(position), str(hash_), str(orjson.loads(body).get("prev_hash", "")), str(body)))
        progress.total = head_position
        progress.add(len(rows))
        if len(rows) < AUDIT_PAGE:
            return check, head_position, head_hash
        after = int(rows[-1][0])


async def verify_audit(source: Source, url: str) -> PhaseResult:
    """The auditor's check: every page read and checked as it comes (as ``thidua audit verify`` does)."""
    engine = create_engine(url)
    try:
        before, started = rss_mb(), time.perf_counter()
        check, head_position, head_hash = await audit_check(engine, stderr_progress(f"{source} audit read", 0))
        findings = check.finish(head_position, head_hash)
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    if findings:
        first = min(findings, key=lambda finding: finding.position)
        raise ChainBroken(f"{source}: {len(findings)} findings, the first at position {first.position}: "
                          f"{first.words('en')}")
    return PhaseResult("verify-audit", source, check.count, seconds, before, rss_mb())


async def verify_store(source: Source, url: str) -> PhaseResult:
    """The store's own check (``thidua store verify``): the chain, each row's columns, the head."""
    engine = create_engine(url)
    try:
        before, started = rss_mb(), time.perf_counter()
        checked, breaks = await verify_log(engine)
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    if breaks:
        raise ChainBroken(f"{source}: {len(breaks)} breaks, the first at position {breaks[0].position}: "
                          f"{breaks[0].problem}")
    return PhaseResult("verify-store", source, checked, seconds, before, rss_mb())


async def feed_phase(source: Source, urls: dict[Source, str]) -> PhaseResult:
    """``source``'s read models of the other services' events (``urls``: every service's database)."""
    service = SERVICES[source]
    before, started = rss_mb(), time.perf_counter()
    read = await feed(service, urls)
    seconds = time.perf_counter() - started
    engine = create_engine(urls[source])
    try:
        rows = await row_counts(engine, service.consumed_tables)
    finally:
        await engine.dispose()
    return PhaseResult("feed", source, read, seconds, before, rss_mb(), rows)


PHASES = ("generate", "replay", "verify-audit", "verify-store", "feed", "queries")
ONE_SERVICE = {"replay": replay, "verify-audit": verify_audit, "verify-store": verify_store}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_phases", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("phase", choices=PHASES)
    parser.add_argument("--url", action="append", default=[], metavar="SERVICE=URL",
                        help="the database of a service (generate: one per service)")
    parser.add_argument("--feed", choices=SERVICES, help="feed: the service whose copies are filled")
    shape_arguments(parser)
    arguments = parser.parse_args(argv)
    urls: dict[Source, str] = {}
    for item in arguments.url:
        name, _, url = item.partition("=")
        source = next((known for known in SERVICES if known == name), None)
        if source is None or not url:
            parser.error(f"--url: SERVICE=URL with SERVICE one of {', '.join(SERVICES)} (got {item!r})")
        urls[source] = url
    if arguments.phase == "queries":
        configure_logging("bench", "WARNING", json=True)
        timings = asyncio.run(measure(SERVICES, urls, shape_of(arguments), arguments.scale_queries))
        for timing in timings:
            print(json.dumps(asdict(timing)), flush=True)
        return 0
    if arguments.phase == "generate":
        results = asyncio.run(generate(shape_of(arguments), urls))
    elif arguments.phase == "feed":
        if arguments.feed is None:
            parser.error("feed: --feed SERVICE")
        results = [asyncio.run(feed_phase(arguments.feed, urls))]
    else:
        results = [asyncio.run(ONE_SERVICE[arguments.phase](source, url)) for source, url in urls.items()]
    for result in results:
        print(json.dumps(asdict(result)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
