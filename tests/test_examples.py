"""The two reference subscribers of ``examples/`` run as an integrator would run them.

The Kafka subscriber runs as its own process (``python -m examples.kafka_subscriber``) against the real broker,
reading events that the services' own event store recorded and their outbox relay published; the webhook
receiver runs on loopback and receives deliveries signed with ``standardwebhooks``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook

from examples.kafka_subscriber.subscriber import AwardDecisions, Settings
from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardDecided, AwardProposed, ProposalBasis
from thidua_contracts.documentation import example_message
from thidua_contracts.envelope import Actor, Source
from thidua_contracts.registry import UnitRegistered
from thidua_contracts.wire import wire
from thidua_shared.broker import free_port
from thidua_shared.outbox import Relay, request_refill
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import NewEvents, SqlEventStore, StoredEvent
from thidua_shared.testing import unique_province

ROOT = Path(__file__).resolve().parent.parent
SECRETARIAT = Actor(id="so-noi-vu", role="admin")


@contextlib.asynccontextmanager
async def service_log(folder: Path, service: str) -> AsyncIterator[AsyncEngine]:
    """A service's event store (SQLite, migrated as the services do), for its relay to publish."""
    engine = create_engine(f"sqlite+aiosqlite:///{folder / f'{service}.db'}")
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    try:
        yield engine
    finally:
        await engine.dispose()


async def record(engine: AsyncEngine, source: Source, province: str, stream: str,
                 payloads: Sequence[EventPayload], after: int = 0) -> list[StoredEvent]:
    async with engine.begin() as connection:
        return await SqlEventStore(connection, source).append(NewEvents(
            province=province, stream_id=stream, expected_version=after, payloads=payloads, actor=SECRETARIAT,
            correlation_id="vi-du"))


async def publish_all(engine: AsyncEngine, service: str, bootstrap: str) -> None:
    """What the service's outbox relay does: its whole log to ``thidua.<province>.<service>``."""
    relay = Relay(engine, service, bootstrap)
    try:
        while await relay.publish_once():
            pass
    finally:
        await relay.close()


class Running:
    """An example run as a process; its output lines as they come."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            self.lines.append(line.decode().rstrip("\n"))

    async def until(self, seconds: float, *expected: str) -> None:
        """Until every ``expected`` text is in some line (failing after ``seconds``)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not all(any(text in line for line in self.lines) for text in expected):
            if self.process.returncode is not None or asyncio.get_running_loop().time() > deadline:
                if self.process.returncode is None:
                    self.process.kill()
                assert self.process.stderr is not None
                errors = (await self.process.stderr.read())[-3000:].decode(errors="replace")
                pytest.fail(f"missing {expected} in {self.lines}; stderr: {errors}")
            await asyncio.sleep(0.1)

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), 20)
        await self._reader
        return code


@contextlib.asynccontextmanager
async def example(module: str, env: dict[str, str]) -> AsyncIterator[Running]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, cwd=ROOT, env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    running = Running(process)
    try:
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def decided(proposal: str, unit: str, award: str, number: str, on: date, reward: int | None) -> AwardDecided:
    return AwardDecided(proposal_id=proposal, unit_id=unit, award_code=award, decision_no=number, decided_on=on,
                        authority="Ủy ban nhân dân tỉnh Hà Nam", rule_version="VN-98-2023", reward_vnd=reward)


@pytest.mark.timeout(120)
async def test_the_kafka_subscriber_prints_each_award_decision_once_and_refuses_what_breaks_the_contract(
        kafka_bootstrap: str, tmp_path: Path) -> None:
    province = unique_province("K")
    async with service_log(tmp_path, "registry") as registry, service_log(tmp_path, "awards") as awards:
        await record(registry, "registry", province, f"unit:{province}:van-phong", [UnitRegistered(
            unit_id="van-phong", name="Văn phòng Tỉnh ủy", short_name="VPTU", kind="party_board")])
        await record(registry, "registry", province, f"unit:{province}:so-giao-duc", [UnitRegistered(
            unit_id="so-giao-duc", name="Sở Giáo dục và Đào tạo", short_name="SGDĐT", kind="state_agency")])
        flag = await record(awards, "awards", province, f"proposal:{province}:pf", [
            AwardProposed(proposal_id="pf", bloc_id="khoi-ban-dang", year=2023, unit_id="van-phong",
                          award_code="PROV_FLAG", basis=ProposalBasis(rank=1, rule_version="VN-98-2023")),
            decided("pf", "van-phong", "PROV_FLAG", "300/QĐ-UBND", date(2024, 2, 20), 14_400_000)])
        await record(awards, "awards", province, f"proposal:{province}:pm", [
            decided("pm", "so-giao-duc", "PROV_MERIT", "301/QĐ-UBND", date(2024, 2, 21), 5_400_000)])
        await publish_all(registry, "registry", kafka_bootstrap)
        await publish_all(awards, "awards", kafka_bootstrap)
        topic = f"thidua.{province.lower()}.awards"
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            altered = wire(flag[1].body.replace("300/QĐ-UBND".encode(), "399/QĐ-UBND".encode()), flag[1].hash)
            await producer.send_and_wait(topic, altered, key=flag[1].stream_id.encode())
            await producer.send_and_wait(topic, b'{"event_type":"AwardDecided"}', key=b"pf")
        finally:
            await producer.stop()

        settings = {"THIDUA_SUBSCRIBER_BOOTSTRAP_SERVERS": kafka_bootstrap, "THIDUA_SUBSCRIBER_PROVINCE": province,
                    "THIDUA_SUBSCRIBER_GROUP_ID": f"vi-du-{province.lower()}",
                    "THIDUA_SUBSCRIBER_STATE": str(tmp_path / "subscriber.sqlite3"),
                    "THIDUA_SUBSCRIBER_SESSION_TIMEOUT_MS": os.environ.get("THIDUA_KAFKA_SESSION_TIMEOUT_MS", "6000")}
        first = ("Quyết định số 300/QĐ-UBND ngày 20/02/2024 của Ủy ban nhân dân tỉnh Hà Nam: tặng Cờ thi đua của "
                 "UBND tỉnh cho Văn phòng Tỉnh ủy; tiền thưởng 14.400.000 đồng.")
        second = ("Quyết định số 301/QĐ-UBND ngày 21/02/2024 của Ủy ban nhân dân tỉnh Hà Nam: tặng Bằng khen của "
                  "Chủ tịch UBND tỉnh cho Sở Giáo dục và Đào tạo; tiền thưởng 5.400.000 đồng.")
        async with example("examples.kafka_subscriber", settings) as subscriber:
            await subscriber.until(60, first, second, "hash does not match the event", "not a published event")
            # the relay publishes its whole log again (as after a broker lost its topics): every event twice
            await request_refill(awards)
            await publish_all(awards, "awards", kafka_bootstrap)
            await subscriber.until(30, f"Bỏ qua sự kiện đã nhận trước đó: {flag[1].event_id}")
            # a decision whose unit's registration comes later: it waits for the unit's name
            await record(awards, "awards", province, f"proposal:{province}:pe", [
                decided("pe", "ubkt", "EXCELLENT_COLLECTIVE", "410/QĐ-UBND", date(2024, 3, 5), None)])
            await publish_all(awards, "awards", kafka_bootstrap)
            await record(registry, "registry", province, f"unit:{province}:ubkt", [UnitRegistered(
                unit_id="ubkt", name="Ủy ban Kiểm tra Tỉnh ủy", short_name="UBKT", kind="party_board")])
            await publish_all(registry, "registry", kafka_bootstrap)
            await subscriber.until(30, "Quyết định số 410/QĐ-UBND ngày 05/03/2024 của Ủy ban nhân dân tỉnh Hà Nam: "
                                       "tặng Tập thể lao động xuất sắc cho Ủy ban Kiểm tra Tỉnh ủy.")
            assert await subscriber.stop() == 0
    lines = subscriber.lines
    assert lines.count(first) == 1
    assert lines.count(second) == 1
    assert sum("Quyết định số" in line for line in lines) == 3
    refused = [line for line in lines if line.startswith("Từ chối thông điệp")]
    assert len(refused) == 2
    assert all(f"thidua.{province.lower()}.awards/" in line for line in refused)
    decisions = "\n".join(line for line in lines if "Quyết định" in line)
    assert "ubkt" not in decisions
    assert "van-phong" not in decisions


def test_a_decision_read_before_its_units_name_waits_for_it_and_reads_in_english_on_request(tmp_path: Path) -> None:
    printed: list[str] = []
    settings = Settings(state=tmp_path / "state.sqlite3", language="en")
    decisions = AwardDecisions(settings, printed.append)
    decisions.handle("thidua.hnm.awards/0/7", example_message("AwardDecided"))
    assert printed == []
    decisions.handle("thidua.hnm.registry/1/0", example_message("UnitRegistered"))
    assert printed == ["Decision 300/QĐ-UBND of 20/02/2024 (Ủy ban nhân dân tỉnh Hà Nam): Cờ thi đua của UBND tỉnh "
                       "awarded to Văn phòng Tỉnh ủy; reward 14,400,000 đồng."]
    decisions.handle("thidua.hnm.awards/0/7", example_message("AwardDecided"))
    assert printed[-1].startswith("Skipped an event received before: ")


SECRET = "whsec_" + base64.b64encode(b"thidua-vi-du-bi-mat-32-bytes-abc").decode()


def signed(webhook_id: str, body: bytes, secret: str = SECRET, at: datetime | None = None) -> dict[str, str]:
    """The headers thidua sends with a delivery (Standard Webhooks)."""
    moment = at or datetime.now(UTC)
    return {"webhook-id": webhook_id, "webhook-timestamp": str(int(moment.timestamp())),
            "webhook-signature": Webhook(secret).sign(webhook_id, moment, body), "content-type": "application/json"}


@pytest.mark.timeout(60)
async def test_the_webhook_receiver_verifies_signatures_refuses_forgeries_and_processes_a_delivery_once(
        tmp_path: Path) -> None:
    port = free_port()
    settings = {"THIDUA_WEBHOOK_SECRET": SECRET, "THIDUA_WEBHOOK_PORT": str(port),
                "THIDUA_WEBHOOK_STATE": str(tmp_path / "webhooks.sqlite3")}
    decision = example_message("AwardDecided")  # an envelope exactly as on Kafka, hash included
    unit = example_message("UnitRegistered")
    async with example("examples.webhook_receiver", settings) as receiver, \
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        deadline = asyncio.get_running_loop().time() + 20
        while True:
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/health")).status_code == 200:
                    break
            assert asyncio.get_running_loop().time() < deadline, "the receiver did not start"
            await asyncio.sleep(0.1)

        async def deliver(body: bytes, headers: dict[str, str]) -> httpx.Response:
            return await client.post("/thidua/webhook", content=body, headers=headers)

        assert (await deliver(decision, signed("msg_2f9a1c", decision))).status_code == 204
        tampered = decision.replace("300/QĐ-UBND".encode(), "399/QĐ-UBND".encode())
        refused = await deliver(tampered, signed("msg_2f9a1c", decision))
        assert refused.status_code == 401
        assert refused.json()["message"] == "Chữ ký hoặc thời điểm gửi không hợp lệ"
        other_secret = "whsec_" + base64.b64encode(b"another-subscription-secret-3210").decode()
        assert (await deliver(decision, signed("msg_77e0d4", decision, other_secret))).status_code == 401
        stale = datetime.now(UTC) - timedelta(minutes=10)
        assert (await deliver(decision, signed("msg_8b31f5", decision, at=stale))).status_code == 401
        unsigned = {key: value for key, value in signed("msg_90c2e7", decision).items()
                    if key != "webhook-signature"}
        missing = await deliver(decision, unsigned)
        assert missing.status_code == 400
        assert missing.json()["message"] == "Thiếu tiêu đề webhook-signature"
        # the same delivery again (the sender never got the answer): acknowledged, not processed twice
        assert (await deliver(decision, signed("msg_2f9a1c", decision))).status_code == 204
        assert (await deliver(unit, signed("msg_4d6e21", unit))).status_code == 204
        await receiver.until(10, "msg_4d6e21")
        # uvicorn shuts down gracefully, then raises the signal again for its parent to see
        assert await receiver.stop() in (0, -signal.SIGTERM)
    assert receiver.lines == [
        "Đã nhận «Quyết định khen thưởng» số 300/QĐ-UBND ngày 20/02/2024 (webhook-id msg_2f9a1c)",
        "Bỏ qua lần gửi lại: webhook-id msg_2f9a1c",
        "Đã nhận «Đăng ký đơn vị» (webhook-id msg_4d6e21)",
    ]
