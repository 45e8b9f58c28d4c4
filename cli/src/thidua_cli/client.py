"""A small HTTP client of the services' APIs, with errors shown as the service words them.

Every command (POST, PUT, PATCH, DELETE) carries a fresh ``Idempotency-Key``. When the connection fails
or the service answers 5xx, the client sends the same request again, with the same key, a few times
with growing waits (stamina): a command that had committed before the answer was lost is answered
again by the service instead of being recorded twice.
"""

from __future__ import annotations

import sys
import uuid
from typing import Any

import httpx
import stamina
from stamina.instrumentation import RetryDetails, set_on_retry_hooks

from thidua_shared.idempotency import IDEMPOTENCY_HEADER, STATE_CHANGING

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The media type of an Excel workbook, as uploads name it."""

TRANSIENT = (httpx.NetworkError, httpx.TimeoutException, httpx.RemoteProtocolError)
"""Failures after which the service may well have received (and even done) what was asked."""
ATTEMPTS = 5
RETRY_FOR_SECONDS = 60.0


class ServiceError(Exception):
    def __init__(self, status: int, body: Any) -> None:
        message = body.get("message") if isinstance(body, dict) else str(body)
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.body = body


class Unreachable(ServiceError):
    """The service did not answer, however often it was tried."""

    def __init__(self, base_url: str, error: Exception, attempts: int) -> None:
        super().__init__(0, None)
        self.args = (f"{base_url} does not answer: {_reason(error)} (tried {attempts} times)",)


class Unavailable(Exception):
    """A 5xx answer: the service may come back, so the request is sent again (with the same key)."""

    def __init__(self, answer: httpx.Response) -> None:
        super().__init__(f"HTTP {answer.status_code}")
        self.answer = answer


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__


def _payload(answer: httpx.Response) -> Any:
    """The answer's JSON, or its text when something on the way (a proxy) answered in another form."""
    if not answer.content:
        return None
    try:
        return answer.json()
    except ValueError:
        return answer.text


def _tell_retry(details: RetryDetails) -> None:
    print(f"thidua: {_reason(details.caused_by)}; trying again in {details.wait_for:.1f} s "
          f"(attempt {details.retry_num + 1})", file=sys.stderr, flush=True)


set_on_retry_hooks([_tell_retry])


class Api:
    def __init__(self, base_url: str, token: str, language: str = "vi", attempts: int = ATTEMPTS) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url, timeout=30,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
        )
        self._attempts = attempts

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, method: str, path: str, idempotency_key: str | None = None,
                   **options: Any) -> httpx.Response:
        """Send a request, a command with its idempotency key (a new one unless given), and send it again on a
        transient failure or a 5xx."""
        headers = dict(options.pop("headers", None) or {})
        if method.upper() in STATE_CHANGING:
            headers[IDEMPOTENCY_HEADER] = idempotency_key or str(uuid.uuid4())
        try:
            async for attempt in stamina.retry_context(on=(*TRANSIENT, Unavailable), attempts=self._attempts,
                                                       timeout=RETRY_FOR_SECONDS, wait_initial=0.2, wait_max=4.0):
                with attempt:
                    answer = await self._client.request(method, path, headers=headers, **options)
                    if answer.status_code >= 500:
                        raise Unavailable(answer)
        except Unavailable as error:
            return error.answer
        except TRANSIENT as error:
            raise Unreachable(str(self._client.base_url), error, self._attempts) from error
        return answer

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None,
                   params: dict[str, Any] | None = None, idempotency_key: str | None = None) -> Any:
        answer = await self.send(method, path, idempotency_key, json=body, params=params)
        payload = _payload(answer)
        if answer.status_code >= 400:
            raise ServiceError(answer.status_code, payload)
        return payload

    async def download(self, path: str, **params: Any) -> bytes:
        answer = await self.send("GET", path, params=params)
        if answer.status_code >= 400:
            raise ServiceError(answer.status_code, _payload(answer))
        return answer.content

    async def upload(self, path: str, content: bytes, content_type: str, **params: Any) -> Any:
        answer = await self.send("POST", path, content=content, headers={"Content-Type": content_type},
                                 params=params or None)
        payload = _payload(answer)
        if answer.status_code >= 400:
            raise ServiceError(answer.status_code, payload)
        return payload

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        return await self.call("POST", path, body)

    async def get(self, path: str, **params: Any) -> Any:
        return await self.call("GET", path, params=params or None)
