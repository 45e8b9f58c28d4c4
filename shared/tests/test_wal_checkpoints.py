"""SQLite's write-ahead log is copied into the database file by a thread of its own (``thidua_shared.store.wal``), not
by the commit that takes it past SQLite's bound, on the event loop: what a service's database file holds meanwhile,
and after the engine is disposed of."""

from __future__ import annotations

import asyncio
import gc
import shutil
import sqlite3
import threading
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_shared.projection import Projection
from thidua_shared.store import LogHead, NewEvents, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.sqlite_driver import LoopConnection
from thidua_shared.unit_of_work import SqlUnitOfWork

ACTOR = Actor(id="tester", role="admin")


async def migrated(path: Path) -> AsyncEngine:
    engine = create_engine(f"sqlite:///{path}")
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    return engine


async def record_units(engine: AsyncEngine, units: int) -> None:
    hint = LogHead()
    for number in range(units):
        stream = f"unit-{number}"
        async with SqlUnitOfWork(engine, "registry", Projection(), head_hint=hint) as uow:
            await uow.record(NewEvents(
                province="HNM", stream_id=stream, expected_version=0, actor=ACTOR, correlation_id="test",
                payloads=[UnitRegistered(unit_id=stream, name=f"Đơn vị {number}", short_name=stream, kind="other")]))
            await uow.commit()


def events_in_the_file_alone(database: Path, copies: Path) -> int | None:
    """The events a copy of the database file holds without its ``-wal`` (``None`` while a page is being
    written: the copy is torn, ask again)."""
    copy = copies / f"copy-{threading.get_ident()}-{len(list(copies.iterdir()))}.db"
    shutil.copyfile(database, copy)
    try:
        with sqlite3.connect(copy) as reader:
            return int(reader.execute("SELECT count(*) FROM events").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        copy.unlink()


def wal_bytes(database: Path) -> int:
    wal = database.with_name(f"{database.name}-wal")
    return wal.stat().st_size if wal.exists() else 0


def wal_threads(database: Path) -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == f"wal-checkpoint {database.name}"]


async def test_committed_events_reach_the_database_file_without_waiting_for_the_log_to_fill(tmp_path: Path) -> None:
    """Forty commits are far below the writers' own bound (thousands of pages): without the thread, the file
    alone would hold none of them until then."""
    database, copies = tmp_path / "registry.db", tmp_path / "copies"
    copies.mkdir()
    engine = await migrated(database)
    try:
        await record_units(engine, 40)
        held = None
        for _ in range(100):
            held = events_in_the_file_alone(database, copies)
            if held == 40:
                break
            await asyncio.sleep(0.05)
        assert held == 40
        assert len(wal_threads(database)) == 1
    finally:
        await engine.dispose()


async def test_an_engine_disposed_of_leaves_the_whole_database_in_its_file_and_no_thread(tmp_path: Path) -> None:
    database, copies = tmp_path / "scoring.db", tmp_path / "copies"
    copies.mkdir()
    engine = await migrated(database)
    await record_units(engine, 25)
    await engine.dispose()

    assert wal_threads(database) == []
    assert wal_bytes(database) == 0
    assert events_in_the_file_alone(database, copies) == 25


async def test_two_engines_on_one_file_share_its_thread_until_the_last_is_disposed_of(tmp_path: Path) -> None:
    database = tmp_path / "awards.db"
    first = await migrated(database)
    second = create_engine(f"sqlite:///{database}")
    try:
        await record_units(first, 1)
        async with second.connect() as connection:
            await connection.exec_driver_sql("SELECT count(*) FROM events")
            assert len(wal_threads(database)) == 1
        await first.dispose()
        assert len(wal_threads(database)) == 1  # the second engine's pooled connection still uses the file
    finally:
        await first.dispose()
        await second.dispose()
    assert wal_threads(database) == []


def test_a_connection_dropped_without_being_closed_does_not_keep_the_thread(tmp_path: Path) -> None:
    """SQLAlchemy does not close an async driver's connection that is collected unclosed (a task cancelled while it
    held one): the file's thread still ends with its last connection."""
    database = tmp_path / "notifications.db"
    kept = sqlite3.connect(database, factory=LoopConnection)
    dropped = sqlite3.connect(database, factory=LoopConnection)
    assert len(wal_threads(database)) == 1

    del dropped
    gc.collect()
    assert len(wal_threads(database)) == 1  # the kept connection still uses the file
    kept.close()
    assert wal_threads(database) == []
