"""A backup taken while the registry records a command after another: every command acknowledged (HTTP 2xx)
before the backup started is in it, and after a restore into new databases (each chain verified against the
manifest, the read models rebuilt) the unit it registered is there. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from awards.bootstrap import SERVICE as AWARDS
from notifications.bootstrap import SERVICE as NOTIFICATIONS
from registry.adapters.tables import units
from registry.bootstrap import SERVICE as REGISTRY
from scoring.bootstrap import SERVICE as SCORING
from thidua_cli.backup import take_backup
from thidua_cli.instance import DATABASES, Instance
from thidua_cli.restore import restore_backup
from thidua_cli.system import SUBSCRIBERS
from thidua_shared.config import ServiceSettings
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.testing import ApiUnderTest, fresh_postgres_database, unique_province, within

BEFORE_BACKUP = 15
"""Commands acknowledged before the backup starts."""


@contextlib.contextmanager
def instance_on(backend: str, folder: Path) -> Iterator[Instance]:
    if backend == "sqlite":
        yield Instance.of(folder)
        return
    with contextlib.ExitStack() as stack:
        yield Instance.of(folder, [f"{name}={stack.enter_context(fresh_postgres_database())}" for name in DATABASES])


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_restored_backup_taken_mid_load_holds_every_command_acknowledged_before_it(
    backend: str, tmp_path: Path, kafka_bootstrap: str,
) -> None:
    province = unique_province("B")
    with instance_on(backend, tmp_path / "live") as live, instance_on(backend, tmp_path / "restored") as restored:
        settings = {service.name: ServiceSettings(
            data_dir=live.data_dir, database_url=live.urls[service.name], auth_database_url=live.urls["auth"],
            provinces=province, kafka_bootstrap_servers=kafka_bootstrap)
            for service in (REGISTRY, SCORING, AWARDS, NOTIFICATIONS)}
        for service in (SCORING, AWARDS, NOTIFICATIONS):
            await service.migrate(settings[service.name])
        app = REGISTRY.create_app(settings["registry"])
        acknowledged: list[str] = []
        async with app.router.lifespan_context(app):
            registry = ApiUnderTest(app, settings["registry"])
            async with registry.client(await registry.token("admin")) as client:
                answer = await client.post(f"{registry.base}/registration", json={"name": "Tỉnh thử"})
                assert answer.status_code == 201, answer.text
                stop = asyncio.Event()

                async def register_units() -> None:
                    number = 0
                    while not stop.is_set():
                        unit_id = f"don-vi-{number}"
                        answer = await client.post(f"{registry.base}/units", json={
                            "unit_id": unit_id, "name": f"Đơn vị {number}", "kind": "party_board"})
                        assert answer.is_success, answer.text
                        acknowledged.append(unit_id)
                        number += 1
                        await asyncio.sleep(0.005)  # SQLite's driver runs in the loop: let the backup's steps in

                def acknowledged_at_least(count: int) -> Callable[[], Awaitable[bool]]:
                    async def reached() -> bool:
                        return len(acknowledged) >= count

                    return reached

                load = asyncio.create_task(register_units())
                await within(30, acknowledged_at_least(BEFORE_BACKUP))
                before = list(acknowledged)
                manifest = await take_backup(live, tmp_path / "backup")
                until_backup_ended = len(acknowledged)
                await within(30, acknowledged_at_least(until_backup_ended + 5))
                stop.set()
                await load

        await restore_backup(tmp_path / "backup", restored)
        engine = create_engine(restored.urls["registry"])
        try:
            checked, breaks = await verify_log(engine)
            async with engine.connect() as connection:
                registered = set((await connection.scalars(select(units.c.unit_id))).all())
                streams = set((await connection.scalars(select(events.c.stream_id))).all())
        finally:
            await engine.dispose()

    [registry_copy] = [copy for copy in manifest.databases if copy.name == "registry"]
    assert breaks == [], "the restored chain verifies"
    assert registry_copy.log_head is not None
    assert checked == registry_copy.log_head.events
    assert set(before) <= registered, f"acknowledged before the backup, missing after: {set(before) - registered}"
    assert all(any(unit_id in stream for stream in streams) for unit_id in before)
    assert not set(acknowledged[until_backup_ended:]) & registered, \
        "the restore is the backup's instant: what was acknowledged after the backup ended is not in it"


def test_a_restore_resubscribes_exactly_the_services_that_keep_other_services_events() -> None:
    assert set(SUBSCRIBERS) == {service.name for service in (REGISTRY, SCORING, AWARDS, NOTIFICATIONS)
                                if service.consumed_tables}
