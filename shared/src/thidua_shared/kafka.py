"""Topic names and the small Kafka plumbing every service uses (aiokafka underneath)."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Mapping

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, OffsetOutOfRangeError

from thidua_shared.hashing import split_wire
from thidua_shared.supervision import stop_quietly

log = structlog.get_logger(__name__)

TOPIC_ALREADY_EXISTS = 36
PARTITIONS = 4
TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1"}
"""The topics are a replay source: Apache Kafka must never delete their messages by age or size."""


def topic_for(province: str, service: str) -> str:
    """``thidua.<province>.<service>`` in lower case: the topic of one service's events for one province."""
    return f"thidua.{province.lower()}.{service}"


def dead_letter_topic(province: str, consumer_service: str) -> str:
    return f"thidua.{province.lower()}.{consumer_service}.dlq"


@functools.lru_cache(maxsize=256)
def province_of(topic: str) -> str:
    """``HNM`` of ``thidua.hnm.registry`` (asked for every message consumed: the few topics are remembered)."""
    return topic.split(".")[1].upper()


@functools.lru_cache(maxsize=256)
def service_of(topic: str) -> str:
    return topic.split(".")[2]


class BrokerAdmin:
    """Topic existence and creation; tolerant of a broker that is down (answers ``None``)."""

    def __init__(self, bootstrap_servers: str) -> None:
        self._bootstrap = bootstrap_servers
        self._admin: AIOKafkaAdminClient | None = None

    async def _client(self) -> AIOKafkaAdminClient:
        if self._admin is None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, request_timeout_ms=5000)
            await admin.start()
            self._admin = admin
        return self._admin

    async def close(self) -> None:
        if self._admin is not None:
            with contextlib.suppress(Exception):
                await self._admin.close()
            self._admin = None

    async def topics(self) -> set[str]:
        try:
            admin = await self._client()
            return set(await admin.list_topics())
        except (TimeoutError, KafkaError, OSError):
            await self.close()
            raise

    async def ensure_topics(self, names: set[str], partitions: int = PARTITIONS) -> None:
        missing = names - await self.topics()
        if not missing:
            return
        admin = await self._client()
        response = await admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1, topic_configs=TOPIC_CONFIG)
             for name in missing]
        )
        for name, code, *_ in response.topic_errors:
            if code not in (0, TOPIC_ALREADY_EXISTS):
                raise KafkaError(f"cannot create topic {name}: error {code}")
        log.info("topics.created", topics=sorted(missing))


def event_id_of(record: ConsumerRecord[bytes, bytes]) -> str:
    """The ``event_id`` in a message, or "" if it is not an event."""
    try:
        document, _ = split_wire(record.value or b"")
        return str(document.get("event_id", ""))
    except (ValueError, KeyError):
        return ""


def _out_of_range(error: OffsetOutOfRangeError) -> set[TopicPartition]:
    found = error.args[0] if error.args else None
    return set(found) if isinstance(found, dict) else set()


async def vanished_messages(bootstrap: str, expected: Mapping[TopicPartition, tuple[int, str]],
                            known_topics: set[str], wait_seconds: float = 5.0) -> set[TopicPartition]:
    """The partitions that no longer hold the message ``(offset, event_id)`` we know they held.

    That is how a broker that restarted empty, was replaced, or deleted old messages is recognised: from
    the data itself, since a topic may have been created again meanwhile. Only evidence counts: the
    topic is gone, the partition is empty or starts after ``offset``, the offset is out of range, the log
    ends before ``offset`` and nothing is there, or another message stands there. A partition whose log
    reaches past ``offset`` but does not answer within ``wait_seconds`` (a busy broker) is *not* called
    lost; it is looked at again at the next check.

    A short-lived reader of its own looks, so no running consumer loses its position. ``known_topics``
    are the broker's topics now; partitions of other topics are gone without a look (looking would
    create them on some brokers).
    """
    gone = {tp for tp in expected if tp.topic not in known_topics}
    look = {tp: mark for tp, mark in expected.items() if tp not in gone}
    if not look:
        return gone
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                              auto_offset_reset="none", request_timeout_ms=10000)
    lost: set[TopicPartition] = set()
    pending = set(look)
    ends: dict[TopicPartition, int] = {}
    try:
        await reader.start()
        reader.assign(list(look))
        starts = await reader.beginning_offsets(list(look))
        ends = await reader.end_offsets(list(look))
        lost |= {tp for tp, (offset, _) in look.items() if ends.get(tp, 0) == 0 or starts.get(tp, 0) > offset}
        pending -= lost
        for tp in pending:
            reader.seek(tp, look[tp][0])
        deadline = time.monotonic() + wait_seconds
        while pending and time.monotonic() < deadline:
            try:
                fetched = await reader.getmany(*pending, timeout_ms=500)
            except OffsetOutOfRangeError as error:
                beyond = _out_of_range(error) & pending
                if not beyond:
                    raise
                lost |= beyond
                pending -= beyond
                continue
            for tp, records in fetched.items():
                if tp in pending and records:
                    offset, event_id = look[tp]
                    if records[0].offset != offset or event_id_of(records[0]) != event_id:
                        lost.add(tp)
                    pending.discard(tp)
    finally:
        await stop_quietly(reader)
    # A log that ends before the offset and shows nothing there is shorter than what it once held (some
    # brokers answer a fetch past the end with nothing rather than "out of range").
    short = {tp for tp in pending if ends.get(tp, 0) <= look[tp][0]}
    lost |= short
    pending -= short
    if pending:
        log.info("kafka.check_inconclusive", partitions=sorted(str(tp) for tp in pending))
    return gone | lost
