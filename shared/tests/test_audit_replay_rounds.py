"""A replay compares a table only when every page of its live rows reflects the events the scratch database was fed:
a table read while the service wrote is read again in the next round (the scratch database fed further first), and
is reported as not compared when the service is still writing after the last round."""

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
UNITS = Projection()


@UNITS.handles(UnitRegistered)
async def unit_registered(connection: AsyncConnection, event: StoredEvent, payload: UnitRegistered) -> None:
    await connection.execute(units.insert().values(province=event.province, unit_id=payload.unit_id,
                                                   name=payload.name))


class MovingService:
    """A live service that records one more unit while its rows are read, ``writes`` times."""

    def __init__(self, log: list[StoredEvent], writes: int) -> None:
        self._log = log
        self._head = len(log) - writes
        self._writes = writes

    def _progress(self) -> Progress:
        return Progress(head_position=self._head, marks=[])

    async def read_models(self) -> ReadModels:
        return ReadModels(service="registry", tables=[describe(units)], progress=self._progress())

    async def rows(self, table: str) -> tuple[list[dict[str, Any]], Progress | None]:
        if self._writes:
            self._head += 1
            self._writes -= 1
        rows = [{"province": "HNM", "unit_id": event.payload["unit_id"], "name": event.payload["name"]}
                for event in self._log[:self._head]]
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

    service = ReplayedService("registry", Path("."), UNITS, {}, (units,))
    return Scratch(service, engine, "HNM", own_log, None)


async def test_a_table_read_while_the_service_wrote_is_compared_in_the_next_round(scratch_engine: AsyncEngine) -> None:
    log = await _log(3)
    report = await compare(_scratch(scratch_engine, log), MovingService(log, writes=1), rounds=2)
    assert report.equal
    assert (report.rounds, report.own_events, report.not_compared) == (2, 3, [])
    [table] = report.tables
    assert (table.table, table.live, table.rebuilt) == ("units", 3, 3)
    assert [(note.code, note.round, note.params) for note in report.notes] == [
        ("service_moved", 1, {"tables": "units"})]


async def test_a_table_the_service_keeps_writing_is_not_compared_and_not_called_equal(
        scratch_engine: AsyncEngine) -> None:
    log = await _log(3)
    report = await compare(_scratch(scratch_engine, log), MovingService(log, writes=2), rounds=2)
    assert not report.equal
    assert (report.tables, report.not_compared) == ([], ["units"])
