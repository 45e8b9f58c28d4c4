"""Webhook deliveries as the Standard Webhooks specification says (the ``standardwebhooks`` package): a POST of
the event's envelope exactly as published on Kafka, with ``webhook-id`` (the notification's id: the same for
every retry and redelivery), ``webhook-timestamp`` and ``webhook-signature`` (HMAC-SHA256).

Each subscription's secret is derived from the instance's webhook key (a file of 32 random bytes, made on first
use: ``THIDUA_WEBHOOK_KEY_FILE``, by default ``<data dir>/notifications.webhook-key``) and the subscription's
province and id. No secret is ever an event (events are published); the subscriber is shown it once, when it
creates the subscription.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from standardwebhooks.webhooks import Webhook

from notifications.domain.model import Attempt

SECRET_PREFIX = "whsec_"


class WebhookKey:
    """The instance's key from which every subscription's secret is derived."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._key: bytes | None = None

    @classmethod
    def at(cls, data_dir: Path) -> WebhookKey:
        configured = os.environ.get("THIDUA_WEBHOOK_KEY_FILE")
        return cls(Path(configured) if configured else data_dir / "notifications.webhook-key")

    def _bytes(self) -> bytes:
        if self._key is None:
            if not self._path.exists():
                self._path.parent.mkdir(parents=True, exist_ok=True)
                fresh = secrets.token_bytes(32)
                descriptor = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as file:
                    file.write(fresh)
            self._key = self._path.read_bytes()
        return self._key

    def secret(self, province: str, subscription_id: str) -> str:
        """The subscription's secret, ``whsec_`` and base64 as the specification writes it."""
        derived = hmac.new(self._bytes(), f"webhook\n{province}\n{subscription_id}".encode(), hashlib.sha256)
        return SECRET_PREFIX + base64.b64encode(derived.digest()).decode()


def signed_headers(secret: str, webhook_id: str, body: bytes) -> dict[str, str]:
    timestamp = datetime.now(UTC)
    return {"webhook-id": webhook_id, "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": Webhook(secret).sign(webhook_id, timestamp, body),
            "content-type": "application/json"}


async def post(client: httpx.AsyncClient, url: str, secret: str, webhook_id: str, body: bytes) -> Attempt:
    """One attempt: delivered on a 2xx answer; anything else (another status, no answer) is to be retried."""
    started = time.perf_counter()
    try:
        answer = await client.post(url, content=body, headers=signed_headers(secret, webhook_id, body))
    except httpx.HTTPError as error:
        return Attempt(None, _since(started), f"{type(error).__name__}: {error}"[:500] or type(error).__name__)
    if 200 <= answer.status_code < 300:
        return Attempt(answer.status_code, _since(started))
    return Attempt(answer.status_code, _since(started), f"HTTP {answer.status_code} {answer.reason_phrase}".strip())


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
