"""A service's subscription to another service's topics, as a FastStream batch subscriber.

The offset design, and why:

- **A consumer group per subscription** (``thidua.<service>.from.<source>.<provinces>``): Kafka assigns the
  partitions (several replicas of a service share them), and the group's committed offsets make
  consumer lag visible to the standard Kafka tools. Offsets are acknowledged (committed to Kafka) only
  after the batch's read-model transaction committed and its dead letters were sent.
- **The database decides where to read.** The read-model change, the ``inbox`` rows and the
  ``consumer_offsets`` marks commit in one transaction, so the database knows exactly what was applied.
  When partitions are assigned, each is moved to the database's next offset if the message last
  applied there is still the one the broker holds, and to the beginning if not (the broker lost its data
  and was refilled, or the read models are being rebuilt with ``replay --resubscribe``, which clears the
  marks). A broker restarted empty forgets the group's offsets too; the marks survive it. The inbox
  drops whatever is delivered twice.
- **A refilled log is re-read once.** Messages carry the relay's epoch; a new epoch met past the start
  of a partition sends that partition back to offset 0.
- **Nothing dies for good.** A failure ends the subscription's life (FastStream's broker is stopped);
  the supervisor starts a new one after a back-off, from the database's marks. An idle subscription
  checks now and then that the broker still holds its marks, and starts again if not.

Retries of passing failures, the acknowledgement, and per-batch logging are FastStream middlewares
(:class:`RetryPassingFailures`, :class:`AckWhenApplied`, :class:`LogBatch`). Dead letters are sent by the
handler itself, before the transaction that moves the marks past them: if the dead-letter topic cannot
be written, the batch is read again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiokafka import ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from faststream import AckPolicy, BaseMiddleware, StreamMessage
from faststream.kafka import KafkaBroker
from faststream.kafka.message import KafkaMessage
from sqlalchemy.ext.asyncio import AsyncEngine
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from thidua_shared.inbox import Delivery, Inbox, Mark, SqlInbox, decode_record, header, is_transient
from thidua_shared.kafka import BrokerAdmin, dead_letter_topic, province_of, vanished_messages
from thidua_shared.projection import Projection
from thidua_shared.supervision import stop_quietly
from thidua_shared.tracing import consuming

log = structlog.get_logger(__name__)
faststream_log = logging.getLogger("thidua.faststream")

EPOCH_HEADER = "thidua-epoch"
INTERLEAVED_SWITCHES = 5
"""A refilled log switches epoch once or twice; more means two relays write one topic."""


class SubscriptionFailed(Exception):
    """A batch could not be applied even after retries; the subscription starts a new life."""


@dataclass
class _PartitionState:
    epoch: str = ""
    seen: set[str] = field(default_factory=set)
    """Epochs met on this partition: each makes the subscription re-read it at most once."""
    switches: int = 0


class Subscription:
    """Feeds one service's projection (``projection``) from other services' topics, exactly once per event."""

    def __init__(self, engine: AsyncEngine, name: str, service: str, topics: list[str],
                 projection: Projection, bootstrap_servers: str,
                 on_commit: Callable[[], None] | None = None, batch_size: int = 2000,
                 verify_idle_seconds: float = 5.0, retry_attempts: int = 4,
                 session_timeout_ms: int = 6000, fetch_max_wait_ms: int = 500) -> None:
        self.name = name
        self._session_timeout_ms = session_timeout_ms
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._service = service
        self.topics = topics
        self._bootstrap = bootstrap_servers
        self._on_commit = on_commit
        self._batch_size = batch_size
        self._verify_idle = verify_idle_seconds
        self.retry_attempts = retry_attempts
        self.commit_seconds = 1.0
        self.committed_at = 0.0
        self.uncommitted = False
        self._inbox: Inbox = SqlInbox(engine, name, projection)
        self._wanted = projection.wants
        self._partitions: dict[TopicPartition, _PartitionState] = {}
        self._broker: KafkaBroker | None = None
        self._subscriber: Any = None
        self._failure: BaseException | None = None
        self._last_batch = time.monotonic()
        self.processed = 0
        self.dead_lettered = 0
        self.rewinds = 0
        self.ready = asyncio.Event()

    @property
    def group_id(self) -> str:
        """``thidua.<service>.from.<source>.<provinces>``: the provinces served are part of it, so that two
        instances (each serving its own provinces) on one Kafka cluster never share a group."""
        provinces = sorted({province_of(topic).lower() for topic in self.topics})
        return f"thidua.{self.name}.{'-'.join(provinces)}"

    # --- one life ------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop``; return or raise to end this life (see :func:`supervision.supervise`)."""
        self._failure = None
        await self._ensure_topics()
        broker = self.declare(KafkaBroker(
            self._bootstrap, apply_types=False, logger=faststream_log, log_level=logging.DEBUG,
            middlewares=(LogBatch, self._ack, self._retry),
        ))
        try:
            await broker.start()
            await self._watch(stop)
        finally:
            self.ready.clear()
            self._broker = None
            await _stop_broker(broker)

    def declare(self, broker: KafkaBroker) -> KafkaBroker:
        """The subscription's FastStream subscriber on ``broker`` (also used for tests and AsyncAPI)."""
        subscriber = broker.subscriber(
            *self.topics, group_id=self.group_id, batch=True, max_records=self._batch_size,
            batch_timeout_ms=100, auto_offset_reset="earliest", ack_policy=AckPolicy.MANUAL,
            session_timeout_ms=self._session_timeout_ms,
            heartbeat_interval_ms=max(100, min(1000, self._session_timeout_ms // 4)),
            max_partition_fetch_bytes=4 * 1024 * 1024, fetch_max_wait_ms=self._fetch_max_wait_ms,
            listener=_Assignment(self), title=f"{self.name}", description=f"{self._service} reads {self.topics}",
        )
        subscriber(self.on_batch, decoder=self._decode)
        self._subscriber = subscriber
        self._broker = broker
        return broker

    async def _ensure_topics(self) -> None:
        admin = BrokerAdmin(self._bootstrap)
        try:
            await admin.ensure_topics(set(self.topics) | {
                dead_letter_topic(province_of(topic), self._service) for topic in self.topics})
        finally:
            await admin.close()

    async def _watch(self, stop: asyncio.Event) -> None:
        """Until ``stop``: fail when a batch failed for good; when idle, check the broker kept our marks."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(1.0, self._verify_idle))
            if self._failure is not None:
                raise SubscriptionFailed(repr(self._failure)) from self._failure
            await self._commit_if_behind()
            if self.ready.is_set() and time.monotonic() - self._last_batch >= self._verify_idle:
                self._last_batch = time.monotonic()
                lost = await self._replaced(await self._marks(self._assigned()))
                if lost:
                    raise SubscriptionFailed(f"the broker no longer holds {sorted(map(str, lost))}")

    async def _commit_if_behind(self) -> None:
        """Commit what the last batches applied when no batch came to commit it (see :class:`AckWhenApplied`)."""
        consumer = getattr(self._subscriber, "consumer", None)
        if self.uncommitted and consumer is not None and time.monotonic() - self.committed_at >= self.commit_seconds:
            self.uncommitted = False
            self.committed_at = time.monotonic()
            await consumer.commit()

    async def acknowledged(self) -> dict[TopicPartition, int]:
        """The group's committed offset of each partition this life holds, as the group coordinator answers
        Kafka's tools (``kafka-consumer-groups.sh --describe --group <group_id>`` shows the lag from them)."""
        consumer = getattr(self._subscriber, "consumer", None)
        if consumer is None:
            return {}
        answers = {tp: await consumer.committed(tp) for tp in self._assigned()}
        return {tp: offset for tp, offset in answers.items() if offset is not None}

    def fetched_ends(self) -> dict[TopicPartition, int]:
        """The end of each partition this life holds, as the broker said in its last answer to a fetch (no
        request of its own; the metrics' consumer lag takes it where it is more than the log's end asked of the
        broker: the embedded broker answers that question short of the end, see ``tests/test_consumer_lag.py``)."""
        consumer = getattr(self._subscriber, "consumer", None)
        if consumer is None:
            return {}
        ends = {tp: consumer.highwater(tp) for tp in self._assigned()}
        return {tp: int(end) for tp, end in ends.items() if end is not None}

    async def marks(self) -> dict[TopicPartition, Mark]:
        """Where the database says this subscription stands: what was applied, read with the read models."""
        return await self._inbox.marks()

    def _assigned(self) -> set[TopicPartition]:
        return {tp for tp, state in self._partitions.items() if state.epoch != "-revoked-"}

    # --- where to read -------------------------------------------------------------------------

    async def _marks(self, partitions: set[TopicPartition]) -> dict[TopicPartition, Mark]:
        return {tp: mark for tp, mark in (await self._inbox.marks()).items() if tp in partitions}

    async def _replaced(self, marks: Mapping[TopicPartition, Mark]) -> set[TopicPartition]:
        """Partitions whose message at our last offset is gone or another: the broker lost its log."""
        expected = {tp: (row.next_offset - 1, row.last_event_id) for tp, row in marks.items() if row.last_event_id}
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

    async def place(self, seek: Callable[[TopicPartition, int], None], assigned: set[TopicPartition]) -> None:
        """Move each newly assigned partition to where the database says to read it."""
        marks = await self._marks(assigned)
        replaced = await self._replaced(marks)
        for tp in assigned:
            state = self._partitions.setdefault(tp, _PartitionState())
            mark = marks.get(tp)
            state.epoch = mark.epoch if mark is not None else ""
            seek(tp, mark.next_offset if mark is not None and tp not in replaced else 0)
        self.uncommitted = True  # the group learns the database's marks even if no batch comes to commit them
        self._last_batch = time.monotonic()
        self.ready.set()
        log.info("consumer.assigned", consumer=self.name, partitions=len(assigned))

    def revoke(self, revoked: set[TopicPartition]) -> None:
        for tp in revoked:
            self._partitions.pop(tp, None)
        if not self._partitions:
            self.ready.clear()

    # --- a batch -------------------------------------------------------------------------------

    async def _decode(self, message: StreamMessage[Any]) -> list[Delivery]:
        return [decode_record(record, self._wanted) for record in message.raw_message]

    def _check_epochs(self, deliveries: Sequence[Delivery]) -> list[Delivery]:
        """The deliveries to apply; a partition met under a new epoch past its start is read again."""
        accepted: list[Delivery] = []
        rewound: set[TopicPartition] = set()
        tp, state = None, _PartitionState()
        for delivery in deliveries:
            record = delivery.record
            if tp is None or record.partition != tp.partition or record.topic != tp.topic:  # a batch comes in runs
                tp = TopicPartition(record.topic, record.partition)                          # of one partition
                state = self._partitions.setdefault(tp, _PartitionState())
            if tp in rewound:
                continue
            epoch = header(record, EPOCH_HEADER)
            if state.epoch and epoch and epoch != state.epoch and epoch not in state.seen:
                state.seen |= {state.epoch, epoch}
                if record.offset > 0:
                    log.warning("consumer.epoch_changed", consumer=self.name, partition=str(tp), epoch=epoch)
                    self.rewinds += 1
                    rewound.add(tp)
                    self._seek_to_start(tp)
                    continue
            elif state.epoch and epoch and epoch != state.epoch:
                state.switches += 1
                if state.switches == INTERLEAVED_SWITCHES:
                    log.error("consumer.epochs_interleaved", consumer=self.name, partition=str(tp),
                              epochs=sorted(state.seen),
                              hint="two relays publish to this topic: run one instance per province")
            state.epoch = epoch or state.epoch
            accepted.append(delivery)
        return accepted

    def _seek_to_start(self, tp: TopicPartition) -> None:
        consumer = getattr(self._subscriber, "consumer", None)
        if consumer is not None:
            consumer.seek(tp, 0)

    async def on_batch(self, deliveries: list[Delivery]) -> None:
        """Apply a batch in one transaction; if that fails, apply its events one by one and dead-letter those
        that fail every time. A passing failure is raised, to be retried (see :class:`RetryPassingFailures`)."""
        if self._failure is not None:
            raise SubscriptionFailed("this life of the subscription has ended")
        self._last_batch = time.monotonic()
        accepted = self._check_epochs(deliveries)
        for delivery in accepted:
            if delivery.violation:
                await self.dead_letter(delivery.record, delivery.violation)
        try:
            self.processed += await self._inbox.apply(accepted)
        except Exception as error:
            if is_transient(error):
                raise
            log.warning("consumer.batch_failed", consumer=self.name, error=repr(error))
            for delivery in accepted:
                if delivery.violation:
                    await self._inbox.advance_past([delivery])
                    continue
                try:
                    self.processed += await self._inbox.apply([delivery])
                except Exception as single:
                    if is_transient(single):
                        raise
                    await self.dead_letter(delivery.record, f"handler failed: {type(single).__name__}: {single}")
                    await self._inbox.advance_past([delivery])
        if self._on_commit is not None:
            self._on_commit()

    # --- middlewares ---------------------------------------------------------------------------

    def _ack(self, msg: Any, /, *, context: Any) -> BaseMiddleware[Any, Any]:
        return AckWhenApplied(msg, context=context, subscription=self)

    def _retry(self, msg: Any, /, *, context: Any) -> BaseMiddleware[Any, Any]:
        return RetryPassingFailures(msg, context=context, subscription=self)

    async def dead_letter(self, record: ConsumerRecord[bytes, bytes], reason: str) -> None:
        self.dead_lettered += 1
        topic = dead_letter_topic(province_of(record.topic), self._service)
        log.error("consumer.dead_letter", consumer=self.name, topic=record.topic,
                  partition=record.partition, offset=record.offset, reason=reason)
        assert self._broker is not None
        headers = {key: bytes(value).decode(errors="replace") for key, value in record.headers or ()}
        headers |= {"dlq-reason": reason, "dlq-consumer": self.name,
                    "dlq-source": f"{record.topic}/{record.partition}/{record.offset}"}
        await self._broker.publish(record.value or b"", topic, key=record.key, headers=headers)

    def failed(self, error: BaseException) -> None:
        """A batch failed for good: end this life (the supervisor starts the next)."""
        self._failure = error


class RetryPassingFailures(BaseMiddleware[Any, Any]):
    """A batch that meets a passing failure (database locked or away, broker away) is tried again with
    back-off; after the last attempt the batch is not acknowledged and the subscription starts again."""

    def __init__(self, msg: Any, /, *, context: Any, subscription: Subscription) -> None:
        super().__init__(msg, context=context)
        self._subscription = subscription

    async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient), stop=stop_after_attempt(self._subscription.retry_attempts),
            wait=wait_exponential_jitter(multiplier=0.1, max=2.0, jitter=0.1), reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await call_next(msg)
        except Exception as error:
            log.warning("consumer.batch_failed_for_good", consumer=self._subscription.name, error=repr(error))
            self._subscription.failed(error)
            if isinstance(msg, KafkaMessage):
                await msg.nack()  # read from this batch again; nothing after it is applied meanwhile
            raise
        return None


class AckWhenApplied(BaseMiddleware[Any, Any]):
    """The group's offsets are committed to Kafka once a batch is applied, at most every ``commit_seconds``
    of the subscription: they show lag to Kafka's tools and hand partitions over between replicas, while
    the database's marks, written with the read models, stay the truth (a commit skipped costs nothing)."""

    def __init__(self, msg: Any, /, *, context: Any, subscription: Subscription) -> None:
        super().__init__(msg, context=context)
        self._subscription = subscription

    async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
        outcome = await call_next(msg)
        subscription = self._subscription
        due = time.monotonic() - subscription.committed_at >= subscription.commit_seconds
        if isinstance(msg, KafkaMessage) and due:
            await msg.ack()
            subscription.committed_at = time.monotonic()
            subscription.uncommitted = False
        else:
            subscription.uncommitted = True
        return outcome


class LogBatch(BaseMiddleware[Any, Any]):
    """One debug line per batch, with the first event's correlation id bound while it is applied; and its consumer
    span when tracing is on (see :mod:`thidua_shared.tracing`)."""

    async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
        records = msg.raw_message if isinstance(msg.raw_message, tuple) else (msg.raw_message,)
        started = time.monotonic()
        with structlog.contextvars.bound_contextvars(batch=f"{records[0].topic}/{records[0].offset}+{len(records)}"), \
                consuming(records):
            outcome = await call_next(msg)
        log.debug("consumer.batch", messages=len(records), seconds=round(time.monotonic() - started, 4))
        return outcome


class _Assignment(ConsumerRebalanceListener):  # type: ignore[misc]
    """Places newly assigned partitions where the database says (see the module's docstring)."""

    def __init__(self, subscription: Subscription) -> None:
        self._subscription = subscription

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._subscription.revoke(set(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        subscription = self._subscription
        consumer = getattr(subscription._subscriber, "consumer", None)
        if consumer is None:
            return
        await subscription.place(consumer.seek, set(assigned))


async def _stop_broker(broker: KafkaBroker) -> None:
    await stop_quietly(broker)
