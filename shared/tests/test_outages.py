"""The broker goes away, comes back empty, or is merely busy: relay and consumers carry on by themselves.

Against the real broker (a test's own embedded one, paused with SIGSTOP or restarted empty), with the
relay and consumers supervised as in a service. See ``delivery_harness`` for the two databases.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from delivery_harness import (
    Databases,
    Runners,
    all_applied,
    applied,
    assert_exactly_once,
    consumer_caught_up,
    event_ids,
    eventually,
    register_units,
    scoring_consumer,
    topic_names,
    topic_records,
)

from thidua_contracts.wire import digest, wire
from thidua_shared.broker import EmbeddedBroker
from thidua_shared.hashing import canonical
from thidua_shared.kafka import BrokerAdmin, topic_for, vanished_messages
from thidua_shared.outbox import Relay
from thidua_shared.readiness import BrokerProbe
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.supervision import TaskState, supervise


@pytest.mark.timeout(240)
async def test_broker_down_60_seconds_under_load_then_back_delivers_everything_once_without_a_restart_by_hand(
        dbs: Databases, own_broker: EmbeddedBroker, runners: Runners) -> None:
    bootstrap = own_broker.bootstrap_servers
    consumer = scoring_consumer(dbs.sink, bootstrap, ["HNM"])
    runners.start(consumer, "consumer")
    runners.start(Relay(dbs.source, "registry", bootstrap, poll_seconds=0.1), "relay")
    probe = BrokerProbe(bootstrap, cache_seconds=0)
    appended = await register_units(dbs.source, "HNM", 20)
    await eventually(all_applied(dbs.sink, 20), "the events before the outage", runners)
    assert await probe.reachable()

    own_broker.pause()
    try:
        outage_ends = time.monotonic() + 60
        while time.monotonic() < outage_ends:
            appended += await register_units(dbs.source, "HNM", 5)
            await asyncio.sleep(0.1)
        assert not await probe.reachable(), "readiness must see the broker gone"
    finally:
        own_broker.resume()
    assert len(appended) > 1000, "commands keep being recorded while the broker is down"
    appended += await register_units(dbs.source, "HNM", 20)

    await eventually(all_applied(dbs.sink, len(appended)), f"{len(appended)} events after the outage", runners, 90)
    await eventually(consumer_caught_up(bootstrap, dbs.sink, topic_for("HNM", "registry")),
                     "the consumer at the end", runners)
    assert_exactly_once(await applied(dbs.sink), appended)
    assert consumer.processed == len(appended)
    assert await probe.reachable()
    await probe.close()


async def test_a_task_whose_library_leaks_a_cancellation_is_started_again_and_the_owner_still_stops_it() -> None:
    """aiokafka 0.14's consumer ``stop()`` can re-raise ``CancelledError`` after an outage; the task that
    closes it was not cancelled, and must live on."""
    runs: list[int] = []
    third_run = asyncio.Event()

    async def body(stop: asyncio.Event) -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise asyncio.CancelledError  # not ours: nobody cancelled the task
        if len(runs) == 2:
            raise OSError("connection reset")
        third_run.set()
        await asyncio.sleep(3600)

    state = TaskState("body")
    stop = asyncio.Event()
    task = asyncio.create_task(supervise(state, body, stop, initial_backoff=0.01))
    await asyncio.wait_for(third_run.wait(), timeout=10)
    assert state.running
    assert state.restarts == 2
    assert "connection reset" in state.last_error
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not state.running


async def test_a_task_that_ends_by_itself_is_started_again_until_asked_to_stop() -> None:
    runs: list[int] = []
    stop = asyncio.Event()

    async def body(_stop: asyncio.Event) -> None:
        runs.append(1)
        if len(runs) == 3:
            stop.set()

    state = TaskState("body")
    await asyncio.wait_for(supervise(state, body, stop, initial_backoff=0.01), timeout=10)
    assert len(runs) == 3
    assert state.restarts == 2
    assert state.last_error == "ended by itself"


PROVINCES = ["HNM", "NBH", "BNH"]


async def every_partition_has_events(dbs: Databases, bootstrap: str) -> list[StoredEvent]:
    """Events of three provinces until each of their registry topics has messages in all 4 partitions."""
    appended: list[StoredEvent] = []
    for _ in range(10):
        for province in PROVINCES:
            appended += await register_units(dbs.source, province, 12)
        await asyncio.sleep(1.0)
        partitions = {(record.topic, record.partition) for province in PROVINCES
                      for record in await topic_records(bootstrap, topic_for(province, "registry"))}
        if len(partitions) == 4 * len(PROVINCES):
            return appended
    pytest.fail("some partition never received an event")


@pytest.mark.timeout(180)
async def test_three_provinces_on_one_broker_cause_no_refill_while_idle_and_exactly_one_after_the_broker_lost_its_data(
        dbs: Databases, own_broker: EmbeddedBroker, runners: Runners) -> None:
    bootstrap = own_broker.bootstrap_servers
    topics = [topic_for(province, "registry") for province in PROVINCES]
    consumer = scoring_consumer(dbs.sink, bootstrap, PROVINCES)
    consumer._verify_idle = 1.0  # look as often as possible: each look must find the partitions healthy
    relay = Relay(dbs.source, "registry", bootstrap, poll_seconds=0.1, check_seconds=1.0)
    runners.start(consumer, "consumer")
    runners.start(relay, "relay")
    appended = await every_partition_has_events(dbs, bootstrap)
    await eventually(all_applied(dbs.sink, len(appended)), "every event", runners)
    on_broker = {topic: len(await topic_records(bootstrap, topic)) for topic in topics}

    await asyncio.sleep(12)  # idle: about ten checks by the relay and the consumer
    assert relay.refills == 0, "an idle relay republished its log"
    assert consumer.rewinds == 0
    assert {topic: len(await topic_records(bootstrap, topic)) for topic in topics} == on_broker
    assert consumer.processed == len(appended)

    await own_broker.restart_empty()

    async def refilled() -> bool:
        found = {event_id for topic in topics for event_id in event_ids(await topic_records(bootstrap, topic))}
        return found >= {stored.event_id for stored in appended}

    await eventually(refilled, "the relay to refill the empty broker", runners, timeout=60)
    appended += await register_units(dbs.source, "NBH", 5)
    await eventually(all_applied(dbs.sink, len(appended)), "every event after the refill", runners)
    await asyncio.sleep(6)  # idle again: the refilled log is healthy
    assert relay.refills == 1, "exactly one refill after the broker lost its data"
    for topic in topics:
        await eventually(consumer_caught_up(bootstrap, dbs.sink, topic), f"the consumer at the end of {topic}",
                         runners)
    assert_exactly_once(await applied(dbs.sink), appended)


def envelope(event_id: str, padding: str = "") -> bytes:
    body = canonical({"event_id": event_id, "padding": padding})
    return wire(body, digest(body))


@pytest.mark.timeout(120)
async def test_the_lost_data_check_under_load_finds_healthy_partitions_healthy_and_lost_ones_lost(
        own_broker: EmbeddedBroker, tmp_path: Path) -> None:
    bootstrap = own_broker.bootstrap_servers
    topics = [f"thidua.t{uuid.uuid4().hex[:6]}.registry" for _ in range(3)]  # 12 partitions, as three provinces
    admin = BrokerAdmin(bootstrap)
    await admin.ensure_topics(set(topics))
    await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    marks: dict[TopicPartition, tuple[int, str]] = {}
    for topic in topics:
        for partition in range(4):
            ack = await producer.send_and_wait(topic, value=envelope(f"{topic}/{partition}"), partition=partition)
            marks[TopicPartition(topic, partition)] = (ack.offset, f"{topic}/{partition}")

    load_stops = asyncio.Event()
    filler = envelope("load", padding="x" * 400)

    sent = [0]
    under_way = asyncio.Event()

    async def load() -> None:
        while not load_stops.is_set() and sent[0] < 200_000:
            batch = [await producer.send(topics[sent[0] % 3], value=filler, partition=sent[0] % 4) for _ in range(200)]
            await asyncio.gather(*batch)
            sent[0] += len(batch)
            if sent[0] >= 1000:
                under_way.set()

    loading = asyncio.create_task(load())
    try:
        await asyncio.wait_for(under_way.wait(), 30)  # the load is under way before the checks begin
        before = sent[0]
        for _ in range(5):
            assert await vanished_messages(bootstrap, marks, await topic_names(bootstrap)) == set()
        during = sent[0] - before
    finally:
        load_stops.set()
        await loading
    assert during > 0, "the checks must have run while messages kept coming"

    topic = topics[0]
    wrong = {TopicPartition(topic, 0): (marks[TopicPartition(topic, 0)][0], "another event"),
             TopicPartition(topic, 1): (10**9, f"{topic}/1"),
             TopicPartition("thidua.gone.registry", 0): (0, "e0")}
    assert await vanished_messages(bootstrap, {**marks, **wrong}, await topic_names(bootstrap)) == set(wrong)
    await producer.stop()
