"""The read side of ``python -m bench --scale``: what a person waits for on a province-sized database.

- ``feed``: the read models a service keeps of other services' events (scoring's and awards' copies of the
  registry's units and blocs, awards' copy of scoring's scores), filled from the other services' logs through
  the service's own subscription projections, as its consumers fill them from the topics (without Kafka and
  without the inbox's bookkeeping). The replay rebuilds only each service's own read models; the scoreboard
  names a bloc's members and the explanation its ranking and units from these copies.
- ``queries``: each service's real FastAPI app built on its database (no lifespan: no relay, no consumers, no
  broker), called in this process through ``httpx.ASGITransport`` with an admin's token, one request at a time:
  the scoreboard of a bloc-year (scoring), the proposals board of a year (awards; half of the requests also
  filtered by a bloc), the explanation of a proposal (awards) and a unit's history (registry). Ids are chosen by
  a seeded generator; a few requests per query warm up untimed. The token database is a SQLite file of the
  phase's own, whatever the backend (a token is looked up once, then cached by the service).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from awards.adapters.tables import proposals
from bench.province import ProvinceShape
from thidua_contracts.envelope import Source
from thidua_shared.auth import TokenStore
from thidua_shared.config import ServiceSettings
from thidua_shared.service import ServiceDefinition
from thidua_shared.store import SqlEventStore, migrate
from thidua_shared.store.db import create_engine

QUERIES: tuple[tuple[str, Source], ...] = (("scoreboard", "scoring"), ("proposals board", "awards"),
                                           ("explanation", "awards"), ("unit history", "registry"))
"""The main read queries a person triggers, and the service that answers each."""
WARM_UP = 5
"""Requests per query sent before the clock starts (first statements prepared, the token cached)."""
PAGE = 1000


@dataclass(frozen=True)
class QueryTiming:
    """The latency of one query over ``requests`` requests, in milliseconds."""

    query: str
    service: str
    route: str
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def timing_of(query: str, service: str, route: str, seconds: list[float]) -> QueryTiming:
    milliseconds = [value * 1000 for value in seconds]
    cuts = statistics.quantiles(milliseconds, n=100, method="inclusive") if len(milliseconds) > 1 \
        else milliseconds * 99
    return QueryTiming(query, service, route, len(milliseconds), cuts[49], cuts[94], cuts[98], max(milliseconds))


async def feed(service: ServiceDefinition, urls: Mapping[Source, str]) -> int:
    """The service's copies of other services' events, from their logs through its subscription projections, in
    one transaction; the number of events read from the other logs."""
    read = 0
    engine = create_engine(urls[service.name])
    try:
        async with engine.begin() as connection:
            for source, projection in service.subscriptions.items():
                if source not in urls or source == service.name:
                    continue
                other = create_engine(urls[source])
                try:
                    after = 0
                    while True:
                        async with other.connect() as reading:
                            batch = await SqlEventStore(reading, source).read_log(after, PAGE)
                        if not batch:
                            break
                        await projection.project(connection, batch)
                        after, read = batch[-1].position, read + len(batch)
                finally:
                    await other.dispose()
    finally:
        await engine.dispose()
    return read


Request = Callable[[random.Random], tuple[str, dict[str, str | int]]]
Check = Callable[[Any], str | None]
"""What is implausible in an answer's body, or None."""


@dataclass(frozen=True)
class Query:
    name: str
    service: Source
    route: str
    request: Request
    check: Check


def province_queries(shape: ProvinceShape, proposal_ids: list[str]) -> list[Query]:
    base = f"/provinces/{shape.province}"

    def bloc(rng: random.Random) -> str:
        return shape.bloc_id(rng.randrange(shape.blocs))

    def scoreboard(rng: random.Random) -> tuple[str, dict[str, str | int]]:
        return f"{base}/blocs/{bloc(rng)}/years/{rng.choice(shape.year_range)}/scoreboard", {}

    def board(rng: random.Random) -> tuple[str, dict[str, str | int]]:
        year: dict[str, str | int] = {"year": rng.choice(shape.year_range)}
        return f"{base}/proposals", {**year, "bloc_id": bloc(rng)} if rng.random() < 0.5 else year

    def explanation(rng: random.Random) -> tuple[str, dict[str, str | int]]:
        return f"{base}/proposals/{rng.choice(proposal_ids)}/explanation", {}

    def unit_history(rng: random.Random) -> tuple[str, dict[str, str | int]]:
        return f"{base}/units/{rng.choice(shape.members(rng.randrange(shape.blocs)))}/history", {}

    def scoreboard_check(body: Any) -> str | None:
        if len(body["members"]) != shape.units_per_bloc or len(body["scores"]) != shape.units_per_bloc:
            return f"{len(body['members'])} members, {len(body['scores'])} scores"
        return None if body["ranking"] and body["bloc_name"] else "no ranking or no bloc name"

    def board_check(body: Any) -> str | None:
        return None if body["proposals"] and body["by_state"] == {"decided": len(body["proposals"])} \
            else f"{len(body['proposals'])} proposals, by state {body['by_state']}"

    def explanation_check(body: Any) -> str | None:
        if len(body["ranking"]) != shape.units_per_bloc or body["vote"] is None:
            return f"a ranking of {len(body['ranking'])} units, vote {body['vote']}"
        kinds = [step["event_type"] for step in body["steps"]]
        return None if kinds[-1] == "AwardDecided" else f"steps {kinds}"

    def history_check(body: Any) -> str | None:
        return None if body and body[0]["event_type"] == "UnitRegistered" else f"{body}"

    return [Query("scoreboard", "scoring", "GET /provinces/{p}/blocs/{bloc}/years/{year}/scoreboard", scoreboard,
                  scoreboard_check),
            Query("proposals board", "awards", "GET /provinces/{p}/proposals?year=…[&bloc_id=…]", board, board_check),
            Query("explanation", "awards", "GET /provinces/{p}/proposals/{id}/explanation", explanation,
                  explanation_check),
            Query("unit history", "registry", "GET /provinces/{p}/units/{id}/history", unit_history, history_check)]


class ImplausibleAnswer(Exception):
    """A query answered something else than 200, or a body that does not fit the province's history."""


async def decided_proposals(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return sorted(str(row) for row in (await connection.execute(
                select(proposals.c.proposal_id).where(proposals.c.state == "decided"))).scalars())
    finally:
        await engine.dispose()


async def measure(services: Mapping[Source, ServiceDefinition], urls: Mapping[Source, str], shape: ProvinceShape,
                  requests: int, seed: int | None = None) -> list[QueryTiming]:
    """Each query ``requests`` times, after :data:`WARM_UP` untimed; every answer checked (200, plausible)."""
    queries = province_queries(shape, await decided_proposals(urls["awards"]))
    rng = random.Random(shape.seed if seed is None else seed)
    timings = []
    with tempfile.TemporaryDirectory(prefix="thidua-queries-") as folder:
        auth = f"sqlite+aiosqlite:///{Path(folder) / 'auth.db'}"
        auth_engine = create_engine(auth)
        try:
            await migrate.upgrade(auth_engine, [migrate.AUTH_VERSIONS])
            token = (await TokenStore(auth_engine).issue(shape.province, "admin", "bench")).token
        finally:
            await auth_engine.dispose()
        apps: dict[Source, FastAPI] = {}
        try:
            for query in queries:
                if query.service not in apps:
                    apps[query.service] = services[query.service].create_app(ServiceSettings(
                        database_url=urls[query.service], auth_database_url=auth, data_dir=Path(folder),
                        provinces=shape.province, migrate_on_start=False))
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[query.service]),
                                             base_url="http://bench", headers={"Authorization": f"Bearer {token}",
                                                                               "Accept-Language": "vi"}) as client:
                    seconds = await timed(client, query, rng, WARM_UP, requests)
                timings.append(timing_of(query.name, query.service, query.route, seconds))
        finally:
            for app in apps.values():
                await app.state.parts.engine.dispose()
                await app.state.parts.auth_engine.dispose()
    return timings


async def timed(client: httpx.AsyncClient, query: Query, rng: random.Random, warm_up: int,
                requests: int) -> list[float]:
    seconds = []
    for number in range(warm_up + requests):
        path, parameters = query.request(rng)
        started = time.perf_counter()
        answer = await client.get(path, params=parameters)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise ImplausibleAnswer(f"{query.name}: {path} {parameters} answered {answer.status_code}: "
                                    f"{answer.text[:300]}")
        problem = query.check(answer.json())
        if problem is not None:
            raise ImplausibleAnswer(f"{query.name}: {path} {parameters}: {problem}")
        if number >= warm_up:
            seconds.append(elapsed)
    return seconds

