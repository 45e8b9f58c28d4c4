"""What the plain ASGI middlewares (correlation id and access log, metrics, tracing) share."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Send


class AnswerStatus:
    """An ASGI ``send`` that notes the answer's status as it starts out, and adds ``headers`` to it. Until then
    the status is 500: what the caller gets when the app fails before it answers."""

    __slots__ = ("_headers", "_send", "status")

    def __init__(self, send: Send, headers: Mapping[str, str] | None = None) -> None:
        self._send = send
        self._headers = headers
        self.status = 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            if self._headers:
                MutableHeaders(scope=message).update(self._headers)
        await self._send(message)
