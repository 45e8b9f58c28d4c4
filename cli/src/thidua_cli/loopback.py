"""Where the demo's notifications arrive, on this machine only: an SMTP server (aiosmtpd) and a webhook receiver
that verifies each delivery's Standard Webhooks signature. The demo prints what each received."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from typing import Any

import orjson
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from thidua_shared.broker import free_port
from thidua_shared.loopback import serve_on_loopback


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    message_id: str


class Mailbox:
    """An SMTP server on loopback that keeps the recipient, subject and Message-ID of every mail it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Mail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.received.extend(Mail(to, str(message["Subject"]), str(message["Message-ID"]))
                                 for to in envelope.rcpt_tos)
        return "250 OK"

    @property
    def settings(self) -> dict[str, str]:
        """The notifications service's environment that makes it send here."""
        return {"THIDUA_SMTP_HOST": "127.0.0.1", "THIDUA_SMTP_PORT": str(self.port),
                "THIDUA_SMTP_SENDER": "thiduakhenthuong@hanam.example.vn"}

    @contextlib.contextmanager
    def serving(self) -> Iterator[Mailbox]:
        controller = Controller(self, hostname="127.0.0.1", port=self.port)
        controller.start()
        try:
            yield self
        finally:
            controller.stop()


@dataclass(frozen=True)
class Hook:
    webhook_id: str
    event: dict[str, Any]
    verified: bool


@dataclass
class WebhookReceiver:
    """An HTTP endpoint on loopback that verifies and keeps every delivery; the secret comes when the demo
    subscribes it."""

    port: int = field(default_factory=free_port)
    secret: str | None = None
    received: list[Hook] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/thidua/webhook"

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        verified = False
        if self.secret is not None:
            with contextlib.suppress(WebhookVerificationError):
                Webhook(self.secret).verify(body, dict(request.headers))
                verified = True
        self.received.append(Hook(request.headers.get("webhook-id", ""), orjson.loads(body), verified))
        return Response(status_code=204 if verified else 401)

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[WebhookReceiver]:
        async with serve_on_loopback(Route("/thidua/webhook", self._receive, methods=["POST"]), self.port):
            yield self
