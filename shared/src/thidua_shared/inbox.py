"""The idempotent inbox: each event consumed is recorded with the read-model change it caused.

:class:`InboxWriter` applies a batch of deliveries in one transaction: the handlers of the events not yet
in the ``inbox``, their ``inbox`` rows, and the ``consumer_offsets`` marks past the batch (which message
was applied last on each partition, so the subscription knows where to read and can tell a broker that
lost its data). A duplicate delivery finds its ``event_id`` in the inbox and changes nothing.

Messages are checked here against the contract and their own hash (:func:`decode_record`); the
subscription that reads them from Kafka is :mod:`thidua_shared.subscriptions` (FastStream).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson
import structlog
from aiokafka import ConsumerRecord
from aiokafka.errors import KafkaError
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts import EventPayload
from thidua_contracts.upcasting import UnreadableEvent, read_payload
from thidua_contracts.wire import InvalidEvent, digest, split_body
from thidua_shared.kafka import province_of, service_of
from thidua_shared.projection import Handlers, as_projection
from thidua_shared.store.event_store import BODY_FIELDS, StoredEvent
from thidua_shared.store.tables import consumer_offsets, inbox

log = structlog.get_logger(__name__)


def is_transient(error: BaseException) -> bool:
    """A failure that may pass by itself (broker or database away, locked, disconnected): retry it.
    Anything else a message causes every time, so it goes to the dead-letter topic."""
    if isinstance(error, OperationalError | InterfaceError | TimeoutError | OSError | KafkaError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class ContractViolation(ValueError):
    """A message that is not a valid event of the contract."""


def parse_message(topic: str, value: bytes | None) -> tuple[StoredEvent, EventPayload]:
    """The event in a Kafka message, checked against the contract and its own hash (on the bytes that
    were hashed, as :func:`thidua_contracts.wire.split_body` gives them back: no re-encoding)."""
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
        payload = read_payload(event.event_type, event.schema_version, event.payload)
    except (TypeError, KeyError, UnreadableEvent, ValidationError) as error:
        raise ContractViolation(f"{type(error).__name__}: {error}") from error
    return event, payload


def _header(record: ConsumerRecord[bytes, bytes], name: str) -> str:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return ""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message of a batch: its event and payload, or why it breaks the contract."""

    record: ConsumerRecord[bytes, bytes]
    event: StoredEvent | None
    payload: EventPayload | None
    violation: str = ""


def decode_record(record: ConsumerRecord[bytes, bytes]) -> Delivery:
    try:
        event, payload = parse_message(record.topic, record.value)
    except ContractViolation as violation:
        return Delivery(record, None, None, str(violation))
    return Delivery(record, event, payload)


class InboxWriter:
    """Applies deliveries to the read models through a projection (see :mod:`thidua_shared.projection`),
    once per event, with the consumer's marks."""

    def __init__(self, engine: AsyncEngine, consumer: str, handlers: Handlers) -> None:
        self._engine = engine
        self._consumer = consumer
        self._projection = as_projection(handlers)

    async def apply(self, deliveries: Sequence[Delivery]) -> int:
        """The new events' handlers, their inbox rows and the marks past ``deliveries``, in one transaction;
        the number of events applied (not seen before). Violations only move the marks."""
        if not deliveries:
            return 0
        valid = [(delivery.event, delivery.payload) for delivery in deliveries
                 if delivery.event is not None and delivery.payload is not None]
        async with self._engine.begin() as connection:
            ids = [event.event_id for event, _ in valid]
            seen = set((await connection.execute(
                select(inbox.c.event_id)
                .where(inbox.c.consumer == self._consumer, inbox.c.event_id.in_(ids))
            )).scalars()) if ids else set()
            fresh: list[dict[str, str]] = []
            for event, payload in valid:
                if event.event_id in seen:
                    continue
                seen.add(event.event_id)
                if self._projection.applies_to(type(payload)):
                    with structlog.contextvars.bound_contextvars(correlation_id=event.correlation_id):
                        await self._projection.apply(connection, event, payload)
                fresh.append({"consumer": self._consumer, "event_id": event.event_id})
            if fresh:
                await connection.execute(inbox.insert(), fresh)
            await self._save_marks(connection, deliveries)
        return len(fresh)

    async def advance_past(self, deliveries: Sequence[Delivery]) -> None:
        """Move the marks past ``deliveries`` without applying them (dead letters)."""
        async with self._engine.begin() as connection:
            await self._save_marks(connection, deliveries)

    async def _save_marks(self, connection: AsyncConnection, deliveries: Sequence[Delivery]) -> None:
        last: dict[tuple[str, int], Delivery] = {}
        for delivery in deliveries:
            last[(delivery.record.topic, delivery.record.partition)] = delivery
        for (topic, partition), delivery in last.items():
            record = delivery.record
            values = {
                "next_offset": record.offset + 1,
                "last_event_id": delivery.event.event_id if delivery.event is not None else "",
                "epoch": _header(record, "thidua-epoch"),
            }
            key = (consumer_offsets.c.consumer == self._consumer) & (consumer_offsets.c.topic == topic) \
                & (consumer_offsets.c.partition == partition)
            changed = await connection.execute(consumer_offsets.update().where(key).values(**values))
            if changed.rowcount == 0:
                await connection.execute(consumer_offsets.insert().values(
                    consumer=self._consumer, topic=topic, partition=partition, **values))
