"""Webhook subscriptions, the delivery log and the dead letters.

A ``subscriber`` token creates, reads and changes its own subscriptions only; the province's ``admin`` sees and
changes all of the province's; an ``auditor`` reads. Another token's subscription does not exist to a subscriber
(404), another province's is refused (403).

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from notifications.adapters import deliveries as queue
from notifications.adapters.webhooks import WebhookKey
from notifications.application import handlers
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.commands import (
    CreateSubscription,
    EventTypes,
    PauseSubscription,
    Position,
    Provinces,
    RequestRedelivery,
    ResumeSubscription,
    RevokeSubscription,
    Url,
)
from notifications.domain.model import notification_stream
from notifications.domain.subscriptions import subscription_stream
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Identifier
from thidua_shared.errors import NotFound
from thidua_shared.history import LoggedEvent
from thidua_shared.history import history as stream_history
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router

SubscriptionPath = IdPath
NotificationPath = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$", max_length=36)]


class CreateSubscriptionBody(RequestBody):
    """Where to POST which events. ``provinces`` default to the token's (and may name no other)."""

    subscription_id: Identifier
    url: Url
    event_types: EventTypes
    provinces: Provinces | None = None


class SubscriptionCreatedAnswer(Recorded):
    subscription_id: str
    secret: str = Field(description="the secret that signs every delivery (whsec_...): shown this once, keep it")


class RequestRedeliveryBody(RequestBody):
    from_position: Position


class SubscriptionAnswer(BaseModel):
    province: str
    subscription_id: str
    subscriber: str
    subscriber_name: str
    url: str
    event_types: list[str]
    provinces: list[str]
    status: Literal["active", "paused", "revoked"]
    created_at: str
    changed_at: str


class AttemptAnswer(BaseModel):
    attempt: int
    outcome: Literal["delivered", "failed", "dead_lettered"]
    status_code: int | None
    latency_ms: int | None
    error: str
    at: str


class DeliveryAnswer(BaseModel):
    """One delivery (an e-mail to an address, an event to a subscription) and every attempt at it."""

    position: int
    province: str
    notification_id: str = Field(description="the webhook-id, or the e-mail's Message-ID without its domain")
    channel: Literal["email", "webhook"]
    subscription_id: str | None
    recipient: str
    template: str
    about_event_id: str
    stream_id: str
    correlation_id: str
    status: Literal["pending", "delivered", "dead"]
    attempts: int
    last_error: str
    last_status_code: int | None
    queued_at: str
    delivered_at: str | None
    history: list[AttemptAnswer]


def subscriptions_router(parts: ServiceParts, commands: CommandRunner[NotificationsUnitOfWork],
                         key: WebhookKey) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    def own(caller: Principal) -> str | None:
        caller.require_role("subscriber", "admin", "auditor")
        return caller.token_id if caller.role == "subscriber" else None

    async def visible(province: str, subscriber: str | None) -> list[str] | None:
        """The subscriptions whose deliveries the caller may see (None: all)."""
        if subscriber is None:
            return None
        async with parts.engine.connect() as connection:
            return [found["subscription_id"] for found in await queue.subscriptions_of(connection, province,
                                                                                          subscriber)]

    @api.post("/subscriptions", status_code=201, tags=["subscriptions"], response_model=SubscriptionCreatedAnswer,
              summary="Subscribe a URL to event types (subscriber, admin); the answer shows the secret once")
    async def create_subscription(province: str, body: CreateSubscriptionBody, caller: Caller) -> dict[str, Any]:
        context = command_context(province, caller, "subscriber", "admin")
        command = CreateSubscription(**body.model_dump())
        answer = await commands(handlers.create_subscription(caller.label), command, context)
        return {**answer.model_dump(), "subscription_id": command.subscription_id,
                "secret": key.secret(province, command.subscription_id)}

    @api.get("/subscriptions", tags=["subscriptions"], response_model=list[SubscriptionAnswer],
             summary="The subscriptions: a subscriber's own; all of the province for an admin or auditor")
    async def list_subscriptions(province: str, caller: Caller) -> list[dict[str, Any]]:
        subscriber = own(caller)
        async with parts.engine.connect() as connection:
            return await queue.subscriptions_of(connection, province, subscriber)

    async def one(province: str, subscription_id: str, caller: Principal) -> dict[str, Any]:
        subscriber = own(caller)
        async with parts.engine.connect() as connection:
            found = [each for each in await queue.subscriptions_of(connection, province, subscriber)
                     if each["subscription_id"] == subscription_id]
        if not found:
            raise NotFound("subscription.not_found", subscription_id=subscription_id)
        return found[0]

    @api.get("/subscriptions/{subscription_id}", tags=["subscriptions"], response_model=SubscriptionAnswer,
             summary="One subscription")
    async def get_subscription(province: str, subscription_id: SubscriptionPath, caller: Caller) -> dict[str, Any]:
        return await one(province, subscription_id, caller)

    @api.get("/subscriptions/{subscription_id}/history", tags=["subscriptions"], response_model=list[LoggedEvent],
             summary="Every event of the subscription, with its hash chain")
    async def get_subscription_history(province: str, subscription_id: SubscriptionPath,
                                       caller: Caller) -> list[dict[str, Any]]:
        await one(province, subscription_id, caller)
        return await history(parts, subscription_stream(province, subscription_id))

    async def act(handler: Any, command: Any, province: str, caller: Principal) -> Recorded:
        context = command_context(province, caller, "subscriber", "admin")
        return await commands(handler, command, context)

    @api.post("/subscriptions/{subscription_id}/revocation", status_code=201, tags=["subscriptions"],
              summary="Revoke the subscription: nothing more is delivered to it")
    async def revoke_subscription(province: str, subscription_id: SubscriptionPath, caller: Caller) -> Recorded:
        return await act(handlers.revoke_subscription, RevokeSubscription(subscription_id=subscription_id),
                         province, caller)

    @api.post("/subscriptions/{subscription_id}/pause", status_code=201, tags=["subscriptions"],
              summary="Pause the subscription: deliveries wait, in order, until it is resumed")
    async def pause_subscription(province: str, subscription_id: SubscriptionPath, caller: Caller) -> Recorded:
        return await act(handlers.pause_subscription, PauseSubscription(subscription_id=subscription_id),
                         province, caller)

    @api.post("/subscriptions/{subscription_id}/resumption", status_code=201, tags=["subscriptions"],
              summary="Resume the subscription: the deliveries that waited go out in order")
    async def resume_subscription(province: str, subscription_id: SubscriptionPath, caller: Caller) -> Recorded:
        return await act(handlers.resume_subscription, ResumeSubscription(subscription_id=subscription_id),
                         province, caller)

    @api.post("/subscriptions/{subscription_id}/redelivery", status_code=201, tags=["subscriptions"],
              summary="Deliver again every delivery of the subscription from a position on, dead letters included")
    async def redeliver(province: str, subscription_id: SubscriptionPath, body: RequestRedeliveryBody,
                        caller: Caller) -> Recorded:
        command = RequestRedelivery(subscription_id=subscription_id, from_position=body.from_position)
        return await act(handlers.request_redelivery, command, province, caller)

    @api.get("/deliveries", tags=["deliveries"], response_model=list[DeliveryAnswer],
             summary="The deliveries and their attempts, by position (a subscriber sees its subscriptions' only)")
    async def list_deliveries(
        province: str, caller: Caller,
        status: Annotated[Literal["pending", "delivered", "dead"] | None, Query()] = None,
        subscription_id: Annotated[str | None, Query(max_length=100)] = None,
        recipient: Annotated[str | None, Query(max_length=2000, description="an address or a URL")] = None,
        about_event_id: Annotated[str | None, Query(max_length=36)] = None,
        after: Annotated[int, Query(ge=0, le=2**62)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        allowed = await visible(province, own(caller))
        if subscription_id is not None:
            if allowed is not None and subscription_id not in allowed:
                raise NotFound("subscription.not_found", subscription_id=subscription_id)
            allowed = [subscription_id]
        async with parts.engine.connect() as connection:
            return await queue.delivery_list(connection, province, subscriptions=allowed, status=status,
                                             recipient=recipient, about_event_id=about_event_id, after=after,
                                             limit=limit)

    @api.get("/dead-letters", tags=["deliveries"], response_model=list[DeliveryAnswer],
             summary="The deliveries whose last attempt failed, waiting for a redelivery")
    async def list_dead_letters(province: str, caller: Caller,
                                after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
        allowed = await visible(province, own(caller))
        async with parts.engine.connect() as connection:
            return await queue.delivery_list(connection, province, subscriptions=allowed, status="dead",
                                             after=after, limit=limit)

    @api.get("/notifications/{notification_id}/history", tags=["notifications"], response_model=list[LoggedEvent],
             summary="Every attempt at one notification, as its stream records them, with the hash chain (admin, "
                     "auditor)")
    async def get_notification_history(province: str, notification_id: NotificationPath,
                                       caller: Caller) -> list[dict[str, Any]]:
        caller.require_role("admin", "auditor")
        found = await history(parts, notification_stream(province, notification_id))
        if not found:
            raise NotFound("notification.not_found", notification_id=notification_id)
        return found

    return api


async def history(parts: ServiceParts, stream_id: str) -> list[dict[str, Any]]:
    async with parts.engine.connect() as connection:
        return await stream_history(connection, "notifications", stream_id)
