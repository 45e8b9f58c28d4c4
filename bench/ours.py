"""Our side: ``SqlEventStore`` on ``thidua_shared.store.db.create_engine``, migrated with Alembic."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, cast

import orjson
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import readmodel
from bench.report import Progress
from bench.workload import Unit, Workload
from thidua_contracts import EventPayload, model_for
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitKind, UnitRegistered, UnitRenamed
from thidua_contracts.upcasting import upcast
from thidua_shared.projection import Projection
from thidua_shared.store import LogHead, NewEvents, SqlEventStore, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.unit_of_work import SqlUnitOfWork

ACTOR = Actor(id="bench", role="admin")
PROVINCE = "HN"


async def open_store(url: str) -> AsyncEngine:
    engine = create_engine(url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    return engine


def payloads_of(unit: Unit) -> list[EventPayload]:
    """What a command decided for one unit: its registration, then its renames."""
    made: list[EventPayload] = [UnitRegistered(
        unit_id=unit.unit_id, name=unit.name, short_name=unit.short_name,
        kind=cast(UnitKind, unit.kind), parent_unit_id=unit.parent_unit_id,
    )]
    made.extend(UnitRenamed(unit_id=unit.unit_id, name=name, effective_on=effective_on)
                for name, effective_on in unit.renames)
    return made


async def append(engine: AsyncEngine, workload: Workload, progress: Progress) -> float:
    """One unit of work (one transaction, one ``record``) per aggregate, as a command handler does."""
    project, head = Projection(), LogHead()
    started = time.perf_counter()
    for unit in workload.units:
        batch = NewEvents(
            province=PROVINCE, stream_id=f"unit-{unit.unit_id}", expected_version=0,
            payloads=payloads_of(unit), actor=ACTOR, correlation_id=unit.unit_id,
        )
        async with SqlUnitOfWork(engine, "registry", project, head_hint=head) as uow:
            await uow.record(batch)
            await uow.commit()
        progress.add(len(batch.payloads))
    return time.perf_counter() - started


async def append_concurrently(engine: AsyncEngine, workload: Workload, progress: Progress,
                              writers: int) -> tuple[float, list[float]]:
    """``writers`` tasks, each recording one aggregate per transaction as a command handler does, until
    every aggregate is recorded: the seconds for all of it, and each transaction's seconds (from
    opening the unit of work to its commit, so including the wait for the others' writes)."""
    project, head = Projection(), LogHead()
    pending = iter(workload.units)
    latencies: list[float] = []

    async def writer() -> None:
        for unit in pending:
            batch = NewEvents(
                province=PROVINCE, stream_id=f"unit-{unit.unit_id}", expected_version=0,
                payloads=payloads_of(unit), actor=ACTOR, correlation_id=unit.unit_id,
            )
            began = time.perf_counter()
            async with SqlUnitOfWork(engine, "registry", project, head_hint=head) as uow:
                await uow.record(batch)
                await uow.commit()
            latencies.append(time.perf_counter() - began)
            progress.add(len(batch.payloads))

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(writers)))
    return time.perf_counter() - started, latencies


async def prepare_read_model(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for statement in (*readmodel.DDL, *readmodel.RESET):
            await connection.execute(text(statement))


async def replay_read_log(engine: AsyncEngine, progress: Progress,
                          passed: Callable[[int, float], None] | None = None) -> float:
    """Replay through the store's own API: ``read_log`` pages, each event typed (as ``Projection.project`` does).
    ``passed`` hears, after each page, the position reached and the seconds since the start."""
    upsert, checkpoint = text(readmodel.UPSERT_NAMED), text(readmodel.CHECKPOINT_NAMED)
    started = time.perf_counter()
    after = 0
    while True:
        async with engine.begin() as connection:
            page = await SqlEventStore(connection, "registry").read_log(after, readmodel.PAGE_SIZE)
            if not page:
                break
            pending: readmodel.Fold = {}
            for event in page:
                payload = event.typed()
                if isinstance(payload, UnitRegistered | UnitRenamed):
                    readmodel.fold(pending, payload.unit_id, payload.name)
            after = page[-1].position
            await connection.execute(upsert, readmodel.named_rows(pending))
            await connection.execute(checkpoint, {"position": after})
        progress.add(len(page))
        if passed is not None:
            passed(after, time.perf_counter() - started)
    return time.perf_counter() - started


def current_versions() -> dict[str, int]:
    """The event types this read model handles, with the schema version their models describe."""
    return {name: model_for(name).schema_version for name in ("UnitRegistered", "UnitRenamed")}


def current_payload(current: dict[str, int], event_type: str, version: int,
                    payload: dict[str, Any]) -> dict[str, Any] | None:
    """The payload at its current version (upcast only when stored older), or None if not handled."""
    wanted = current.get(event_type)
    if wanted is None:
        return None
    if version != wanted:
        _, payload = upcast(event_type, version, payload)
    return payload


async def replay_fast(engine: AsyncEngine, progress: Progress) -> float:
    """Replay reading ``(position, body)`` and decoding with orjson: no ``StoredEvent``, no pydantic.

    Payloads stored at an older schema version still go through the upcasters, so this is what a
    real replay may do. (Measured here; the function that should exist in shared is in the report.)
    """
    upsert, checkpoint = text(readmodel.UPSERT_NAMED), text(readmodel.CHECKPOINT_NAMED)
    current = current_versions()
    started = time.perf_counter()
    after = 0
    while True:
        async with engine.begin() as connection:
            rows = (await connection.execute(
                select(events.c.position, events.c.body)
                .where(events.c.position > after)
                .order_by(events.c.position)
                .limit(readmodel.PAGE_SIZE)
            )).all()
            if not rows:
                break
            pending: readmodel.Fold = {}
            for _position, body in rows:
                document: dict[str, Any] = orjson.loads(body)
                payload = current_payload(current, document["event_type"],
                                          document["schema_version"], document["payload"])
                if payload is not None:
                    readmodel.fold(pending, payload["unit_id"], payload["name"])
            after = int(rows[-1][0])
            await connection.execute(upsert, readmodel.named_rows(pending))
            await connection.execute(checkpoint, {"position": after})
        progress.add(len(rows))
    return time.perf_counter() - started


async def read_model(engine: AsyncEngine) -> dict[str, tuple[str, int]]:
    async with engine.connect() as connection:
        result = await connection.execute(text(readmodel.SELECT_ALL))
        return {str(unit_id): (str(name), int(count)) for unit_id, name, count in result}


async def stored_bytes_per_event(engine: AsyncEngine) -> float:
    """Average UTF-8 size of an event's stored body (the canonical JSON envelope, payload included)."""
    async with engine.connect() as connection:
        bodies = (await connection.execute(select(events.c.body))).scalars().all()
    return sum(len(body.encode()) for body in bodies) / max(len(bodies), 1)
