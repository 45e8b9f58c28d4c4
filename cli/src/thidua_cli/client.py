"""A small HTTP client of the services' APIs, with errors shown as the service words them."""

from __future__ import annotations

from typing import Any

import httpx


class ServiceError(Exception):
    def __init__(self, status: int, body: Any) -> None:
        message = body.get("message") if isinstance(body, dict) else str(body)
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.body = body


class Api:
    def __init__(self, base_url: str, token: str, language: str = "vi") -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url, timeout=30,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None,
                   params: dict[str, Any] | None = None) -> Any:
        answer = await self._client.request(method, path, json=body, params=params)
        payload = answer.json() if answer.content else None
        if answer.status_code >= 400:
            raise ServiceError(answer.status_code, payload)
        return payload

    async def download(self, path: str, **params: Any) -> bytes:
        answer = await self._client.get(path, params=params)
        if answer.status_code >= 400:
            raise ServiceError(answer.status_code, answer.json() if answer.content else None)
        return answer.content

    async def upload(self, path: str, content: bytes, content_type: str, **params: Any) -> Any:
        answer = await self._client.post(path, content=content, headers={"Content-Type": content_type},
                                         params=params or None)
        payload = answer.json() if answer.content else None
        if answer.status_code >= 400:
            raise ServiceError(answer.status_code, payload)
        return payload

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        return await self.call("POST", path, body)

    async def get(self, path: str, **params: Any) -> Any:
        return await self.call("GET", path, params=params or None)
