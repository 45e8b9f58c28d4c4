"""``thidua notifications subscriptions|deliveries|dead-letters|history`` against the running system."""

from __future__ import annotations

import asyncio
import json

from typer.testing import CliRunner

from thidua_cli.client import Api
from thidua_cli.demo import wait_for
from thidua_cli.loopback import WebhookReceiver
from thidua_cli.main import app
from thidua_cli.system import LocalSystem


async def test_a_subscriber_manages_its_webhook_and_an_admin_reads_the_delivery_log_from_the_cli(
    system: LocalSystem,
) -> None:
    portal, other, admin = (await system.issue_token("subscriber"), await system.issue_token("subscriber"),
                            await system.issue_token("admin"))
    url = system.urls["notifications"]

    async def thidua(token: str, *arguments: str) -> tuple[int, str]:
        result = await asyncio.to_thread(CliRunner().invoke, app, [
            "notifications", *arguments, "--province", "HNM", "--token", token, "--url", url, "--lang", "en"])
        return result.exit_code, result.output

    async with WebhookReceiver().serving() as receiver:
        created = await thidua(portal, "subscriptions", "create", "cong-thong-tin", "--target", receiver.url,
                               "--event-type", "UnitRegistered")
        assert created[0] == 0, created[1]
        receiver.secret = json.loads(created[1])["secret"]
        with_password = await thidua(portal, "subscriptions", "create", "lo", "--target",
                                     "https://user:pw@portal.example.vn/hook", "--event-type", "UnitRegistered")
        assert with_password[0] == 2
        assert "it carries a user or password" in with_password[1], with_password[1]

        registry = Api(system.urls["registry"], admin)
        try:
            await registry.post("/provinces/HNM/registration", {"name": "Hà Nam"})
            await registry.post("/provinces/HNM/units", {"unit_id": "van-phong", "name": "Văn phòng Tỉnh ủy",
                                                         "kind": "party_board"})
        finally:
            await registry.close()

        async def delivered() -> bool:
            return any(hook.event["event_type"] == "UnitRegistered" and hook.verified for hook in receiver.received)

        await wait_for("the portal received the unit's registration", delivered)

    mine = await thidua(portal, "subscriptions", "list")
    theirs = await thidua(other, "subscriptions", "list")
    foreign = await thidua(other, "subscriptions", "revoke", "cong-thong-tin")
    assert [row["subscription_id"] for row in json.loads(mine[1])] == ["cong-thong-tin"]
    assert json.loads(theirs[1]) == [], "another subscriber does not see the portal's subscription"
    assert foreign[0] == 2

    log = await thidua(admin, "deliveries", "--subscription", "cong-thong-tin", "--status", "delivered")
    assert log[0] == 0, log[1]
    [delivery] = json.loads(log[1])
    assert (delivery["channel"], delivery["recipient"], delivery["attempts"]) == ("webhook", receiver.url, 1)
    assert delivery["history"][0]["status_code"] == 204
    assert json.loads((await thidua(admin, "dead-letters"))[1]) == []
    history = await thidua(admin, "history", delivery["notification_id"])
    assert [event["event_type"] for event in json.loads(history[1])] == ["NotificationSent"]

    paused = await thidua(portal, "subscriptions", "pause", "cong-thong-tin")
    revoked = await thidua(portal, "subscriptions", "revoke", "cong-thong-tin")
    shown = await thidua(portal, "subscriptions", "show", "cong-thong-tin")
    assert (paused[0], revoked[0]) == (0, 0), paused[1] + revoked[1]
    assert json.loads(shown[1])["status"] == "revoked"
    trail = await thidua(portal, "subscriptions", "history", "cong-thong-tin")
    assert [event["event_type"] for event in json.loads(trail[1])] == [
        "SubscriptionCreated", "SubscriptionPaused", "SubscriptionRevoked"]
