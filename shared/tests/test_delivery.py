"""Delivery guarantees end to end: store → outbox relay → real Kafka broker → idempotent consumer.

Every test runs the library's :class:`~thidua_shared.outbox.Relay` on a "registry" service database
and the library's :class:`~thidua_shared.inbox.Consumer` on a "scoring" service database, against a
real broker (the session one, or a test's own embedded broker when the test pauses or restarts it).
The consumer's handler inserts a row into ``seen``, a table *without* a unique constraint: a
duplicate application would show as an extra row, a lost event as a missing one.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
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
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_shared.broker import EmbeddedBroker
from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.registry import UnitRegistered
from thidua_shared.envelope import Actor
from thidua_shared.hashing import canonical, digest, wire
from thidua_shared.inbox import Consumer, ContractViolation, parse_message
from thidua_shared.kafka import BrokerAdmin, dead_letter_topic, topic_for
from thidua_shared.outbox import Relay, request_refill
from thidua_shared.store import NewEvents, SqlEventStore, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import consumer_offsets, events, relay_state
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


@pytest.fixture
async def dbs(tmp_path: Path) -> AsyncIterator[Databases]:
    async with two_databases("sqlite", tmp_path) as databases:
        yield databases


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def any_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Databases]:
    async with two_databases(request.param, tmp_path) as databases:
        yield databases


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
                                payload: EventPayload) -> None:
    assert isinstance(payload, UnitRegistered)
    await connection.execute(seen.insert().values(
        event_id=stored.event_id, unit_id=payload.unit_id, province=stored.province))


def start_consumer(runners: Runners, sink: AsyncEngine, bootstrap: str) -> tuple[str, str, Consumer]:
    """A running consumer of the registry topic of a province no other test uses."""
    province = unique_province()
    consumer = scoring_consumer(sink, bootstrap, [province])
    runners.start(consumer, "consumer")
    return province, topic_for(province, "registry"), consumer


def scoring_consumer(engine: AsyncEngine, bootstrap: str, provinces: Sequence[str],
                     name: str = CONSUMER) -> Consumer:
    return Consumer(
        engine, name=name, service="scoring",
        topics=[topic_for(province, "registry") for province in provinces],
        handlers={"UnitRegistered": apply_unit_registered}, bootstrap_servers=bootstrap,
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

    def start(self, runner: Relay | Consumer, name: str) -> asyncio.Task[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop), name=name)
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


@pytest.fixture
async def runners() -> AsyncIterator[Runners]:
    running = Runners()
    try:
        yield running
    finally:
        await running.stop_all()


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


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.timeout(60)
async def test_relay_killed_mid_batch_and_restarted_loses_and_duplicates_nothing_downstream(
        any_dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    province, topic, consumer = start_consumer(runners, any_dbs.sink, kafka_bootstrap)
    crash = CrashBeforePositionUpdate(any_dbs.source)
    appended: list[StoredEvent] = []

    # Deterministic: the broker acknowledged a batch, then the relay died before recording it.
    for _ in range(3):
        appended += await register_units(any_dbs.source, province, 7)
        before = await relay_epoch(any_dbs.source) if appended[:-7] else None
        relay = Relay(any_dbs.source, "registry", kafka_bootstrap, batch_size=4)
        crash.armed = True
        with pytest.raises(RelayCrashed):
            await relay.publish_once()
        await relay.close()
        if before is not None:
            assert await relay_epoch(any_dbs.source) == before, "the crashed batch must not be recorded"
        restarted = Relay(any_dbs.source, "registry", kafka_bootstrap, batch_size=4)
        assert await restarted.publish_once() == 4, "a restarted relay publishes the unrecorded batch again"
        await restarted.close()
    assert crash.crashes == 3

    # Random: the relay task is cancelled at any point while commands keep appending events.
    rng = random.Random(20240611)
    for _ in range(10):
        relay = Relay(any_dbs.source, "registry", kafka_bootstrap, batch_size=3, poll_seconds=0.05)
        task = runners.start(relay, "doomed relay")
        appended += await register_units(any_dbs.source, province, rng.randint(1, 6))
        await asyncio.sleep(rng.uniform(0.0, 0.3))
        runners.tasks.pop(task)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await relay.close()

    runners.start(Relay(any_dbs.source, "registry", kafka_bootstrap, batch_size=4), "relay")
    await eventually(all_applied(any_dbs.sink, len(appended)), f"{len(appended)} events applied", runners)
    await eventually(consumer_caught_up(kafka_bootstrap, any_dbs.sink, topic), "the consumer at the end", runners)

    assert_exactly_once(await applied(any_dbs.sink), appended)
    on_broker = event_ids(await topic_records(kafka_bootstrap, topic))
    assert set(on_broker) == {stored.event_id for stored in appended}
    assert len(on_broker) > len(appended), "the crashes should have made the broker hold duplicates"
    assert consumer.processed == len(appended)


@pytest.mark.timeout(60)
async def test_broker_paused_while_commands_append_loses_and_duplicates_nothing(
        dbs: Databases, own_broker: EmbeddedBroker, runners: Runners) -> None:
    bootstrap = own_broker.bootstrap_servers
    province = "HNM"
    consumer = scoring_consumer(dbs.sink, bootstrap, [province])
    runners.start(consumer, "consumer")
    runners.start(Relay(dbs.source, "registry", bootstrap, poll_seconds=0.1), "relay")
    appended = await register_units(dbs.source, province, 10)
    await eventually(all_applied(dbs.sink, 10), "the first events before the outage", runners)

    during_outage: list[StoredEvent] = []
    own_broker.pause()
    try:
        outage_ends = time.monotonic() + 4.0
        while time.monotonic() < outage_ends:
            started = time.monotonic()
            stored = await register_units(dbs.source, province, 1)
            assert time.monotonic() - started < 2.0, "an append waited for the broker"
            during_outage += stored
            await asyncio.sleep(0.05)
    finally:
        own_broker.resume()
    assert len(during_outage) >= 20, "commands must keep succeeding while the broker is down"
    appended += during_outage
    appended += await register_units(dbs.source, province, 10)

    await eventually(all_applied(dbs.sink, len(appended)), f"{len(appended)} events applied", runners, 40)
    await eventually(consumer_caught_up(bootstrap, dbs.sink, topic_for(province, "registry")),
                     "the consumer at the end", runners)
    assert_exactly_once(await applied(dbs.sink), appended)


@pytest.mark.timeout(60)
async def test_broker_restarted_empty_is_refilled_and_consumer_still_applies_each_event_once(
        dbs: Databases, own_broker: EmbeddedBroker, runners: Runners) -> None:
    bootstrap = own_broker.bootstrap_servers
    province = "HNM"
    topic = topic_for(province, "registry")
    consumer = scoring_consumer(dbs.sink, bootstrap, [province])
    runners.start(consumer, "consumer")
    runners.start(Relay(dbs.source, "registry", bootstrap, poll_seconds=0.1), "relay")
    before = await register_units(dbs.source, province, 25)
    await eventually(all_applied(dbs.sink, len(before)), "every event before the restart", runners)
    _, first_epoch = await relay_epoch(dbs.source)

    await own_broker.restart_empty()

    async def refilled() -> bool:
        return set(event_ids(await topic_records(bootstrap, topic))) >= {e.event_id for e in before}

    await eventually(refilled, "the relay to refill the empty broker from the store", runners)
    _, epoch = await relay_epoch(dbs.source)
    assert epoch != first_epoch, "a refill publishes under a new epoch"
    after = await register_units(dbs.source, province, 10)
    everything = before + after

    await eventually(all_applied(dbs.sink, len(everything)), "the events appended after the restart", runners)
    await eventually(consumer_caught_up(bootstrap, dbs.sink, topic), "the consumer at the end", runners)
    assert_exactly_once(await applied(dbs.sink), everything)
    assert consumer.processed == len(everything)


@pytest.mark.timeout(60)
async def test_duplicate_delivery_leaves_the_read_model_unchanged(
        any_dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    province, topic, consumer = start_consumer(runners, any_dbs.sink, kafka_bootstrap)
    runners.start(Relay(any_dbs.source, "registry", kafka_bootstrap, poll_seconds=0.1), "relay")
    appended = await register_units(any_dbs.source, province, 15)
    await eventually(all_applied(any_dbs.sink, len(appended)), "every event applied", runners)
    await eventually(consumer_caught_up(kafka_bootstrap, any_dbs.sink, topic), "the consumer at the end", runners)
    model = sorted(await applied(any_dbs.sink))
    assert_exactly_once(model, appended)

    # The relay's exact wire bytes, produced a second time by someone else.
    _, epoch = await relay_epoch(any_dbs.source)
    async with any_dbs.source.connect() as connection:
        rows = (await connection.execute(
            select(events.c.stream_id, events.c.event_type, events.c.body, events.c.hash)
            .order_by(events.c.position))).all()
    await produce(kafka_bootstrap, topic, [
        (row.stream_id.encode(), wire(row.body.encode(), row.hash),
         [("event_type", row.event_type.encode()), ("thidua-epoch", epoch.encode())])
        for row in rows
    ])
    await eventually(consumer_caught_up(kafka_bootstrap, any_dbs.sink, topic),
                     "the consumer past the duplicates", runners)
    assert sorted(await applied(any_dbs.sink)) == model

    # The whole log published again under a new epoch: the consumer re-reads and drops it all.
    new_epoch = await request_refill(any_dbs.source)
    head = await log_head(any_dbs.source)

    async def republished() -> bool:
        return await relay_epoch(any_dbs.source) == (head, new_epoch)

    await eventually(republished, "the relay to republish the whole log", runners)
    assert len(await topic_records(kafka_bootstrap, topic)) == 3 * len(appended)
    await eventually(consumer_caught_up(kafka_bootstrap, any_dbs.sink, topic),
                     "the consumer past the republished log", runners)
    assert sorted(await applied(any_dbs.sink)) == model
    assert consumer.processed == len(appended)
    assert consumer.dead_lettered == 0


@pytest.mark.timeout(60)
async def test_broker_restarted_empty_while_the_relay_was_down_is_refilled_though_consumers_recreated_the_topic(
        dbs: Databases, own_broker: EmbeddedBroker, runners: Runners) -> None:
    bootstrap = own_broker.bootstrap_servers
    topic = topic_for("HNM", "registry")
    consumer = runners.start(scoring_consumer(dbs.sink, bootstrap, ["HNM"]), "consumer")
    relay = runners.start(Relay(dbs.source, "registry", bootstrap, poll_seconds=0.1), "relay")
    before = await register_units(dbs.source, "HNM", 10)
    await eventually(all_applied(dbs.sink, len(before)), "every event before the restart", runners)

    # The whole system restarts, as ``thidua up`` does with its memory-only broker; the consuming
    # service happens to be up before the publishing one.
    await runners.stop(relay)
    await runners.stop(consumer)
    await own_broker.restart_empty()
    restarted = scoring_consumer(dbs.sink, bootstrap, ["HNM"])
    runners.start(restarted, "consumer")

    async def started() -> bool:
        return restarted.ready.is_set()

    await eventually(started, "the consumer to start (and create its topics)", runners)
    assert topic in await topic_names(bootstrap)
    runners.start(Relay(dbs.source, "registry", bootstrap, poll_seconds=0.1), "relay")

    async def refilled() -> bool:
        return set(event_ids(await topic_records(bootstrap, topic))) >= {e.event_id for e in before}

    await eventually(refilled, "the relay to refill the empty broker from the store", runners, timeout=6)


@pytest.mark.parametrize("value", [b"[1, 2]", b'"an event"', b"42"])
def test_a_message_whose_json_is_not_an_object_is_a_contract_violation(value: bytes) -> None:
    with pytest.raises(ContractViolation, match="not an event envelope"):
        parse_message("thidua.hnm.registry", value)


def forged(template: StoredEvent, **changes: Any) -> bytes:
    """A well-formed, correctly hashed message of an event that differs from ``template``."""
    document = orjson.loads(template.body)
    document.update(event_id=str(uuid.uuid4()), **changes)
    body = canonical(document)
    return wire(body, digest(body))


@pytest.mark.timeout(60)
async def test_unparseable_or_contract_breaking_messages_go_to_the_dead_letter_topic_and_consumption_goes_on(
        dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    province, topic, consumer = start_consumer(runners, dbs.sink, kafka_bootstrap)
    dlq = dead_letter_topic(province, "scoring")
    assert dlq == f"thidua.{province.lower()}.scoring.dlq"
    runners.start(Relay(dbs.source, "registry", kafka_bootstrap, poll_seconds=0.1), "relay")

    stream = "unit-dlq"  # bad messages share the valid events' key: same partition, in between them
    first = await append(dbs.source, province, stream, 0, "u-first")
    await eventually(all_applied(dbs.sink, 1), "the first valid event", runners)

    template = first[0]
    good_wire = wire(template.body, template.hash)
    other_province = unique_province()
    bad: dict[bytes | None, str] = {
        b"{this is not json": "not an event envelope",
        b"[1, 2]": "not an event envelope",
        None: "empty message",
        good_wire[:-2] + b'0"}': "hash does not match",  # the last hex digit of the hash changed
        forged(template, province=other_province): f"event of province {other_province} on topic {topic}",
        forged(template, event_type="UnitTeleported"): "UnitTeleported",
        forged(template, payload={"unit_id": "u-x"}): "ValidationError",
    }
    headers = [("event_type", b"UnitRegistered"), ("thidua-epoch", (await relay_epoch(dbs.source))[1].encode())]
    await produce(kafka_bootstrap, topic, [(stream.encode(), value, headers) for value in bad])

    second = await append(dbs.source, province, stream, 1, "u-second")
    more = await register_units(dbs.source, province, 5)
    await eventually(all_applied(dbs.sink, 7), "the valid events after the bad ones", runners)

    async def all_dead_lettered() -> bool:
        return len(await topic_records(kafka_bootstrap, dlq)) >= len(bad)

    await eventually(all_dead_lettered, "every bad message on the dead-letter topic", runners)
    dead = await topic_records(kafka_bootstrap, dlq)
    assert sorted((record.value or b"") for record in dead) == sorted((value or b"") for value in bad)
    for record in dead:
        reason = header(record, "dlq-reason")
        assert reason is not None, "a dead letter says why"
        assert bad[record.value] in reason
        assert header(record, "dlq-consumer") == CONSUMER
        assert (header(record, "dlq-source") or "").startswith(f"{topic}/")
    assert consumer.dead_lettered == len(bad)
    await eventually(consumer_caught_up(kafka_bootstrap, dbs.sink, topic), "the consumer at the end", runners)
    assert_exactly_once(await applied(dbs.sink), first + second + more)


@pytest.mark.timeout(60)
async def test_two_provinces_on_one_broker_never_see_each_others_events(
        dbs: Databases, tmp_path: Path, kafka_bootstrap: str, runners: Runners) -> None:
    hnm, nbh = unique_province("HNM"), unique_province("NBH")
    async with migrated("sqlite", tmp_path) as nbh_sink:
        async with nbh_sink.begin() as connection:
            await connection.run_sync(read_model.create_all)
        hnm_consumer = scoring_consumer(dbs.sink, kafka_bootstrap, [hnm])
        nbh_consumer = scoring_consumer(nbh_sink, kafka_bootstrap, [nbh])
        runners.start(hnm_consumer, "HNM consumer")
        runners.start(nbh_consumer, "NBH consumer")
        # One registry database serving both provinces, their commands interleaved; one relay.
        runners.start(Relay(dbs.source, "registry", kafka_bootstrap, batch_size=7, poll_seconds=0.1), "relay")
        of_hnm: list[StoredEvent] = []
        of_nbh: list[StoredEvent] = []
        for round_ in range(12):
            of_hnm += await register_units(dbs.source, hnm, 2)
            of_nbh += await register_units(dbs.source, nbh, 1 + round_ % 2)

        await eventually(all_applied(dbs.sink, len(of_hnm)), "the HNM events in HNM's read model", runners)
        await eventually(all_applied(nbh_sink, len(of_nbh)), "the NBH events in NBH's read model", runners)
        await eventually(consumer_caught_up(kafka_bootstrap, dbs.sink, topic_for(hnm, "registry")),
                         "the HNM consumer at the end", runners)
        await eventually(consumer_caught_up(kafka_bootstrap, nbh_sink, topic_for(nbh, "registry")),
                         "the NBH consumer at the end", runners)

        assert_exactly_once(await applied(dbs.sink), of_hnm)
        assert_exactly_once(await applied(nbh_sink), of_nbh)
        assert {row[2] for row in await applied(dbs.sink)} == {hnm}
        assert {row[2] for row in await applied(nbh_sink)} == {nbh}

        for province, own in ((hnm, of_hnm), (nbh, of_nbh)):
            records = await topic_records(kafka_bootstrap, topic_for(province, "registry"))
            assert sorted(event_ids(records)) == sorted(e.event_id for e in own)
            assert {orjson.loads(record.value or b"{}")["province"] for record in records} == {province}
        ours = {name for name in await topic_names(kafka_bootstrap) if hnm.lower() in name or nbh.lower() in name}
        assert ours == {
            topic_for(hnm, "registry"), topic_for(nbh, "registry"),
            dead_letter_topic(hnm, "scoring"), dead_letter_topic(nbh, "scoring"),
        }
        assert await topic_records(kafka_bootstrap, dead_letter_topic(hnm, "scoring")) == []
        assert await topic_records(kafka_bootstrap, dead_letter_topic(nbh, "scoring")) == []
        await runners.stop_all()


@pytest.mark.timeout(60)
async def test_a_database_that_fails_for_a_while_delays_events_but_loses_none(
        dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    province = unique_province()
    failures = {"left": 3}

    async def flaky(connection: AsyncConnection, stored: StoredEvent, payload: EventPayload) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("INSERT INTO seen", {}, Exception("database is locked"))
        await apply_unit_registered(connection, stored, payload)

    consumer = Consumer(dbs.sink, name=CONSUMER, service="scoring", topics=[topic_for(province, "registry")],
                        handlers={"UnitRegistered": flaky}, bootstrap_servers=kafka_bootstrap)
    runners.start(consumer, "consumer")
    runners.start(Relay(dbs.source, "registry", kafka_bootstrap, poll_seconds=0.1), "relay")
    appended = await register_units(dbs.source, province, 8)

    await eventually(all_applied(dbs.sink, len(appended)), "every event, once the database is back", runners)
    assert_exactly_once(await applied(dbs.sink), appended)
    assert failures["left"] == 0
    assert consumer.dead_lettered == 0, "a passing failure is retried, never dead-lettered"


@pytest.mark.timeout(60)
async def test_two_relays_on_one_topic_still_deliver_each_event_once_without_endless_rewinds(
        dbs: Databases, tmp_path: Path, kafka_bootstrap: str, runners: Runners) -> None:
    """A misconfiguration (two instances serving one province), not a normal state: the consumer
    re-reads a partition once per epoch it meets, then goes on."""
    province, topic, consumer = start_consumer(runners, dbs.sink, kafka_bootstrap)
    async with migrated("sqlite", tmp_path) as second_source:
        runners.start(Relay(dbs.source, "registry", kafka_bootstrap, poll_seconds=0.05), "relay 1")
        runners.start(Relay(second_source, "registry", kafka_bootstrap, poll_seconds=0.05), "relay 2")
        appended: list[StoredEvent] = []
        for _ in range(6):  # interleave the two relays' epochs on the same partitions
            appended += await append(dbs.source, province, "unit-shared", len(appended) // 2, "a")
            appended += await append(second_source, province, "unit-shared", len(appended) // 2, "b")

        await eventually(all_applied(dbs.sink, len(appended)), "every event of both relays", runners)
        await eventually(consumer_caught_up(kafka_bootstrap, dbs.sink, topic), "the consumer at the end", runners)
        settled = consumer.rewinds
        await asyncio.sleep(1.0)
    assert_exactly_once(await applied(dbs.sink), appended)
    assert settled <= 2, "one re-read per epoch met on the partition, at most"
    assert consumer.rewinds == settled, "the consumer went on re-reading after it had caught up"
