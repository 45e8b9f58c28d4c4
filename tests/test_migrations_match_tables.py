"""Each service's tables, as its code declares them, are what its Alembic migrations build, on both backends.

A fresh database is migrated to the newest schema (the event store's migrations and the service's own),
then Alembic's autogenerate comparison is run against the service's ``MetaData`` together with the
store's: any table, column, type, nullability, index or unique constraint that one side has and the other
has not is a difference (server defaults are not compared: Alembic cannot compare JSON
defaults on PostgreSQL). The token database (``thidua_shared.auth``) is checked the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Date, MetaData
from sqlalchemy.engine import Connection

import awards.adapters.tables
import awards.bootstrap
import notifications.adapters.tables
import notifications.bootstrap
import registry.adapters.tables
import registry.bootstrap
import scoring.adapters.tables
import scoring.bootstrap
from thidua_shared import auth
from thidua_shared.store import migrate
from thidua_shared.store import tables as store_tables
from thidua_shared.store.db import create_engine
from thidua_shared.store.locks import command_locks

LOCKS = command_locks.metadata
"""``command_locks`` is declared in the shared store; the services that take named locks (registry, awards)
create it in their own migrations."""

SERVICES: dict[str, tuple[Path, list[MetaData]]] = {
    "registry": (registry.bootstrap.SERVICE.migrations, [registry.adapters.tables.metadata, LOCKS]),
    "scoring": (scoring.bootstrap.SERVICE.migrations, [scoring.adapters.tables.metadata]),
    "awards": (awards.bootstrap.SERVICE.migrations, [awards.adapters.tables.metadata, LOCKS]),
    "notifications": (notifications.bootstrap.SERVICE.migrations, [notifications.adapters.tables.metadata]),
}


def combined(*metadatas: MetaData) -> MetaData:
    """One ``MetaData`` of the tables of all ``metadatas`` (a service's database holds them all)."""
    target = MetaData()
    for metadata in metadatas:
        for table in metadata.tables.values():
            assert table.name not in target.tables, f"table {table.name} is declared twice"
            table.to_metadata(target)
    return target


def _differences(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def differences(database_url: str, versions: Sequence[Path], metadata: MetaData) -> list[Any]:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, list(versions))
        async with engine.connect() as connection:
            return await connection.run_sync(_differences, metadata)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_a_migrated_service_database_has_exactly_the_declared_tables(database_url: str, service: str) -> None:
    migrations, metadatas = SERVICES[service]
    found = await differences(database_url, [migrate.STORE_VERSIONS, migrations],
                              combined(store_tables.metadata, *metadatas))
    assert found == []


async def test_a_migrated_token_database_has_exactly_the_declared_tables(database_url: str) -> None:
    assert await differences(database_url, [migrate.AUTH_VERSIONS], auth.metadata) == []


async def test_the_comparison_sees_a_column_the_migrations_never_made(database_url: str) -> None:
    migrations, metadatas = SERVICES["notifications"]
    declared = combined(store_tables.metadata, *metadatas)
    declared.tables["notifications"].append_column(Column("read_on", Date, nullable=True))
    found = await differences(database_url, [migrate.STORE_VERSIONS, migrations], declared)
    assert [(kind, column.name) for kind, _schema, _table, column in found] == [("add_column", "read_on")]
