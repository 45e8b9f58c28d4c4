"""Many streams' batches appended at once (a bulk import): chained like single appends, all or none."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered, UnitRenamed
from thidua_shared.hashing import verify_chain
from thidua_shared.store import ConcurrencyConflict, NewEvents, SqlEventStore

ACTOR = Actor(id="tester", role="admin")


def batch(stream: str, expected: int, *payloads: UnitRegistered | UnitRenamed) -> NewEvents:
    return NewEvents(province="HNM", stream_id=stream, expected_version=expected, payloads=list(payloads),
                     actor=ACTOR, correlation_id="test")


def registered(unit_id: str) -> UnitRegistered:
    return UnitRegistered(unit_id=unit_id, name=f"Unit {unit_id}", short_name=unit_id, kind="other")


async def _append_many(engine: AsyncEngine, batches: list[NewEvents]) -> None:
    async with engine.begin() as connection:
        await SqlEventStore(connection, "registry").append_many(batches)


async def _log(engine: AsyncEngine) -> list[tuple[str, int]]:
    async with engine.connect() as connection:
        return [(event.stream_id, event.stream_version)
                for event in await SqlEventStore(connection, "registry").read_log(0, 10_000)]


async def test_batches_of_many_streams_follow_each_other_in_one_chain(store_engine: AsyncEngine) -> None:
    await _append_many(store_engine, [batch("unit:HNM:a", 0, registered("a"))])
    await _append_many(store_engine, [batch(f"unit:HNM:u{i}", 0, registered(f"u{i}")) for i in range(2500)]
                       + [batch("unit:HNM:a", 1, UnitRenamed(unit_id="a", name="A2", effective_on=date(2024, 1, 1),
                                                               decision_ref="1"))])
    async with store_engine.connect() as connection:
        logged = await SqlEventStore(connection, "registry").read_log(0, 10_000)

    assert [event.position for event in logged] == list(range(1, 2503))
    assert logged[-1].stream_id == "unit:HNM:a"
    assert logged[-1].stream_version == 2
    assert verify_chain([(event.position, event.body, event.hash) for event in logged]) == []


@pytest.mark.parametrize("stale", [
    [batch("unit:HNM:a", 0, registered("a"))],
    [batch("unit:HNM:new", 0, registered("new")), batch("unit:HNM:a", 2, registered("a"))],
    [batch("unit:HNM:new", 0, registered("new")), batch("unit:HNM:new", 2, registered("new"))],
])
async def test_a_batch_on_a_stream_that_moved_writes_nothing(store_engine: AsyncEngine,
                                                              stale: list[NewEvents]) -> None:
    await _append_many(store_engine, [batch("unit:HNM:a", 0, registered("a"))])

    with pytest.raises(ConcurrencyConflict):
        await _append_many(store_engine, stale)

    assert await _log(store_engine) == [("unit:HNM:a", 1)]
