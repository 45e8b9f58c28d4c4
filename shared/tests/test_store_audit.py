"""``store verify`` names the altered event and why: a row whose columns disagree with its body, a body
rewritten with a recomputed hash; and loading a stream refuses a row that is not its own. Both backends."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import orjson
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from thidua_cli.main import app
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered, UnitRenamed
from thidua_shared.hashing import canonical
from thidua_shared.store import ForeignEvent, NewEvents, SqlEventStore, migrate
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events

STREAMS = ("unit:HNM:a", "unit:HNM:b", "unit:HNM:a", "unit:HNM:b", "unit:HNM:c", "unit:HNM:c")
"""The stream of each position: position 3 is version 2 of stream a."""


async def _log(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    versions: dict[str, int] = {}
    for stream_id in STREAMS:
        version = versions.get(stream_id, 0)
        payload = (UnitRegistered(unit_id=stream_id, name="Unit", short_name="U", kind="other") if version == 0
                   else UnitRenamed(unit_id=stream_id, name=f"Unit {version}", effective_on="2024-01-01",
                                    decision_ref="QĐ 1"))
        async with engine.begin() as connection:
            await SqlEventStore(connection, "registry").append(NewEvents(
                province="HNM", stream_id=stream_id, expected_version=version, payloads=[payload],
                actor=Actor(id="tester", role="admin"), correlation_id="audit"))
        versions[stream_id] = version + 1


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await _log(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _set(engine: AsyncEngine, position: int, **columns: object) -> None:
    async with engine.begin() as connection:
        await connection.execute(update(events).where(events.c.position == position).values(**columns))


@pytest.mark.parametrize(("column", "value", "said"), [
    ("stream_id", "unit:HNM:d", "'unit:HNM:a'"),
    ("stream_version", 7, "2"),
    ("event_type", "UnitRegistered", "'UnitRenamed'"),
    ("province", "HPG", "'HNM'"),
    ("event_id", "00000000-0000-7000-8000-000000000000", None),
])
async def test_a_column_that_disagrees_with_the_body_is_named_at_its_position(
        engine: AsyncEngine, column: str, value: object, said: str | None) -> None:
    assert await verify_log(engine) == (6, [])
    await _set(engine, 3, **{column: value})

    checked, breaks = await verify_log(engine)

    assert checked == 6
    assert [broken.position for broken in breaks] == [3], breaks
    assert breaks[0].problem.startswith(f"mismatch: column {column} is {value!r}, the body says "), breaks[0]
    if said is not None:
        assert breaks[0].problem.endswith(f"the body says {said}")


async def test_a_row_moved_to_another_stream_is_refused_when_that_stream_loads(engine: AsyncEngine) -> None:
    await _set(engine, 3, stream_id="unit:HNM:d")
    async with engine.connect() as connection:
        with pytest.raises(ForeignEvent, match="position 3"):
            await SqlEventStore(connection, "registry").read_stream("unit:HNM:d")


async def test_a_row_given_another_version_is_refused_when_its_stream_loads(engine: AsyncEngine) -> None:
    await _set(engine, 3, stream_version=7)
    async with engine.connect() as connection:
        with pytest.raises(ForeignEvent, match="position 3"):
            await SqlEventStore(connection, "registry").read_stream("unit:HNM:a")


async def _rewrite(engine: AsyncEngine, position: int) -> None:
    """Change the event's payload and store a hash computed over the new body, as a careful forger would."""
    async with engine.begin() as connection:
        body = (await connection.execute(select(events.c.body).where(events.c.position == position))).scalar_one()
        document = orjson.loads(body)
        document["payload"]["name"] = "Forged"
        forged = canonical(document)
        await connection.execute(update(events).where(events.c.position == position).values(
            body=forged.decode(), hash=hashlib.sha256(forged).hexdigest()))


@pytest.mark.parametrize("position", [3, 6])
async def test_a_body_rewritten_with_its_hash_recomputed_is_named_not_the_next_event(
        engine: AsyncEngine, position: int) -> None:
    await _rewrite(engine, position)

    _, breaks = await verify_log(engine)

    assert [broken.position for broken in breaks] == [position], breaks
    assert breaks[0].problem.startswith("altered: body and hash rewritten")


def test_store_verify_prints_the_position_and_the_reason(database_url: str) -> None:
    async def tampered() -> None:
        engine = create_engine(database_url)
        try:
            await _log(engine)
            await _set(engine, 4, stream_id="unit:HNM:a", stream_version=3)
            await _rewrite(engine, 2)
        finally:
            await engine.dispose()

    asyncio.run(tampered())
    answer = CliRunner().invoke(app, ["store", "verify", "registry", "--database-url", database_url])

    assert answer.exit_code == 1, answer.output
    lines = answer.stdout.splitlines()
    assert lines[0].startswith("position 2: altered: body and hash rewritten")
    assert lines[1] == "position 4: mismatch: column stream_id is 'unit:HNM:a', the body says 'unit:HNM:b'"
    assert lines[2] == "position 4: mismatch: column stream_version is 3, the body says 2"
    assert lines[-1] == "registry: 6 events checked, 3 problems"
