"""Topic names and the small Kafka plumbing every service uses (aiokafka underneath)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from thidua_shared.hashing import split_wire

log = structlog.get_logger(__name__)

TOPIC_ALREADY_EXISTS = 36
PARTITIONS = 4


def topic_for(province: str, service: str) -> str:
    """``thidua.<province>.<service>`` in lower case: the topic of one service's events for one province."""
    return f"thidua.{province.lower()}.{service}"


def dead_letter_topic(province: str, consumer_service: str) -> str:
    return f"thidua.{province.lower()}.{consumer_service}.dlq"


def province_of(topic: str) -> str:
    return topic.split(".")[1].upper()


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
            [NewTopic(name, num_partitions=partitions, replication_factor=1) for name in missing]
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


async def vanished_messages(bootstrap: str, expected: Mapping[TopicPartition, tuple[int, str]],
                            known_topics: set[str], wait_seconds: float = 3.0) -> set[TopicPartition]:
    """The partitions whose message at ``offset`` is gone or is another event than ``event_id``.

    That is how a broker that restarted empty (or was replaced) is recognised: from the data itself,
    since a topic may have been created again meanwhile. A short-lived reader of its own looks, so
    no running consumer loses its position. ``known_topics`` are the broker's topics now; partitions
    of other topics are gone without a look (looking would create them on some brokers).
    """
    gone = {tp for tp in expected if tp.topic not in known_topics}
    look = {tp: mark for tp, mark in expected.items() if tp not in gone}
    if not look:
        return gone
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                              auto_offset_reset="none")
    await reader.start()
    same: dict[TopicPartition, bool] = {}
    try:
        reader.assign(list(look))
        for tp, (offset, _) in look.items():
            reader.seek(tp, offset)
        rounds = max(1, int(wait_seconds / 0.5))
        for _ in range(rounds):
            pending = [tp for tp in look if tp not in same]
            if not pending:
                break
            fetched = await reader.getmany(*pending, timeout_ms=500, max_records=1)
            for tp, records in fetched.items():
                if records and tp not in same:
                    offset, event_id = look[tp]
                    same[tp] = records[0].offset == offset and event_id_of(records[0]) == event_id
    finally:
        await reader.stop()
    return gone | {tp for tp in look if not same.get(tp, False)}
