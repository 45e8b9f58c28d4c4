"""A replay compares each table with the scratch database fed up to exactly the events its live rows reflect, while the
service writes between the tables it reads; a table whose pages were read across a write is read again in the next
round, and is reported as not compared when the service is still writing after the last round."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_shared.audit_replay import compare
from thidua_shared.projection import Projection
from thidua_shared.read_models import Progress, ReadModels, describe
from thidua_shared.scratch_replay import ReplayedService, Scratch
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import InMemoryEventStore, NewEvents, StoredEvent

metadata = MetaData()
units = Table("units", metadata, Column("province", String(8), primary_key=True),
              Column("unit_id", String(100), primary_key=True), Column("name", String(300), nullable=False))
names = Table("names", metadata, Column("province", String(8), primary_key=True),
              Column("unit_id", String(100), primary_key=True), Column("name", String(300), nullable=False))
UNITS = Projection()


@UNITS.handles(UnitRegistered)
async def unit_registered(connection: AsyncConnection, event: StoredEvent, payload: UnitRegistered) -> None:
    for table in (units, names):
        await connection.execute(table.insert().values(province=event.province, unit_id=payload.unit_id,
                                                       name=payload.name))


class MovingService:
    """A live service that records one more unit before each table is read; the first ``straddling`` tables read
    have pages that reflect different events (read across a write)."""

    def __init__(self, log: list[StoredEvent], head: int, straddling: int = 0) -> None:
        self._log = log
        self._head = head
        self._straddling = straddling

    def _progress(self) -> Progress:
        return Progress(head_position=self._head, marks=[])

    async def read_models(self) -> ReadModels:
        return ReadModels(service="registry", tables=[describe(units), describe(names)], progress=self._progress())

    async def rows(self, table: str) -> tuple[list[dict[str, Any]], Progress | None]:
        self._head = min(self._head + 1, len(self._log))
        rows = [{"province": "HNM", "unit_id": event.payload["unit_id"], "name": event.payload["name"]}
                for event in self._log[:self._head]]
        if self._straddling:
            self._straddling -= 1
            return rows, None
        return rows, self._progress()


@pytest.fixture
async def scratch_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _log(count: int) -> list[StoredEvent]:
    store = InMemoryEventStore("registry")
    for index in range(count):
        await store.append(NewEvents(
            province="HNM", stream_id=f"unit:HNM:u{index}", expected_version=0,
            payloads=[UnitRegistered(unit_id=f"u{index}", name=f"Đơn vị {index}", short_name="", kind="other")],
            actor=Actor(id="staff", role="admin"), correlation_id="c"))
    return store.log


def _scratch(engine: AsyncEngine, log: list[StoredEvent]) -> Scratch:
    async def own_log(after: int, up_to: int) -> list[StoredEvent]:
        return [event for event in log if after < event.position <= up_to]

    service = ReplayedService("registry", Path("."), UNITS, {}, (units, names))
    return Scratch(service, engine, "HNM", own_log, None)


async def test_tables_read_at_different_moments_are_each_compared_with_the_events_they_reflect(
        scratch_engine: AsyncEngine) -> None:
    log = await _log(3)
    report = await compare(_scratch(scratch_engine, log), MovingService(log, head=1), rounds=1)
    assert report.equal
    assert [(table.table, table.live, table.rebuilt) for table in report.tables] == [("units", 2, 2), ("names", 3, 3)]
    assert (report.rounds, report.own_events, report.notes) == (1, 3, [])


async def test_a_table_read_across_a_write_is_compared_in_the_next_round(scratch_engine: AsyncEngine) -> None:
    log = await _log(4)
    report = await compare(_scratch(scratch_engine, log), MovingService(log, head=1, straddling=1), rounds=2)
    assert report.equal
    assert [(table.table, table.live, table.rebuilt) for table in report.tables] == [("units", 4, 4), ("names", 3, 3)]
    assert (report.rounds, report.not_compared) == (2, [])
    assert [(note.code, note.round, note.params) for note in report.notes] == [
        ("service_moved", 1, {"tables": "units"})]


async def test_a_table_the_service_keeps_writing_is_not_compared_and_not_called_equal(
        scratch_engine: AsyncEngine) -> None:
    log = await _log(5)
    report = await compare(_scratch(scratch_engine, log), MovingService(log, head=1, straddling=4), rounds=2)
    assert not report.equal
    assert (report.tables, report.not_compared) == ([], ["units", "names"])
