"""Append and read a service's event log.

Contract (every implementation, checked by one test suite):

- ``append`` adds events to one stream at ``expected_version``; if the stream has moved on, it
  raises :class:`ConcurrencyConflict` and nothing is written.
- ``position`` is gap-free and increasing in commit order: appends are serialised on the log head
  (a row lock on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so a reader tailing the log never sees
  position ``n + 1`` before ``n``.
- every event is chained to the previous one by SHA-256 (see :mod:`thidua_shared.hashing`).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import sqlite3
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, Protocol

import asyncpg  # type: ignore[import-untyped]
import orjson
import uuid_utils
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_contracts import EventPayload
from thidua_contracts.base import start_of_day
from thidua_contracts.envelope import Actor, Envelope, Source
from thidua_contracts.upcasting import read_payload
from thidua_contracts.wire import digest
from thidua_shared.hashing import GENESIS, canonical
from thidua_shared.store.tables import events, log_head


class ConcurrencyConflict(Exception):
    """The stream changed since it was read: reload and decide again."""

    def __init__(self, stream_id: str, expected_version: int) -> None:
        super().__init__(f"stream {stream_id} is no longer at version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


class ForeignEvent(Exception):
    """A row of a stream whose body belongs elsewhere: the log was changed outside the store (``thidua store
    verify`` names every such row). Loading refuses it rather than deciding on another stream's event."""

    def __init__(self, stream_id: str, position: int, problem: str) -> None:
        super().__init__(f"stream {stream_id}, position {position}: {problem}")
        self.stream_id = stream_id
        self.position = position


def utc_iso(moment: datetime) -> str:
    """The one text form of a moment in the log: UTC, microseconds, ``Z``."""
    if moment.tzinfo is None:
        raise ValueError("moments in the log must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"  # +00:00 → Z; as strftime, 5× faster


@functools.lru_cache(maxsize=4096)
def _day_began(day: date) -> str:
    """``occurred_at`` of an act known by its day: that day's start in Viet Nam (the same days recur)."""
    return utc_iso(start_of_day(day))


class StoredEvent(NamedTuple):
    """An event as stored: the envelope's fields with the payload as raw data (not yet upcast).

    A named tuple: immutable and cheap to make, which matters when a replay reads millions.
    """

    position: int
    event_id: str
    event_type: str
    schema_version: int
    province: str
    source: str
    stream_id: str
    stream_version: int
    occurred_at: str
    recorded_at: str
    actor: dict[str, Any]
    correlation_id: str
    causation_id: str | None
    prev_hash: str
    hash: str
    payload: dict[str, Any]
    body: bytes

    @classmethod
    def from_body(cls, body: bytes | str, hash_: str) -> StoredEvent:
        """The event whose canonical body (bytes, or text as the database returns it) is ``body``.

        For the store's own bodies (checked when written): fields are taken by name, without the
        keyword parsing of ``cls(**document)``, which costs more than decoding the JSON.
        """
        return cls.from_document(orjson.loads(body), hash_, body.encode() if isinstance(body, str) else body)

    @classmethod
    def from_document(cls, d: dict[str, Any], hash_: str, body: bytes) -> StoredEvent:
        """The event of a decoded body (``KeyError`` if a field is missing)."""
        return tuple.__new__(cls, (
            d["position"], d["event_id"], d["event_type"], d["schema_version"], d["province"], d["source"],
            d["stream_id"], d["stream_version"], d["occurred_at"], d["recorded_at"], d["actor"],
            d["correlation_id"], d["causation_id"], d["prev_hash"], hash_, d["payload"], body))

    def typed(self) -> EventPayload:
        """The payload as its current model, upcast if it was stored at an older version."""
        return read_payload(self.event_type, self.schema_version, self.payload)

    def envelope(self) -> Envelope:
        return Envelope.model_validate(
            {name: getattr(self, name) for name in Envelope.model_fields}
        )


@dataclass(frozen=True, slots=True)
class NewEvents:
    """What a command decided: events for one stream, with who caused them and why."""

    province: str
    stream_id: str
    expected_version: int
    payloads: Sequence[EventPayload]
    actor: Actor
    correlation_id: str
    causation_id: str | None = None
    occurred_at: datetime | None = None


class LogRow(NamedTuple):
    """A row of the log as it is sent on (the relay): the body as the bytes stored, neither decoded nor checked, and
    what routes it."""

    position: int
    event_id: str
    province: str
    stream_id: str
    event_type: str
    body: bytes
    hash: str


class EventStore(Protocol):
    async def append(self, batch: NewEvents) -> list[StoredEvent]: ...

    async def read_stream(self, stream_id: str) -> list[StoredEvent]: ...

    async def read_log(self, after_position: int, limit: int) -> list[StoredEvent]: ...

    async def head(self) -> tuple[int, str]: ...


def _documents(batch: NewEvents, source: Source, start_position: int, prev_hash: str,
               now: datetime) -> list[tuple[dict[str, Any], bytes, str]]:
    recorded_at = utc_iso(now)
    occurred_at = utc_iso(batch.occurred_at) if batch.occurred_at else recorded_at
    actor = batch.actor.model_dump()
    out: list[tuple[dict[str, Any], bytes, str]] = []
    for offset, payload in enumerate(batch.payloads):
        if payload.source != source:
            raise ValueError(f"{payload.event_type()} belongs to {payload.source}, not {source}")
        act_day = payload.occurred_on()
        document: dict[str, Any] = {
            "event_id": str(uuid_utils.uuid7()),
            "event_type": payload.event_type(),
            "schema_version": payload.schema_version,
            "province": batch.province,
            "source": source,
            "stream_id": batch.stream_id,
            "stream_version": batch.expected_version + offset + 1,
            "position": start_position + offset + 1,
            "occurred_at": _day_began(act_day) if act_day else occurred_at,
            "recorded_at": recorded_at,
            "actor": actor,
            "correlation_id": batch.correlation_id,
            "causation_id": batch.causation_id,
            "prev_hash": prev_hash,
            "payload": payload.model_dump(mode="json"),
        }
        body = canonical(document)
        prev_hash = digest(body)
        out.append((document, body, prev_hash))
    return out


Made = tuple[dict[str, Any], bytes, str]
_COLUMNS = ("position", "event_id", "stream_id", "stream_version", "event_type", "province", "body", "hash")


def _rows(batch: NewEvents, made: list[Made]) -> list[dict[str, Any]]:
    return [
        {
            "position": document["position"],
            "event_id": document["event_id"],
            "stream_id": batch.stream_id,
            "stream_version": document["stream_version"],
            "event_type": document["event_type"],
            "province": batch.province,
            "body": body.decode(),
            "hash": hash_,
        }
        for document, body, hash_ in made
    ]


def _tuples(batch: NewEvents, made: list[Made]) -> list[tuple[Any, ...]]:
    """The rows as tuples in the order of ``_COLUMNS``: what SQLite's ``executemany`` takes, and, transposed,
    PostgreSQL's arrays (one pass over the events, not one per column)."""
    return [(document["position"], document["event_id"], batch.stream_id, document["stream_version"],
             document["event_type"], batch.province, body.decode(), hash_) for document, body, hash_ in made]


def _conflict_or_corruption(error: IntegrityError | sqlite3.IntegrityError
                            | asyncpg.IntegrityConstraintViolationError, batch: NewEvents) -> Exception:
    """Another writer took the stream's next version: a conflict to reload and retry. Any other
    clash (a position or an event id) means the store itself is damaged, and is not hidden as one."""
    if "stream_version" in str(getattr(error, "orig", error)):
        return ConcurrencyConflict(batch.stream_id, batch.expected_version)
    return error


def _stored(document: dict[str, Any], body: bytes, hash_: str) -> StoredEvent:
    return StoredEvent.from_document(document, hash_, body)


BODY_FIELDS = frozenset(StoredEvent._fields) - {"hash", "body"}
"""The fields of an event's body: the envelope without its hash."""


@dataclass
class LogHead:
    """The log head as this process last committed it: a hint that saves reading the head on every
    append. It is only ever trusted through a compare-and-set on ``log_head``; when another writer
    moved the head meanwhile, the append reads the real head under the lock and encodes again."""

    position: int | None = None
    hash: str = GENESIS
    _turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False, compare=False)

    def turn(self) -> asyncio.Lock:
        """The queue of this process's appends on PostgreSQL (one per event loop), held from the head's guess
        to the commit. Without it, concurrent units of work guess the same head: all but one wait on
        ``log_head``'s row lock, find the head moved and append again the slow way (16 writers appended at
        half the rate of one). Queued, each guesses the head its predecessor committed."""
        loop = asyncio.get_running_loop()
        lock = self._turns.get(loop)
        if lock is None:
            lock = self._turns[loop] = asyncio.Lock()
        return lock


_READ_HEAD = (select(log_head.c.last_position, log_head.c.last_hash)
              .where(log_head.c.id == 1).with_for_update())
_MOVE_HEAD = (update(log_head).where(log_head.c.id == 1)
              .values(last_position=bindparam("new_position"), last_hash=bindparam("new_hash")))
_INSERT = events.insert()
_APPEND_PG = """
WITH moved AS (
    UPDATE log_head
    SET last_position = CASE WHEN last_position = $3 AND last_hash = $4 THEN $1 ELSE last_position END,
        last_hash = CASE WHEN last_position = $3 AND last_hash = $4 THEN $2 ELSE last_hash END
    WHERE id = 1
    RETURNING last_position = $1 AND last_hash = $2 AS done
)
INSERT INTO events (position, event_id, stream_id, stream_version, event_type, province, body, hash)
SELECT * FROM unnest($5::BIGINT[], $6::VARCHAR[], $7::VARCHAR[], $8::INTEGER[], $9::VARCHAR[], $10::VARCHAR[],
                     $11::TEXT[], $12::VARCHAR[])
WHERE EXISTS (SELECT 1 FROM moved WHERE done)
"""
"""Move the head from ``$3, $4`` to ``$1, $2`` and insert the events (one array per column), in one statement: for
asyncpg itself, which keeps it prepared per connection. The head row is locked whatever it holds and compared
after the lock (``CASE``, not ``WHERE``): a guess of a head that another transaction wrote but has not yet
committed waits for that commit and then succeeds, instead of failing against the older head it saw."""
_MOVE_HEAD_QMARK = ("UPDATE log_head SET last_position = ?, last_hash = ? "
                    "WHERE id = 1 AND last_position = ? AND last_hash = ?")
_INSERT_QMARK = ("INSERT INTO events (position, event_id, stream_id, stream_version, event_type, province, body, "
                 "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_READ_STREAM_QMARK = ("SELECT CAST(body AS BLOB), hash, stream_version FROM events WHERE stream_id = ? "
                      "ORDER BY stream_version")
_READ_LOG_QMARK = "SELECT CAST(body AS BLOB), hash FROM events WHERE position > ? ORDER BY position LIMIT ?"
_READ_LOG_PG = "SELECT convert_to(body, 'UTF8'), hash FROM events WHERE position > $1 ORDER BY position LIMIT $2"
"""The log's bodies as the UTF-8 bytes the database holds, which orjson reads and ``StoredEvent.body`` keeps
(SQLite's ``BLOB``, PostgreSQL's ``bytea``): a body is decoded once, by orjson, not into a ``str`` on the way and
encoded back."""
_ROWS_QMARK = ("SELECT position, event_id, province, stream_id, event_type, CAST(body AS BLOB), hash FROM events "
               "WHERE position > ? ORDER BY position LIMIT ?")
_ROWS_PG = ("SELECT position, event_id, province, stream_id, event_type, convert_to(body, 'UTF8'), hash FROM events "
            "WHERE position > $1 ORDER BY position LIMIT $2")
_HAS_VERSION_QMARK = "SELECT position FROM events WHERE stream_id = ? AND stream_version = ?"
_HAS_VERSION = select(events.c.position).where(events.c.stream_id == bindparam("stream_id"),
                                                 events.c.stream_version == bindparam("version"))
_VERSIONS = (select(events.c.stream_id, func.max(events.c.stream_version))
             .where(events.c.stream_id.in_(bindparam("stream_ids", expanding=True))).group_by(events.c.stream_id))
INSERT_CHUNK = 1000
_READ_STREAM = (select(events.c.body, events.c.hash, events.c.stream_version)
                .where(events.c.stream_id == bindparam("stream_id")).order_by(events.c.stream_version))


def _decoded(rows: Iterable[Any]) -> list[StoredEvent]:
    """The events of a page of ``(body, hash)`` rows, decoded without the cyclic garbage collector running.

    A page makes thousands of containers (each event a tuple, its actor, its payload) that all live until the
    page is done: collected every 700 of them, the page's survivors were moved to the oldest generation and
    their number set off a full collection of the process's heap (about 40 ms in the benchmark's process) in
    three replays of five, a quarter of a replay's time. Nothing here makes a cycle or awaits; the collector
    is left as it was found.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [StoredEvent.from_body(body, hash_) for body, hash_ in rows]
    finally:
        if collecting:
            gc.enable()


TURN_SECONDS = 1.0
"""The longest an append waits for its turn (see :meth:`LogHead.turn`); the queue moves every few milliseconds."""


def _sqlite_of(connection: AsyncConnection) -> sqlite3.Connection | None:
    """The driver's connection under ``connection`` on SQLite (on the loop's thread, see
    :mod:`thidua_shared.store.sqlite_driver`); ``None`` on PostgreSQL."""
    if connection.dialect.name != "sqlite":
        return None
    driver_connection = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    if not isinstance(driver_connection, sqlite3.Connection):
        raise RuntimeError("SQLite engines come from thidua_shared.store.db.create_engine")
    return driver_connection


async def read_log_rows(connection: AsyncConnection, after_position: int, limit: int) -> list[LogRow]:
    """The log's rows after ``after_position``, in order, their bodies neither decoded nor checked: what the relay
    sends on. Straight from the driver, the body as bytes: through SQLAlchemy's rows, and decoded to text to be
    encoded again, reading cost the relay 2 µs of its 17 per event."""
    raw = _sqlite_of(connection)
    if raw is not None:
        return [tuple.__new__(LogRow, row) for row in raw.execute(_ROWS_QMARK, (after_position, limit))]
    raw_pg = (await connection.get_raw_connection()).driver_connection  # asyncpg's records, not rows
    return [tuple.__new__(LogRow, row)
            for row in await raw_pg.fetch(_ROWS_PG, after_position, limit)]  # type: ignore[union-attr]


class SqlEventStore:
    """The event store on SQLAlchemy Core, inside the caller's transaction (SQLite or PostgreSQL).

    ``head_hint`` (shared by the units of work of one process) lets an append skip reading the head;
    call :meth:`committed` after the transaction commits and :meth:`discarded` after a rollback.
    """

    def __init__(self, connection: AsyncConnection, source: Source, head_hint: LogHead | None = None) -> None:
        self._connection = connection
        self._source = source
        self._hint = head_hint
        self._locked: tuple[int, str] | None = None
        self._turn: asyncio.Lock | None = None

    async def head(self) -> tuple[int, str]:
        """The log head, read under the append lock (held until the transaction ends)."""
        row = (await self._connection.execute(_READ_HEAD)).first()
        if row is None:
            raise RuntimeError("the event store has no log head: run the migrations first")
        self._locked = (int(row[0]), str(row[1]))
        return self._locked

    async def append(self, batch: NewEvents) -> list[StoredEvent]:
        if not batch.payloads:
            return []
        if batch.expected_version > 0 and not await self._has_version(batch):
            raise ConcurrencyConflict(batch.stream_id, batch.expected_version)
        if self._hint is not None and self._locked is None and self._turn is None and self._sqlite() is None:
            # Once this transaction holds the head (an append, or head()), the next in the turn may be waiting for
            # its commit: it never queues again.
            await self._postgres_in_transaction()  # BEGIN before the queue: it overlaps the others' appends
            await self._take_turn(self._hint.turn())
        now = datetime.now(UTC)
        guess = self._locked
        if guess is None and self._hint is not None and self._hint.position is not None:
            guess = (self._hint.position, self._hint.hash)
        if guess is not None and guess != self._locked:
            made = _documents(batch, self._source, guess[0], guess[1], now)
            try:
                if await self._insert_if_head_is(guess, made, batch):
                    self._locked = (made[-1][0]["position"], made[-1][2])
                    self._pass_turn()
                    return [_stored(document, body, hash_) for document, body, hash_ in made]
            except (IntegrityError, sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError) as error:
                raise _conflict_or_corruption(error, batch) from error
        last_position, last_hash = self._locked or await self.head()
        made = _documents(batch, self._source, last_position, last_hash, now)
        await self._connection.execute(_MOVE_HEAD, {
            "new_position": made[-1][0]["position"], "new_hash": made[-1][2]})
        try:
            await self._connection.execute(_INSERT, _rows(batch, made))
        except IntegrityError as error:
            raise _conflict_or_corruption(error, batch) from error
        self._locked = (made[-1][0]["position"], made[-1][2])
        return [_stored(document, body, hash_) for document, body, hash_ in made]

    async def _insert_if_head_is(self, guess: tuple[int, str], made: list[Made], batch: NewEvents) -> bool:
        """Move the head from ``guess`` and insert the events, if the head is still ``guess``.

        PostgreSQL does both in one statement (one round trip). SQLite runs both on the driver's own
        connection, inside the same transaction: the calls are synchronous there (see
        :mod:`thidua_shared.store.sqlite_driver`), and SQLAlchemy's statement machinery would cost
        more than SQLite's work.
        """
        new_head = (made[-1][0]["position"], made[-1][2])
        raw = self._sqlite()
        if raw is not None:
            if raw.execute(_MOVE_HEAD_QMARK, (*new_head, *guess)).rowcount != 1:
                return False
            raw.executemany(_INSERT_QMARK, _tuples(batch, made))
            return True
        driver = await self._postgres_in_transaction()
        columns = map(list, zip(*_tuples(batch, made), strict=True))
        status = await driver.execute(_APPEND_PG, *new_head, *guess, *columns)
        return bool(status == f"INSERT 0 {len(made)}")

    async def _postgres_in_transaction(self) -> Any:
        """asyncpg's connection under this transaction, with its ``BEGIN`` sent: SQLAlchemy's adapter sends it with
        the first statement that goes through SQLAlchemy, and a statement sent straight to asyncpg skips about
        70 µs of SQLAlchemy's statement machinery (a tenth of an append). ``_transaction`` and ``_start_transaction``
        are the asyncpg adapter's own (SQLAlchemy 2.1, as locked): the store's PostgreSQL tests fail if they change."""
        pooled: Any = self._connection.sync_connection.connection  # type: ignore[union-attr]
        adapted = pooled.dbapi_connection
        if adapted._transaction is None:
            await adapted._start_transaction()
        return pooled.driver_connection

    def _sqlite(self) -> sqlite3.Connection | None:
        return _sqlite_of(self._connection)

    async def append_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]:
        """Many batches (of many streams, as a bulk import makes them) in order: each stream must be at
        the version its first batch expects, and its later batches follow on; else
        :class:`ConcurrencyConflict` and nothing is written. One move of the head, rows inserted
        ``INSERT_CHUNK`` at a time: the transaction stays short."""
        batches = [batch for batch in batches if batch.payloads]
        if not batches:
            return []
        last_position, last_hash = self._locked or await self.head()
        await self._check_versions(batches)
        now = datetime.now(UTC)
        made_all: list[Made] = []
        rows: list[dict[str, Any]] = []
        for batch in batches:
            made = _documents(batch, self._source, last_position, last_hash, now)
            last_position, last_hash = made[-1][0]["position"], made[-1][2]
            made_all += made
            rows += _rows(batch, made)
        await self._connection.execute(_MOVE_HEAD, {"new_position": last_position, "new_hash": last_hash})
        try:
            for start in range(0, len(rows), INSERT_CHUNK):
                await self._connection.execute(_INSERT, rows[start:start + INSERT_CHUNK])
        except IntegrityError as error:
            raise _conflict_or_corruption(error, batches[0]) from error
        self._locked = (last_position, last_hash)
        return [_stored(document, body, hash_) for document, body, hash_ in made_all]

    async def _check_versions(self, batches: Sequence[NewEvents]) -> None:
        expected: dict[str, int] = {}
        for batch in batches:
            at = expected.setdefault(batch.stream_id, batch.expected_version)
            if at != batch.expected_version:
                raise ConcurrencyConflict(batch.stream_id, batch.expected_version)
            expected[batch.stream_id] = at + len(batch.payloads)
        first = {batch.stream_id: batch.expected_version for batch in reversed(batches)}
        names = list(first)
        for start in range(0, len(names), INSERT_CHUNK):
            chunk = names[start:start + INSERT_CHUNK]
            current = {str(stream_id): int(version) for stream_id, version
                       in await self._connection.execute(_VERSIONS, {"stream_ids": chunk})}
            for stream_id in chunk:
                if current.get(stream_id, 0) != first[stream_id]:
                    raise ConcurrencyConflict(stream_id, first[stream_id])

    async def _take_turn(self, turn: asyncio.Lock) -> None:
        """Queue behind this process's other appends, for :data:`TURN_SECONDS` at most: a queue the database cannot
        see must not turn a deadlock it would detect (and end) into one that lasts. Past the wait, the append goes
        unqueued, as it would without the turn; the head's compare-and-set keeps it right either way."""
        if turn.locked():
            try:
                await asyncio.wait_for(turn.acquire(), TURN_SECONDS)
            except TimeoutError:
                return
        else:
            await turn.acquire()  # free: taken at once, without a task for wait_for
        self._turn = turn

    def _pass_turn(self) -> None:
        """After the head moved on PostgreSQL: the next append of this process may guess the head this one wrote
        (it waits on the head's row lock for this commit, see ``_APPEND_PG``) while this transaction commits."""
        if self._turn is not None and self._hint is not None and self._locked is not None:
            self._hint.position, self._hint.hash = self._locked
            self.ended()

    def committed(self) -> None:
        """The transaction committed: the head this store wrote is the log's head now (unless a later append,
        queued behind it, has already said so)."""
        hint, locked = self._hint, self._locked
        if hint is not None and locked is not None and (hint.position is None or hint.position < locked[0]):
            hint.position, hint.hash = locked
        self.ended()

    def discarded(self) -> None:
        """The transaction rolled back: what this store wrote is gone, so is its hint."""
        if self._hint is not None and self._locked is not None:
            self._hint.position = None
        self._locked = None
        self.ended()

    def ended(self) -> None:
        """The transaction is over, however it ended: the next append of this process may go (see
        :meth:`LogHead.turn`)."""
        turn, self._turn = self._turn, None
        if turn is not None:
            turn.release()

    async def _has_version(self, batch: NewEvents) -> bool:
        raw = self._sqlite()
        if raw is not None:
            return raw.execute(_HAS_VERSION_QMARK, (batch.stream_id, batch.expected_version)).fetchone() is not None
        found = await self._connection.scalar(
            _HAS_VERSION, {"stream_id": batch.stream_id, "version": batch.expected_version})
        return found is not None

    async def read_stream(self, stream_id: str) -> list[StoredEvent]:
        """The stream's events in order; :class:`ForeignEvent` if a row's columns disagree with its body."""
        raw = self._sqlite()
        result: Iterable[Any] = (raw.execute(_READ_STREAM_QMARK, (stream_id,)).fetchall() if raw is not None
                                 else await self._connection.execute(_READ_STREAM, {"stream_id": stream_id}))
        loaded = []
        for body, hash_, version in result:
            event = StoredEvent.from_body(body, hash_)
            if event.stream_id != stream_id or event.stream_version != version:
                raise ForeignEvent(stream_id, event.position, f"the body is version {event.stream_version} of "
                                                              f"{event.stream_id}, the row version {version}")
            loaded.append(event)
        return loaded

    async def read_log(self, after_position: int, limit: int) -> list[StoredEvent]:
        raw = self._sqlite()
        if raw is not None:
            return _decoded(raw.execute(_READ_LOG_QMARK, (after_position, limit)).fetchall())
        raw_pg = (await self._connection.get_raw_connection()).driver_connection  # asyncpg's records, not rows
        return _decoded(await raw_pg.fetch(_READ_LOG_PG, after_position, limit))  # type: ignore[union-attr]


class InMemoryEventStore:
    """The same contract in memory, for unit tests of handlers. Not for production: it forgets."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self.log: list[StoredEvent] = []

    async def head(self) -> tuple[int, str]:
        if not self.log:
            return 0, GENESIS
        return self.log[-1].position, self.log[-1].hash

    async def append(self, batch: NewEvents) -> list[StoredEvent]:
        if not batch.payloads:
            return []
        current = max(
            (event.stream_version for event in self.log if event.stream_id == batch.stream_id),
            default=0,
        )
        if current != batch.expected_version:
            raise ConcurrencyConflict(batch.stream_id, batch.expected_version)
        last_position, last_hash = await self.head()
        made = _documents(batch, self._source, last_position, last_hash, datetime.now(UTC))
        stored = [_stored(document, body, hash_) for document, body, hash_ in made]
        self.log.extend(stored)
        return stored

    async def read_stream(self, stream_id: str) -> list[StoredEvent]:
        return [event for event in self.log if event.stream_id == stream_id]

    async def read_log(self, after_position: int, limit: int) -> list[StoredEvent]:
        return [event for event in self.log if event.position > after_position][:limit]
