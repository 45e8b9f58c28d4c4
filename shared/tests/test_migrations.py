"""An instance that already holds data upgrades without losing any."""

from __future__ import annotations

from sqlalchemy import inspect

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_shared.hashing import verify_chain
from thidua_shared.store import NewEvents, SqlEventStore, migrate
from thidua_shared.store.db import create_engine


async def test_a_store_of_the_first_schema_upgrades_keeping_every_event_and_its_chain(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS], target="store_0001")
        async with engine.begin() as connection:
            for number in range(3):
                await SqlEventStore(connection, "registry").append(NewEvents(
                    province="HNM", stream_id=f"unit:HNM:{number}", expected_version=0,
                    payloads=[UnitRegistered(unit_id=str(number), name="Đơn vị", short_name="ĐV", kind="other")],
                    actor=Actor(id="t", role="admin"), correlation_id="c"))
            tables_before = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        assert "relay_marks" not in tables_before

        await migrate.upgrade(engine, [migrate.STORE_VERSIONS])

        async with engine.connect() as connection:
            tables_after = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            log = await SqlEventStore(connection, "registry").read_log(0, 100)
        assert {"relay_marks", "idempotency_keys"} <= set(tables_after)
        assert [event.typed() for event in log] == [
            UnitRegistered(unit_id=str(n), name="Đơn vị", short_name="ĐV", kind="other") for n in range(3)]
        assert verify_chain((e.position, e.body, e.hash) for e in log) == []
    finally:
        await engine.dispose()
