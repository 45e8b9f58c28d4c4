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
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from delivery_harness import (
    CONSUMER,
    CrashBeforePositionUpdate,
    Databases,
    RelayCrashed,
    Runners,
    all_applied,
    append,
    applied,
    apply_unit_registered,
    assert_exactly_once,
    consumer_caught_up,
    event_ids,
    eventually,
    header,
    log_head,
    migrated,
    produce,
    read_model,
    register_units,
    registrations,
    relay_epoch,
    scoring_consumer,
    start_consumer,
    topic_names,
    topic_records,
)
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_contracts.registry import UnitRegistered
from thidua_contracts.wire import digest, wire
from thidua_shared.broker import EmbeddedBroker
from thidua_shared.config import ServiceSettings
from thidua_shared.hashing import canonical
from thidua_shared.inbox import ContractViolation, parse_message
from thidua_shared.kafka import dead_letter_topic, topic_for
from thidua_shared.outbox import Relay, request_refill
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import events
from thidua_shared.subscriptions import Subscription
from thidua_shared.testing import unique_province

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


async def test_a_reader_reads_into_models_only_the_events_it_handles(dbs: Databases) -> None:
    [template] = await append(dbs.source, "HNM", "unit-lazy", 0, "u-lazy")
    broken = forged(template, event_type="UnitRenamed", payload={"unit_id": "u-x"})  # no name, no date

    event, payload = parse_message("thidua.hnm.registry", broken, wanted=lambda event_type: False)
    assert (event.event_type, payload) == ("UnitRenamed", None), "a renaming this reader does not handle"
    with pytest.raises(ContractViolation, match="ValidationError"):
        parse_message("thidua.hnm.registry", broken, wanted=lambda event_type: event_type == "UnitRenamed")
    with pytest.raises(ContractViolation, match="UnitTeleported"):
        parse_message("thidua.hnm.registry", forged(template, event_type="UnitTeleported"),
                      wanted=lambda event_type: False)


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
        # the last hex digit of the hash changed (it was appended before: a 65-digit hash is no hash at all)
        good_wire[:-3] + (b"1" if good_wire[-3:-2] == b"0" else b"0") + b'"}': "hash does not match",
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
        assert bad[record.value or None] in reason  # an empty message's dead letter is empty too
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

    async def flaky(connection: AsyncConnection, stored: StoredEvent, payload: UnitRegistered) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("INSERT INTO seen", {}, Exception("database is locked"))
        await apply_unit_registered(connection, stored, payload)

    consumer = Subscription(dbs.sink, name=CONSUMER, service="scoring", topics=[topic_for(province, "registry")],
                        projection=registrations(flaky), bootstrap_servers=kafka_bootstrap,
                        session_timeout_ms=ServiceSettings().kafka_session_timeout_ms)
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


@pytest.mark.timeout(60)
async def test_each_stream_is_published_in_order_on_the_partition_kafkas_default_partitioner_gives_its_key(
        dbs: Databases, kafka_bootstrap: str) -> None:
    """The relay works out a stream's partition once and remembers it; what it sends must stay where Kafka's
    default partitioner puts the key, for the outside subscribers that rely on it, across several batches."""
    province = unique_province()
    streams = [f"unit-{uuid.uuid4().hex[:12]}" for _ in range(12)]
    appended: list[StoredEvent] = []
    for version in range(3):
        for stream_id in streams:
            appended += await append(dbs.source, province, stream_id, version, stream_id[5:])
    relay = Relay(dbs.source, "registry", kafka_bootstrap, batch_size=7)
    try:
        await relay.start()
        while relay.published < len(appended):
            assert await relay.publish_once() > 0
    finally:
        await relay.close()

    topic = topic_for(province, "registry")
    records = await topic_records(kafka_bootstrap, topic)
    assert len({record.partition for record in records}) > 1, "twelve streams should use more than one partition"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        layout = list(await producer.partitions_for(topic))  # as aiokafka's own partitioner lists them
    finally:
        await producer.stop()
    for stream_id in streams:
        mine = [record for record in records if record.key == stream_id.encode()]
        assert {record.partition for record in mine} == {DefaultPartitioner()(stream_id.encode(), layout, layout)}
        assert [orjson.loads(record.value or b"")["stream_version"] for record in mine] == [1, 2, 3]


@pytest.mark.timeout(60)
async def test_a_commit_while_the_relay_finds_nothing_to_publish_is_published_at_once_not_at_the_next_poll(
        dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    """A command that commits while the relay is reading an empty log calls ``wake`` before the relay goes to sleep;
    that call must not be lost, or the event waits for the next poll (30 s here, 0.5 s in a service)."""
    province = unique_province()
    appended: list[StoredEvent] = []

    class CommitWhileReading(Relay):
        async def publish_once(self) -> int:
            published = await super().publish_once()
            if published == 0 and not appended:  # the log read empty; a command commits before the relay sleeps
                appended.extend(await register_units(dbs.source, province, 1))
                self.wake()
            return published

    relay = CommitWhileReading(dbs.source, "registry", kafka_bootstrap, poll_seconds=30)
    runners.start(relay, "relay")
    await eventually(lambda: _published(relay, 1), "the event committed while the relay read published", runners,
                     timeout=10)
    records = await topic_records(kafka_bootstrap, topic_for(province, "registry"))
    assert event_ids(records) == [appended[0].event_id]


async def _published(relay: Relay, count: int) -> bool:
    return relay.published >= count
