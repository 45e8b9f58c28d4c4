"""What every service's HTTP API shares: correlation ids, bearer auth, localised errors, health."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import structlog
from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from thidua_shared.auth import Principal, TokenStore
from thidua_shared.envelope import Actor
from thidua_shared.errors import UserError
from thidua_shared.i18n import Catalogue, pick_language, render
from thidua_shared.store.event_store import ConcurrencyConflict, StoredEvent

log = structlog.get_logger(__name__)
CORRELATION_HEADER = "X-Correlation-ID"

bearer = HTTPBearer(auto_error=False, description="A token from 'thidua token issue'")


def correlation_id() -> str:
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return str(value) if value else str(uuid.uuid4())


def install_common(app: FastAPI, catalogue: Catalogue) -> None:
    """Correlation-id middleware and error handlers that answer in the caller's language."""

    @app.middleware("http")
    async def _correlate(request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
        structlog.contextvars.bind_contextvars(correlation_id=given)
        try:
            response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("correlation_id")
        response.headers[CORRELATION_HEADER] = given
        return response

    def _answer(request: Request, status: int, code: str, params: dict[str, Any]) -> JSONResponse:
        language = pick_language(request.headers.get("accept-language"))
        message = render(catalogue, code, language, params)
        log.info("request.refused", status=status, code=code, path=request.url.path)
        body = {"error": code, "message": message, "details": _plain(params)}
        return JSONResponse(status_code=status, content=body,
                            headers={"Content-Language": language})

    @app.exception_handler(UserError)
    async def _user_error(request: Request, error: UserError) -> JSONResponse:
        return _answer(request, error.status, error.code, error.params)

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(request: Request, error: ConcurrencyConflict) -> JSONResponse:
        return _answer(request, 409, "store.conflict", {"stream_id": error.stream_id})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'] if part != 'body')}: {item['msg']}"
            for item in error.errors()
        )
        return _answer(request, 422, "request.invalid", {"details": details})


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value if isinstance(value, (str, int, float, bool, type(None), list)) else str(value)
            for key, value in params.items()}


def principal_dependency(store: Callable[[], TokenStore]) -> Callable[..., Awaitable[Principal]]:
    async def authenticate(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        principal = await store().authenticate(credentials.credentials if credentials else None)
        structlog.contextvars.bind_contextvars(actor=principal.token_id, role=principal.role)
        return principal

    return authenticate


def actor_of(principal: Principal) -> Actor:
    return Actor.model_validate({"id": principal.token_id, "role": principal.role,
                                 "unit_id": principal.unit_id})


def recorded(stored: list[StoredEvent]) -> dict[str, Any]:
    """The answer to a command: what it recorded."""
    return {
        "stream_id": stored[0].stream_id if stored else None,
        "version": stored[-1].stream_version if stored else None,
        "correlation_id": correlation_id(),
        "events": [
            {"event_id": event.event_id, "event_type": event.event_type, "position": event.position}
            for event in stored
        ],
    }
