"""Named command locks: a second transaction under a name waits for the first to end, on both backends."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.projection import Projection
from thidua_shared.store.db import create_engine
from thidua_shared.store.locks import command_locks, take_locks
from thidua_shared.testing import database_url_for
from thidua_shared.unit_of_work import SqlUnitOfWork


async def _with_lock_table(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(command_locks.metadata.create_all)


async def test_a_second_command_under_a_name_waits_until_the_first_ends(store_engine: AsyncEngine) -> None:
    await _with_lock_table(store_engine)
    first = SqlUnitOfWork(store_engine, "registry", Projection())
    async with first:
        await first.lock("unit:HNM:u")

        async def second() -> None:
            async with SqlUnitOfWork(store_engine, "registry", Projection()) as uow:
                await uow.lock("unit:HNM:u")
                await uow.commit()

        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.5)
        assert not waiting.done(), "the second command ran while the first held the lock"
        await first.commit()
        await asyncio.wait_for(waiting, 10)
    async with store_engine.connect() as connection:
        taken = await connection.scalar(select(command_locks.c.taken).where(command_locks.c.name == "unit:HNM:u"))
    assert taken == 2


async def test_other_names_do_not_wait_on_postgresql(tmp_path: Path) -> None:
    with database_url_for("postgres", tmp_path) as url:
        engine = create_engine(url)
        try:
            await _with_lock_table(engine)
            async with engine.connect() as holding, engine.connect() as other:
                await holding.begin()
                await take_locks(holding, ["unit:HNM:u"])
                await other.begin()
                await asyncio.wait_for(take_locks(other, ["unit:HNM:v", "quota:HNM:GOV_FLAG:2023"]), 5)
                await other.commit()
                await holding.commit()
        finally:
            await engine.dispose()


def _write_elsewhere(path: str) -> None:
    with contextlib.closing(sqlite3.connect(path, timeout=0.2)) as writer:
        writer.execute("INSERT INTO marks VALUES (1)")
        writer.commit()


async def test_a_sqlite_unit_of_work_holds_the_write_lock_from_its_start(tmp_path: Path) -> None:
    """What makes SQLite's commands serial: ``BEGIN IMMEDIATE``, before the first read of a rule."""
    with database_url_for("sqlite", tmp_path) as url:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE TABLE marks (mark INTEGER)"))
            async with SqlUnitOfWork(engine, "registry", Projection()) as uow:
                await uow.connection.execute(text("SELECT count(*) FROM marks"))
                with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                    await asyncio.to_thread(_write_elsewhere, url.removeprefix("sqlite+aiosqlite:///"))
        finally:
            await engine.dispose()
