"""A webhook receiver on loopback (uvicorn in this process) that keeps every request it gets, verifies each with
``standardwebhooks``, and answers as the test scripts it: fail the next N requests, hold a request until told.

``processed`` holds, per ``webhook-id``, how many deliveries it accepted (answered 2xx); ``requests`` every
request in the order it came, accepted or not."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from thidua_shared.broker import free_port
from thidua_shared.loopback import serve_on_loopback


@dataclass(frozen=True)
class Delivered:
    webhook_id: str
    headers: dict[str, str]
    body: bytes

    @property
    def envelope(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    secret: str | None = None
    fail_next: int = 0
    """How many of the next requests are answered 503."""
    hold: asyncio.Event | None = None
    """While set to an unset event, each request waits for it before being answered (``held`` is set)."""
    held: asyncio.Event = field(default_factory=asyncio.Event)
    requests: list[Delivered] = field(default_factory=list)
    accepted: list[Delivered] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def processed(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for delivered in self.accepted:
            counts[delivered.webhook_id] = counts.get(delivered.webhook_id, 0) + 1
        return counts

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        headers = {key: value for key, value in request.headers.items() if key.startswith("webhook-")}
        delivered = Delivered(headers.get("webhook-id", ""), headers, body)
        self.requests.append(delivered)
        if self.hold is not None:
            self.held.set()
            await self.hold.wait()
        if self.fail_next > 0:
            self.fail_next -= 1
            return Response(status_code=503)
        if self.secret is not None:
            try:
                Webhook(self.secret).verify(body, dict(request.headers))
            except Exception as error:
                self.unverified.append(f"{delivered.webhook_id}: {error}")
                return Response(status_code=401)
        self.accepted.append(delivered)
        return Response(status_code=204)

    async def wait_for(self, count: int, seconds: float = 30) -> list[Delivered]:
        """The first ``count`` accepted deliveries, once they have come."""
        deadline = asyncio.get_running_loop().time() + seconds
        while len(self.accepted) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{len(self.accepted)} deliveries accepted within {seconds} s, not {count}")
            await asyncio.sleep(0.05)
        return self.accepted[:count]


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[Receiver]:
    async with serve_on_loopback(Route("/hook", receiver._hook, methods=["POST"]), receiver.port):
        try:
            yield receiver
        finally:
            if receiver.hold is not None:
                receiver.hold.set()  # a delivery held open ends before the server stops
