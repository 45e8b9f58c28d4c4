"""One contract, every event store: in memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered, UnitRenamed
from thidua_shared.hashing import verify_chain
from thidua_shared.projection import Projection
from thidua_shared.store import ConcurrencyConflict, InMemoryEventStore, LogHead, NewEvents, SqlEventStore, migrate
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import events
from thidua_shared.testing import database_url_for
from thidua_shared.unit_of_work import SqlUnitOfWork

ACTOR = Actor(id="tester", role="admin")


def registered(unit_id: str) -> UnitRegistered:
    return UnitRegistered(unit_id=unit_id, name=f"Unit {unit_id}", short_name=unit_id, kind="other")


def batch(stream: str, expected: int, *payloads: UnitRegistered | UnitRenamed,
          province: str = "HNM") -> NewEvents:
    return NewEvents(province=province, stream_id=stream, expected_version=expected,
                     payloads=list(payloads), actor=ACTOR, correlation_id="test")


class StoreUnderTest:
    """Each call in its own transaction, as a command handler would use the store."""

    def __init__(self, backend: str, tmp_path: Path) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.memory = InMemoryEventStore("registry")

    async def __aenter__(self) -> StoreUnderTest:
        if self.backend != "memory":
            self._url_context = database_url_for(self.backend, self.tmp_path)
            self.engine = create_engine(self._url_context.__enter__())
            await migrate.upgrade(self.engine, [migrate.STORE_VERSIONS])
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.backend != "memory":
            await self.engine.dispose()
            self._url_context.__exit__(None, None, None)

    async def append(self, new: NewEvents) -> list[StoredEvent]:
        if self.backend == "memory":
            return await self.memory.append(new)
        async with self.engine.begin() as connection:
            return await SqlEventStore(connection, "registry").append(new)

    async def read_stream(self, stream: str) -> list[StoredEvent]:
        if self.backend == "memory":
            return await self.memory.read_stream(stream)
        async with self.engine.connect() as connection:
            return await SqlEventStore(connection, "registry").read_stream(stream)

    async def read_log(self, after: int = 0, limit: int = 10_000) -> list[StoredEvent]:
        if self.backend == "memory":
            return await self.memory.read_log(after, limit)
        async with self.engine.connect() as connection:
            return await SqlEventStore(connection, "registry").read_log(after, limit)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreUnderTest]:
    async with StoreUnderTest(request.param, tmp_path) as under_test:
        yield under_test


async def test_appended_events_are_read_back_in_stream_order_with_versions(store: StoreUnderTest) -> None:
    await store.append(batch("unit-a", 0, registered("a")))
    await store.append(batch("unit-b", 0, registered("b")))
    await store.append(batch("unit-a", 1, UnitRenamed(unit_id="a", name="A2", effective_on="2024-01-03")))

    stream = await store.read_stream("unit-a")

    assert [(e.event_type, e.stream_version) for e in stream] == [
        ("UnitRegistered", 1), ("UnitRenamed", 2)]
    renamed = stream[1].typed()
    assert isinstance(renamed, UnitRenamed)
    assert renamed.name == "A2"
    assert [e.position for e in await store.read_log()] == [1, 2, 3]


async def test_an_act_dated_in_the_world_occurred_at_the_start_of_its_day_in_viet_nam(store: StoreUnderTest) -> None:
    [registered_event, renamed] = await store.append(batch(
        "unit-d", 0, registered("d"), UnitRenamed(unit_id="d", name="D2", effective_on="2021-01-01")))

    assert renamed.occurred_at == "2020-12-31T17:00:00.000000Z", "00:00 on 01/01/2021 in Viet Nam"
    assert renamed.recorded_at == registered_event.recorded_at
    assert renamed.recorded_at > "2026", "the clock still says when it was recorded"
    assert registered_event.occurred_at == registered_event.recorded_at, "an act the event does not date"
    assert renamed.envelope().occurred_at.isoformat() == "2020-12-31T17:00:00+00:00"


async def test_append_at_a_stale_version_is_a_conflict_and_writes_nothing(store: StoreUnderTest) -> None:
    await store.append(batch("unit-a", 0, registered("a")))

    with pytest.raises(ConcurrencyConflict):
        await store.append(batch("unit-a", 0, registered("a"), registered("a")))
    with pytest.raises(ConcurrencyConflict):
        await store.append(batch("unit-a", 5, registered("a")))

    assert len(await store.read_log()) == 1


async def test_every_event_carries_a_hash_chained_to_the_previous_one(store: StoreUnderTest) -> None:
    for number in range(5):
        await store.append(batch(f"unit-{number}", 0, registered(str(number)), registered(str(number))))

    log = await store.read_log()

    assert verify_chain((e.position, e.body, e.hash) for e in log) == []
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(log))
    assert log[-1].envelope().hash == log[-1].hash


async def test_concurrent_writers_get_gap_free_positions_never_seen_out_of_order(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    writers, per_writer = 8, 15
    seen: list[int] = []
    done = asyncio.Event()

    async def write(writer: int) -> None:
        for step in range(per_writer):
            async with engine.begin() as connection:
                await SqlEventStore(connection, "registry").append(
                    batch(f"unit-{writer}-{step}", 0, registered("x"), registered("x")))

    async def tail() -> None:
        last = 0
        while True:
            finished = done.is_set()
            async with engine.connect() as connection:
                fresh = await SqlEventStore(connection, "registry").read_log(last, 1000)
            for event in fresh:
                assert event.position == last + 1, f"saw {event.position} right after {last}"
                seen.append(event.position)
                last = event.position
            if finished and not fresh:
                return
            await asyncio.sleep(0)

    reader = asyncio.create_task(tail())
    await asyncio.gather(*(write(n) for n in range(writers)))
    done.set()
    await reader
    await engine.dispose()

    assert seen == list(range(1, writers * per_writer * 2 + 1))


@pytest.mark.parametrize(("tamper", "first_break"), [
    ("alter", 3), ("remove", 4), ("reorder", 3), ("truncate", 6)])
async def test_the_audit_reveals_an_altered_removed_reordered_or_cut_off_event(
    database_url: str, tamper: str, first_break: int,
) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    for number in range(6):
        async with engine.begin() as connection:
            await SqlEventStore(connection, "registry").append(batch(f"unit-{number}", 0, registered("x")))
    untouched = await verify_log(engine)
    async with engine.begin() as connection:
        if tamper == "alter":
            body = (await connection.execute(select(events.c.body).where(events.c.position == 3))).scalar_one()
            await connection.execute(events.update().where(events.c.position == 3)
                                     .values(body=body.replace('"Unit x"', '"Unit y"')))
        elif tamper == "remove":
            await connection.execute(events.delete().where(events.c.position == 3))
        elif tamper == "truncate":
            await connection.execute(events.delete().where(events.c.position > 4))
        else:
            await connection.execute(text("UPDATE events SET position = -position WHERE position IN (3, 4)"))
            await connection.execute(text("UPDATE events SET position = 4 WHERE position = -3"))
            await connection.execute(text("UPDATE events SET position = 3 WHERE position = -4"))

    checked, breaks = await verify_log(engine)
    await engine.dispose()

    assert untouched == (6, [])
    assert breaks, f"{tamper} went unnoticed"
    assert breaks[0].position == first_break
    if tamper == "truncate":
        assert checked == 4
        assert breaks[0].problem.startswith("truncated")


async def test_writers_with_stale_head_hints_still_chain_every_event_in_order(database_url: str) -> None:
    """Two processes' units of work, each trusting its own hint of the head, interleaved and concurrent."""
    engine = create_engine(database_url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    hints = [LogHead(), LogHead()]

    async def write(writer: int) -> None:
        for step in range(10):
            uow = SqlUnitOfWork(engine, "registry", Projection(), head_hint=hints[writer % 2])
            async with uow:
                await uow.record(batch(f"unit-{writer}-{step}", 0, registered("x"), registered("x")))
                await uow.commit()

    await asyncio.gather(*(write(n) for n in range(4)))
    failed = SqlUnitOfWork(engine, "registry", Projection(), head_hint=hints[0])
    async with failed:
        await failed.record(batch("unit-rolled-back", 0, registered("x")))
    async with engine.connect() as connection:
        log = await SqlEventStore(connection, "registry").read_log(0, 1000)
    await engine.dispose()

    assert [event.position for event in log] == list(range(1, 81))
    assert verify_chain((e.position, e.body, e.hash) for e in log) == []
    assert hints[0].position is None, "a rolled-back append must not leave its head behind as a hint"
