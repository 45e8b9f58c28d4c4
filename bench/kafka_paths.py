"""The Kafka hot paths against the raw broker: our relay against a bare producer sending the same
messages, and our idempotent consumer against a bare consumer reading them.

Ours does more, by design: the relay reads the log and records its position and marks; the
consumer checks every message's hash and contract and writes inbox rows and offsets in the
service's database. The ratio says what that safety costs.
"""

from __future__ import annotations

import asyncio
import gc
import random
import string
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import select

from bench import ours
from bench.report import Figure, Figures, Progress, say
from bench.workload import Workload
from thidua_contracts.wire import wire
from thidua_shared.broker import EMBEDDED_FETCH_MAX_WAIT_MS, EmbeddedBroker
from thidua_shared.config import ServiceSettings
from thidua_shared.kafka import topic_for
from thidua_shared.outbox import Relay
from thidua_shared.projection import Projection
from thidua_shared.store import LogHead, NewEvents, migrate
from thidua_shared.store.tables import events
from thidua_shared.subscriptions import Subscription
from thidua_shared.unit_of_work import SqlUnitOfWork

BACKEND = "kafka"


async def _fill(url: str, province: str, workload: Workload) -> None:
    engine = await ours.open_store(url)
    head, project = LogHead(), Projection()
    try:
        for unit in workload.units:
            async with SqlUnitOfWork(engine, "registry", project, head_hint=head) as uow:
                await uow.record(NewEvents(province=province, stream_id=f"unit-{unit.unit_id}",
                                           expected_version=0, payloads=ours.payloads_of(unit),
                                           actor=ours.ACTOR, correlation_id=unit.unit_id))
                await uow.commit()
    finally:
        await engine.dispose()


WARM_UP = 1000
"""The raw producer sends its first messages untimed (connecting, creating the topic, metadata), as
the relay connects and checks the broker untimed in ``Relay.start``."""


async def _relay(url: str, bootstrap: str, total: int) -> float:
    engine = await ours.open_store(url)
    relay = Relay(engine, "registry", bootstrap)
    progress = Progress("ours relay", total)
    try:
        await relay.start()
        started = time.perf_counter()
        while relay.published < total:
            progress.add(await relay.publish_once())
        return time.perf_counter() - started
    finally:
        await relay.close()
        await engine.dispose()


async def _raw_produce(url: str, bootstrap: str, topic: str) -> tuple[int, float]:
    engine = await ours.open_store(url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(events.c.stream_id, events.c.event_type, events.c.body,
                                                    events.c.hash).order_by(events.c.position))).all()
    finally:
        await engine.dispose()
    messages = [(row.stream_id.encode(), wire(row.body.encode(), row.hash), row.event_type.encode())
                for row in rows]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2, max_batch_size=256 * 1024)
    await producer.start()
    try:
        warm = [await producer.send(topic, value=value, key=key, headers=[("event_type", kind)])
                for key, value, kind in messages[:WARM_UP]]
        await asyncio.gather(*warm)
        started = time.perf_counter()
        futures = [await producer.send(topic, value=value, key=key, headers=[("event_type", kind)])
                   for key, value, kind in messages[WARM_UP:]]
        await asyncio.gather(*futures)
        return len(messages) - WARM_UP, time.perf_counter() - started
    finally:
        await producer.stop()


async def _consume(folder: Path, bootstrap: str, topic: str, total: int, fetch_max_wait_ms: int) -> float:
    url = f"sqlite+aiosqlite:///{folder / 'consumer.db'}"
    engine = await ours.open_store(url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    consumer = Subscription(engine, "bench.from.registry", "scoring", [topic], Projection(), bootstrap,
                            fetch_max_wait_ms=fetch_max_wait_ms)
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    progress = Progress("ours consume", total)
    try:
        await asyncio.wait_for(consumer.ready.wait(), 30)
        started = time.perf_counter()
        while consumer.processed < total:
            await asyncio.sleep(0.01)
            progress.add(consumer.processed - progress.done)
        return time.perf_counter() - started
    finally:
        stop.set()
        await task
        await engine.dispose()


async def _raw_consume(bootstrap: str, topic: str, total: int) -> float:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        for tp in partitions:
            consumer.seek(tp, 0)
        started, seen = time.perf_counter(), 0
        while seen < total:
            fetched = await consumer.getmany(timeout_ms=200, max_records=500)
            seen += sum(len(batch) for batch in fetched.values())
        return time.perf_counter() - started
    finally:
        await consumer.stop()


async def run(folder: Path, workload: Workload, bootstrap: str | None, figures: Figures) -> str:
    """Measure, and the text ``relay R, consume C`` of our rates divided by the raw broker's."""
    broker = None
    gc.collect()
    gc.freeze()  # as a service process starts (thidua_shared.runtime.settle_heap): full collections skip the rest
    fetch_wait = ServiceSettings.model_fields["kafka_fetch_max_wait_ms"].default
    if bootstrap is None:  # the consumer as the services set it up on the embedded broker
        fetch_wait = EMBEDDED_FETCH_MAX_WAIT_MS
        broker = EmbeddedBroker()
        await broker.start()
        bootstrap = broker.bootstrap_servers
    try:
        province = "B" + "".join(random.choices(string.ascii_uppercase, k=6))
        url = f"sqlite+aiosqlite:///{folder / 'relay-source.db'}"
        say(f"\n[kafka] relay and consume of {workload.total_events:,} events, {bootstrap}")
        await _fill(url, province, workload)
        total = workload.total_events
        relay = figures.add(Figure("ours", "relay", BACKEND, total, await _relay(url, bootstrap, total)))
        raw_topic = topic_for(province, "raw")
        count, seconds = await _raw_produce(url, bootstrap, raw_topic)
        raw_relay = figures.add(Figure("raw-broker", "relay", BACKEND, count, seconds))
        topic = topic_for(province, "registry")
        consume = figures.add(Figure("ours", "consume", BACKEND, total,
                                     await _consume(folder, bootstrap, topic, total, fetch_wait)))
        raw_consume = figures.add(Figure("raw-broker", "consume", BACKEND, total,
                                         await _raw_consume(bootstrap, topic, total)))
        return (f"relay {relay.rate / raw_relay.rate:.2f}, consume {consume.rate / raw_consume.rate:.2f}")
    finally:
        gc.unfreeze()
        if broker is not None:
            broker.stop()
