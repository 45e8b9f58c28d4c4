"""SQLite under the async engine on the event loop's own thread: no hand-off to a thread per call.

aiosqlite runs every DBAPI call (cursor, execute, fetch, commit, close) in a thread of its own and
waits for it: about eleven hand-offs between threads per transaction, which cost five times the
work SQLite does for an append. SQLite's calls take microseconds, so this driver makes them where
the engine is, on the loop's thread, through the standard ``sqlite3`` module; SQLAlchemy's async
engine takes it as it takes any async driver (``is_async``), its greenlet never having to wait.

What must not block the loop is waiting for SQLite's write lock: every transaction starts with
``BEGIN IMMEDIATE`` (see :func:`thidua_shared.store.db.create_engine`), and while one transaction of
this loop awaits something with the lock held, a second one blocking in SQLite's busy handler would
stop the loop, and with it the first: a deadlock until the busy timeout. So the transactions of one
loop on one database queue first on an ``asyncio.Lock`` (:func:`queue_of`), held from ``BEGIN`` until
commit, rollback or close; and against other processes (or loops) ``BEGIN IMMEDIATE`` is tried with
a short busy timeout, waiting between tries on the loop, until the engine's busy timeout is spent.
Either wait, when too long, ends as SQLite's own does: ``OperationalError: database is locked``.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterator
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_, in_greenlet

from thidua_shared.store import wal

DRIVER = "thidua"
"""The driver name in an engine's URL: ``sqlite+thidua:///path``."""

TRY_MILLISECONDS = 20
"""SQLite's own busy wait for one try at the write lock (blocking the thread, so kept short)."""

_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary())


def queue_of(loop: asyncio.AbstractEventLoop, database: str) -> asyncio.Lock:
    """The queue of one loop's transactions on one database file."""
    per_loop = _gates.get(loop)
    if per_loop is None:
        per_loop = _gates[loop] = {}
    lock = per_loop.get(database)
    if lock is None:
        lock = per_loop[database] = asyncio.Lock()
    return lock


def _locked(waited: float) -> sqlite3.OperationalError:
    return sqlite3.OperationalError(f"database is locked (waited {waited:.1f} s for another transaction)")


def _release_if_locked(lock: asyncio.Lock) -> None:
    if lock.locked():
        lock.release()


class LoopConnection(sqlite3.Connection):
    """A ``sqlite3`` connection that releases its place in its queue (:func:`queue_of`) when its transaction ends."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.database = str(args[0] if args else kwargs.get("database", ":memory:"))
        self.busy_seconds = 30.0
        self._held: tuple[asyncio.AbstractEventLoop, asyncio.Lock, int] | None = None
        checkpointer = wal.attach(self.database)
        self._checkpointer = checkpointer
        self._orphaned = weakref.finalize(self, wal.orphaned, checkpointer) if checkpointer is not None else None
        """Lets go of the checkpointer if the pool drops the connection unclosed (SQLAlchemy does not close an async
        driver's connection that is collected), so its thread does not outlive every connection to the file."""

    def begin_immediate(self) -> None:
        """``BEGIN IMMEDIATE``: in the loop's queue for this database, then at SQLite's write lock."""
        started = time.monotonic()
        if not in_greenlet():  # sync use (a thread, a script): SQLite's own busy wait
            self._begin(started, time.sleep)
            return
        loop = asyncio.get_running_loop()
        key = self.database if self.database != ":memory:" else f":memory:{id(self)}"
        lock = queue_of(loop, key)
        if lock.locked():
            try:
                await_(asyncio.wait_for(lock.acquire(), self.busy_seconds))
            except TimeoutError:
                raise _locked(time.monotonic() - started) from None
        else:
            await_(lock.acquire())  # free: taken at once, without a task for wait_for
        self._held = (loop, lock, threading.get_ident())
        try:
            self._begin(started, lambda seconds: await_(asyncio.sleep(seconds)))
        except BaseException:
            self._release()
            raise

    def begin_deferred(self) -> None:
        """``BEGIN`` for a transaction that only reads: in WAL mode it sees the last commit and waits for no writer
        (nor takes a place in the writers' queue)."""
        self.execute("BEGIN")

    def _begin(self, started: float, pause: Any) -> None:
        delay = 0.001
        while True:
            try:
                self.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                waited = time.monotonic() - started
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if waited >= self.busy_seconds:
                    raise _locked(waited) from error
            pause(min(delay, max(self.busy_seconds - waited, 0)))
            delay = min(delay * 2, 0.05)

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        loop, lock, thread = held
        if threading.get_ident() == thread or loop.is_closed():
            if lock.locked():
                lock.release()
        else:  # the pool closing a connection from elsewhere: the lock belongs to its loop
            loop.call_soon_threadsafe(_release_if_locked, lock)

    def cursor(self, *_factory: Any, server_side: bool = False) -> LoopCursor | StreamingCursor:  # type: ignore[override]
        return StreamingCursor(super().cursor()) if server_side else LoopCursor(super().cursor())

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self._release()
        if self._checkpointer is not None:
            self._checkpointer.poke()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()
            checkpointer, self._checkpointer = self._checkpointer, None
            if checkpointer is not None and self._orphaned is not None and self._orphaned.detach() is not None:
                wal.detach(checkpointer)


async def _nothing() -> None:
    return None


class StreamingCursor:
    """The cursor of ``connection.stream(...)``: rows fetched from SQLite as the result is read, so a
    long log is walked in constant memory (the transaction stays open meanwhile)."""

    __slots__ = ("_cursor", "arraysize")
    server_side = True

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor
        self.arraysize = 1

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    def execute(self, operation: str, parameters: Any = ()) -> StreamingCursor:
        if in_greenlet():
            await_(_nothing())
        self._cursor.execute(operation, parameters)
        return self

    def executemany(self, operation: str, parameters: Any) -> StreamingCursor:
        if in_greenlet():
            await_(_nothing())
        self._cursor.executemany(operation, parameters)
        return self

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size or self.arraysize)

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        """Never called for a server-side cursor; here for the engine's protocol."""


class LoopCursor:
    """A cursor as SQLAlchemy's async engine expects one of an async driver: the rows of a query are
    fetched when it runs (as aiosqlite's adapter does, so a result read after the next statement or the
    commit still holds what the query saw), and each statement passes through an ``await`` that never
    suspends (the engine's check that the driver is async)."""

    __slots__ = ("_cursor", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor
        self._rows: deque[Any] = deque()
        self.arraysize = 1
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def _ran(self) -> None:
        cursor = self._cursor
        self.description = cursor.description
        self._rows = deque(cursor.fetchall()) if cursor.description else deque()
        self.rowcount, self.lastrowid = cursor.rowcount, cursor.lastrowid

    def execute(self, operation: str, parameters: Any = ()) -> LoopCursor:
        if in_greenlet():
            await_(_nothing())
        self._cursor.execute(operation, parameters)
        self._ran()
        return self

    def executemany(self, operation: str, parameters: Any) -> LoopCursor:
        if in_greenlet():
            await_(_nothing())
        self._cursor.executemany(operation, parameters)
        self._ran()
        return self

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def close(self) -> None:
        self._rows.clear()
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        """The rows are already fetched: nothing to close before the result is read."""


class _ExecutionContext(SQLiteExecutionContext):
    def create_server_side_cursor(self) -> Any:
        return self._dbapi_connection.cursor(server_side=True)


class SQLiteDialect_thidua(SQLiteDialect_pysqlite):
    """The pysqlite dialect, declared async, on :class:`LoopConnection`."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = True
    execution_ctx_cls = _ExecutionContext

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    def create_connect_args(self, url: URL) -> Any:
        args, options = super().create_connect_args(url)
        options["factory"] = LoopConnection
        options["check_same_thread"] = False
        return args, options


registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialect_thidua")
