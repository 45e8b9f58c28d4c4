"""Other services' events arrive in no set order across streams; the read models end the same either way."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest
from sqlalchemy import select

from awards.adapters.projections import REGISTRY_EVENTS
from awards.adapters.tables import units
from awards.bootstrap import SERVICE
from thidua_contracts import EventPayload
from thidua_contracts.registry import UnitDissolved, UnitRegistered, UnitRenamed, UnitsMerged
from thidua_shared.store import StoredEvent, migrate
from thidua_shared.store.db import create_engine


def _stored(payload: EventPayload) -> StoredEvent:
    return StoredEvent(position=1, event_id="e", event_type=type(payload).__name__, schema_version=1,
                       province="HNM", source="registry", stream_id="s", stream_version=1,
                       occurred_at="2024-01-01T00:00:00Z", recorded_at="2024-01-01T00:00:00Z", actor={},
                       correlation_id="c", causation_id=None, prev_hash="", hash="", payload={}, body=b"")


MERGER: list[EventPayload] = [
    UnitsMerged(from_unit_ids=["a"], into_unit_id="c", effective_on=date(2024, 1, 1), decision_ref="QĐ 9"),
    UnitDissolved(unit_id="a", effective_on=date(2024, 1, 1), decision_ref="QĐ 9"),
]


@pytest.mark.parametrize("order", list(permutations(MERGER)))
async def test_a_merged_unit_reads_as_merged_whichever_of_the_mergers_events_comes_first(
        tmp_path: object, order: tuple[EventPayload, ...]) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/awards.db")
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
        async with engine.begin() as connection:
            for payload in (UnitRegistered(unit_id="a", name="A", short_name="A", kind="other"),
                            UnitRegistered(unit_id="c", name="C", short_name="C", kind="other"), *order):
                await REGISTRY_EVENTS.apply(connection, _stored(payload), payload)
            rows = {row.unit_id: (row.status, row.merged_into) for row in await connection.execute(select(units))}
    finally:
        await engine.dispose()
    assert rows == {"a": ("merged", "c"), "c": ("active", None)}


async def test_a_renamed_unit_is_named_by_its_new_name(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
        async with engine.begin() as connection:
            for payload in (UnitRegistered(unit_id="so-noi-vu", name="Sở Nội vụ", short_name="SNV",
                                           kind="state_agency"),
                            UnitRenamed(unit_id="so-noi-vu", name="Sở Nội vụ tỉnh Ninh Bình",
                                        effective_on=date(2025, 7, 1), decision_ref="QĐ 1/QĐ-UBND")):
                await REGISTRY_EVENTS.apply(connection, _stored(payload), payload)
            name = await connection.scalar(select(units.c.name).where(units.c.unit_id == "so-noi-vu"))
    finally:
        await engine.dispose()
    assert name == "Sở Nội vụ tỉnh Ninh Bình"
