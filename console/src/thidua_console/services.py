"""The four services as the console reaches them: over their HTTP APIs, with the signed-in person's token.

A refusal (4xx) comes back as :class:`Refused` carrying the service's own message, in the person's language,
so the page can show it as it is, next to the field it names when it names one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import structlog

from thidua_shared.http import CORRELATION_HEADER
from thidua_shared.idempotency import IDEMPOTENCY_HEADER

log = structlog.get_logger(__name__)
SERVICES = ("registry", "scoring", "awards", "notifications")
FIELD_PROBLEM = re.compile(r"^([A-Za-z_][\w.]*): (.+)$")


class Refused(Exception):
    """A service said no: its status, its message as it worded it, and each field's own problem."""

    def __init__(self, status: int, message: str, code: str = "", details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.details = dict(details or {})

    @property
    def fields(self) -> dict[str, str]:
        """``{field: problem}`` for a request the service found invalid (its 422 names each field)."""
        found: dict[str, str] = {}
        for part in str(self.details.get("details", "")).split("; "):
            matched = FIELD_PROBLEM.match(part.strip())
            if matched:
                found.setdefault(matched.group(1).split(".")[-1], matched.group(2))
        field = self.details.get("field")
        if isinstance(field, str):
            found.setdefault(field, self.message)
        return found


class SessionEnded(Exception):
    """The person's token was refused (signed out elsewhere, the account disabled): they sign in again."""


class Unreachable(Exception):
    """A service did not answer (or answered 5xx): nothing the person did is lost, they may try again."""


class Services:
    """One person's calls, in one language, to the services of one province."""

    def __init__(self, urls: Mapping[str, str], client: httpx.AsyncClient, province: str, token: str | None,
                 language: str, correlation_id: str) -> None:
        self._urls = urls
        self._client = client
        self.province = province
        self._headers = {"Accept-Language": language, CORRELATION_HEADER: correlation_id}
        self._signed_in = bool(token)
        if token:
            self._headers["Authorization"] = f"Bearer {token}"

    def _url(self, service: str, path: str) -> str:
        return f"{self._urls[service]}/provinces/{self.province}{path}"

    async def send(self, method: str, service: str, path: str, **options: Any) -> httpx.Response:
        headers = {**self._headers, **options.pop("headers", {})}
        if method != "GET":
            headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())
        try:
            answer = await self._client.request(method, self._url(service, path), headers=headers, **options)
        except httpx.HTTPError as error:
            log.warning("console.service_unreachable", service=service, error=str(error) or type(error).__name__)
            raise Unreachable(service) from error
        if answer.status_code >= 500:
            log.warning("console.service_failed", service=service, status=answer.status_code, path=path)
            raise Unreachable(service)
        if answer.status_code == 401 and self._signed_in:
            raise SessionEnded()
        if answer.status_code >= 400:
            try:
                body = answer.json()
            except ValueError:
                body = {"message": answer.text}
            if not isinstance(body, dict):
                body = {"message": str(body)}
            raise Refused(answer.status_code, str(body.get("message") or answer.reason_phrase),
                          str(body.get("error") or ""), body.get("details") or {})
        return answer

    async def get(self, service: str, path: str, **params: Any) -> Any:
        answer = await self.send("GET", service, path,
                                 params={key: value for key, value in params.items() if value is not None})
        return answer.json()

    async def post(self, service: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        answer = await self.send("POST", service, path, json=dict(body or {}))
        return answer.json() if answer.content else None

    async def put(self, service: str, path: str, body: Mapping[str, Any]) -> Any:
        answer = await self.send("PUT", service, path, json=dict(body))
        return answer.json() if answer.content else None

    async def delete(self, service: str, path: str) -> None:
        await self.send("DELETE", service, path)

    async def upload(self, service: str, path: str, content: bytes, content_type: str, filename: str = "",
                     **params: Any) -> Any:
        """Send a file as the request's body (its name, UTF-8, in ``X-Filename``)."""
        headers: dict[str, Any] = {"Content-Type": content_type}
        if filename:
            headers["X-Filename"] = filename.encode("utf-8")
        answer = await self.send("POST", service, path, content=content, params=params or None, headers=headers)
        return answer.json() if answer.content else None

    async def download(self, service: str, path: str, **params: Any) -> httpx.Response:
        return await self.send("GET", service, path, params=params or None)
