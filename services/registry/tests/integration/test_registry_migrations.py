"""A registry that already holds data upgrades to the newest schema without losing any."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from registry.adapters.tables import units
from registry.bootstrap import SERVICE
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.testing import database_url_for


async def test_units_registered_before_the_end_date_column_keep_everything(tmp_path: Path) -> None:
    with database_url_for("sqlite", tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations], target="registry_0001")
            async with engine.begin() as connection:
                await connection.execute(units.insert().values(
                    province="HNM", unit_id="ubkt", name="UBKT", short_name="UBKT", kind="party_board", version=1))
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
            async with engine.connect() as connection:
                row = (await connection.execute(select(units))).one()
        finally:
            await engine.dispose()
    assert (row.unit_id, row.name, row.version, row.dissolved_on) == ("ubkt", "UBKT", 1, None)
