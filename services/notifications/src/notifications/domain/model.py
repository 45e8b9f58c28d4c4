"""A notification: one message told, in a stream of its own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from thidua_contracts.notifications import NotificationSent
from thidua_shared.aggregate import Aggregate, applies


@dataclass(frozen=True)
class Message:
    """A message as the log channel records it: its kind, to whom (by name), its words by language."""

    template: str
    recipient: str
    text: dict[str, str]


def notification_stream(province: str, notification_id: str) -> str:
    return f"notification:{province}:{notification_id}"


class Notification(Aggregate):
    """One message sent, in a stream of its own (e-mail and webhooks will add its retries and failures)."""

    def __init__(self, province: str) -> None:
        self.notification_id = str(uuid.uuid4())
        super().__init__(notification_stream(province, self.notification_id), province)
        self.channel = ""

    @applies(NotificationSent)
    def _sent(self, event: NotificationSent) -> None:
        self.channel = event.channel

    def send(self, message: Message, about_event_id: str) -> None:
        """Record the message as delivered on the log channel (the only one there is yet)."""
        self.record(NotificationSent(notification_id=self.notification_id, channel="log",
                                     recipient=message.recipient, template=message.template,
                                     about_event_id=about_event_id, texts=message.text))
