"""A service's read models rebuilt in a scratch database, never the live one, while the service runs.

The scratch database is migrated with the service's own migrations, then fed the events the live read models
reflect, through the very projections the live service uses: its own events (from its log, read over HTTP with an
auditor token, or from its topic) through its own projection; other services' events (from their topics, read from
offset 0 with no consumer group) through the handlers of its subscriptions.

It moves forward only, to a :class:`~thidua_shared.read_models.Progress` the live service reported: its own events
up to the log's head, and each consumed partition up to the live consumer's mark (what that consumer has not read
yet is kept for a later step, so a consumer that lags is not taken for a wrong read model). Within a step its own
events come first, in log order, then each source's events in the order of that source's log (a topic's partitions
interleave otherwise): this is the order :mod:`thidua_shared.replay` follows too, and the notifications service
needs it (it tells of an event once, and its own log says whom it already told). Copies of an event (a relay's
refill publishes the log again) are applied once, the first; a message that breaks the contract is skipped, as the
live consumer sends it to the dead-letter topic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_contracts import EventPayload
from thidua_contracts.envelope import Source
from thidua_shared.audit_topics import TopicMessage, read_topic
from thidua_shared.inbox import ContractViolation, parse_message
from thidua_shared.kafka import topic_for
from thidua_shared.projection import Projection
from thidua_shared.read_models import Progress
from thidua_shared.replay import Progress as Counting
from thidua_shared.store import migrate
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import events

LogReader = Callable[[int, int], Awaitable[list[StoredEvent]]]
"""The service's own events of the province after a position, up to another (its log, read over HTTP)."""


class ScratchRefused(Exception):
    """The scratch database is not an empty one (it holds events or rows): a replay never writes into a live
    database, nor over an earlier replay."""


@dataclass(frozen=True)
class ReplayedService:
    """What a replay needs of a service: the same parts it runs with."""

    name: Source
    migrations: Path
    own_events: Projection
    subscriptions: Mapping[Source, Projection]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class FedEvent:
    """An event read from a topic, where it was read, and its payload (``None`` where no handler wants it)."""

    partition: int
    offset: int
    event: StoredEvent
    payload: EventPayload | None


@dataclass
class TopicFeed:
    """One topic read step by step from offset 0, each event once (its first copy)."""

    bootstrap: str
    topic: str
    wanted: Callable[[str], bool]
    idle_seconds: float = 1.0
    next_offsets: dict[int, int] = field(default_factory=dict)
    pending: list[FedEvent] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    copies: int = 0
    violations: int = 0

    async def read_more(self) -> None:
        """Read what the topic holds past what was read (to its end as it stands now)."""
        self.add(await read_topic(self.bootstrap, self.topic, self.idle_seconds, start=self.next_offsets))

    def add(self, messages: Sequence[TopicMessage]) -> None:
        """Keep the events of ``messages`` not met before; count the copies and the messages that break the
        contract."""
        for message in messages:
            self.next_offsets[message.partition] = max(self.next_offsets.get(message.partition, 0), message.offset + 1)
            try:
                event, payload = parse_message(self.topic, message.value, self.wanted)
            except ContractViolation:
                self.violations += 1
                continue
            if event.event_id in self.seen:
                self.copies += 1
                continue
            self.seen.add(event.event_id)
            self.pending.append(FedEvent(message.partition, message.offset, event, payload))

    def take(self, below: Mapping[int, int] | None = None,
             up_to_position: int | None = None) -> list[tuple[StoredEvent, EventPayload | None]]:
        """The events read and not yet taken, below the offsets ``below`` gives each partition (none from a partition
        it does not name) or at positions up to ``up_to_position``, in the order of their source's log."""
        def due(read: FedEvent) -> bool:
            if below is not None:
                return read.offset < below.get(read.partition, 0)
            return up_to_position is None or read.event.position <= up_to_position

        taken = [read for read in self.pending if due(read)]
        self.pending = [read for read in self.pending if not due(read)]
        return [(read.event, read.payload) for read in sorted(taken, key=lambda read: read.event.position)]


@dataclass
class Scratch:
    """The scratch database of one service and province, and how far it was fed."""

    service: ReplayedService
    engine: AsyncEngine
    province: str
    own_log: LogReader | None
    """The log over HTTP (``--source store``); ``None``: the service's own topic."""
    bootstrap: str | None
    progress: Counting | None = None
    published_now: Callable[[], Awaitable[int]] | None = None
    """How far the relay has published the log now (the service's topic then holds every event up to there)."""
    own_after: int = 0
    applied: int = 0
    own_events: int = 0
    consumed: dict[str, int] = field(default_factory=dict)
    feeds: dict[str, TopicFeed] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sources: dict[str, Projection] = {
            source: projection for source, projection in self.service.subscriptions.items()}
        if self.own_log is None:
            sources = {self.service.name: self.service.own_events, **sources}
        if sources and not self.bootstrap:
            raise ValueError(f"{self.service.name}: reading {', '.join(sources)} needs the Kafka bootstrap servers")
        self.feeds = {source: TopicFeed(self.bootstrap or "", topic_for(self.province, source), projection.wants)
                      for source, projection in sources.items()}
        self.consumed = {source: 0 for source in self.service.subscriptions}

    async def prepare(self) -> None:
        """Migrate the scratch database; refuse one that holds events or read-model rows already."""
        async with self.engine.connect() as connection:
            if await connection.run_sync(lambda sync: inspect(sync).has_table(events.name)) \
                    and await _count(connection, events):
                raise ScratchRefused("events")
        await migrate.upgrade(self.engine, [migrate.STORE_VERSIONS, self.service.migrations])
        async with self.engine.connect() as connection:
            for table in (events, *self.service.tables):
                if await _count(connection, table):
                    raise ScratchRefused(table.name)

    async def catch_up(self, live: Progress) -> list[tuple[str, dict[str, object]]]:
        """Feed the scratch database up to ``live``; what stands in the way when it cannot (nothing applied then):
        the service's topic not yet holding its latest events, a consumed partition shorter than the live mark."""
        own_feed = self.feeds.get(self.service.name)
        published = live.published_position
        if own_feed is not None and published < live.head_position and self.published_now is not None:
            published = await self.published_now()  # the relay may have published them since (read before the topic)
        await asyncio.gather(*(feed.read_more() for feed in self.feeds.values()))
        marks = live.marks_by_partition()
        problems: list[tuple[str, dict[str, object]]] = []
        if own_feed is not None and published < live.head_position:
            problems.append(("own_topic_behind", {"topic": own_feed.topic, "published": published,
                                                  "head": live.head_position}))
        for source in self.service.subscriptions:
            feed = self.feeds[source]
            for (topic, partition), mark in marks.items():
                if topic == feed.topic and feed.next_offsets.get(partition, 0) < mark:
                    problems.append(("topic_short", {"topic": topic, "partition": partition, "mark": mark,
                                                     "read": feed.next_offsets.get(partition, 0)}))
        if problems:
            return problems
        own = await self.own_log(self.own_after, live.head_position) if self.own_log is not None \
            else [event for event, _ in self.feeds[self.service.name].take(up_to_position=live.head_position)]
        consumed = {source: self.feeds[source].take(below={partition: mark for (topic, partition), mark
                                                           in marks.items() if topic == self.feeds[source].topic})
                    for source in self.service.subscriptions}
        total = self.applied + len(own) + sum(len(batch) for batch in consumed.values())
        await self._project(own, total)
        for source, batch in consumed.items():
            await self._apply(self.service.subscriptions[source], batch, total)
            self.consumed[source] += len(batch)
        self.own_after = live.head_position
        self.own_events += len(own)
        return []

    async def _project(self, own: Sequence[StoredEvent], total: int, page: int = 1000) -> None:
        for start in range(0, len(own), page):
            batch = own[start:start + page]
            async with self.engine.begin() as connection:
                await self.service.own_events.project(connection, batch)
            self._count(len(batch), total)

    async def _apply(self, projection: Projection, batch: Sequence[tuple[StoredEvent, EventPayload | None]],
                     total: int, page: int = 1000) -> None:
        """As the live consumer's inbox applies them: each wanted event through its handler."""
        for start in range(0, len(batch), page):
            async with self.engine.begin() as connection:
                for event, payload in batch[start:start + page]:
                    if payload is not None and projection.applies_to(type(payload)):
                        await projection.apply(connection, event, payload)
            self._count(len(batch[start:start + page]), total)

    def _count(self, done: int, total: int) -> None:
        self.applied += done
        if self.progress is not None:
            self.progress(self.applied, total)

    def lag(self, live: Progress) -> dict[str, int]:
        """Per consumed topic, how many messages the topic held past the live consumer's marks when read."""
        marks = live.marks_by_partition()
        behind: dict[str, int] = {}
        for source in self.service.subscriptions:
            feed = self.feeds[source]
            count = sum(end - marks.get((feed.topic, partition), 0) for partition, end in feed.next_offsets.items())
            if count > 0:
                behind[feed.topic] = count
        return behind


async def _count(connection: AsyncConnection, table: Table) -> int:
    return int(await connection.scalar(select(func.count()).select_from(table)) or 0)
