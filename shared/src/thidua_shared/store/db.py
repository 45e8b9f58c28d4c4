"""Engines for the two supported databases: SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from thidua_shared.store import sqlite_driver, wal

READ_ONLY = "thidua_read_only"
"""An execution option: ``engine.execution_options(thidua_read_only=True)`` reads without waiting for a writer
(SQLite: a deferred transaction, which WAL lets read the last commit while another transaction writes). Only for
what never writes: a scrape of metrics must answer while a consumer is stuck behind a lock."""


SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL",
                  f"wal_autocheckpoint={wal.WRITER_CHECKPOINT_PAGES}",  # the rest: wal.Checkpointer
                  f"busy_timeout={sqlite_driver.TRY_MILLISECONDS}", "foreign_keys=ON")
"""What every SQLite connection of an engine is set to."""


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """An engine whose transactions serialise writers the way the event store needs.

    SQLite: WAL journal, ``BEGIN IMMEDIATE`` for every transaction (the write lock is taken at the
    start, so two writers never deadlock on a lock upgrade; :data:`READ_ONLY` reads skip it) and a busy
    timeout: a transaction waits that
    long (30 s, or the URL's ``?timeout=`` in seconds) for another's write before the store is busy
    (HTTP 503 with ``Retry-After``). Any ``sqlite`` URL runs on the loop's own thread
    (:mod:`thidua_shared.store.sqlite_driver`), whatever driver it names. PostgreSQL: asyncpg.
    """
    if is_sqlite(url):
        parsed = make_url(url)
        busy_seconds = float(str(parsed.query.get("timeout") or 30))
        engine = create_async_engine(parsed.set(drivername=f"sqlite+{sqlite_driver.DRIVER}"),
                                     connect_args={"timeout": busy_seconds}, **options)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.busy_seconds = busy_seconds
            cursor = dbapi_connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(connection: Any) -> None:
            if connection.get_execution_options().get(READ_ONLY):
                connection.connection.dbapi_connection.begin_deferred()
                return
            try:
                connection.connection.dbapi_connection.begin_immediate()
            except sqlite3.OperationalError as error:  # as SQLAlchemy wraps the driver's errors of a statement
                raise OperationalError("BEGIN IMMEDIATE", None, error) from error

        return engine
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 10)
    return create_async_engine(url, **options)
