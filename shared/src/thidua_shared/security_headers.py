"""Security headers on every HTTP answer of a service or the console, whatever proxy stands in front.

The TLS proxy (deploy/caddy) sets them as well; an answer reached directly on the internal network carries them
all the same. ``Strict-Transport-Security`` is sent only on an answer that went out over HTTPS.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
"""The services answer JSON and files, and their own API documentation (Swagger UI starts with an inline script)."""
PAGES_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
"""The console: its own scripts and styles only, no inline code, forms posted to itself."""

COMMON: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Plain ASGI middleware (no task per request) adding :data:`COMMON`, a Content-Security-Policy and, when
    nothing else said how to cache, ``Cache-Control: no-store`` (answers name people and their units)."""

    def __init__(self, app: ASGIApp, policy: str = API_POLICY) -> None:
        self._app = app
        self._policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", self._policy)
                headers.setdefault("Cache-Control", "no-store")
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self._app(scope, receive, send_with_headers)
