"""``thidua notifications subscriptions|deliveries|dead-letters|history``: webhooks and what was delivered.

A ``subscriber`` token manages its own subscriptions; the province's ``admin`` sees (and may revoke,
pause or redeliver) all of the province's; the delivery log is for ``admin`` and ``auditor``.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from thidua_cli.calling import call

subscriptions_app = typer.Typer(help="Webhook subscriptions of other systems: create, list, pause, resume, "
                                     "redeliver, revoke.", no_args_is_help=True)

Province = Annotated[str, typer.Option(help="province code, e.g. HNM")]
Token = Annotated[str, typer.Option(envvar="THIDUA_TOKEN")]
Url = Annotated[str | None, typer.Option(help="default: THIDUA_NOTIFICATIONS_URL")]
Lang = Annotated[str, typer.Option(help="vi or en")]
SubscriptionId = Annotated[str, typer.Argument(help="the subscription's id, e.g. cong-thong-tin")]


def _base(province: str) -> str:
    return f"/provinces/{province.upper()}"


def _one(province: str, subscription_id: str) -> str:
    return f"{_base(province)}/subscriptions/{subscription_id}"


@subscriptions_app.command("create")
def create(
    subscription_id: SubscriptionId, province: Province, token: Token,
    target: Annotated[str, typer.Option("--target", help="the https:// (or http://) URL that receives the POSTs")],
    event_type: Annotated[list[str], typer.Option(help="an event type to receive, e.g. AwardDecided (repeat)")],
    also_province: Annotated[list[str] | None, typer.Option(
        help="another province of the token to hear from (repeat); default: the token's province")] = None,
    url: Url = None, lang: Lang = "vi",
) -> None:
    """Subscribe a URL; the answer shows the signing secret once: keep it."""
    body: dict[str, Any] = {"subscription_id": subscription_id, "url": target, "event_types": event_type}
    if also_province:
        body["provinces"] = sorted({province.upper(), *(code.upper() for code in also_province)})
    call("notifications", "POST", f"{_base(province)}/subscriptions", body, token, url, lang)


@subscriptions_app.command("list")
def list_subscriptions(province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """The token's own subscriptions (an admin: all of the province's)."""
    call("notifications", "GET", f"{_base(province)}/subscriptions", None, token, url, lang)


@subscriptions_app.command("show")
def show(subscription_id: SubscriptionId, province: Province, token: Token, url: Url = None,
         lang: Lang = "vi") -> None:
    """One subscription, with its state and where its deliveries stand."""
    call("notifications", "GET", _one(province, subscription_id), None, token, url, lang)


@subscriptions_app.command("history")
def history(subscription_id: SubscriptionId, province: Province, token: Token, url: Url = None,
            lang: Lang = "vi") -> None:
    """The subscription's events, with their hashes."""
    call("notifications", "GET", f"{_one(province, subscription_id)}/history", None, token, url, lang)


@subscriptions_app.command("pause")
def pause(subscription_id: SubscriptionId, province: Province, token: Token, url: Url = None,
          lang: Lang = "vi") -> None:
    """Hold the deliveries (they queue up and leave, in order, at ``resume``)."""
    call("notifications", "POST", f"{_one(province, subscription_id)}/pause", {}, token, url, lang)


@subscriptions_app.command("resume")
def resume(subscription_id: SubscriptionId, province: Province, token: Token, url: Url = None,
           lang: Lang = "vi") -> None:
    """Deliver again what was held."""
    call("notifications", "POST", f"{_one(province, subscription_id)}/resumption", {}, token, url, lang)


@subscriptions_app.command("redeliver")
def redeliver(subscription_id: SubscriptionId, province: Province, token: Token,
              from_position: Annotated[int, typer.Option(min=1, help="the delivery log's position to start from "
                                                                     "(see `deliveries`)")],
              url: Url = None, lang: Lang = "vi") -> None:
    """Send again, with their webhook-ids, the deliveries from a position on (dead letters included)."""
    call("notifications", "POST", f"{_one(province, subscription_id)}/redelivery",
         {"from_position": from_position}, token, url, lang)


@subscriptions_app.command("revoke")
def revoke(subscription_id: SubscriptionId, province: Province, token: Token, url: Url = None,
           lang: Lang = "vi") -> None:
    """End the subscription: nothing more is delivered to it."""
    call("notifications", "POST", f"{_one(province, subscription_id)}/revocation", {}, token, url, lang)


def deliveries(
    province: Province, token: Token,
    status: Annotated[str | None, typer.Option(help="pending, delivered or dead")] = None,
    subscription: Annotated[str | None, typer.Option(help="one subscription's deliveries")] = None,
    recipient: Annotated[str | None, typer.Option(help="an e-mail address or a URL")] = None,
    event: Annotated[str | None, typer.Option(help="the event_id the deliveries are about")] = None,
    after: Annotated[int, typer.Option(min=0, help="the position to list after")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    url: Url = None, lang: Lang = "vi",
) -> None:
    """The delivery log: every e-mail and webhook, with its attempts (status, response code, latency)."""
    params: dict[str, Any] = {"after": after, "limit": limit}
    for name, value in (("status", status), ("subscription_id", subscription), ("recipient", recipient),
                        ("about_event_id", event)):
        if value is not None:
            params[name] = value
    call("notifications", "GET", f"{_base(province)}/deliveries", None, token, url, lang, params)


def dead_letters(province: Province, token: Token,
                 after: Annotated[int, typer.Option(min=0, help="the position to list after")] = 0,
                 limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
                 url: Url = None, lang: Lang = "vi") -> None:
    """The deliveries that failed every attempt and wait for a redelivery."""
    call("notifications", "GET", f"{_base(province)}/dead-letters", None, token, url, lang,
         {"after": after, "limit": limit})


def notification_history(notification_id: Annotated[str, typer.Argument(help="the webhook-id or Message-ID")],
                         province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """One notification's events (sent, failed, redelivery asked), with their hashes."""
    call("notifications", "GET", f"{_base(province)}/notifications/{notification_id}/history", None, token,
         url, lang)
