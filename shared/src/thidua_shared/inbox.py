"""Idempotent consumers: each processed event is recorded with the read-model change it caused.

A consumer reads its topics with a manual assignment (no consumer group: start-up is immediate) and
keeps its own offsets in ``consumer_offsets``, written in the same transaction as the read-model
change and the ``inbox`` rows. A duplicate delivery finds its ``event_id`` in the inbox and changes
nothing. A message that cannot be parsed, breaks the contract, or whose handler fails goes to the
dead-letter topic ``thidua.<province>.<service>.dlq`` with the reason, and the consumer goes on.

When the relay refilled a broker that lost its data, messages carry a new epoch; on seeing one the
consumer re-reads that partition from the start (the inbox drops what it already has). The same
happens when the message at the stored offset is no longer the one processed there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts import EventPayload
from thidua_contracts.upcasting import UnreadableEvent, read_payload
from thidua_contracts.wire import digest
from thidua_shared.hashing import canonical, split_wire
from thidua_shared.kafka import BrokerAdmin, dead_letter_topic, province_of, service_of, vanished_messages
from thidua_shared.store.event_store import BODY_FIELDS, StoredEvent
from thidua_shared.store.tables import consumer_offsets, inbox
from thidua_shared.supervision import stop_quietly

log = structlog.get_logger(__name__)

Handler = Callable[[AsyncConnection, StoredEvent, EventPayload], Awaitable[None]]


def is_transient(error: BaseException) -> bool:
    """A failure that may pass by itself (broker or database away, locked, disconnected): retry it.
    Anything else a message causes every time, so it goes to the dead-letter topic."""
    if isinstance(error, OperationalError | InterfaceError | TimeoutError | OSError | KafkaError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class ContractViolation(ValueError):
    """A message that is not a valid event of the contract."""


def parse_message(topic: str, value: bytes | None) -> tuple[StoredEvent, EventPayload]:
    """The event in a Kafka message, checked against the contract and its own hash."""
    if value is None:
        raise ContractViolation("empty message")
    try:
        document, hash_ = split_wire(value)
    except (ValueError, KeyError) as error:
        raise ContractViolation(f"not an event envelope: {error}") from error
    body = canonical(document)
    if digest(body) != hash_:
        raise ContractViolation("hash does not match the event")
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
class Parsed:
    record: ConsumerRecord[bytes, bytes]
    event: StoredEvent
    payload: EventPayload


@dataclass
class _PartitionState:
    epoch: str = ""
    seen: set[str] = field(default_factory=set)
    """Epochs met on this partition: each makes the consumer re-read it at most once."""
    switches: int = 0


INTERLEAVED_SWITCHES = 5
"""A refilled log switches epoch once or twice; more means two relays write one topic."""


class Consumer:
    """Feeds one service's handlers from other services' topics, exactly once per event."""

    def __init__(self, engine: AsyncEngine, name: str, service: str, topics: list[str],
                 handlers: Mapping[str, Handler], bootstrap_servers: str,
                 on_commit: Callable[[], None] | None = None, batch_size: int = 500,
                 verify_idle_seconds: float = 5.0) -> None:
        self._engine = engine
        self.name = name
        self._service = service
        self._topics = topics
        self._handlers = handlers
        self._bootstrap = bootstrap_servers
        self._on_commit = on_commit
        self._batch_size = batch_size
        self._verify_idle = verify_idle_seconds
        self._state: dict[TopicPartition, _PartitionState] = {}
        self._dlq: AIOKafkaProducer | None = None
        self.processed = 0
        self.dead_lettered = 0
        self.rewinds = 0
        self.ready = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop``. A failure of the broker or the database (or a bug) ends this run; the
        supervisor (:func:`thidua_shared.supervision.supervise`) starts it again, from the stored
        offsets, after a back-off: nothing is skipped."""
        await self._ensure_topics()
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap, group_id=None, enable_auto_commit=False,
            auto_offset_reset="earliest", max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        try:
            await self._start(consumer)
            await self._loop(consumer, stop)
        finally:
            self.ready.clear()
            await stop_quietly(consumer)
            await self._close_dlq()

    async def _ensure_topics(self) -> None:
        admin = BrokerAdmin(self._bootstrap)
        try:
            await admin.ensure_topics(set(self._topics) | {
                dead_letter_topic(province_of(topic), self._service) for topic in self._topics})
        finally:
            await admin.close()

    async def _start(self, consumer: AIOKafkaConsumer) -> None:
        await consumer.start()
        partitions: list[TopicPartition] = []
        for topic in self._topics:
            found = consumer.partitions_for_topic(topic)
            if not found:
                await consumer._client.force_metadata_update()
                found = consumer.partitions_for_topic(topic) or set()
            partitions += [TopicPartition(topic, partition) for partition in sorted(found)]
        consumer.assign(partitions)
        await self._seek_to_checkpoints(consumer, partitions)
        self.ready.set()
        log.info("consumer.started", consumer=self.name, partitions=len(partitions))

    async def _saved_offsets(self) -> dict[TopicPartition, Any]:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(
                select(consumer_offsets).where(consumer_offsets.c.consumer == self.name)
            )).all()
        return {TopicPartition(row.topic, row.partition): row for row in rows}

    async def _seek_to_checkpoints(self, consumer: AIOKafkaConsumer,
                                   partitions: list[TopicPartition]) -> None:
        saved = await self._saved_offsets()
        for tp in partitions:
            self._state.setdefault(tp, _PartitionState())
            if tp in saved:
                self._state[tp].epoch = saved[tp].epoch
        replaced = await self._replaced_partitions({tp: saved[tp] for tp in partitions if tp in saved})
        for tp in partitions:
            if tp in saved and tp not in replaced:
                consumer.seek(tp, saved[tp].next_offset)
            else:
                consumer.seek(tp, 0)

    async def _replaced_partitions(self, saved: Mapping[TopicPartition, Any]) -> set[TopicPartition]:
        """Partitions whose message at our last offset is gone or another: the broker lost its log."""
        expected = {tp: (row.next_offset - 1, row.last_event_id)
                    for tp, row in saved.items() if row.last_event_id}
        if not expected:
            return set()
        admin = BrokerAdmin(self._bootstrap)
        try:
            topics = await admin.topics()
        finally:
            await admin.close()
        replaced = await vanished_messages(self._bootstrap, expected, topics)
        for tp in replaced:
            log.warning("consumer.log_replaced", consumer=self.name, partition=str(tp))
        return replaced

    async def _loop(self, consumer: AIOKafkaConsumer, stop: asyncio.Event) -> None:
        idle = 0.0
        while not stop.is_set():
            fetched = await consumer.getmany(timeout_ms=200, max_records=self._batch_size)
            records = [record for batch in fetched.values() for record in batch]
            if not records:
                idle += 0.2
                if idle >= self._verify_idle:
                    idle = 0.0
                    await self._verify_positions(consumer)
                continue
            idle = 0.0
            accepted = self._check_epochs(consumer, fetched)
            if accepted:
                await self._process(accepted)

    async def _verify_positions(self, consumer: AIOKafkaConsumer) -> None:
        """Idle check that the broker still holds what we read (it may have restarted empty)."""
        saved = {tp: row for tp, row in (await self._saved_offsets()).items()
                 if tp in consumer.assignment()}
        for tp in await self._replaced_partitions(saved):
            consumer.seek(tp, 0)

    def _check_epochs(self, consumer: AIOKafkaConsumer,
                      fetched: Mapping[TopicPartition, list[ConsumerRecord[bytes, bytes]]],
                      ) -> list[ConsumerRecord[bytes, bytes]]:
        accepted: list[ConsumerRecord[bytes, bytes]] = []
        for tp, batch in fetched.items():
            state = self._state.setdefault(tp, _PartitionState())
            for record in batch:
                epoch = _header(record, "thidua-epoch")
                if state.epoch and epoch and epoch != state.epoch and epoch not in state.seen:
                    state.seen |= {state.epoch, epoch}
                    if record.offset > 0:
                        log.warning("consumer.epoch_changed", consumer=self.name, partition=str(tp),
                                    epoch=epoch)
                        self.rewinds += 1
                        consumer.seek(tp, 0)
                        break
                elif state.epoch and epoch and epoch != state.epoch:
                    state.switches += 1
                    if state.switches == INTERLEAVED_SWITCHES:
                        log.error("consumer.epochs_interleaved", consumer=self.name, partition=str(tp),
                                  epochs=sorted(state.seen),
                                  hint="two relays publish to this topic: run one instance per province")
                state.epoch = epoch or state.epoch
                accepted.append(record)
        return accepted

    async def _process(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        """Apply a batch in one transaction. Dead letters are sent before the offsets that pass them
        are committed: if the dead-letter topic cannot be written, the batch is read again."""
        parsed: list[Parsed] = []
        broken: dict[int, str] = {}
        for record in records:
            try:
                parsed.append(Parsed(record, *parse_message(record.topic, record.value)))
            except ContractViolation as violation:
                broken[id(record)] = str(violation)
        for record in records:
            if id(record) in broken:
                await self._dead_letter(record, broken[id(record)])
        try:
            await self._apply(records, parsed)
        except Exception as error:  # noqa: BLE001 - isolate the failing message below
            log.warning("consumer.batch_failed", consumer=self.name, error=repr(error))
            by_record = {id(item.record): item for item in parsed}
            for record in records:
                item = by_record.get(id(record))
                if item is None:
                    await self._advance_past(record)
                    continue
                try:
                    await self._apply([record], [item])
                except Exception as single:
                    if is_transient(single):
                        raise
                    await self._dead_letter(record, f"handler failed: {type(single).__name__}: {single}")
                    await self._advance_past(record)
        if self._on_commit is not None:
            self._on_commit()

    async def _apply(self, records: list[ConsumerRecord[bytes, bytes]], parsed: list[Parsed]) -> None:
        """The new events' handlers, their inbox rows and the offsets past ``records``, in one transaction."""
        async with self._engine.begin() as connection:
            ids = [item.event.event_id for item in parsed]
            seen = set((await connection.execute(
                select(inbox.c.event_id)
                .where(inbox.c.consumer == self.name, inbox.c.event_id.in_(ids))
            )).scalars()) if ids else set()
            fresh: list[dict[str, str]] = []
            for item in parsed:
                event = item.event
                if event.event_id in seen:
                    continue
                seen.add(event.event_id)
                handler = self._handlers.get(event.event_type)
                if handler is not None:
                    with structlog.contextvars.bound_contextvars(correlation_id=event.correlation_id):
                        await handler(connection, event, item.payload)
                fresh.append({"consumer": self.name, "event_id": event.event_id})
            if fresh:
                await connection.execute(inbox.insert(), fresh)
            await self._save_offsets(connection, records, {item.record.offset: item.event for item in parsed})
        self.processed += len(fresh)

    async def _advance_past(self, record: ConsumerRecord[bytes, bytes]) -> None:
        async with self._engine.begin() as connection:
            await self._save_offsets(connection, [record], {})

    async def _save_offsets(self, connection: AsyncConnection,
                            records: list[ConsumerRecord[bytes, bytes]],
                            events_at: Mapping[int, StoredEvent]) -> None:
        last: dict[TopicPartition, ConsumerRecord[bytes, bytes]] = {}
        for record in records:
            last[TopicPartition(record.topic, record.partition)] = record
        for tp, record in last.items():
            event = events_at.get(record.offset)
            values = {
                "next_offset": record.offset + 1,
                "last_event_id": event.event_id if event else "",
                "epoch": _header(record, "thidua-epoch"),
            }
            key = (consumer_offsets.c.consumer == self.name) & (consumer_offsets.c.topic == tp.topic) \
                & (consumer_offsets.c.partition == tp.partition)
            changed = await connection.execute(consumer_offsets.update().where(key).values(**values))
            if changed.rowcount == 0:
                await connection.execute(consumer_offsets.insert().values(
                    consumer=self.name, topic=tp.topic, partition=tp.partition, **values))

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], reason: str) -> None:
        self.dead_lettered += 1
        topic = dead_letter_topic(province_of(record.topic), self._service)
        log.error("consumer.dead_letter", consumer=self.name, topic=record.topic,
                  partition=record.partition, offset=record.offset, reason=reason)
        if self._dlq is None:
            self._dlq = AIOKafkaProducer(bootstrap_servers=self._bootstrap, acks="all")
            await self._dlq.start()
        headers = [
            *(record.headers or ()),
            ("dlq-reason", reason.encode()), ("dlq-consumer", self.name.encode()),
            ("dlq-source", f"{record.topic}/{record.partition}/{record.offset}".encode()),
        ]
        await self._dlq.send_and_wait(topic, value=record.value, key=record.key, headers=headers)

    async def _close_dlq(self) -> None:
        dlq, self._dlq = self._dlq, None
        await stop_quietly(dlq)
