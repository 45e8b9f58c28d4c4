"""Webhook subscriptions on the real broker: the registry's events, as it publishes them, reach a receiver on
loopback signed as the Standard Webhooks specification says, in stream order, once each; failures are retried,
then dead-lettered until the subscriber asks for them again; a subscriber sees and changes its own subscriptions
only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hook_receiver import Receiver, receiving

from notifications.bootstrap import create_app as notifications_app
from registry.bootstrap import create_app as registry_app
from thidua_contracts.wire import wire
from thidua_shared.store import SqlEventStore
from thidua_shared.store.db import create_engine
from thidua_shared.testing import ApiUnderTest, running_service, unique_province, within

UNIT = {"unit_id": "van-phong", "name": "Văn phòng Tỉnh ủy", "short_name": "VPTU", "kind": "party_board"}
NAMES = ["Văn phòng Đảng ủy tỉnh", "Văn phòng Tỉnh ủy Hà Nam", "Văn phòng Đảng ủy tỉnh Hà Nam",
         "Văn phòng Tỉnh ủy (mới)"]
TYPES = ["UnitRegistered", "UnitRenamed"]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries a few tens of milliseconds apart (the schedule's shape is the same as in production)."""
    monkeypatch.setenv("THIDUA_DELIVERY_BACKOFF_INITIAL", "0.05")
    monkeypatch.setenv("THIDUA_DELIVERY_BACKOFF_MAX", "0.2")
    monkeypatch.setenv("THIDUA_DELIVERY_JITTER", "0.02")
    monkeypatch.setenv("THIDUA_DELIVERY_ATTEMPTS", "8")


@dataclass
class World:
    notes: ApiUnderTest
    registry: ApiUnderTest

    async def subscribe(self, receiver: Receiver, subscription_id: str = "cong-thong-tin",
                        token: str | None = None, **body: Any) -> dict[str, Any]:
        token = token or await self.notes.token("subscriber")
        async with self.notes.client(token) as http:
            answer = await http.post(f"{self.notes.base}/subscriptions", json={
                "subscription_id": subscription_id, "url": receiver.url, "event_types": TYPES, **body})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        receiver.secret = created["secret"]
        return created

    async def unit_history(self, renames: int = len(NAMES)) -> None:
        """A unit registered then renamed ``renames`` times: one stream, its events in order."""
        async with self.registry.client(await self.registry.token("admin")) as http:
            assert (await http.post(f"{self.registry.base}/units", json=UNIT)).status_code == 201
            for year, name in enumerate(NAMES[:renames], start=2021):
                renamed = await http.post(f"{self.registry.base}/units/van-phong/renaming", json={
                    "name": name, "effective_on": f"{year}-01-01", "decision_ref": f"QĐ {year}-QĐ/TU"})
                assert renamed.status_code == 201, renamed.text

    async def published(self) -> list[bytes]:
        """The registry's events exactly as its relay publishes them (body and hash), in order."""
        engine = create_engine(self.registry.settings.database_for("registry"))
        try:
            async with engine.connect() as connection:
                log = await SqlEventStore(connection, "registry").read_log(0, 1000)
        finally:
            await engine.dispose()
        return [wire(event.body, event.hash) for event in log if event.event_type in TYPES]

    async def deliveries(self, token: str, **query: Any) -> list[dict[str, Any]]:
        async with self.notes.client(token) as http:
            answer = await http.get(f"{self.notes.base}/deliveries", params=query)
        assert answer.status_code == 200, answer.text
        return list(answer.json())


@pytest.fixture
async def world(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[World]:
    province = unique_province("W")
    async with running_service(notifications_app, tmp_path / "notifications", kafka_bootstrap, province) as notes, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, province) as registry:
        yield World(notes, registry)


async def test_signed_deliveries_verify_and_come_in_stream_order_with_the_envelope_as_published(
    world: World,
) -> None:
    async with receiving(Receiver()) as receiver:
        await world.subscribe(receiver)
        await world.unit_history()
        accepted = await receiver.wait_for(1 + len(NAMES))
        published = await world.published()
    assert receiver.unverified == []
    assert [delivered.body for delivered in accepted] == published, "the envelope exactly as on Kafka, in order"
    assert [delivered.envelope["stream_version"] for delivered in accepted] == list(range(1, len(NAMES) + 2))
    assert len({delivered.webhook_id for delivered in accepted}) == len(accepted)
    assert all(set(delivered.headers) >= {"webhook-id", "webhook-timestamp", "webhook-signature"}
               for delivered in accepted)


async def test_a_receiver_that_fails_five_times_then_recovers_gets_every_event_exactly_once(world: World) -> None:
    async with receiving(Receiver(fail_next=5)) as receiver:
        await world.subscribe(receiver)
        await world.unit_history()
        await receiver.wait_for(1 + len(NAMES))
        published = await world.published()
        admin = await world.notes.token("admin")

        async def all_recorded() -> bool:
            found = await world.deliveries(admin, subscription_id="cong-thong-tin")
            return len(found) == len(published) and all(row["status"] == "delivered" for row in found)

        await within(60, all_recorded)
        log = await world.deliveries(admin, subscription_id="cong-thong-tin")
    assert len(receiver.requests) == len(published) + 5
    assert receiver.processed == {row["notification_id"]: 1 for row in log}, "every event once, none twice"
    assert [delivered.body for delivered in receiver.accepted] == published, "in order, after the failures too"
    first = log[0]
    assert [(step["attempt"], step["outcome"], step["status_code"]) for step in first["history"]] == [
        *[(n, "failed", 503) for n in range(1, 6)], (6, "delivered", 204)]
    assert first["attempts"] == 6
    assert first["channel"] == "webhook"
    assert all(len(row["history"]) == 1 for row in log[1:]), "the lane went on once the receiver recovered"


async def test_a_dead_letter_waits_until_the_subscriber_asks_for_it_again(
    world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with receiving(Receiver(fail_next=1000)) as receiver:
        subscriber = await world.notes.token("subscriber")
        await world.subscribe(receiver, token=subscriber)
        await world.unit_history(renames=1)

        async def dead_lettered() -> bool:
            return len(await world.deliveries(subscriber, status="dead")) == 2

        await within(30, dead_lettered)
        async with world.notes.client(subscriber) as http:
            dead = (await http.get(f"{world.notes.base}/dead-letters")).json()
            assert [row["attempts"] for row in dead] == [8, 8]
            assert dead[0]["history"][-1]["outcome"] == "dead_lettered"
            history = (await http.get(f"{world.notes.base}/notifications/{dead[0]['notification_id']}/history"))
            assert history.status_code == 403, "a notification's stream is for admins and auditors"
            receiver.fail_next = 0
            asked = await http.post(f"{world.notes.base}/subscriptions/cong-thong-tin/redelivery",
                                    json={"from_position": dead[0]["position"]})
            assert asked.status_code == 201, asked.text
            again = await http.post(f"{world.notes.base}/subscriptions/cong-thong-tin/redelivery",
                                    json={"from_position": dead[-1]["position"] + 1})
            assert again.status_code == 422
            assert "không có lần gửi nào từ vị trí" in again.json()["message"]
        accepted = await receiver.wait_for(2)
    assert [delivered.webhook_id for delivered in accepted] == [row["notification_id"] for row in dead], \
        "redelivered in order, each with the webhook-id it had"
    assert await world.deliveries(subscriber, status="dead") == []
    async with world.notes.client(await world.notes.token("auditor")) as http:
        stream = (await http.get(f"{world.notes.base}/notifications/{dead[0]['notification_id']}/history")).json()
    assert [event["event_type"] for event in stream] == ["NotificationFailed"] * 8 + ["NotificationSent"]
    assert stream[7]["payload"]["dead_lettered"] is True
    assert stream[0]["payload"]["dead_lettered"] is False
    assert all(later["prev_hash"] != "" and later["hash"] for later in stream)


async def test_a_paused_subscription_keeps_its_deliveries_waiting_in_order_until_resumed(world: World) -> None:
    async with receiving(Receiver()) as receiver:
        subscriber = await world.notes.token("subscriber")
        await world.subscribe(receiver, token=subscriber)
        async with world.notes.client(subscriber) as http:
            paused = await http.post(f"{world.notes.base}/subscriptions/cong-thong-tin/pause")
            assert paused.status_code == 201, paused.text
            assert (await http.post(f"{world.notes.base}/subscriptions/cong-thong-tin/pause")).status_code == 409
        await world.unit_history(renames=2)

        async def queued() -> bool:
            return len(await world.deliveries(subscriber, status="pending")) == 3

        await within(60, queued)
        assert receiver.requests == [], "nothing goes out while the subscription is paused"
        async with world.notes.client(subscriber) as http:
            resumed = await http.post(f"{world.notes.base}/subscriptions/cong-thong-tin/resumption")
            assert resumed.status_code == 201, resumed.text
            state = (await http.get(f"{world.notes.base}/subscriptions/cong-thong-tin")).json()
        accepted = await receiver.wait_for(3)
        published = await world.published()
    assert state["status"] == "active"
    assert [delivered.body for delivered in accepted] == published


async def test_a_subscriber_sees_and_changes_only_its_own_subscriptions_of_its_own_province(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    home, other = unique_province("H"), unique_province("O")
    async with running_service(notifications_app, tmp_path / "notifications", kafka_bootstrap,
                               f"{home},{other}") as notes, receiving(Receiver()) as receiver:
        world = World(notes, notes)
        first, second = await notes.token("subscriber"), await notes.token("subscriber")
        created = await world.subscribe(receiver, "cua-thu-nhat", token=first)
        assert created["secret"].startswith("whsec_")
        await world.subscribe(receiver, "cua-thu-hai", token=second)
        admin = await notes.token("admin")
        async with notes.client(first) as http:
            mine = (await http.get(f"{notes.base}/subscriptions")).json()
            assert [each["subscription_id"] for each in mine] == ["cua-thu-nhat"]
            assert "secret" not in mine[0], "the secret is shown once, when the subscription is created"
            for path in ("", "/history"):
                assert (await http.get(f"{notes.base}/subscriptions/cua-thu-hai{path}")).status_code == 404
            for act in ("revocation", "pause"):
                refused = await http.post(f"{notes.base}/subscriptions/cua-thu-hai/{act}")
                assert refused.status_code == 404, refused.text
            foreign = await http.get(f"/provinces/{other}/subscriptions")
            assert foreign.status_code == 403
            wider = await http.post(f"{notes.base}/subscriptions", json={
                "subscription_id": "rong-hon", "url": receiver.url, "event_types": TYPES,
                "provinces": [home, other]})
            assert wider.status_code == 422
            assert other in wider.json()["message"]
            assert (await http.get(f"{notes.base}/deliveries", params={"subscription_id": "cua-thu-hai"})
                    ).status_code == 404
        async with notes.client(admin) as http:
            every = (await http.get(f"{notes.base}/subscriptions")).json()
            assert {each["subscription_id"] for each in every} == {"cua-thu-nhat", "cua-thu-hai"}
            revoked = await http.post(f"{notes.base}/subscriptions/cua-thu-hai/revocation")
            assert revoked.status_code == 201, revoked.text
        async with notes.client(second) as http:
            gone = (await http.get(f"{notes.base}/subscriptions/cua-thu-hai")).json()
            assert gone["status"] == "revoked"
            again = await http.post(f"{notes.base}/subscriptions/cua-thu-hai/pause")
            assert again.status_code == 409
        async with notes.client(await notes.token("unit_officer", unit_id="van-phong")) as http:
            assert (await http.get(f"{notes.base}/subscriptions")).status_code == 403


@pytest.mark.parametrize(("url", "words"), [
    ("ftp://congthongtin.hanam.gov.vn/hook", "http hoặc https"),
    ("https://user:secret@congthongtin.hanam.gov.vn/hook", "mật khẩu"),
    ("https:///hook", "không dùng được"),
])
async def test_a_webhook_url_that_cannot_be_delivered_to_is_refused_with_what_to_fix(
    world: World, url: str, words: str,
) -> None:
    async with world.notes.client(await world.notes.token("subscriber")) as http:
        refused = await http.post(f"{world.notes.base}/subscriptions", json={
            "subscription_id": "sai", "url": url, "event_types": TYPES})
        unknown = await http.post(f"{world.notes.base}/subscriptions", json={
            "subscription_id": "sai", "url": "https://congthongtin.hanam.gov.vn/hook",
            "event_types": ["AwardDecided", "NotificationSent"]})
        listed = (await http.get(f"{world.notes.base}/subscriptions")).json()
    assert refused.status_code == 422, refused.text
    assert words in refused.json()["message"]
    assert unknown.status_code == 422
    assert "NotificationSent" in unknown.json()["message"]
    assert listed == [], "nothing half written"
