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


class NotificationSettingsChanged(NotificationsEvent):
    """A province's settings of who hears what, all of them as they now stand (added to the contract)."""

    staff_emails: list[str]
    """The province's TĐKT staff (the Department of Home Affairs' emulation and commendation office)."""
    bloc_secretariats: dict[str, list[str]] = Field(default_factory=dict)
    """The addresses of each bloc's secretariat, by bloc id (the registry does not hold them)."""
    audiences: dict[str, list[str]]
    """For each kind of message (``award_decided``...), who hears it: ``unit``, ``bloc_chair``,
    ``bloc_secretariat``, ``province_staff``."""
    english_addresses: list[str] = Field(default_factory=list)
    """The addresses that asked to be written to in English (Vietnamese otherwise)."""


EVENTS = (*EVENTS, NotificationSettingsChanged)
