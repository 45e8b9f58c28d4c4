from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from thidua_contracts.base import EventPayload
from thidua_contracts.envelope import Source

Channel = Literal["log", "email", "webhook"]


class NotificationsEvent(EventPayload):
    source: ClassVar[Source] = "notifications"


class NotificationSent(NotificationsEvent):
    notification_id: str
    channel: Channel
    recipient: str
    template: str
    about_event_id: str
    texts: dict[str, str] = Field(default_factory=dict)
    """The words sent, by language (``vi``, ``en``); added to the contract in version 1."""


class NotificationFailed(NotificationsEvent):
    notification_id: str
    channel: Channel
    recipient: str
    attempts: int
    error: str
    dead_lettered: bool


class _Subscription(NotificationsEvent):
    """The fields of a subscription, created or revoked: not an event itself; the two events are
    siblings, told apart by class."""

    subscription_id: str
    subscriber: str
    url: str
    event_types: list[str]
    provinces: list[str]


class SubscriptionCreated(_Subscription):
    pass


class SubscriptionRevoked(_Subscription):
    pass


EVENTS: tuple[type[EventPayload], ...] = (
    NotificationSent,
    NotificationFailed,
    SubscriptionCreated,
    SubscriptionRevoked,
)
