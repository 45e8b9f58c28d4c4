"""One contract for every inbox (memory, SQLite, PostgreSQL): what a consumer may rely on.

Each event is applied once per consumer, however often and in whatever batches it is delivered; the marks
move past everything delivered, violations included; a batch whose handler fails leaves nothing behind, so
delivering it again applies it whole; consumers do not share what they have seen.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts import EventPayload
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered, UnitRenamed
from thidua_contracts.wire import wire
from thidua_shared.inbox import Delivery, Inbox, InMemoryInbox, Mark, SqlInbox, decode_record
from thidua_shared.kafka import topic_for
from thidua_shared.projection import Projection
from thidua_shared.store import InMemoryEventStore, NewEvents, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.testing import database_url_for

TOPIC = topic_for("HNM", "registry")
BROKEN = "broken"
"""A unit id whose registration the handlers refuse, as a read model's constraint would."""


class InboxUnderTest(Protocol):
    def inbox(self, consumer: str) -> Inbox: ...

    async def applied(self, consumer: str) -> list[str]:
        """The unit ids the consumer's read model holds, in the order applied."""
        ...


class Refused(Exception):
    pass


# --- memory ---------------------------------------------------------------------------------------

@dataclass
class Registered:
    unit_ids: list[str] = field(default_factory=list)


def remember(state: Registered, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitRegistered)
    if payload.unit_id == BROKEN:
        raise Refused(payload.unit_id)
    state.unit_ids.append(payload.unit_id)


class MemoryBackend:
    def __init__(self) -> None:
        self._inboxes: dict[str, InMemoryInbox[Registered]] = {}

    def inbox(self, consumer: str) -> Inbox:
        return self._inboxes.setdefault(consumer, InMemoryInbox({UnitRegistered: remember}, Registered()))

    async def applied(self, consumer: str) -> list[str]:
        return list(self._inboxes[consumer].state.unit_ids)


# --- SQL ------------------------------------------------------------------------------------------

metadata = MetaData()
registered = Table("registered", metadata, Column("consumer", String(40), primary_key=True),
                   Column("unit_id", String(40), primary_key=True), Column("event_id", String(36)))


def projection_of(consumer: str) -> Projection:
    projection = Projection()

    @projection.handles(UnitRegistered)
    async def insert(connection: AsyncConnection, event: StoredEvent, payload: UnitRegistered) -> None:
        if payload.unit_id == BROKEN:
            raise Refused(payload.unit_id)
        await connection.execute(registered.insert().values(
            consumer=consumer, unit_id=payload.unit_id, event_id=event.event_id))

    return projection


class SqlBackend:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def inbox(self, consumer: str) -> Inbox:
        return SqlInbox(self._engine, consumer, projection_of(consumer))

    async def applied(self, consumer: str) -> list[str]:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(select(registered.c.unit_id, registered.c.event_id)
                                             .where(registered.c.consumer == consumer))).all()
        # the order applied is the order of the events, which the test knows from their ids
        return [unit_id for unit_id, _ in sorted(rows, key=lambda row: ORDER.index(row[1]))]


ORDER: list[str] = []
"""Event ids in the order the test recorded them."""


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[InboxUnderTest]:
    if request.param == "memory":
        yield MemoryBackend()
        return
    with database_url_for(request.param, tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
            async with engine.begin() as connection:
                await connection.run_sync(metadata.create_all)
            yield SqlBackend(engine)
        finally:
            await engine.dispose()


# --- deliveries -----------------------------------------------------------------------------------

async def events(*payloads: EventPayload) -> list[StoredEvent]:
    """Events as the registry's store records them (hashes included), one stream each."""
    store = InMemoryEventStore("registry")
    stored: list[StoredEvent] = []
    for payload in payloads:
        stored += await store.append(NewEvents(
            province="HNM", stream_id=f"unit:HNM:{uuid.uuid4().hex[:8]}", expected_version=0, payloads=[payload],
            actor=Actor(id="staff", role="admin"), correlation_id=str(uuid.uuid4())))
    ORDER.extend(event.event_id for event in stored)
    return stored


def delivered(event: StoredEvent | bytes, offset: int, partition: int = 0, epoch: str = "e1") -> Delivery:
    value = event if isinstance(event, bytes) else wire(event.body, event.hash)
    return decode_record(ConsumerRecord(
        topic=TOPIC, partition=partition, offset=offset, timestamp=0, timestamp_type=0, key=None, value=value,
        checksum=None, serialized_key_size=0, serialized_value_size=len(value),
        headers=[("thidua-epoch", epoch.encode())]))


def registration(unit_id: str) -> UnitRegistered:
    return UnitRegistered(unit_id=unit_id, name=f"Đơn vị {unit_id}", short_name=unit_id, kind="other")


def batch(stored: Sequence[StoredEvent], first_offset: int = 0) -> list[Delivery]:
    return [delivered(event, first_offset + index) for index, event in enumerate(stored)]


# --- the contract ---------------------------------------------------------------------------------

async def test_a_batch_is_applied_in_order_and_the_marks_name_its_last_message(backend: InboxUnderTest) -> None:
    stored = await events(registration("a"), registration("b"), registration("c"))
    inbox = backend.inbox("scoring")

    assert await inbox.apply(batch(stored)) == 3

    assert await backend.applied("scoring") == ["a", "b", "c"]
    assert await inbox.marks() == {TopicPartition(TOPIC, 0): Mark(3, stored[-1].event_id, "e1")}


async def test_an_event_delivered_again_changes_nothing_but_the_marks(backend: InboxUnderTest) -> None:
    stored = await events(registration("a"), registration("b"))
    inbox = backend.inbox("scoring")
    await inbox.apply(batch(stored))

    assert await inbox.apply([delivered(stored[0], offset=7), delivered(stored[0], offset=8)]) == 0

    assert await backend.applied("scoring") == ["a", "b"]
    assert (await inbox.marks())[TopicPartition(TOPIC, 0)] == Mark(9, stored[0].event_id, "e1")


async def test_an_event_twice_in_one_batch_is_applied_once(backend: InboxUnderTest) -> None:
    [event] = await events(registration("a"))
    inbox = backend.inbox("scoring")

    assert await inbox.apply([delivered(event, 0), delivered(event, 1)]) == 1

    assert await backend.applied("scoring") == ["a"]


async def test_a_failing_handler_leaves_nothing_of_its_batch_and_a_redelivery_applies_the_rest(
        backend: InboxUnderTest) -> None:
    stored = await events(registration("a"), registration(BROKEN), registration("c"))
    inbox = backend.inbox("scoring")

    with pytest.raises(Refused):
        await inbox.apply(batch(stored))

    assert await backend.applied("scoring") == []
    assert await inbox.marks() == {}
    assert await inbox.apply(batch([stored[0], stored[2]])) == 2
    assert await backend.applied("scoring") == ["a", "c"]


async def test_violations_and_dead_letters_move_the_marks_only(backend: InboxUnderTest) -> None:
    [event] = await events(registration("a"))
    inbox = backend.inbox("scoring")

    assert await inbox.apply([delivered(b"{not json", 0)]) == 0
    assert (await inbox.marks())[TopicPartition(TOPIC, 0)] == Mark(1, "", "e1")
    await inbox.advance_past([delivered(event, 1, epoch="e2")])

    assert await backend.applied("scoring") == []
    assert (await inbox.marks())[TopicPartition(TOPIC, 0)] == Mark(2, event.event_id, "e2")


async def test_each_partition_has_its_own_mark(backend: InboxUnderTest) -> None:
    stored = await events(registration("a"), registration("b"), registration("c"))
    inbox = backend.inbox("scoring")

    await inbox.apply([delivered(stored[0], 4, partition=0), delivered(stored[1], 9, partition=2),
                       delivered(stored[2], 5, partition=0)])

    assert await inbox.marks() == {TopicPartition(TOPIC, 0): Mark(6, stored[2].event_id, "e1"),
                                   TopicPartition(TOPIC, 2): Mark(10, stored[1].event_id, "e1")}


async def test_events_no_handler_takes_are_seen_and_not_offered_again(backend: InboxUnderTest) -> None:
    stored = await events(UnitRenamed(unit_id="a", name="A mới", effective_on="2024-01-01", decision_ref="1"))
    inbox = backend.inbox("scoring")

    assert await inbox.apply(batch(stored)) == 1
    assert await inbox.apply(batch(stored, first_offset=1)) == 0


async def test_consumers_do_not_share_what_they_have_seen(backend: InboxUnderTest) -> None:
    stored = await events(registration("a"))
    await backend.inbox("scoring").apply(batch(stored))

    assert await backend.inbox("awards").apply(batch(stored)) == 1

    assert await backend.applied("awards") == ["a"]
    assert await backend.inbox("awards").marks() == {TopicPartition(TOPIC, 0): Mark(1, stored[0].event_id, "e1")}
