"""A service's Prometheus metrics, served at ``GET /metrics`` (text format, no token: bind or filter it as any
other ops endpoint).

Each app has a registry of its own (tests build several apps in one process). What changes on a hot path is a
counter's increment only: requests and their latency (:class:`CountRequests`), events appended (at a unit of
work's commit), notification deliveries. What needs the database or the broker is read when Prometheus asks:
the relay's lag (events not yet published, and the age of the oldest) and each consumer's lag per topic (the
log's end offsets less the database's marks, see :mod:`thidua_shared.subscriptions`), read with one reader of
the metrics' own, never the consumers'. Counters the relay and the consumers already keep (published,
processed, dead letters) and the supervised tasks' states are read as they are, at the same moment.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from thidua_shared.asgi import AnswerStatus
from thidua_shared.outbox import RELAY, Relay
from thidua_shared.store.db import READ_ONLY
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import events, log_head, relay_state
from thidua_shared.subscriptions import Subscription
from thidua_shared.supervision import TaskState, stop_quietly

log = structlog.get_logger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BROKER_WAIT_SECONDS = 3.0
"""How long a scrape waits for the broker's end offsets before it leaves consumer lag out."""


@dataclass
class ServiceMetrics:
    """The metrics of one service instance, in a registry of its own."""

    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=True))

    def __post_init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # a ``_created`` series beside each counter says nothing Prometheus needs
        self.requests = Counter("thidua_http_requests", "HTTP requests answered, by route template, method and status",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("thidua_http_request_duration_seconds", "Time to answer an HTTP request",
                                 ["route", "method"], registry=self.registry)
        self.appended = Counter("thidua_events_appended", "Events committed to this service's log, by event type",
                                ["event_type"], registry=self.registry)
        self.log_events = Gauge("thidua_log_events", "Events in this service's log (the position of its head)",
                                registry=self.registry)
        self.relay_lag_events = Gauge("thidua_relay_lag_events", "Events in the log not yet published to Kafka",
                                      registry=self.registry)
        self.relay_lag_seconds = Gauge("thidua_relay_lag_seconds",
                                       "Age of the oldest event not yet published (0 when none waits)",
                                       registry=self.registry)
        self.consumer_lag = Gauge("thidua_consumer_lag_messages",
                                  "Messages on a topic's partitions past what the consumer applied",
                                  ["consumer", "topic"], registry=self.registry)
        self.chain_intact: bool | None = None
        """The last check's finding (none before the first: the metric is absent rather than 0 then)."""
        self.registry.register(_Chain(self))
        self.chain_checks = Counter("thidua_chain_verifications", "Checks of the log's hash chain, by outcome",
                                    ["outcome"], registry=self.registry)

    def events_appended(self, stored: Sequence[StoredEvent]) -> None:
        for event in stored:
            self.appended.labels(event.event_type).inc()

    def chain_checked(self, intact: bool) -> None:
        self.chain_intact = intact
        self.chain_checks.labels("intact" if intact else "broken").inc()

    def watch(self, relay: Relay, consumers: Sequence[Subscription], tasks: Sequence[TaskState]) -> None:
        """Read the relay's and consumers' own counters and the tasks' states at each scrape."""
        self.registry.register(_Running(relay, consumers, tasks))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _Chain(Collector):
    def __init__(self, metrics: ServiceMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        intact = GaugeMetricFamily("thidua_chain_intact",
                                   "1 when the last check of the log's hash chain found it intact, 0 when broken")
        if self._metrics.chain_intact is not None:
            intact.add_metric([], 1 if self._metrics.chain_intact else 0)
        yield intact


class _Running(Collector):
    """What the relay, the consumers and the supervisor keep anyway, as they are when scraped."""

    def __init__(self, relay: Relay, consumers: Sequence[Subscription], tasks: Sequence[TaskState]) -> None:
        self._relay = relay
        self._consumers = consumers
        self._tasks = tasks

    def collect(self) -> Iterator[Metric]:
        published = CounterMetricFamily("thidua_relay_published", "Events the broker acknowledged from the relay")
        published.add_metric([], self._relay.published)
        yield published
        processed = CounterMetricFamily("thidua_consumer_processed", "Events a consumer applied (not seen before)",
                                        labels=["consumer"])
        dead = CounterMetricFamily("thidua_dead_letters", "Messages a consumer sent to its dead-letter topic",
                                   labels=["consumer"])
        for consumer in self._consumers:
            processed.add_metric([consumer.name], consumer.processed)
            dead.add_metric([consumer.name], consumer.dead_lettered)
        yield processed
        yield dead
        running = GaugeMetricFamily("thidua_task_running", "1 while a supervised task (relay, consumer, worker) runs",
                                    labels=["task"])
        restarts = CounterMetricFamily("thidua_task_restarts", "Times a supervised task was started again",
                                       labels=["task"])
        for state in self._tasks:
            running.add_metric([state.name], 1 if state.running else 0)
            restarts.add_metric([state.name], state.restarts)
        yield running
        yield restarts


class CountRequests:
    """Counts each request by its route's template (``/provinces/{province}/units``, never the path itself, so
    that the series stay few) and observes its latency. A plain ASGI middleware, as :class:`Correlate`."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        answer = AnswerStatus(send)
        started = time.perf_counter()
        try:
            await self._app(scope, receive, answer)
        finally:
            route = str(getattr(scope.get("route"), "path", "") or "unmatched")
            method = scope["method"] if scope["method"] in METHODS else "other"
            self._metrics.requests.labels(route, method, str(answer.status)).inc()
            self._metrics.latency.labels(route, method).observe(time.perf_counter() - started)


class LagReader:
    """Reads what the relay has not published yet and how far each consumer is behind the log's end."""

    def __init__(self, engine: AsyncEngine, bootstrap_servers: str, consumers: Sequence[Subscription]) -> None:
        self._engine = engine.execution_options(**{READ_ONLY: True})  # never waits behind a writer
        self._bootstrap = bootstrap_servers
        self._consumers = consumers
        self._reader: AIOKafkaConsumer | None = None

    async def refresh(self, metrics: ServiceMetrics) -> None:
        head, events_behind, seconds_behind = await self.relay_lag()
        metrics.log_events.set(head)
        metrics.relay_lag_events.set(events_behind)
        metrics.relay_lag_seconds.set(seconds_behind)
        if not self._consumers:
            return
        try:
            lags = await asyncio.wait_for(self.consumer_lag(), timeout=BROKER_WAIT_SECONDS)
        except Exception as error:  # noqa: BLE001 - a scrape answers without consumer lag when the broker does not
            log.warning("metrics.consumer_lag_unknown", error=repr(error))
            await self.close()
            metrics.consumer_lag.clear()
            return
        for (consumer, topic), lag in lags.items():
            metrics.consumer_lag.labels(consumer, topic).set(lag)

    async def relay_lag(self) -> tuple[int, int, float]:
        """The log head's position, the events after the relay's position, and the seconds since the first of
        them was recorded."""
        async with self._engine.connect() as connection:
            head = await connection.scalar(select(log_head.c.last_position))
            published = await connection.scalar(
                select(relay_state.c.published_position).where(relay_state.c.relay == RELAY))
            behind = max(0, int(head or 0) - int(published or 0))
            if behind == 0:
                return int(head or 0), 0, 0.0
            body = await connection.scalar(select(events.c.body).where(events.c.position == int(published or 0) + 1))
        if body is None:
            return int(head or 0), behind, 0.0
        recorded = datetime.fromisoformat(str(orjson.loads(body)["recorded_at"]).replace("Z", "+00:00"))
        return int(head or 0), behind, max(0.0, time.time() - recorded.timestamp())

    async def consumer_lag(self) -> dict[tuple[str, str], int]:
        """Per consumer and topic: the partitions' end offsets less the database's next offsets there."""
        reader = await self._ready()
        known = await reader.topics()
        partitions = {
            TopicPartition(topic, partition)
            for consumer in self._consumers for topic in consumer.topics if topic in known
            for partition in reader.partitions_for_topic(topic) or ()
        }
        ends: dict[TopicPartition, int] = await reader.end_offsets(list(partitions)) if partitions else {}
        lags: dict[tuple[str, str], int] = {}
        for consumer in self._consumers:
            for tp, end in consumer.fetched_ends().items():
                ends[tp] = max(end, ends.get(tp, 0))
            marks = await consumer.marks()
            for topic in consumer.topics:
                lags[(consumer.name, topic)] = sum(
                    max(0, end - (marks[tp].next_offset if tp in marks else 0))
                    for tp, end in ends.items() if tp.topic == topic)
        return lags

    async def _ready(self) -> AIOKafkaConsumer:
        if self._reader is None:
            reader = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, group_id=None, enable_auto_commit=False,
                                      request_timeout_ms=int(BROKER_WAIT_SECONDS * 1000))
            try:
                await reader.start()
            except BaseException:
                await stop_quietly(reader)
                raise
            self._reader = reader
        return self._reader

    async def close(self) -> None:
        reader, self._reader = self._reader, None
        await stop_quietly(reader)

