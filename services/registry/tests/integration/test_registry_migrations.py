"""A registry that already holds data upgrades to the newest schema without losing any."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from registry.adapters.tables import account_credentials, accounts, provinces, units
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


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_provinces_consecutive_chair_setting_becomes_its_rest_years(backend: str, tmp_path: Path) -> None:
    with database_url_for(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations], target="registry_0007")
            async with engine.begin() as connection:
                await connection.execute(text(
                    "INSERT INTO provinces (code, name, chair_may_serve_consecutive_years) "
                    "VALUES ('HNM', 'Hà Nam', true), ('NBH', 'Ninh Bình', false)"))
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
            async with engine.connect() as connection:
                rows = (await connection.execute(select(provinces).order_by(provinces.c.code))).all()
        finally:
            await engine.dispose()
    assert [(row.code, row.name, row.chair_rest_years, row.election_majority_percent,
             row.outgoing_vice_chair_preferred) for row in rows] == [("HNM", "Hà Nam", 0, 50, False),
                                                                    ("NBH", "Ninh Bình", 1, 50, False)]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_the_accounts_tables_come_empty_beside_the_registrys_data(backend: str, tmp_path: Path) -> None:
    with database_url_for(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations], target="registry_0008")
            async with engine.begin() as connection:
                await connection.execute(units.insert().values(
                    province="HNM", unit_id="ubkt", name="Ủy ban Kiểm tra", short_name="UBKT", kind="party_board",
                    version=1))
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
            async with engine.connect() as connection:
                kept = (await connection.execute(select(units))).one()
                accounts_rows = (await connection.execute(select(accounts))).all()
                hashes = (await connection.execute(select(account_credentials))).all()
        finally:
            await engine.dispose()
    assert (kept.unit_id, kept.name, kept.version) == ("ubkt", "Ủy ban Kiểm tra", 1)
    assert accounts_rows == hashes == []
