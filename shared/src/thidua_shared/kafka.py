"""Topic names and the small Kafka plumbing every service uses (aiokafka underneath)."""

from __future__ import annotations

import contextlib

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

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
