"""The outbox relay: publishes the service's log to Kafka, in order, at least once.

The event log itself is the outbox: a command's events and read-model changes commit in one
transaction, and the relay later publishes everything after ``relay_state.published_position`` to
``thidua.<province>.<service>``, keyed by ``stream_id`` (so order is kept per stream). It only
advances its position after the broker acknowledged the whole batch; a relay killed mid-batch
publishes the batch again and consumers drop the duplicates by ``event_id``.

A broker restarted empty is refilled: the relay remembers the last message the broker acknowledged
on each topic (``relay_marks``); when that message is gone (at start, after a broker error, after
being idle a while) or a partition acknowledges an offset below it, the relay starts again from
position 0 under a new *epoch* (a header on every message), which tells consumers to re-read that
partition from the start.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import structlog
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts.wire import wire
from thidua_shared.kafka import BrokerAdmin, topic_for, vanished_messages
from thidua_shared.store.db import READ_ONLY
from thidua_shared.store.event_store import read_log_rows
from thidua_shared.store.tables import relay_marks, relay_state
from thidua_shared.supervision import stop_quietly
from thidua_shared.tracing import publishing

log = structlog.get_logger(__name__)

RELAY = "kafka"
STREAMS_REMEMBERED = 100_000
"""Streams whose partition the relay keeps in memory (a few MB); past that it forgets them all and works them out
again."""


# What the relay runs for every batch, built once (at a few events a batch, building them cost as much as sending).
_POSITION = select(relay_state.c.published_position, relay_state.c.epoch).where(relay_state.c.relay == RELAY)
_MOVE_POSITION = (update(relay_state).where(relay_state.c.relay == RELAY, relay_state.c.epoch == bindparam("ours"))
                  .values(published_position=bindparam("position")))
_FORGET_MARK = delete(relay_marks).where(relay_marks.c.topic == bindparam("topic"),
                                         relay_marks.c.partition == bindparam("partition"))


async def relay_position(connection: AsyncConnection) -> tuple[int, str]:
    row = (await connection.execute(_POSITION)).first()
    if row is None:
        epoch = str(uuid.uuid4())
        await connection.execute(
            relay_state.insert().values(relay=RELAY, published_position=0, epoch=epoch)
        )
        return 0, epoch
    return int(row[0]), str(row[1])


async def request_refill(engine: AsyncEngine) -> str:
    """Publish the whole log again from position 0 under a new epoch (after a broker lost its data)."""
    epoch = str(uuid.uuid4())
    async with engine.begin() as connection:
        await relay_position(connection)
        await connection.execute(
            update(relay_state).where(relay_state.c.relay == RELAY)
            .values(published_position=0, epoch=epoch)
        )
        await connection.execute(delete(relay_marks))
    return epoch


class Relay:
    def __init__(self, engine: AsyncEngine, service: str, bootstrap_servers: str,
                 batch_size: int = 5000, poll_seconds: float = 0.5,
                 check_seconds: float = 3.0) -> None:
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})
        """For what the relay only reads (the log, its position, its marks): on SQLite without the write lock, which
        the service's commands wait for (four turns at it for each batch published became one)."""
        self._service = service
        self._bootstrap = bootstrap_servers
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._check_seconds = check_seconds
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._admin = BrokerAdmin(bootstrap_servers)
        self._known_topics: set[str] = set()
        self._layouts: dict[str, list[int]] = {}
        self._streams: dict[tuple[str, bytes], int] = {}
        self._last_check = -check_seconds
        self.published = 0
        self.refills = 0

    def wake(self) -> None:
        """Called after a commit that added events: publish now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        """Connect to the broker and check it still holds what was published (refill if not)."""
        await self._producer_ready()
        if await self._refill_if_broker_lost_data():
            self.refills += 1

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop``. A failure of the broker or the database ends this run; the supervisor
        (:func:`thidua_shared.supervision.supervise`) starts it again after a back-off, and the new run
        first checks that the broker still holds what was published."""
        self._last_check = -self._check_seconds
        try:
            while not stop.is_set():
                self._wake.clear()  # before reading the log: a commit from then on wakes the sleep that may follow
                if await self.publish_once() == 0:
                    await self._sleep(stop, self._poll_seconds)
        finally:
            await self.close()

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _producer_ready(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self._bootstrap, acks="all", linger_ms=2,
                max_batch_size=256 * 1024, request_timeout_ms=10000,
            )
            try:
                await producer.start()
            except BaseException:
                await stop_quietly(producer)
                raise
            self._producer = producer
        return self._producer

    async def close(self) -> None:
        producer, self._producer = self._producer, None
        await stop_quietly(producer)
        await self._admin.close()

    async def _marks(self) -> dict[TopicPartition, tuple[int, str]]:
        async with self._reader.connect() as connection:
            rows = (await connection.execute(select(relay_marks))).all()
        return {TopicPartition(row.topic, row.partition): (row.offset, row.event_id) for row in rows}

    async def _refill_if_broker_lost_data(self) -> bool:
        """Whether the broker no longer holds the last message it acknowledged on some topic (it
        restarted empty, or was replaced); if so, the whole log is published again under a new epoch.

        Looked at when the relay starts, after a broker error, and when it has been idle a while.
        """
        if time.monotonic() - self._last_check < self._check_seconds:
            return False
        self._last_check = time.monotonic()
        marks = await self._marks()
        if not marks:
            return False
        lost = await vanished_messages(self._bootstrap, marks, await self._admin.topics())
        if not lost:
            return False
        await self._refill(sorted({tp.topic for tp in lost}))
        return True

    async def _refill(self, topics: list[str]) -> None:
        epoch = await request_refill(self._engine)
        self._known_topics.clear()
        log.warning("relay.refill", topics=topics, epoch=epoch)

    async def publish_once(self) -> int:
        """Publish the next batch; the number of events the broker acknowledged."""
        if await self._refill_if_broker_lost_data():
            self.refills += 1
        published, epoch = await asyncio.shield(self._position())
        async with self._reader.connect() as connection:
            rows = await read_log_rows(connection, published, self._batch_size)
        if not rows:
            return 0
        producer = await self._producer_ready()
        topic_of = {province: topic_for(province, self._service) for province in {row.province for row in rows}}
        topics = set(topic_of.values())
        if not topics <= self._known_topics:
            await self._admin.ensure_topics(topics)
            self._known_topics |= topics
        partition_of = await self._partitioner(producer, topics)
        epoch_header = epoch.encode()
        with publishing(self._service, len(rows)) as traced:
            futures = []
            for row in rows:
                topic, key = topic_of[row.province], row.stream_id.encode()
                futures.append(await producer.send(
                    topic, value=wire(row.body, row.hash), key=key, partition=partition_of(topic, key),
                    headers=[("event_type", row.event_type.encode()), ("thidua-epoch", epoch_header), *traced]))
            acknowledged = await asyncio.gather(*futures)
        first: dict[TopicPartition, int] = {}
        newest: dict[TopicPartition, tuple[int, str]] = {}
        for row, ack in zip(rows, acknowledged, strict=True):
            tp = TopicPartition(ack.topic, ack.partition)
            first.setdefault(tp, ack.offset)
            newest[tp] = (ack.offset, row.event_id)
        if await self._went_backwards(first):
            return 0
        last = int(rows[-1].position)
        await asyncio.shield(self._record_published(last, epoch, newest))
        self._last_check = time.monotonic()
        self.published += len(rows)
        log.debug("relay.published", count=len(rows), up_to=last)
        return len(rows)

    async def _partitioner(self, producer: AIOKafkaProducer,
                           topics: set[str]) -> Callable[[str, bytes], int]:
        """The partition of a stream's events on a topic, as the producer's default partitioner picks it (a hash
        of the key over the topic's partitions), worked out once per stream rather than for every event:
        aiokafka's murmur2 is pure Python and cost the relay a third of its time."""
        for topic in topics:
            layout = list(await producer.partitions_for(topic))
            if self._layouts.get(topic) != layout:
                self._layouts[topic] = layout
                self._streams = {}  # a topic that gained partitions spreads its keys anew
        if len(self._streams) > STREAMS_REMEMBERED:
            self._streams = {}
        streams, layouts, partitioner = self._streams, self._layouts, DefaultPartitioner()

        def partition_of(topic: str, key: bytes) -> int:
            found = streams.get((topic, key))
            if found is None:
                found = streams[(topic, key)] = partitioner(key, layouts[topic], layouts[topic])
            return found

        return partition_of

    # The relay's transactions are shielded from a cancelled task: on SQLite a transaction cut short in
    # its task keeps the database's write lock until its connection is collected, and every writer of
    # the service waits for it. A shielded one ends (commits or rolls back) whatever happens to the task.

    async def _position(self) -> tuple[int, str]:
        async with self._reader.connect() as connection:
            row = (await connection.execute(_POSITION)).first()
        if row is not None:
            return int(row[0]), str(row[1])
        async with self._engine.begin() as connection:  # the first run: the position is written
            return await relay_position(connection)

    async def _record_published(self, last: int, epoch: str, newest: dict[TopicPartition, tuple[int, str]]) -> None:
        """Move the position past ``last`` and keep the newest message of each partition, if the epoch is
        still ours (a refill requested meanwhile starts again from the beginning)."""
        async with self._engine.begin() as connection:
            changed = await connection.execute(_MOVE_POSITION, {"ours": epoch, "position": last})
            if changed.rowcount:
                await connection.execute(_FORGET_MARK, [{"topic": tp.topic, "partition": tp.partition}
                                                        for tp in newest])
                await connection.execute(relay_marks.insert(), [
                    {"topic": tp.topic, "partition": tp.partition, "offset": offset, "event_id": event_id}
                    for tp, (offset, event_id) in newest.items()])

    async def _went_backwards(self, first: dict[TopicPartition, int]) -> bool:
        """A partition whose first offset in this batch is at or below our mark there: the broker lost
        its log while we were sending (the client reconnected to an empty broker). Refill."""
        marks = await self._marks()
        lost = sorted({tp.topic for tp, offset in first.items() if tp in marks and offset <= marks[tp][0]})
        if lost:
            await self._refill(lost)
            self.refills += 1
        return bool(lost)
