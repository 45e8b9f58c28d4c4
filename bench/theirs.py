"""The other side: an ``eventsourcing`` application on the library's own SQLite and PostgreSQL modules.

The aggregate's events carry the same fields as our ``UnitRegistered`` and ``UnitRenamed``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import InfrastructureFactory, JSONTranscoder, Transcoding
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteConnection, SQLiteFactory
from eventsourcing.utils import Environment

from bench import readmodel
from bench.report import Progress
from bench.workload import Workload

try:  # the library's PostgreSQL module needs psycopg-pool besides psycopg
    from eventsourcing.postgres import PostgresApplicationRecorder
except ImportError as error:
    POSTGRES_MISSING: str | None = f"eventsourcing.postgres cannot be imported: {error}"
else:
    POSTGRES_MISSING = None


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Unit(Aggregate):
    class Registered(Aggregate.Created):
        unit_id: str
        name: str
        short_name: str
        kind: str
        parent_unit_id: str | None

    class Renamed(Aggregate.Event):
        unit_id: str
        name: str
        effective_on: date

    @staticmethod
    def create_id(unit_id: str) -> UUID:
        return UUID(unit_id)

    @event(Registered)
    def __init__(self, unit_id: str, name: str, short_name: str, kind: str,
                 parent_unit_id: str | None) -> None:
        self.unit_id = unit_id
        self.name = name
        self.short_name = short_name
        self.kind = kind
        self.parent_unit_id = parent_unit_id

    @event(Renamed)
    def rename(self, unit_id: str, name: str, effective_on: date) -> None:
        self.name = name


class Units(Application[UUID]):
    """Configured only by ``env``: ``PERSISTENCE_MODULE`` and the module's own keys.

    With ``SQLITE_SYNCHRONOUS`` set, every SQLite connection the library opens gets that
    ``PRAGMA synchronous`` (ours runs WAL with ``NORMAL``; the library leaves SQLite's ``FULL``).
    """

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        factory = super().construct_factory(env)
        synchronous = env.get("SQLITE_SYNCHRONOUS")
        if synchronous and isinstance(factory, SQLiteFactory):
            _set_synchronous(factory, synchronous)
        return factory


def _set_synchronous(factory: SQLiteFactory, mode: str) -> None:
    if mode.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ValueError(f"unknown PRAGMA synchronous mode {mode!r}")
    pool = factory.datastore.pool
    create = pool._create_connection

    def create_with_pragma() -> SQLiteConnection:
        connection = create()
        raw: sqlite3.Connection = connection._sqlite_conn
        raw.execute(f"PRAGMA synchronous={mode.upper()}")
        return connection

    setattr(pool, "_create_connection", create_with_pragma)  # noqa: B010 - the pool has no hook


def open_app(env: Mapping[str, str]) -> Units:
    return Units(env=dict(env))


def append(app: Units, workload: Workload, progress: Progress) -> float:
    """One aggregate, one ``save`` (one transaction) at a time; the seconds it took."""
    started = time.perf_counter()
    for unit in workload.units:
        aggregate = Unit(unit_id=unit.unit_id, name=unit.name, short_name=unit.short_name,
                         kind=unit.kind, parent_unit_id=unit.parent_unit_id)
        for name, effective_on in unit.renames:
            aggregate.rename(unit.unit_id, name, effective_on)
        app.save(aggregate)
        progress.add(1 + len(unit.renames))
    return time.perf_counter() - started


class _Writer:
    """The read-model statements on the library's own connections (sqlite3 or psycopg)."""

    def __init__(self, app: Units) -> None:
        recorder = app.recorder
        if isinstance(recorder, SQLiteApplicationRecorder):
            self._sqlite: SQLiteApplicationRecorder | None = recorder
            self._postgres: PostgresApplicationRecorder | None = None
        elif isinstance(recorder, PostgresApplicationRecorder):
            self._sqlite, self._postgres = None, recorder
        else:
            raise TypeError(f"no read-model writer for {type(recorder).__name__}")

    def run(self, statements: tuple[str, ...]) -> None:
        if self._sqlite is not None:
            with self._sqlite.datastore.transaction(commit=True) as cursor:
                for statement in statements:
                    cursor.execute(statement)
        elif self._postgres is not None:
            with self._postgres.datastore.transaction(commit=True) as curs:
                for statement in statements:
                    curs.execute(statement.encode())

    def write(self, pending: readmodel.Fold, position: int) -> None:
        rows = readmodel.tuple_rows(pending)
        if self._sqlite is not None:
            with self._sqlite.datastore.transaction(commit=True) as cursor:
                cursor.executemany(readmodel.UPSERT_QMARK, rows)
                cursor.execute(readmodel.CHECKPOINT_QMARK, (position,))
        elif self._postgres is not None:
            with self._postgres.datastore.transaction(commit=True) as curs:
                curs.executemany(readmodel.UPSERT_FORMAT.encode(), rows)
                curs.execute(readmodel.CHECKPOINT_FORMAT.encode(), (position,))

    def read_all(self) -> dict[str, tuple[str, int]]:
        if self._sqlite is not None:
            with self._sqlite.datastore.transaction(commit=False) as cursor:
                cursor.execute(readmodel.SELECT_ALL)
                found = [tuple(row) for row in cursor.fetchall()]
        elif self._postgres is not None:
            with self._postgres.datastore.transaction(commit=False) as curs:
                curs.execute(readmodel.SELECT_ALL.encode())
                found = [(row["unit_id"], row["name"], row["events"]) for row in curs.fetchall()]
        return {str(unit_id): (str(name), int(count)) for unit_id, name, count in found}


def prepare_read_model(app: Units) -> None:
    _Writer(app).run((*readmodel.DDL, *readmodel.RESET))


def replay(app: Units, progress: Progress) -> float:
    """Notifications in log order, page by page, each made a domain event by the app's mapper."""
    writer = _Writer(app)
    recorder, mapper = app.recorder, app.mapper
    started = time.perf_counter()
    after = 0
    while True:
        page = recorder.select_notifications(after, readmodel.PAGE_SIZE, inclusive_of_start=False)
        if not page:
            break
        pending: readmodel.Fold = {}
        for notification in page:
            domain_event = mapper.to_domain_event(notification)
            if isinstance(domain_event, Unit.Registered | Unit.Renamed):
                readmodel.fold(pending, domain_event.unit_id, domain_event.name)
        after = page[-1].id
        writer.write(pending, after)
        progress.add(len(page))
    return time.perf_counter() - started


def read_model(app: Units) -> dict[str, tuple[str, int]]:
    return _Writer(app).read_all()


def stored_bytes_per_event(app: Units) -> float:
    """Average size of an event's stored state (the transcoded JSON of its fields)."""
    total = count = 0
    after = 0
    while page := app.recorder.select_notifications(after, 10_000, inclusive_of_start=False):
        total += sum(len(notification.state) for notification in page)
        count += len(page)
        after = page[-1].id
    return total / max(count, 1)
