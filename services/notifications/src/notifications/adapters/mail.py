"""E-mails about an event: one per recipient, worded from the directory in the recipient's language.

A mail's ``notification_id`` is derived from the event and the address, and its ``Message-ID`` from that id:
asked again about the same event (a retry, a duplicate delivery of the event), the same mails come out, so a
receiver (or its mail server) can tell a mail sent again from a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.templates import render
from notifications.adapters.wording import facts_about
from notifications.domain.model import Message, notification_id
from notifications.domain.recipients import Language, NotificationSettings, recipients
from thidua_contracts import EventPayload
from thidua_shared.store import StoredEvent


@dataclass(frozen=True)
class OutgoingMail:
    notification_id: str
    about_event_id: str
    template: str
    to_address: str
    to_name: str
    language: Language
    subject: str
    text: str
    html: str
    message_id: str


def message_id(notification: str, province: str) -> str:
    return f"<{notification}@thidua.{province.lower()}>"


async def mails_about(connection: AsyncConnection, event: StoredEvent, payload: EventPayload,
                      settings: NotificationSettings) -> list[OutgoingMail]:
    """The mails ``payload`` calls for, one per recipient that the settings' audiences reach; none for an
    event nobody is told about."""
    facts = await facts_about(connection, event, payload)
    if facts is None:
        return []
    mails = []
    for recipient in recipients(facts.kind, facts.concerned, settings):
        rendered = render(facts.kind, recipient.language, facts.words[recipient.language])
        notification = notification_id(event.event_id, "email", recipient.address)
        mails.append(OutgoingMail(
            notification_id=notification, about_event_id=event.event_id, template=facts.kind,
            to_address=recipient.address, to_name=recipient.name, language=recipient.language,
            subject=rendered.subject, text=rendered.text, html=rendered.html,
            message_id=message_id(notification, event.province)))
    return mails


async def log_message(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> Message | None:
    """The log channel's record of a message about ``payload``: its one-sentence summary in both languages,
    addressed to the unit (or else the bloc) it concerns, by name; None for an event nobody is told about."""
    facts = await facts_about(connection, event, payload)
    if facts is None:
        return None
    texts: dict[str, str] = {language: render(facts.kind, language, words).summary
                             for language, words in facts.words.items()}
    vietnamese = facts.words["vi"]
    recipient = str(vietnamese.get("unit") or vietnamese.get("bloc") or vietnamese["province"])[:300]
    return Message(facts.kind, recipient, texts)
