"""The subscription's handler over FastStream's in-memory test broker: applied once, violations dead-lettered.

The delivery guarantees under faults are tested against the real broker in ``test_delivery.py`` and
``test_outages.py``; here only what the handler does with the messages it is given.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from delivery_harness import CONSUMER, applied, migrated, read_model, registrations
from faststream.kafka import KafkaBroker, TestKafkaBroker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_contracts.wire import wire
from thidua_shared.kafka import dead_letter_topic, topic_for
from thidua_shared.store import NewEvents, SqlEventStore
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import consumer_offsets, inbox
from thidua_shared.subscriptions import Subscription


@pytest.fixture
async def sink(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with migrated("sqlite", tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(read_model.create_all)
        yield engine


async def recorded_events(tmp_path: Path, count: int) -> list[StoredEvent]:
    """Real events, appended to a registry store of their own (their hashes are the store's)."""
    stored: list[StoredEvent] = []
    async with migrated("sqlite", tmp_path / "source") as source:
        for index in range(count):
            async with source.begin() as connection:
                stored += await SqlEventStore(connection, "registry").append(NewEvents(
                    province="HNM", stream_id=f"unit-u{index}", expected_version=0,
                    payloads=[UnitRegistered(unit_id=f"u{index}", name=f"Đơn vị {index}", short_name=f"u{index}",
                                             kind="other")],
                    actor=Actor(id="t", role="admin"), correlation_id=str(uuid.uuid4())))
    return stored


async def test_events_are_applied_once_however_often_they_arrive_and_violations_go_to_the_dead_letter_topic(
        sink: AsyncEngine, tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    events = await recorded_events(tmp_path, 3)
    topic = topic_for("HNM", "registry")
    subscription = Subscription(sink, name=CONSUMER, service="scoring", topics=[topic],
                                projection=registrations(), bootstrap_servers="unused")
    broker = subscription.declare(KafkaBroker(apply_types=False))
    dead_letters: list[bytes] = []

    @broker.subscriber(dead_letter_topic("HNM", "scoring"))
    async def dead(body: bytes) -> None:
        dead_letters.append(body)

    async with TestKafkaBroker(broker) as test_broker:
        for event in events + events[:2]:
            await test_broker.publish(wire(event.body, event.hash), topic, key=event.stream_id.encode())
        await test_broker.publish(b"{not json", topic)

    assert sorted(row[0] for row in await applied(sink)) == sorted(event.event_id for event in events)
    assert subscription.processed == 3
    assert subscription.dead_lettered == 1
    assert dead_letters == [b"{not json"]
    async with sink.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(inbox)) == 3
        marks = (await connection.execute(select(consumer_offsets.c.last_event_id))).scalars().all()
    assert marks, "the marks of what was applied are kept with the read model"
