"""An auditor's check that a service's topic and its log agree: every event the relay says it published
(``published_position`` on the log's pages, :mod:`thidua_shared.audit_api`) is on the province's topic with the
very body and hash stored, and every event on the topic is in the log.

The topic is read from its first offset to its end by a reader of its own, without a consumer group (nothing is
committed, no subscriber's position moves). Delivery is at least once: a relay that crashed after the broker
acknowledged a batch publishes it again, so copies of one event are not findings, as long as each is the stored
event byte for byte.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from thidua_contracts.wire import InvalidEvent, split_body
from thidua_shared.audit_verify import Entry, Finding
from thidua_shared.kafka import BrokerAdmin
from thidua_shared.supervision import stop_quietly


class TopicNotRead(Exception):
    """The topic could not be read to its end (the broker did not answer, or not within the time given): nothing
    can be concluded from it."""


@dataclass(frozen=True)
class TopicMessage:
    partition: int
    offset: int
    value: bytes


@dataclass(frozen=True)
class TopicCheck:
    """What the topic held, compared with the log: ``events`` stored events with an exact copy on it, ``copies``
    further exact copies of them."""

    topic: str
    messages: int
    events: int
    copies: int
    published_position: int
    findings: list[Finding] = field(default_factory=list)


async def read_topic(bootstrap: str, topic: str, idle_seconds: float = 1.5,
                     timeout_seconds: float = 60.0, start: Mapping[int, int] | None = None) -> list[TopicMessage]:
    """Every message ``topic`` holds, partition by partition from the beginning (or from the offset ``start``
    gives a partition); an absent topic holds none (and is not created by looking).

    Every message the topic held when the reading began is read: those published later are not needed (their
    events were stored after the log was downloaded). The end offsets asked for at the start are not trusted
    alone: the embedded tansu broker answers ListOffsets(latest) with the base offset of a partition's last batch
    plus one, just after the *first* message of that batch, not after its last. So once the reader stands at
    every partition's reported end it goes on until nothing came for ``idle_seconds`` (on a topic that never
    goes quiet, for at most ``4 * idle_seconds`` more: a fetch hands out whole batches, so the batch that holds
    the reported end is in by then). Raises :class:`TopicNotRead` when the broker does not answer or the end is
    not reached within ``timeout_seconds``.
    """
    try:
        return await _read_to_end(bootstrap, topic, idle_seconds, timeout_seconds, start or {})
    except (KafkaError, OSError, TimeoutError) as error:
        raise TopicNotRead(f"{topic}: {error}") from error


async def _read_to_end(bootstrap: str, topic: str, idle_seconds: float, timeout_seconds: float,
                       start: Mapping[int, int]) -> list[TopicMessage]:
    admin = BrokerAdmin(bootstrap)
    try:
        if topic not in await admin.topics():
            return []
    finally:
        await admin.close()
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                              auto_offset_reset="earliest", request_timeout_ms=10000)
    messages: list[TopicMessage] = []
    try:
        await reader.start()
        await reader.topics()  # a metadata request, so that the topic's partitions are known
        found = reader.partitions_for_topic(topic) or set()
        partitions = [TopicPartition(topic, partition) for partition in sorted(found)]
        if not partitions:
            return []
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        for tp in partitions:
            if start.get(tp.partition):
                reader.seek(tp, start[tp.partition])
        deadline = time.monotonic() + timeout_seconds
        ends = await reader.end_offsets(partitions)
        last_message, reached = time.monotonic(), 0.0
        while True:
            now = time.monotonic()
            if now > deadline:
                raise TopicNotRead(f"{topic}: not read to its end in {timeout_seconds:g} s")
            fetched = await reader.getmany(*partitions, timeout_ms=250)
            for records in fetched.values():
                messages += [TopicMessage(record.partition, record.offset, record.value or b"")
                             for record in records]
                last_message = time.monotonic() if records else last_message
            if not reached and all([await reader.position(tp) >= ends.get(tp, 0) for tp in partitions]):
                reached = time.monotonic()
            now = time.monotonic()
            if reached and (now - last_message >= idle_seconds or now - reached >= 4 * idle_seconds):
                return messages
    finally:
        await stop_quietly(reader)


def compare_with_topic(topic: str, entries: Sequence[Entry], published_position: int,
                       messages: Sequence[TopicMessage]) -> TopicCheck:
    """The findings of a topic against the log's entries of its province (those with a body): a message that is
    not a published event or whose event the log does not hold (``not_stored``, at the position its body names,
    or 0), a copy whose body or hash differs from the stored ones (``differs``, at the stored position), and an
    event at or before ``published_position`` of which the topic holds no copy (``unpublished``)."""
    stored = {event_id: entry for entry in entries if entry.body is not None
              for event_id in [_event_id(entry.body.encode())] if event_id}
    on_topic: set[str] = set()
    intact: set[str] = set()
    copies = 0
    findings: list[Finding] = []
    for message in messages:
        where = {"topic": topic, "partition": message.partition, "offset": message.offset}
        try:
            body, hash_ = split_body(message.value)
        except InvalidEvent:
            findings.append(Finding(0, "topic_unreadable", where))
            continue
        event_id = _event_id(body)
        entry = stored.get(event_id)
        if entry is None or entry.body is None:
            findings.append(Finding(_position(body), "not_stored", {**where, "event_id": event_id or "?"}))
            continue
        on_topic.add(event_id)
        if (body, hash_) == (entry.body.encode(), entry.hash):
            copies += event_id in intact
            intact.add(event_id)
        else:
            findings.append(Finding(entry.position, "differs", where))
    findings += [Finding(entry.position, "unpublished", {"topic": topic, "published": published_position})
                 for event_id, entry in stored.items()
                 if entry.position <= published_position and event_id not in on_topic]
    findings.sort(key=lambda finding: finding.position)
    return TopicCheck(topic, len(messages), len(intact), copies, published_position, findings)


def _document(body: bytes) -> dict[str, object]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    return document if isinstance(document, dict) else {}


def _event_id(body: bytes) -> str:
    value = _document(body).get("event_id")
    return value if isinstance(value, str) else ""


def _position(body: bytes) -> int:
    value = _document(body).get("position")
    return value if isinstance(value, int) and value >= 0 else 0
