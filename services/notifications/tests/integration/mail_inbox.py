"""A real SMTP server on loopback (aiosmtpd, in a thread of its own) that keeps what it receives, parsed; it can
be told to refuse mails with a reply of one's choice, or be stopped and started again on the same port.

``from mail_inbox import inbox_fixture  # noqa: F401`` gives a test module the ``inbox`` fixture."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller

from notifications.adapters.smtp import SmtpSettings


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def body(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        return cast(str, cast(EmailMessage, part).get_content())


class Inbox:
    """What the server received, in order; ``refuse_with`` (e.g. ``"550 5.1.1 Mailbox unavailable"``) makes it
    refuse every mail's data with that reply."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse_with: str | None = None
        self._lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with is not None:
            return self.refuse_with
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self, **overrides: Any) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, sender="thidua@hanam.gov.vn", **overrides)

    async def wait_for(self, count: int, seconds: float = 10) -> list[Received]:
        """The first ``count`` mails received, once they have arrived (no blind sleeps)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while len(self.received) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{len(self.received)} mails arrived within {seconds} s, not {count}")
            await asyncio.sleep(0.05)
        return self.received[:count]


@contextmanager
def smtp_inbox() -> Iterator[Inbox]:
    inbox = Inbox()
    inbox.start()
    try:
        yield inbox
    finally:
        inbox.stop()


@pytest.fixture(name="inbox")
def inbox_fixture() -> Iterator[Inbox]:
    """The ``inbox`` fixture: an SMTP server on 127.0.0.1 (a port of its own) and what it received;
    ``inbox.settings()`` points :class:`~notifications.adapters.smtp.SmtpSettings` at it. A test module
    imports ``inbox_fixture`` to use it."""
    with smtp_inbox() as running:
        yield running
