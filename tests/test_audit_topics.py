"""An auditor with a token and the broker's address proves that every event a service stored and published is on
its province's topic, byte for byte, and that the topic holds nothing else: a copy published twice passes; a
message forged onto the topic, a copy whose body differs, and an event the relay says it published but the topic
lacks are each named, by the ``thidua audit verify --kafka`` command too (the registry served over HTTP, the
embedded broker); the topic also witnesses a log rewritten with recomputed hashes, which no chain check sees
without a checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
import uvicorn
from aiokafka import AIOKafkaProducer

from registry.bootstrap import create_app as registry_app
from thidua_cli.audit import ServiceAudit, audit_service, report_lines
from thidua_contracts.wire import digest, split_body, wire
from thidua_shared.audit_topics import TopicMessage, compare_with_topic, read_topic
from thidua_shared.audit_verify import Entry
from thidua_shared.broker import free_port
from thidua_shared.config import ServiceSettings
from thidua_shared.hashing import canonical
from thidua_shared.kafka import topic_for
from thidua_shared.testing import ApiUnderTest, rewrite_consistently, tamper, unique_province, within

UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Y tế", "Sở Xây dựng", "Sở Công Thương"]

@contextlib.asynccontextmanager
async def _served(settings: ServiceSettings, port: int) -> AsyncIterator[ApiUnderTest]:
    """The registry served by uvicorn on ``port``, its relay running, until the block ends."""
    app = registry_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           access_log=False, lifespan="on"))
    serving = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    try:
        await within(60, started)
        yield ApiUnderTest(app, settings)
    finally:
        server.should_exit = True
        await serving


@dataclass
class Registry:
    service: ApiUnderTest
    port: int
    auditor: str
    kafka: str
    running: contextlib.AsyncExitStack

    async def stop(self) -> None:
        await self.running.aclose()

    async def restart(self) -> None:
        self.running = contextlib.AsyncExitStack()
        self.service = await self.running.enter_async_context(_served(self.service.settings, self.port))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def topic(self) -> str:
        return topic_for(self.service.province, "registry")

    @property
    def database(self) -> Path:
        return Path(self.service.settings.database_for("registry").split("///", 1)[1])


@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Registry]:
    """The registry served by uvicorn on a port of its own, with its province and six units (7 events), all of
    them published by its relay."""
    settings = ServiceSettings(data_dir=tmp_path, provinces=unique_province("A"),
                               kafka_bootstrap_servers=kafka_bootstrap)
    port = free_port()
    async with contextlib.AsyncExitStack() as running:
        service = await running.enter_async_context(_served(settings, port))
        async with service.client(await service.token("admin")) as http:
            assert (await http.post(f"{service.base}/registration", json={"name": "Hà Nam"})).status_code == 201
            for index, name in enumerate(UNITS):
                answer = await http.post(f"{service.base}/units", json={"unit_id": f"so-{index}", "name": name})
                assert answer.status_code == 201, answer.text
        auditor = await service.token("auditor")

        async def all_published() -> bool:
            async with service.client(auditor) as http:
                return bool((await http.get(f"{service.base}/log")).json()["published_position"] == 7)

        await within(60, all_published)
        registry = Registry(service, port, auditor, kafka_bootstrap, running)
        try:
            yield registry
        finally:
            await registry.running.aclose()


async def _audit(registry: Registry) -> ServiceAudit:
    async with registry.service.client(registry.auditor) as http:
        return await audit_service(http, registry.service.province, kafka=registry.kafka)


async def _thidua_audit(registry: Registry, language: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "thidua_cli", "audit", "verify", "--province", registry.service.province,
        "--token", registry.auditor, "--url", registry.url, "--kafka", registry.kafka, "--lang", language,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode()


async def _published(registry: Registry) -> dict[int, bytes]:
    """The messages on the topic now, by the position their event names."""
    return {orjson.loads(split_body(message.value)[0])["position"]: message.value
            for message in await read_topic(registry.kafka, registry.topic)}


async def _produce(registry: Registry, *values: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=registry.kafka, acks="all")
    await producer.start()
    try:
        for value in values:
            stream_id = orjson.loads(split_body(value)[0])["stream_id"]
            await producer.send_and_wait(registry.topic, value=value, key=stream_id.encode())
    finally:
        await producer.stop()


def _registered(after: dict[str, Any], prev_hash: str, unit_id: str, name: str) -> tuple[bytes, str]:
    """A well-formed UnitRegistered after the event ``after`` (a body without hash): a new event id, the next
    position, chained to ``prev_hash``."""
    document = dict(after)
    document.update(event_id=str(uuid.uuid4()), position=document["position"] + 1, prev_hash=prev_hash,
                    stream_id=f"unit:{document['province']}:{unit_id}", stream_version=1)
    document["payload"] = {**document["payload"], "unit_id": unit_id, "name": name}
    body = canonical(document)
    return body, digest(body)


async def test_a_clean_system_passes_and_an_event_published_twice_is_not_a_finding(registry: Registry) -> None:
    clean = await _audit(registry)
    assert clean.findings == []
    assert clean.topic is not None
    assert (clean.topic.messages, clean.topic.events, clean.topic.copies) == (7, 7, 0)
    code, out = await _thidua_audit(registry, "en")
    assert code == 0, out
    assert f"topic {registry.topic}: 7 messages, 7 events (0 copies); the service published up to position 7" in out
    published = await _published(registry)
    await _produce(registry, published[3], published[5])
    twice = await _audit(registry)
    assert twice.findings == [], "a relay that crashed after the broker acknowledged publishes again"
    assert twice.topic is not None
    assert (twice.topic.messages, twice.topic.events, twice.topic.copies) == (9, 7, 2)
    async with registry.service.client(registry.auditor) as http:
        unreachable = await audit_service(http, registry.service.province, kafka=f"127.0.0.1:{free_port()}")
    assert unreachable.topic is None
    assert "the topic of registry: could not be read to its end, nothing concluded" in report_lines(
        unreachable, "en")[-1], "a broker that does not answer fails the audit: nothing was compared"


async def test_a_forged_message_an_altered_copy_and_an_unpublished_event_are_each_named(registry: Registry) -> None:
    published = await _published(registry)
    last, last_hash = split_body(published[7])
    forged, forged_hash = _registered(orjson.loads(last), last_hash, "so-gia", "Sở Giả mạo")
    await _produce(registry, wire(forged, forged_hash))
    audit = await _audit(registry)
    [(position, problem, params)] = [(f.position, f.problem, f.params) for f in audit.findings]
    assert (position, problem) == (8, "not_stored")
    assert params["event_id"] == orjson.loads(forged)["event_id"]

    altered = split_body(published[4])[0].replace("Sở Tư pháp".encode(), "Sở Tư phap".encode())
    await _produce(registry, wire(altered, digest(altered)))
    audit = await _audit(registry)
    assert [(f.position, f.problem) for f in audit.findings] == [(4, "differs"), (8, "not_stored")], \
        "a copy consistent with its own hash, but not the stored event"

    stored, stored_hash = _registered(orjson.loads(last), last_hash, "so-moi", "Sở Mới")
    document = orjson.loads(stored)
    await registry.stop()  # a running relay would publish the row

    def stored_not_published(connection: sqlite3.Connection) -> None:
        connection.execute(
            "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, province, body, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (8, document["event_id"], document["stream_id"], 1, document["event_type"], document["province"],
             stored.decode(), stored_hash))
        connection.execute("UPDATE log_head SET last_position = 8, last_hash = ?", (stored_hash,))
        connection.execute("UPDATE relay_state SET published_position = 8")

    await tamper(registry.database, stored_not_published)
    await registry.restart()
    audit = await _audit(registry)
    assert [(f.position, f.problem) for f in audit.findings] == [(4, "differs"), (8, "not_stored"), (8, "unpublished")]
    code, out = await _thidua_audit(registry, "vi")
    assert code == 1, out
    assert f"bản trên chủ đề {registry.topic} (phân vùng" in out
    assert f"vị trí 8: dịch vụ ghi là đã phát lên chủ đề {registry.topic} (đến vị trí 8) nhưng chủ đề không có" in out
    assert f"nhưng không có trong nhật ký: sự kiện {document['event_id']}" not in out
    assert f"nhưng không có trong nhật ký: sự kiện {orjson.loads(forged)['event_id']}" in out
    assert f"chủ đề {registry.topic}: 9 tin nhắn, 7 sự kiện (0 bản lặp); dịch vụ đã phát đến vị trí 8" in out, \
        "the altered copy and the forged message are no copies"


async def test_the_topic_is_read_to_its_end_when_its_last_batch_holds_many_messages(kafka_bootstrap: str) -> None:
    """The embedded broker tells a partition's end offset as just after the first message of its last batch: 50
    messages sent as one batch are still all read."""
    topic = topic_for(unique_province("B"), "registry")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", linger_ms=50)
    await producer.start()
    try:
        sent = [await producer.send(topic, value=b"%d" % index, partition=0) for index in range(50)]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    messages = await read_topic(kafka_bootstrap, topic, timeout_seconds=30)
    assert [message.value for message in messages] == [b"%d" % index for index in range(50)]
    assert await read_topic(kafka_bootstrap, topic_for(unique_province("B"), "registry")) == [], "an absent topic"


def test_a_message_that_is_no_event_is_named_and_another_provinces_events_are_not_looked_for() -> None:
    body = canonical({"event_id": "e1", "position": 1, "prev_hash": "0" * 64})
    entries = [Entry(1, digest(body), "0" * 64, body.decode()), Entry(2, "f" * 64, digest(body), None)]
    messages = [TopicMessage(0, 0, wire(body, digest(body))), TopicMessage(3, 0, b"not an event")]
    check = compare_with_topic("thidua.x.registry", entries, 2, messages)
    [finding] = check.findings
    assert (finding.position, finding.problem) == (0, "topic_unreadable")
    assert finding.words("en") == ("the message on the topic thidua.x.registry (partition 3, offset 0) is not a "
                                   "published event")
    assert (check.messages, check.events, check.copies) == (2, 1, 0)


async def test_a_topic_that_never_goes_quiet_is_read_up_to_where_it_ended_when_the_reading_began(
        kafka_bootstrap: str) -> None:
    topic = topic_for(unique_province("C"), "registry")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    stop = asyncio.Event()

    async def keep_publishing() -> None:
        index = 20
        while not stop.is_set():
            await producer.send_and_wait(topic, value=b"%d" % index, partition=0)
            index += 1
            await asyncio.sleep(0.1)

    try:
        await asyncio.gather(*[await producer.send(topic, value=b"%d" % index, partition=0) for index in range(20)])
        busy = asyncio.create_task(keep_publishing())
        started = asyncio.get_running_loop().time()
        messages = await read_topic(kafka_bootstrap, topic, idle_seconds=1.0, timeout_seconds=30)
        took = asyncio.get_running_loop().time() - started
        stop.set()
        await busy
    finally:
        await producer.stop()
    assert [message.value for message in messages][:20] == [b"%d" % index for index in range(20)]
    assert took < 10, "it stops a few seconds after reaching the end it was told, however busy the topic"


async def test_the_topic_witnesses_a_log_rewritten_with_recomputed_hashes(registry: Registry) -> None:
    """Without a checkpoint, a log rewritten with every later hash recomputed is consistent; the copies the
    topic received when the events were published are not. The file is rewritten while the service is stopped,
    as someone holding the file would do it."""
    await registry.stop()
    await tamper(registry.database, lambda connection: rewrite_consistently(
        connection, 2, lambda event: event["payload"].update(name="Sở Nội vụ (đã sửa)")))
    await registry.restart()
    audit = await _audit(registry)
    assert [(f.position, f.problem) for f in audit.findings] == [(position, "differs") for position in range(2, 8)]
    code, out = await _thidua_audit(registry, "en")
    assert code == 1, out
