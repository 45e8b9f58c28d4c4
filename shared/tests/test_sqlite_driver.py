"""SQLite on the loop's own thread (``thidua_shared.store.sqlite_driver``): what a service would notice if
it went wrong is a loop that stops while a transaction waits, a wait that never ends, or rows lost."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.store.db import create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}?timeout=2")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, said TEXT NOT NULL)"))
    try:
        yield engine
    finally:
        await engine.dispose()


class Ticker:
    """Counts the loop's turns while it runs: a loop blocked by a waiting transaction would not count."""

    def __init__(self) -> None:
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(0.01)
            self.ticks += 1

    def __enter__(self) -> Ticker:
        self._task = asyncio.ensure_future(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def test_a_transaction_waits_for_another_of_the_same_loop_without_stopping_the_loop(
        engine: AsyncEngine) -> None:
    first_holds = asyncio.Event()

    async def first() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes (said) VALUES ('first')"))
            first_holds.set()
            await asyncio.sleep(0.5)  # the write lock is held across an await, as a handler may

    async def second() -> float:
        await first_holds.wait()
        began = time.monotonic()
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes (said) VALUES ('second')"))
        return time.monotonic() - began

    with Ticker() as ticker:
        _, waited = await asyncio.gather(first(), second())

    assert waited >= 0.4  # the second waited for the first's commit…
    assert ticker.ticks >= 20  # …while the loop went on turning (a blocked loop would not count at all)
    async with engine.connect() as connection:
        said = (await connection.execute(text("SELECT said FROM notes ORDER BY id"))).scalars().all()
    assert said == ["first", "second"]


async def test_a_write_of_another_process_is_waited_for_on_the_loop(engine: AsyncEngine, tmp_path: Path) -> None:
    holder = sqlite3.connect(tmp_path / "store.db", isolation_level=None, check_same_thread=False)
    await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")

    async def release_later() -> None:
        await asyncio.sleep(0.5)
        await asyncio.to_thread(holder.execute, "ROLLBACK")

    with Ticker() as ticker:
        releasing = asyncio.ensure_future(release_later())
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes (said) VALUES ('after the other')"))
        await releasing
    holder.close()

    assert ticker.ticks >= 20
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 1


async def test_a_wait_past_the_busy_timeout_ends_as_database_is_locked_and_frees_the_next(
        engine: AsyncEngine) -> None:
    async with engine.begin() as holding:
        await holding.execute(text("INSERT INTO notes (said) VALUES ('kept')"))
        began = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            async with engine.begin() as waiting:  # the same task: it could never be let in
                await waiting.execute(text("INSERT INTO notes (said) VALUES ('never')"))
        assert 1.5 <= time.monotonic() - began < 10

    async with engine.begin() as connection:  # the queue is free again: nothing was left holding it
        await connection.execute(text("INSERT INTO notes (said) VALUES ('next')"))
        said = (await connection.execute(text("SELECT said FROM notes ORDER BY id"))).scalars().all()
    assert said == ["kept", "next"]


async def test_rows_read_before_a_commit_are_still_there_after_it(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes (said) VALUES ('a'), ('b'), ('c')"))
    async with engine.connect() as connection:
        result = await connection.execute(text("SELECT said FROM notes ORDER BY id"))
        await connection.execute(text("DELETE FROM notes"))
        await connection.commit()
        assert result.scalars().all() == ["a", "b", "c"]


async def test_a_streamed_query_reads_every_row_in_order(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes (said) VALUES (:said)"),
                                 [{"said": f"note {number}"} for number in range(2500)])
    async with engine.connect() as connection:
        streamed = await connection.stream(text("SELECT said FROM notes ORDER BY id"))
        said = [row[0] async for row in streamed]
    assert said == [f"note {number}" for number in range(2500)]


async def test_a_failed_transaction_rolls_back_and_lets_the_next_in(engine: AsyncEngine) -> None:
    async def failing() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes (said) VALUES ('undone')"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await failing()
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes (said) VALUES ('done')"))
        said = (await connection.execute(text("SELECT said FROM notes"))).scalars().all()
    assert said == ["done"]
