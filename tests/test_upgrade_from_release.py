"""The upgrade path: the databases release 0.1.0 wrote (``tests/fixtures/release-0.1.0``) are migrated by this
release's migrations; each service's chain still verifies and stands where the release left it, every read model
fed by a service's own events equals what a replay of its log rebuilds, those fed by other services keep their
rows, and what people saw (a unit, a ranking, a decision) is still there."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from awards.adapters.tables import proposals
from awards.bootstrap import SERVICE as AWARDS
from notifications.bootstrap import SERVICE as NOTIFICATIONS
from registry.adapters.tables import units
from registry.bootstrap import SERVICE as REGISTRY
from scoring.adapters.tables import rankings
from scoring.bootstrap import SERVICE as SCORING
from thidua_cli.instance import libpq
from thidua_shared.config import ServiceSettings
from thidua_shared.read_model_diff import diff_table
from thidua_shared.read_models import row_values
from thidua_shared.replay import rebuild
from thidua_shared.service import ServiceDefinition
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import log_head
from thidua_shared.testing import fresh_postgres_database

RELEASE = "0.1.0"
FIXTURES = Path(__file__).parent / "fixtures"
NAMES = ("registry", "scoring", "awards", "notifications", "auth")


def facts(version: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"release-{version}" / "facts.json").read_text(encoding="utf-8"))
    return loaded


@contextlib.contextmanager
def databases_of(version: str, backend: str, folder: Path) -> Iterator[dict[str, str]]:
    """Each database of the release's fixture, loaded into a new one of ``backend``: name to URL."""
    kept = FIXTURES / f"release-{version}" / backend
    if backend == "sqlite":
        for name in NAMES:
            (folder / f"{name}.db").write_bytes(gzip.decompress((kept / f"{name}.db.gz").read_bytes()))
        yield {name: f"sqlite+aiosqlite:///{folder / (name + '.db')}" for name in NAMES}
        return
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(fresh_postgres_database()) for name in NAMES}
        for name, url in urls.items():
            address, env = libpq(url)
            subprocess.run(["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", f"--dbname={address}"],
                           input=gzip.decompress((kept / f"{name}.sql.gz").read_bytes()), env={**os.environ, **env},
                           check=True, capture_output=True)
        yield urls


SERVICES: tuple[ServiceDefinition, ...] = (REGISTRY, SCORING, AWARDS, NOTIFICATIONS)


async def _rows(engine: AsyncEngine, table: Table) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [row_values(table, row) for row in await connection.execute(select(table))]


async def _upgraded_service_is_intact(service: ServiceDefinition, engine: AsyncEngine, kept: dict[str, Any]) -> None:
    checked, breaks = await verify_log(engine)
    assert breaks == [], f"{service.name}: the chain verifies after the upgrade"
    async with engine.connect() as connection:
        head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).one()
        counts = {table.name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
                  for table in service.consumed_tables}
    assert (checked, int(head[0]), str(head[1])) == (kept["log_head"]["position"], kept["log_head"]["position"],
                                                     kept["log_head"]["hash"]), f"{service.name}: the log as left"
    assert counts == {name: kept["tables"][name] for name in counts}, \
        f"{service.name}: what it learnt from the others is kept"
    before = {table.name: await _rows(engine, table) for table in service.own_tables}
    await rebuild(engine, service.name, service.own_events, service.own_tables)
    for table in service.own_tables:
        diff = diff_table(table.name, [column.name for column in table.primary_key.columns], before[table.name],
                          await _rows(engine, table))
        assert diff.equal, f"{service.name}.{table.name}: the upgraded read model is what a replay rebuilds: {diff}"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_the_databases_of_release_0_1_0_upgrade_with_every_chain_and_read_model_intact(
    backend: str, tmp_path: Path,
) -> None:
    kept = facts(RELEASE)[backend]
    with databases_of(RELEASE, backend, tmp_path) as urls:
        for service in SERVICES:
            settings = ServiceSettings(data_dir=tmp_path, database_url=urls[service.name],
                                       auth_database_url=urls["auth"])
            await service.migrate(settings)
            engine = create_engine(urls[service.name])
            try:
                await _upgraded_service_is_intact(service, engine, kept[service.name])
            finally:
                await engine.dispose()

        engines = {name: create_engine(urls[name]) for name in ("registry", "scoring", "awards")}
        try:
            async with engines["registry"].connect() as connection:
                office = (await connection.execute(select(units.c.name).where(units.c.unit_id == "van-phong"))).one()
            async with engines["scoring"].connect() as connection:
                published = (await connection.execute(select(rankings.c.ranking, rankings.c.locked)
                                                      .where(rankings.c.year == 2023))).all()
            async with engines["awards"].connect() as connection:
                decided = (await connection.execute(select(proposals.c.award_code, proposals.c.decision)
                                                    .where(proposals.c.unit_id == "van-phong",
                                                           proposals.c.state == "decided"))).all()
        finally:
            for engine in engines.values():
                await engine.dispose()
    assert office.name.startswith("Văn phòng Tỉnh ủy")
    assert any(ranking[0]["unit_id"] == "van-phong" and locked for ranking, locked in published), \
        "the bloc's published 2023 ranking, van-phong first"
    assert [(code, decision["authority"]) for code, decision in decided] == [("GOV_FLAG", "Thủ tướng Chính phủ")]
