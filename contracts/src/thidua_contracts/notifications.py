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
    attempts: int = 1
    """The attempt that delivered it (1: at once); added to the contract."""
    status_code: int | None = None
    """The receiver's answer: the HTTP status of a webhook, the SMTP reply code of a mail; added."""
    latency_ms: int | None = None
    """How long the delivering attempt took; added."""
    subscription_id: str | None = None
    """The webhook subscription delivered to (none for e-mail); added."""


class NotificationFailed(NotificationsEvent):
    notification_id: str
    channel: Channel
    recipient: str
    attempts: int
    error: str
    dead_lettered: bool
    """After the last attempt (or a permanent refusal) the delivery waits in the dead-letter list; otherwise it
    is retried after a back-off."""
    template: str = ""
    """The kind of message (e-mail) or the event type (webhook); added to the contract."""
    about_event_id: str = ""
    """The event the notification tells of; added."""
    status_code: int | None = None
    """The receiver's answer, if there was one (HTTP status, SMTP reply code); added."""
    latency_ms: int | None = None
    """How long the failed attempt took; added."""
    subscription_id: str | None = None
    """The webhook subscription (none for e-mail); added."""


class _Subscription(NotificationsEvent):
    """The fields of a subscription, created or revoked: not an event itself; the two events are
    siblings, told apart by class."""

    subscription_id: str
    subscriber: str
    """The subscribing system's token id: it alone (and the province's admins) sees and changes the subscription."""
    url: str
    event_types: list[str]
    provinces: list[str]
    subscriber_name: str = ""
    """The subscribing system as its token names it, e.g. "Cổng thông tin điện tử tỉnh Hà Nam" (added)."""


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


class SubscriptionPaused(NotificationsEvent):
    """Nothing is delivered to the subscription until it is resumed; deliveries wait in order (added)."""

    subscription_id: str


class SubscriptionResumed(NotificationsEvent):
    """Deliveries to the subscription go on from where they waited (added)."""

    subscription_id: str


class RedeliveryRequested(NotificationsEvent):
    """The subscriber asked for every delivery of the subscription from ``from_position`` on to be delivered
    again, in order, dead letters included, each with its own ``webhook-id`` as before (added)."""

    subscription_id: str
    from_position: int = Field(ge=1)
    deliveries: int
    """How many deliveries were queued again."""


EVENTS = (*EVENTS, NotificationSettingsChanged, SubscriptionPaused, SubscriptionResumed, RedeliveryRequested)
