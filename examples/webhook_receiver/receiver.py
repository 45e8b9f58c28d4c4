"""A reference receiver of thidua's webhooks.

thidua's notifications service delivers each event a subscription asked for as an HTTP POST following the
Standard Webhooks specification: the body is the event's envelope exactly as published on Kafka, and the
headers ``webhook-id`` (the same for every retry of one delivery), ``webhook-timestamp`` and
``webhook-signature`` (HMAC-SHA256 with the subscription's secret, shown once when it was created).

This receiver verifies each delivery with the ``standardwebhooks`` package, answers 400 to one without the
three headers and 401 to one whose signature or timestamp does not verify (tampered, signed with another
secret, or replayed long after), and 204 to the rest. A delivery whose ``webhook-id`` it already processed
(a retry after a lost answer, or after a crash of the sender) is acknowledged but not processed again: the
id is recorded in the same SQLite transaction as what the delivery changed.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from thidua_contracts.documentation import EVENT_DOCS

Language = Literal["vi", "en"]
HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


class Settings(BaseSettings):
    """From the environment, ``THIDUA_WEBHOOK_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_WEBHOOK_")

    secret: SecretStr
    """The subscription's secret (``whsec_…``), shown once when the subscription was created."""
    host: str = "127.0.0.1"
    port: int = 8080
    path: str = "/thidua/webhook"
    state: Path = Path("thidua-webhooks.sqlite3")
    language: Language = "vi"


def say(line: str) -> None:
    print(line, flush=True)


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def describe(event: dict[str, Any], webhook_id: str, language: Language) -> str:
    """One line a person reads: what happened (by its Vietnamese name), with a decision's number and date."""
    kind, payload = str(event.get("event_type")), event.get("payload") or {}
    doc = EVENT_DOCS.get(kind)
    what = f"«{doc.title_vi}»" if doc and language == "vi" else kind
    if isinstance(payload, dict) and "decision_no" in payload and "decided_on" in payload:
        number, day = payload["decision_no"], _day(payload["decided_on"])
        what += f" số {number} ngày {day}" if language == "vi" else f" no. {number} of {day}"
    return f"Đã nhận {what} (webhook-id {webhook_id})" if language == "vi" else \
        f"Received {what} (webhook-id {webhook_id})"


MESSAGES: dict[str, dict[Language, str]] = {
    "missing": {"vi": "Thiếu tiêu đề {names}", "en": "Missing header {names}"},
    "unverified": {"vi": "Chữ ký hoặc thời điểm gửi không hợp lệ", "en": "The signature or timestamp does not verify"},
    "not_event": {"vi": "Nội dung không phải sự kiện JSON", "en": "The body is not a JSON event"},
    "duplicate": {"vi": "Bỏ qua lần gửi lại: webhook-id {webhook_id}",
                  "en": "Skipped a delivery received before: webhook-id {webhook_id}"},
}


def create_app(settings: Settings, out: Callable[[str], None] = say) -> FastAPI:
    webhook = Webhook(settings.secret.get_secret_value())
    language = settings.language
    db = sqlite3.connect(settings.state, isolation_level=None)
    db.execute("CREATE TABLE IF NOT EXISTS deliveries (webhook_id TEXT PRIMARY KEY, event_id TEXT, body TEXT)")

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(title="thidua webhook receiver (example)", lifespan=lifespan)

    def refuse(status: int, key: str, **values: str) -> Response:
        return JSONResponse({"error": key, "message": MESSAGES[key][language].format(**values)}, status_code=status)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post(settings.path, status_code=204)
    async def receive(request: Request) -> Response:
        body = await request.body()
        missing = [name for name in HEADERS if not request.headers.get(name)]
        if missing:
            return refuse(400, "missing", names=", ".join(missing))
        try:
            webhook.verify(body, dict(request.headers), json_parse=False)
        except WebhookVerificationError:
            return refuse(401, "unverified")
        try:
            event = json.loads(body)
        except ValueError:
            return refuse(400, "not_event")
        if not isinstance(event, dict):
            return refuse(400, "not_event")
        webhook_id = request.headers["webhook-id"]
        db.execute("BEGIN IMMEDIATE")
        try:
            first = db.execute("INSERT OR IGNORE INTO deliveries (webhook_id, event_id, body) VALUES (?, ?, ?)",
                               (webhook_id, str(event.get("event_id")), body.decode())).rowcount
            # ... what the delivery changes in the receiver's own data goes here, in the same transaction
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        out(describe(event, webhook_id, language) if first else
            MESSAGES["duplicate"][language].format(webhook_id=webhook_id))
        return Response(status_code=204)

    return app
