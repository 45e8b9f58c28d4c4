"""The appends of one process queue for the head (``LogHead.turn``) and pass it on before they commit: what that
must not change."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_shared.hashing import verify_chain
from thidua_shared.projection import Projection
from thidua_shared.store import LogHead, NewEvents, SqlEventStore, StoredEvent, event_store, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.unit_of_work import SqlUnitOfWork

ACTOR = Actor(id="tester", role="admin")


def batch(stream: str, events: int) -> NewEvents:
    payloads = [UnitRegistered(unit_id=stream, name=f"Unit {n}", short_name=stream, kind="other")
                for n in range(events)]
    return NewEvents(province="HNM", stream_id=stream, expected_version=0, payloads=payloads, actor=ACTOR,
                     correlation_id="test")


async def migrated(database_url: str) -> AsyncEngine:
    engine = create_engine(database_url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    return engine


async def recorded(engine: AsyncEngine, hint: LogHead, stream: str, events: int) -> None:
    """One command: ``events`` events on ``stream``, committed."""
    async with SqlUnitOfWork(engine, "registry", Projection(), head_hint=hint) as uow:
        await uow.record(batch(stream, events))
        await uow.commit()


async def whole_log(engine: AsyncEngine) -> list[StoredEvent]:
    """The log as stored (the engine is disposed of: the test is done with it)."""
    async with engine.connect() as connection:
        log = await SqlEventStore(connection, "registry").read_log(0, 1000)
    await engine.dispose()
    return log


async def test_an_append_behind_one_that_rolls_back_still_chains_to_the_committed_head(database_url: str) -> None:
    """The second append guesses the head the first wrote; the first rolls back: the second appends after the
    last committed event, and the log stays gap-free and chained."""
    engine = await migrated(database_url)
    hint = LogHead()
    await recorded(engine, hint, "unit-a", 2)
    first_appended = asyncio.Event()

    async def rolled_back() -> None:
        async with SqlUnitOfWork(engine, "registry", Projection(), head_hint=hint) as uow:
            await uow.record(batch("unit-b", 3))
            first_appended.set()
            await asyncio.sleep(0.2)  # meanwhile the second append guesses this head (and on PostgreSQL waits)
        # left without a commit: rolled back

    async def committed() -> None:
        await first_appended.wait()
        await recorded(engine, hint, "unit-c", 2)

    await asyncio.gather(rolled_back(), committed())
    await recorded(engine, hint, "unit-d", 1)
    log = await whole_log(engine)

    assert [event.stream_id for event in log] == ["unit-a"] * 2 + ["unit-c"] * 2 + ["unit-d"]
    assert [event.position for event in log] == [1, 2, 3, 4, 5]
    assert verify_chain((event.position, event.body, event.hash) for event in log) == []


async def test_many_concurrent_appends_of_one_process_are_gap_free_and_chained(database_url: str) -> None:
    engine = await migrated(database_url)
    hint = LogHead()

    async def write(writer: int) -> None:
        for step in range(5):
            async with SqlUnitOfWork(engine, "registry", Projection(), head_hint=hint) as uow:
                await uow.record(batch(f"unit-{writer}-{step}", 3))
                if step == 2:
                    continue  # rolled back
                await uow.commit()

    await asyncio.gather(*(write(writer) for writer in range(12)))
    log = await whole_log(engine)

    assert [event.position for event in log] == list(range(1, 12 * 4 * 3 + 1))
    assert verify_chain((event.position, event.body, event.hash) for event in log) == []
    assert all(event.stream_id[-2:] != "-2" for event in log)


async def test_a_unit_of_work_that_records_twice_while_another_waits_behind_it_completes(database_url: str) -> None:
    """The first append passed the turn on and holds the head: its second append must not queue again behind
    the one that waits for its commit."""
    engine = await migrated(database_url)
    hint = LogHead()
    await recorded(engine, hint, "unit-a", 1)
    first_appended, second_started = asyncio.Event(), asyncio.Event()

    async def twice() -> None:
        async with SqlUnitOfWork(engine, "registry", Projection(), head_hint=hint) as uow:
            await uow.record(batch("unit-b", 2))
            first_appended.set()
            await second_started.wait()
            await asyncio.sleep(0.1)  # the other append is now queued (and on PostgreSQL waits for this commit)
            await uow.record(batch("unit-c", 2))
            await uow.commit()

    async def behind() -> None:
        await first_appended.wait()
        second_started.set()
        await recorded(engine, hint, "unit-d", 1)

    await asyncio.wait_for(asyncio.gather(twice(), behind()), 60)  # a guard against a deadlock, not a timing
    log = await whole_log(engine)

    assert [event.stream_id for event in log] == ["unit-a", "unit-b", "unit-b", "unit-c", "unit-c", "unit-d"]
    assert verify_chain((event.position, event.body, event.hash) for event in log) == []


async def test_an_append_whose_turn_does_not_come_goes_unqueued(database_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A turn held by something the database cannot see (here, the test) delays an append, never stops it."""
    monkeypatch.setattr(event_store, "TURN_SECONDS", 0.05)
    engine = await migrated(database_url)
    hint = LogHead()
    for stream in ("unit-a", "unit-b"):
        if stream == "unit-b":
            await hint.turn().acquire()
        await recorded(engine, hint, stream, 2)
    log = await whole_log(engine)

    assert [event.position for event in log] == [1, 2, 3, 4]
    assert hint.turn().locked(), "the turn is still the test's: the append did not take it"
