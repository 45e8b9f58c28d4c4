"""Nothing lost, nothing doubled: the notifications service as a process of its own, with the registry, on the
real broker. A kill -9 in the middle of a webhook delivery, then a restart, delivers every event to every
subscription, and at most the delivery in flight at the kill arrives twice, with the same webhook-id. An SMTP
server down for 60 s loses no mail, and none arrives twice."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from standardwebhooks.webhooks import Webhook
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from thidua_cli import demo
from thidua_cli.client import Api
from thidua_cli.loopback import Mailbox
from thidua_cli.system import LocalSystem
from thidua_shared.broker import EmbeddedBroker, free_port
from thidua_shared.loopback import serve_on_loopback

RENAMES = 6
QUICK_RETRIES = {"THIDUA_DELIVERY_BACKOFF_INITIAL": "0.2", "THIDUA_DELIVERY_BACKOFF_MAX": "2",
                 "THIDUA_DELIVERY_JITTER": "0.2", "THIDUA_DELIVERY_ATTEMPTS": "60"}
"""Retries every two seconds at most, so that a minute's outage is bridged and the test ends soon after."""


@dataclass
class Receiver:
    """Verifies and keeps every delivery; the ``hold_at``-th request is held unanswered until ``release``."""

    hold_at: int
    port: int = field(default_factory=free_port)
    secret: str = ""
    requests: int = 0
    held: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    accepted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        Webhook(self.secret).verify(body, dict(request.headers))
        self.requests += 1
        if self.requests == self.hold_at:
            self.held.set()
            await self.release.wait()
        self.accepted.append((request.headers["webhook-id"], orjson.loads(body)))
        return Response(status_code=204)

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[Receiver]:
        async with serve_on_loopback(Route("/hook", self._hook, methods=["POST"]), self.port):
            try:
                yield self
            finally:
                self.release.set()  # a held request is answered before the server stops


@contextlib.asynccontextmanager
async def registry_and_notifications(tmp_path: Path, bootstrap: str, env: dict[str, str]) -> AsyncIterator[LocalSystem]:
    system = LocalSystem(tmp_path, "HNM", bootstrap=bootstrap, env={**QUICK_RETRIES, **env})
    try:
        system.start_service("registry")
        system.start_service("notifications")
        await system.wait_healthy(progress=False)
        yield system
    finally:
        system.stop()


async def test_a_kill_9_mid_delivery_then_a_restart_delivers_every_event_once_but_the_one_in_flight(
    tmp_path: Path, own_broker: EmbeddedBroker,
) -> None:
    async with Receiver(hold_at=3).serving() as receiver, \
            registry_and_notifications(tmp_path, own_broker.bootstrap_servers, {}) as system:
        portal = Api(system.urls["notifications"], await system.issue_token("subscriber"))
        try:
            created = await portal.post("/provinces/HNM/subscriptions", {
                "subscription_id": "cong-thong-tin", "url": receiver.url,
                "event_types": ["UnitRegistered", "UnitRenamed"]})
        finally:
            await portal.close()
        receiver.secret = created["secret"]
        registry = Api(system.urls["registry"], await system.issue_token("admin"))
        try:
            await registry.post("/provinces/HNM/registration", {"name": "Hà Nam"})
            for unit_id, name in (("van-phong", "Văn phòng Tỉnh ủy"), ("ubkt", "Ủy ban Kiểm tra Tỉnh ủy")):
                await registry.post("/provinces/HNM/units", {"unit_id": unit_id, "name": name,
                                                             "kind": "party_board"})
            for year in range(2018, 2018 + RENAMES):
                await registry.post("/provinces/HNM/units/van-phong/renaming", {
                    "name": f"Văn phòng Tỉnh ủy ({year})", "effective_on": f"{year}-01-01",
                    "decision_ref": f"QĐ {year}-QĐ/TU"})
        finally:
            await registry.close()
        await asyncio.wait_for(receiver.held.wait(), 60)

        system.processes["notifications"].kill()
        assert system.processes["notifications"].wait(10) == -9
        receiver.release.set()
        system.start_service("notifications")
        await system.wait_healthy(progress=False)

        expected = 2 + RENAMES

        async def everything_came() -> bool:
            return len({webhook_id for webhook_id, _ in receiver.accepted}) >= expected

        await demo.wait_for("every event delivered after the restart", everything_came)
        await asyncio.sleep(2)  # anything delivered twice would come now

    times = Counter(webhook_id for webhook_id, _ in receiver.accepted)
    assert len(times) == expected, "every event, to the subscription"
    twice = [webhook_id for webhook_id, count in times.items() if count > 1]
    assert len(twice) <= 1, "at most the delivery in flight at the kill arrives twice"
    assert all(count <= 2 for count in times.values())
    if twice:
        assert receiver.accepted[2][0] == twice[0], "the one sent twice is the one in flight at the kill"
    firsts: dict[str, list[int]] = {}
    seen: set[str] = set()
    for webhook_id, envelope in receiver.accepted:
        if webhook_id not in seen:
            seen.add(webhook_id)
            firsts.setdefault(envelope["stream_id"], []).append(envelope["stream_version"])
    assert firsts["unit:HNM:van-phong"] == list(range(1, RENAMES + 2)), "in stream order"


async def test_an_smtp_server_down_for_a_minute_loses_no_mail_and_sends_none_twice(
    tmp_path: Path, own_broker: EmbeddedBroker,
) -> None:
    mailbox = Mailbox()
    data = demo.seed()
    election = data["elections"][0]
    async with registry_and_notifications(tmp_path, own_broker.bootstrap_servers, mailbox.settings) as system:
        notifications = Api(system.urls["notifications"], await system.issue_token("admin"))
        registry = Api(system.urls["registry"], await system.issue_token("admin"))
        try:
            await notifications.call("PUT", "/provinces/HNM/notification-settings",
                                     {"staff_emails": ["tdkt@snv.hanam.example.vn"]})
            await registry.post("/provinces/HNM/registration", {"name": data["province_name"]})
            await registry.upload("/provinces/HNM/imports", demo.seed_file(data["registry_file"]), "text/csv")
            await registry.post(f"/provinces/HNM/blocs/{data['bloc']['bloc_id']}/elections", election)
            down_since = time.monotonic()

            async def tried_and_failed() -> bool:
                pending = await notifications.get("/provinces/HNM/deliveries", status="pending")
                return len(pending) >= 2 and all(row["attempts"] >= 2 for row in pending)

            await demo.wait_for("the mails were tried while the SMTP server is down", tried_and_failed)
            await asyncio.sleep(max(0.0, 60 - (time.monotonic() - down_since)))
            with mailbox.serving():
                async def arrived() -> bool:
                    pending = await notifications.get("/provinces/HNM/deliveries", status="pending")
                    return not pending and len(mailbox.received) >= 2

                await demo.wait_for("the mails arrived once the server was back", arrived)
                await asyncio.sleep(2)  # anything sent twice would come now
            log = [row for row in await notifications.get("/provinces/HNM/deliveries") if row["channel"] == "email"]
        finally:
            await notifications.close()
            await registry.close()

    assert sorted(mail.to for mail in mailbox.received) == ["bantochuc@hanam.example.vn", "tdkt@snv.hanam.example.vn"]
    assert all("Ban Tổ chức Tỉnh ủy được bầu làm Trưởng khối năm 2023" in mail.subject for mail in mailbox.received)
    assert len({mail.message_id for mail in mailbox.received}) == 2, "one mail each, none twice"
    assert {row["status"] for row in log} == {"delivered"}
    assert all(row["attempts"] >= 3 for row in log), "each was retried through the outage"
    assert all(attempt["outcome"] == "failed" for row in log for attempt in row["history"][:-1])
