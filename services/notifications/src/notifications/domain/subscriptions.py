"""A subscriber system's webhook subscription: what it asked for, and whether deliveries go out, wait or stop.

Pure: the secret that signs the deliveries is never an event (events are published); the adapters derive it
from the instance's key and the subscription's id.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from notifications.domain.commands import CreateSubscription
from thidua_contracts import EVENT_MODELS
from thidua_contracts.notifications import (
    RedeliveryRequested,
    SubscriptionCreated,
    SubscriptionPaused,
    SubscriptionResumed,
    SubscriptionRevoked,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound

DELIVERABLE: tuple[str, ...] = tuple(sorted(name for name, model in EVENT_MODELS.items()
                                            if model.source in ("registry", "scoring", "awards")))
"""The event types a subscription may ask for: those of the topics the notifications service reads."""
Status = Literal["active", "paused", "revoked"]


def subscription_stream(province: str, subscription_id: str) -> str:
    return f"subscription:{province}:{subscription_id}"


def url_problem(url: str) -> str | None:
    """What is wrong with a webhook URL (the key of its message in the catalogue), or None: http or https, a
    host, no user or password in it, no fragment, a port in range."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "subscription.url_not_a_url"
    if parts.scheme not in ("http", "https"):
        return "subscription.url_scheme"
    if not parts.hostname:
        return "subscription.url_no_host"
    if parts.username is not None or parts.password is not None:
        return "subscription.url_credentials"
    if parts.fragment:
        return "subscription.url_fragment"
    return None if port is None or 0 < port < 65536 else "subscription.url_port"


class Subscription(Aggregate):
    def __init__(self, province: str, subscription_id: str) -> None:
        super().__init__(subscription_stream(province, subscription_id), province)
        self.subscription_id = subscription_id
        self.subscriber = ""
        self.status: Status | None = None
        self.created: SubscriptionCreated | None = None

    @applies(SubscriptionCreated)
    def _created(self, event: SubscriptionCreated) -> None:
        self.subscriber, self.status, self.created = event.subscriber, "active", event

    @applies(SubscriptionRevoked)
    def _revoked(self, _event: SubscriptionRevoked) -> None:
        self.status = "revoked"

    @applies(SubscriptionPaused)
    def _paused(self, _event: SubscriptionPaused) -> None:
        self.status = "paused"

    @applies(SubscriptionResumed)
    def _resumed(self, _event: SubscriptionResumed) -> None:
        self.status = "active"

    @applies(RedeliveryRequested)
    def _redelivery(self, _event: RedeliveryRequested) -> None:
        pass

    def create(self, command: CreateSubscription, subscriber: str, subscriber_name: str,
               token_province: str) -> None:
        if self.exists:
            raise Conflict("subscription.exists", subscription_id=self.subscription_id)
        problem = url_problem(command.url)
        if problem is not None:
            raise Invalid(problem, url=command.url)
        unknown = sorted(set(command.event_types) - set(DELIVERABLE))
        if unknown:
            raise Invalid("subscription.unknown_event_types", event_types=", ".join(unknown),
                          known=", ".join(DELIVERABLE))
        provinces = command.provinces or [token_province]
        foreign = sorted(set(provinces) - {token_province})
        if foreign:
            raise Invalid("subscription.foreign_province", provinces=", ".join(foreign), province=token_province)
        self.record(SubscriptionCreated(
            subscription_id=self.subscription_id, subscriber=subscriber, subscriber_name=subscriber_name,
            url=command.url, event_types=list(dict.fromkeys(command.event_types)),
            provinces=list(dict.fromkeys(provinces))))

    def check_owner(self, subscriber: str | None) -> None:
        """Only its subscriber (or an admin of the province, ``subscriber`` None) sees or changes it; to anyone
        else it does not exist."""
        if not self.exists or (subscriber is not None and subscriber != self.subscriber):
            raise NotFound("subscription.not_found", subscription_id=self.subscription_id)

    def _live(self) -> None:
        if self.status == "revoked":
            raise Conflict("subscription.revoked", subscription_id=self.subscription_id)

    def revoke(self) -> None:
        self._live()
        assert self.created is not None  # a live subscription was created
        self.record(SubscriptionRevoked(**self.created.model_dump()))

    def pause(self) -> None:
        self._live()
        if self.status == "paused":
            raise Conflict("subscription.already_paused", subscription_id=self.subscription_id)
        self.record(SubscriptionPaused(subscription_id=self.subscription_id))

    def resume(self) -> None:
        self._live()
        if self.status != "paused":
            raise Conflict("subscription.not_paused", subscription_id=self.subscription_id)
        self.record(SubscriptionResumed(subscription_id=self.subscription_id))

    def redeliver(self, from_position: int, deliveries: int) -> None:
        """Record the request; ``deliveries`` is how many the queue took back (none: nothing to send again)."""
        self._live()
        if deliveries == 0:
            raise Invalid("subscription.nothing_to_redeliver", subscription_id=self.subscription_id,
                          from_position=from_position)
        self.record(RedeliveryRequested(subscription_id=self.subscription_id, from_position=from_position,
                                        deliveries=deliveries))
