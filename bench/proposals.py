"""Measurements of changes proposed for ``thidua_shared.store`` (``python -m bench --proposals``).

Nothing here is used by the services; each function prototypes one change so its effect can be
measured on the same workload, with the store's own encoding (``_documents``: envelope, canonical
JSON, SHA-256 chain) and the same schema (the store migrations). None of it enters the ratio line.

- append, SQLite: the whole transaction on a plain ``sqlite3`` connection (no aiosqlite thread
  hop per DBAPI call, no SQLAlchemy), either on the event loop thread or in one hop to a
  single writer thread; the log head cached and verified by a conditional ``UPDATE``.
- append, PostgreSQL: one statement per append (a CTE updating the verified, cached log head and
  inserting the rows from arrays), on an engine without pre-ping: 3 round trips instead of 8.
- replay: the next page read on a second connection while the current one is folded and written.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bench import readmodel
from bench.ours import ACTOR, PROVINCE, current_payload, current_versions, payloads_of
from bench.report import Progress
from bench.workload import Workload
from thidua_shared.hashing import verify_chain
from thidua_shared.store import NewEvents
from thidua_shared.store.db import SQLITE_PRAGMAS
from thidua_shared.store.event_store import _documents
from thidua_shared.store.sqlite_driver import LoopConnection

Head = tuple[int, str]

_INSERT_QMARK = (
    "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, province, body, "
    "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_MOVE_HEAD_QMARK = (
    "UPDATE log_head SET last_position = ?, last_hash = ? "
    "WHERE id = 1 AND last_position = ? AND last_hash = ?"
)


def _rows(made: list[tuple[dict[str, Any], bytes, str]]) -> list[tuple[Any, ...]]:
    return [(document["position"], document["event_id"], document["stream_id"],
             document["stream_version"], document["event_type"], document["province"],
             body.decode(), hash_) for document, body, hash_ in made]


class SqliteAppender:
    """The append of ``SqlEventStore`` on one plain ``sqlite3`` connection, head cached."""

    def __init__(self, path: str) -> None:
        # the store's own connection and settings (its checkpoints on a thread), without SQLAlchemy
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=LoopConnection)
        for pragma in SQLITE_PRAGMAS:
            self._db.execute(f"PRAGMA {pragma}")
        self._head: Head | None = None

    def close(self) -> None:
        self._db.close()

    def _read_head(self) -> Head:
        row = self._db.execute("SELECT last_position, last_hash FROM log_head WHERE id = 1").fetchone()
        return int(row[0]), str(row[1])

    def append(self, batch: NewEvents) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            head = self._head or self._read_head()
            made = _documents(batch, "registry", head[0], head[1], datetime.now(UTC))
            new_head = (made[-1][0]["position"], made[-1][2])
            moved = self._db.execute(_MOVE_HEAD_QMARK, (*new_head, *head)).rowcount
            if moved != 1:  # another writer moved the head: read it, encode again
                head = self._read_head()
                made = _documents(batch, "registry", head[0], head[1], datetime.now(UTC))
                new_head = (made[-1][0]["position"], made[-1][2])
                self._db.execute(_MOVE_HEAD_QMARK, (*new_head, *head))
            self._db.executemany(_INSERT_QMARK, _rows(made))
            self._db.commit()
        except BaseException:
            self._db.execute("ROLLBACK")
            self._head = None
            raise
        self._head = new_head


def _batch(unit: Any) -> NewEvents:
    return NewEvents(province=PROVINCE, stream_id=f"unit-{unit.unit_id}", expected_version=0,
                     payloads=payloads_of(unit), actor=ACTOR, correlation_id=unit.unit_id)


async def append_sqlite(path: str, workload: Workload, progress: Progress,
                        one_hop: bool) -> float:
    """On the loop thread (``one_hop`` False) or one hop per transaction to a writer thread."""
    appender = SqliteAppender(path)
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
    loop = asyncio.get_running_loop()
    try:
        started = time.perf_counter()
        for unit in workload.units:
            batch = _batch(unit)
            if one_hop:
                await loop.run_in_executor(writer, appender.append, batch)
            else:
                appender.append(batch)
            progress.add(len(batch.payloads))
        return time.perf_counter() - started
    finally:
        writer.shutdown()
        appender.close()


_APPEND_PG = text(
    "WITH head AS ("
    " UPDATE log_head SET last_position = :new_position, last_hash = :new_hash"
    " WHERE id = 1 AND last_position = :old_position AND last_hash = :old_hash RETURNING id) "
    "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, province, "
    "body, hash) "
    "SELECT * FROM unnest(CAST(:positions AS BIGINT[]), CAST(:event_ids AS VARCHAR[]),"
    " CAST(:stream_ids AS VARCHAR[]), CAST(:versions AS INTEGER[]), CAST(:types AS VARCHAR[]),"
    " CAST(:provinces AS VARCHAR[]), CAST(:bodies AS TEXT[]), CAST(:hashes AS VARCHAR[])) "
    "WHERE EXISTS (SELECT 1 FROM head)"
)


class PostgresAppender:
    """One statement per append: the verified head move and the rows, from arrays."""

    def __init__(self) -> None:
        self._head: Head | None = None

    async def _read_head(self, connection: AsyncConnection) -> Head:
        row = (await connection.execute(text(
            "SELECT last_position, last_hash FROM log_head WHERE id = 1 FOR UPDATE"))).one()
        return int(row[0]), str(row[1])

    async def append(self, connection: AsyncConnection, batch: NewEvents) -> Head:
        head = self._head or await self._read_head(connection)
        for _attempt in range(2):
            made = _documents(batch, "registry", head[0], head[1], datetime.now(UTC))
            rows = _rows(made)
            new_head = (made[-1][0]["position"], made[-1][2])
            result = await connection.execute(_APPEND_PG, {
                "new_position": new_head[0], "new_hash": new_head[1],
                "old_position": head[0], "old_hash": head[1],
                "positions": [row[0] for row in rows], "event_ids": [row[1] for row in rows],
                "stream_ids": [row[2] for row in rows], "versions": [row[3] for row in rows],
                "types": [row[4] for row in rows], "provinces": [row[5] for row in rows],
                "bodies": [row[6] for row in rows], "hashes": [row[7] for row in rows],
            })
            if result.rowcount == len(rows):
                return new_head
            head = await self._read_head(connection)  # stale cache: another writer appended
        raise RuntimeError("the log head moved twice during one append")

    def committed(self, head: Head) -> None:
        self._head = head

    def forget(self) -> None:
        self._head = None


async def append_postgres(url: str, workload: Workload, progress: Progress) -> float:
    engine = create_async_engine(url, pool_size=10, max_overflow=10)
    appender = PostgresAppender()
    try:
        started = time.perf_counter()
        for unit in workload.units:
            batch = _batch(unit)
            try:
                async with engine.begin() as connection:
                    head = await appender.append(connection, batch)
            except BaseException:
                appender.forget()
                raise
            appender.committed(head)
            progress.add(len(batch.payloads))
        return time.perf_counter() - started
    finally:
        await engine.dispose()


async def chain_breaks(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        rows = (await connection.execute(
            text("SELECT position, body, hash FROM events ORDER BY position"))).all()
    return len(verify_chain((int(row[0]), str(row[1]).encode(), str(row[2])) for row in rows))


def _page_sql(sqlite: bool) -> str:
    # SQLite: one parse of the body in the database thread yields [schema_version, payload].
    value = "json_extract(body, '$.schema_version', '$.payload')" if sqlite else "body"
    return (f"SELECT position, event_type, {value} FROM events WHERE position > :after "
            "ORDER BY position LIMIT :limit")


async def replay_prefetch(engine: AsyncEngine, progress: Progress, sqlite: bool) -> float:
    """Read page n + 1 on a second connection while page n is folded and written.

    On SQLite the reader is a plain engine (deferred transactions: ``create_engine``'s
    ``BEGIN IMMEDIATE`` would make it take the write lock) and the payload is cut out of the body
    by ``json_extract`` in the database thread.
    """
    reads = create_async_engine(engine.url) if sqlite else engine
    try:
        return await _replay_prefetch(engine, reads, progress, sqlite)
    finally:
        if reads is not engine:
            await reads.dispose()


async def _replay_prefetch(engine: AsyncEngine, reads: AsyncEngine, progress: Progress,
                           sqlite: bool) -> float:
    page_sql = text(_page_sql(sqlite))
    current = current_versions()
    upsert, checkpoint = text(readmodel.UPSERT_NAMED), text(readmodel.CHECKPOINT_NAMED)
    started = time.perf_counter()
    async with reads.connect() as reader:

        async def fetch(after: int) -> list[tuple[Any, ...]]:
            result = await reader.execute(page_sql, {"after": after, "limit": readmodel.PAGE_SIZE})
            rows = list(result.tuples().all())
            await reader.commit()
            return rows

        next_page: Awaitable[list[tuple[Any, ...]]] = asyncio.ensure_future(fetch(0))
        while rows := await next_page:
            after = int(rows[-1][0])
            next_page = asyncio.ensure_future(fetch(after))
            pending: readmodel.Fold = {}
            for _position, event_type, value in rows:
                data = orjson.loads(value)
                if sqlite:
                    version, payload = data
                else:
                    version, payload = data["schema_version"], data["payload"]
                payload = current_payload(current, event_type, version, payload)
                if payload is not None:
                    readmodel.fold(pending, payload["unit_id"], payload["name"])
            async with engine.begin() as writer:
                await writer.execute(upsert, readmodel.named_rows(pending))
                await writer.execute(checkpoint, {"position": after})
            progress.add(len(rows))
    return time.perf_counter() - started

