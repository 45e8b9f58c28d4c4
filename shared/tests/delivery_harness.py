"""What the delivery and outage tests share: two service databases, runners, and looks at the broker.

A "registry" database whose event log is the outbox, and a "scoring" database whose consumer applies
``UnitRegistered`` into ``seen``, a table *without* a unique constraint: a duplicate application would
show as an extra row, a lost event as a missing one. Relays and consumers run under the same
supervisor as in a service (:func:`thidua_shared.supervision.supervise`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from sqlalchemy import Column, MetaData, String, Table, event, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_shared.config import ServiceSettings
from thidua_shared.kafka import BrokerAdmin, topic_for
from thidua_shared.outbox import Relay
from thidua_shared.projection import Handler, Projection
from thidua_shared.store import NewEvents, SqlEventStore, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import consumer_offsets, events, relay_state
from thidua_shared.subscriptions import Subscription
from thidua_shared.supervision import TaskState, supervise
from thidua_shared.testing import database_url_for, unique_province

ACTOR = Actor(id="t", role="admin")
CONSUMER = "scoring.from.registry"

read_model = MetaData()
# Deliberately no key and no unique constraint: applying an event twice leaves two rows.
seen = Table(
    "seen",
    read_model,
    Column("event_id", String(36), nullable=False),
    Column("unit_id", String(100), nullable=False),
    Column("province", String(8), nullable=False),
)


# --- databases -------------------------------------------------------------------------------


@dataclass
class Databases:
    source: AsyncEngine  # the registry service: its event log is the outbox
    sink: AsyncEngine  # the scoring service: inbox, offsets and the ``seen`` read model


@contextlib.asynccontextmanager
async def migrated(backend: str, folder: Path) -> AsyncIterator[AsyncEngine]:
    with database_url_for(backend, folder) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
            yield engine
        finally:
            await engine.dispose()


@contextlib.asynccontextmanager
async def two_databases(backend: str, folder: Path) -> AsyncIterator[Databases]:
    async with migrated(backend, folder) as source, migrated(backend, folder) as sink:
        async with sink.begin() as connection:
            await connection.run_sync(read_model.create_all)
        yield Databases(source, sink)


async def register_units(engine: AsyncEngine, province: str, count: int) -> list[StoredEvent]:
    """``count`` commands, each registering one unit in its own stream and transaction."""
    stored: list[StoredEvent] = []
    for _ in range(count):
        unit_id = f"u-{uuid.uuid4().hex[:12]}"
        stored += await append(engine, province, f"unit-{unit_id}", 0, unit_id)
    return stored


async def append(engine: AsyncEngine, province: str, stream_id: str, expected_version: int,
                 unit_id: str) -> list[StoredEvent]:
    payload = UnitRegistered(unit_id=unit_id, name=f"Unit {unit_id}", short_name=unit_id[:10], kind="other")
    async with engine.begin() as connection:
        return await SqlEventStore(connection, "registry").append(NewEvents(
            province=province, stream_id=stream_id, expected_version=expected_version,
            payloads=[payload], actor=ACTOR, correlation_id="c",
        ))


async def apply_unit_registered(connection: AsyncConnection, stored: StoredEvent,
                                payload: UnitRegistered) -> None:
    await connection.execute(seen.insert().values(
        event_id=stored.event_id, unit_id=payload.unit_id, province=stored.province))


def registrations(apply: Handler[UnitRegistered] = apply_unit_registered) -> Projection:
    """The test read model's projection: registrations, by ``apply``."""
    projection = Projection()
    projection.handles(UnitRegistered)(apply)
    return projection


def start_consumer(runners: Runners, sink: AsyncEngine, bootstrap: str) -> tuple[str, str, Subscription]:
    """A running consumer of the registry topic of a province no other test uses."""
    province = unique_province()
    consumer = scoring_consumer(sink, bootstrap, [province])
    runners.start(consumer, "consumer")
    return province, topic_for(province, "registry"), consumer


def scoring_consumer(engine: AsyncEngine, bootstrap: str, provinces: Sequence[str],
                     name: str = CONSUMER) -> Subscription:
    return Subscription(
        engine, name=name, service="scoring",
        topics=[topic_for(province, "registry") for province in provinces],
        projection=registrations(), bootstrap_servers=bootstrap,
        session_timeout_ms=ServiceSettings().kafka_session_timeout_ms,
    )


async def applied(engine: AsyncEngine) -> list[tuple[str, str, str]]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(seen.c.event_id, seen.c.unit_id, seen.c.province))).all()
    return [(row[0], row[1], row[2]) for row in rows]


async def applied_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(seen)) or 0)


def assert_exactly_once(rows: list[tuple[str, str, str]], expected: Iterable[StoredEvent]) -> None:
    wanted = sorted(event.event_id for event in expected)
    got = sorted(row[0] for row in rows)
    missing = set(wanted) - set(got)
    duplicated = {event_id for event_id in got if got.count(event_id) > 1}
    unexpected = set(got) - set(wanted)
    assert not missing, f"{len(missing)} events lost"
    assert not duplicated, f"{len(duplicated)} events applied more than once"
    assert not unexpected, f"{len(unexpected)} events applied that were not expected"
    assert got == wanted


# --- running the relay and consumers ---------------------------------------------------------


@dataclass
class Runners:
    """Relays and consumers running as tasks; each stopped by its own stop event."""

    tasks: dict[asyncio.Task[None], asyncio.Event] = field(default_factory=dict)

    states: dict[str, TaskState] = field(default_factory=dict)

    def start(self, runner: Relay | Subscription, name: str) -> asyncio.Task[None]:
        """Run ``runner`` as a service runs it: supervised, started again after each failure."""
        stop = asyncio.Event()
        state = self.states[name] = TaskState(name)
        task = asyncio.create_task(supervise(state, runner.run, stop), name=name)
        self.tasks[task] = stop
        return task

    async def stop(self, task: asyncio.Task[None]) -> None:
        self.tasks.pop(task).set()
        try:
            await asyncio.wait_for(task, timeout=20)
        except TimeoutError:
            pytest.fail(f"{task.get_name()} did not stop within 20 s of being asked")

    async def stop_all(self) -> None:
        for task in list(self.tasks):
            if task.done():
                self.tasks.pop(task)
                continue
            self.tasks[task].set()
        pending = [task for task in self.tasks if not task.done()]
        if pending:
            _, late = await asyncio.wait(pending, timeout=20)
            for task in late:
                task.cancel()
        self.tasks.clear()

    def check(self) -> None:
        for task in self.tasks:
            if task.done():
                error = None if task.cancelled() else task.exception()
                raise AssertionError(f"{task.get_name()} stopped by itself: {error!r}")


async def eventually(condition: Callable[[], Awaitable[bool]], what: str, runners: Runners,
                     timeout: float = 30.0) -> None:
    """Poll ``condition`` until true; fail after ``timeout`` or as soon as a runner died."""
    deadline = time.monotonic() + timeout
    while True:
        runners.check()
        if await condition():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.1)


def all_applied(engine: AsyncEngine, count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await applied_count(engine) >= count
    return check


# --- looking at the broker directly ----------------------------------------------------------


async def topic_names(bootstrap: str) -> set[str]:
    """The broker's topics, listed without naming any (a metadata request naming a topic may create it)."""
    admin = BrokerAdmin(bootstrap)
    try:
        return await admin.topics()
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def reader_of(bootstrap: str, topic: str) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                              auto_offset_reset="earliest")
    await reader.start()
    try:
        found = reader.partitions_for_topic(topic)
        if not found:
            await reader._client.force_metadata_update()
            found = reader.partitions_for_topic(topic) or set()
        yield reader, [TopicPartition(topic, partition) for partition in sorted(found)]
    finally:
        await reader.stop()


async def topic_records(bootstrap: str, topic: str, timeout: float = 15.0) -> list[ConsumerRecord[bytes, bytes]]:
    """Every message the topic holds now; an absent topic holds none (and is not created).

    Read until the broker has nothing more, not up to ``end_offsets``: the embedded tansu broker
    answers ListOffsets(latest) with the base offset of the last batch + 1, not the log end.
    """
    if topic not in await topic_names(bootstrap):
        return []
    async with reader_of(bootstrap, topic) as (reader, partitions):
        if not partitions:
            return []
        reader.assign(partitions)
        for tp in partitions:
            reader.seek(tp, 0)
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 2:
            assert time.monotonic() < deadline, f"could not read {topic} to its end in {timeout} s"
            fetched = await reader.getmany(timeout_ms=300)
            batch = [record for found in fetched.values() for record in found]
            records += batch
            quiet = 0 if batch else quiet + 1
        return records


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """Per non-empty partition, the offset after its last message."""
    ends: dict[int, int] = {}
    for record in await topic_records(bootstrap, topic):
        ends[record.partition] = max(ends.get(record.partition, 0), record.offset + 1)
    return ends


def event_ids(records: Iterable[ConsumerRecord[bytes, bytes]]) -> list[str]:
    return [str(orjson.loads(record.value or b"{}")["event_id"]) for record in records]


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return None


async def produce(bootstrap: str, topic: str,
                  messages: Sequence[tuple[bytes, bytes | None, list[tuple[str, bytes]]]]) -> None:
    """Send ``(key, value, headers)`` messages in order and wait for the broker's acknowledgement."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value, headers in messages:
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def relay_epoch(engine: AsyncEngine) -> tuple[int, str]:
    async with engine.connect() as connection:
        row = (await connection.execute(
            select(relay_state.c.published_position, relay_state.c.epoch))).one()
    return int(row[0]), str(row[1])


async def log_head(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.max(events.c.position))) or 0)


def consumer_caught_up(bootstrap: str, engine: AsyncEngine, topic: str) -> Callable[[], Awaitable[bool]]:
    """True when the consumer's saved offsets are at the end of every non-empty partition of ``topic``."""
    async def check() -> bool:
        ends = await end_offsets(bootstrap, topic)
        async with engine.connect() as connection:
            rows = (await connection.execute(
                select(consumer_offsets.c.partition, consumer_offsets.c.next_offset)
                .where(consumer_offsets.c.consumer == CONSUMER, consumer_offsets.c.topic == topic)
            )).all()
        saved = {int(row[0]): int(row[1]) for row in rows}
        return bool(ends) and all(saved.get(partition) == end for partition, end in ends.items())
    return check


# --- fault injection -------------------------------------------------------------------------


class RelayCrashed(Exception):
    """Stands for the relay process dying: raised where it would have recorded its new position."""


class CrashBeforePositionUpdate:
    """While armed, the relay's ``UPDATE relay_state`` fails, after the broker acknowledged the batch."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.armed = False
        self.crashes = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)

    def _before(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.armed and statement.lstrip().upper().startswith("UPDATE RELAY_STATE"):
            self.armed = False
            self.crashes += 1
            raise RelayCrashed(statement)

