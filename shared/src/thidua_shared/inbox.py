"""The idempotent inbox: each event consumed is recorded with the read-model change it caused.

An :class:`Inbox` applies a batch of deliveries at once: the handlers of the events it has not seen, the
events' ids, and the :class:`Mark` past the batch on each partition (which message was applied last there,
so the subscription knows where to read and can tell a broker that lost its data). A duplicate delivery
finds its ``event_id`` seen and changes nothing; a handler that fails leaves nothing of the batch.
:class:`SqlInbox` keeps all three in the service's database, in one transaction (the ``inbox`` and
``consumer_offsets`` tables); :class:`InMemoryInbox` keeps them in memory, for unit tests of a consumer's
rules. ``shared/tests/test_inbox_contract.py`` holds both to the same guarantees.

Messages are checked here against the contract and their own hash (:func:`decode_record`); the
subscription that reads them from Kafka is :mod:`thidua_shared.subscriptions` (FastStream).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

import orjson
import structlog
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts import EventPayload
from thidua_contracts.catalog import model_for
from thidua_contracts.upcasting import UnreadableEvent, read_payload
from thidua_contracts.wire import InvalidEvent, digest, split_body
from thidua_shared.kafka import province_of, service_of
from thidua_shared.projection import Projection
from thidua_shared.store.db import READ_ONLY
from thidua_shared.store.event_store import BODY_FIELDS, StoredEvent
from thidua_shared.store.tables import consumer_offsets

log = structlog.get_logger(__name__)


def is_transient(error: BaseException) -> bool:
    """A failure that may pass by itself (broker or database away, locked, disconnected): retry it.
    Anything else a message causes every time, so it goes to the dead-letter topic."""
    if isinstance(error, OperationalError | InterfaceError | TimeoutError | OSError | KafkaError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class ContractViolation(ValueError):
    """A message that is not a valid event of the contract."""


def parse_message(topic: str, value: bytes | None,
                  wanted: Callable[[str], bool] | None = None) -> tuple[StoredEvent, EventPayload | None]:
    """The event in a Kafka message, checked against the contract and its own hash (on the bytes that
    were hashed, as :func:`thidua_contracts.wire.split_body` gives them back: no re-encoding).

    The payload is read into its model (upcast and validated) only if ``wanted`` says its event type is
    wanted (by default every type): a reader checks what it uses, and tolerates what it does not."""
    if value is None:
        raise ContractViolation("empty message")
    try:
        body, hash_ = split_body(value)
    except InvalidEvent as error:
        raise ContractViolation(f"not an event envelope: {error}") from error
    if digest(body) != hash_:
        raise ContractViolation("hash does not match the event")
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ContractViolation(f"not an event envelope: {error}") from error
    if not isinstance(document, dict):
        raise ContractViolation("not an event envelope: an event is a JSON object")
    if document.get("province") != province_of(topic):
        raise ContractViolation(f"event of province {document.get('province')} on topic {topic}")
    if document.get("source") != service_of(topic):
        raise ContractViolation(f"event of {document.get('source')} on topic {topic}")
    if document.keys() != BODY_FIELDS:
        raise ContractViolation(f"envelope fields differ from the contract: {sorted(document.keys() ^ BODY_FIELDS)}")
    try:
        event = StoredEvent.from_document(document, hash_, body)
        model_for(event.event_type)
        if wanted is not None and not wanted(event.event_type):
            return event, None
        payload = read_payload(event.event_type, event.schema_version, event.payload)
    except (TypeError, KeyError, UnreadableEvent, ValidationError) as error:
        raise ContractViolation(f"{type(error).__name__}: {error}") from error
    return event, payload


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str:
    """The value of a message's header ``name`` as text; empty when it has none."""
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return ""


class Delivery(NamedTuple):
    """One message of a batch: its event and payload (``None`` where no handler wants the event), or why it
    breaks the contract (``event`` is ``None`` then). A named tuple: one is made for every message consumed,
    and a frozen dataclass costs more to make than checking the message's hash."""

    record: ConsumerRecord[bytes, bytes]
    event: StoredEvent | None
    payload: EventPayload | None
    violation: str = ""


def decode_record(record: ConsumerRecord[bytes, bytes], wanted: Callable[[str], bool] | None = None) -> Delivery:
    try:
        event, payload = parse_message(record.topic, record.value, wanted)
    except ContractViolation as violation:
        return Delivery(record, None, None, str(violation))
    return Delivery(record, event, payload)


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a consumer stands on a partition: the offset to read next, the event applied last there (empty
    when that message broke the contract) and the relay's epoch of that message."""

    next_offset: int
    last_event_id: str
    epoch: str


def marks_past(deliveries: Sequence[Delivery]) -> dict[TopicPartition, Mark]:
    """The mark past the last of ``deliveries`` on each partition they come from."""
    marks: dict[TopicPartition, Mark] = {}
    last: dict[tuple[str, int], Delivery] = {}
    for delivery in deliveries:
        last[(delivery.record.topic, delivery.record.partition)] = delivery
    for delivery in last.values():
        record = delivery.record
        marks[TopicPartition(record.topic, record.partition)] = Mark(
            next_offset=record.offset + 1,
            last_event_id=delivery.event.event_id if delivery.event is not None else "",
            epoch=header(record, "thidua-epoch"))
    return marks


def _valid(deliveries: Sequence[Delivery]) -> list[tuple[StoredEvent, EventPayload | None]]:
    """The events of ``deliveries`` that keep the contract, with their payloads where wanted."""
    return [(delivery.event, delivery.payload) for delivery in deliveries if delivery.event is not None]


class Inbox(Protocol):
    """What a subscription needs of its inbox."""

    async def apply(self, deliveries: Sequence[Delivery]) -> int:
        """Apply the events not seen before, remember them and move the marks past ``deliveries``, all or
        nothing; the number of events not seen before. Violations only move the marks."""
        ...

    async def advance_past(self, deliveries: Sequence[Delivery]) -> None:
        """Move the marks past ``deliveries`` without applying them (dead letters)."""
        ...

    async def marks(self) -> dict[TopicPartition, Mark]:
        """Where this consumer stands on each partition it has read."""
        ...


_CLAIM_SQLITE = text("INSERT OR IGNORE INTO inbox (consumer, event_id) "
                     "SELECT :consumer, value FROM json_each(:event_ids) RETURNING event_id")
_CLAIM_POSTGRES = text("INSERT INTO inbox (consumer, event_id) SELECT :consumer, unnest(CAST(:event_ids AS VARCHAR[])) "
                       "ON CONFLICT DO NOTHING RETURNING event_id")
"""A batch's ids claimed in one statement with one parameter for all of them (a JSON array, a PostgreSQL array):
a row of parameters per event, as ``executemany`` takes them, cost SQLAlchemy more than the database's insert."""


class SqlInbox:
    """The inbox in the service's database: read models through a projection (see
    :mod:`thidua_shared.projection`), ``inbox`` rows and ``consumer_offsets`` marks in one transaction."""

    def __init__(self, engine: AsyncEngine, consumer: str, projection: Projection) -> None:
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})  # marks are read without waiting for a writer
        self._consumer = consumer
        self._projection = projection

    async def apply(self, deliveries: Sequence[Delivery]) -> int:
        if not deliveries:
            return 0
        valid = _valid(deliveries)
        async with self._engine.begin() as connection:
            new = await self._claim(connection, [event.event_id for event, _ in valid])
            applied = len(new)
            for event, payload in valid:
                if event.event_id not in new:
                    continue
                new.discard(event.event_id)  # a second copy in the same batch is applied once
                if payload is not None and self._projection.applies_to(type(payload)):
                    with structlog.contextvars.bound_contextvars(correlation_id=event.correlation_id):
                        await self._projection.apply(connection, event, payload)
            await self._save_marks(connection, deliveries)
        return applied

    async def _claim(self, connection: AsyncConnection, event_ids: list[str]) -> set[str]:
        """Remember ``event_ids`` as applied by this consumer; those it had not applied before. One statement:
        asking first which are known (an IN list of the batch's ids) cost more than the insert itself."""
        if not event_ids:
            return set()
        claim = _CLAIM_POSTGRES if connection.dialect.name == "postgresql" else _CLAIM_SQLITE
        ids: Any = list(dict.fromkeys(event_ids))
        claimed = await connection.execute(claim, {"consumer": self._consumer, "event_ids": (
            ids if connection.dialect.name == "postgresql" else orjson.dumps(ids).decode())})
        return set(claimed.scalars())

    async def advance_past(self, deliveries: Sequence[Delivery]) -> None:
        async with self._engine.begin() as connection:
            await self._save_marks(connection, deliveries)

    async def marks(self) -> dict[TopicPartition, Mark]:
        async with self._reader.connect() as connection:
            rows = (await connection.execute(
                select(consumer_offsets).where(consumer_offsets.c.consumer == self._consumer))).all()
        return {TopicPartition(row.topic, row.partition): Mark(row.next_offset, row.last_event_id, row.epoch)
                for row in rows}

    async def _save_marks(self, connection: AsyncConnection, deliveries: Sequence[Delivery]) -> None:
        for tp, mark in marks_past(deliveries).items():
            values = {"next_offset": mark.next_offset, "last_event_id": mark.last_event_id, "epoch": mark.epoch}
            key = (consumer_offsets.c.consumer == self._consumer) & (consumer_offsets.c.topic == tp.topic) \
                & (consumer_offsets.c.partition == tp.partition)
            changed = await connection.execute(consumer_offsets.update().where(key).values(**values))
            if changed.rowcount == 0:
                await connection.execute(consumer_offsets.insert().values(
                    consumer=self._consumer, topic=tp.topic, partition=tp.partition, **values))


S = TypeVar("S")
MemoryHandler = Callable[[S, StoredEvent, Any], None]
"""Applies one event to a read model held in memory (``S``)."""


class InMemoryInbox(Generic[S]):
    """The inbox over a read model held in memory (``state``), for unit tests of what a consumer does with
    events: a batch is applied to a copy of the state, which replaces it only when every handler succeeded
    (as a transaction would)."""

    def __init__(self, handlers: Mapping[type[EventPayload], MemoryHandler[S]], state: S) -> None:
        self._handlers = dict(handlers)
        self.state = state
        self._seen: set[str] = set()
        self._marks: dict[TopicPartition, Mark] = {}

    async def apply(self, deliveries: Sequence[Delivery]) -> int:
        if not deliveries:
            return 0
        state = copy.deepcopy(self.state)
        seen = set(self._seen)
        fresh = 0
        for event, payload in _valid(deliveries):
            if event.event_id in seen:
                continue
            seen.add(event.event_id)
            handler = None if payload is None else self._handlers.get(type(payload))
            if handler is not None:
                handler(state, event, payload)
            fresh += 1
        self.state, self._seen = state, seen
        self._marks.update(marks_past(deliveries))
        return fresh

    async def advance_past(self, deliveries: Sequence[Delivery]) -> None:
        self._marks.update(marks_past(deliveries))

    async def marks(self) -> dict[TopicPartition, Mark]:
        return dict(self._marks)
