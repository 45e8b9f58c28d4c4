"""What every service's HTTP API shares: correlation ids, bearer auth, localised errors, health."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.exc import OperationalError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from thidua_contracts.envelope import Actor
from thidua_shared.asgi import AnswerStatus
from thidua_shared.auth import Principal, TokenStore
from thidua_shared.context import CommandContext
from thidua_shared.errors import NotFound, UserError
from thidua_shared.i18n import FIELD_PROBLEMS, Catalogue, Localized, pick_language, render
from thidua_shared.security_headers import SecurityHeaders
from thidua_shared.store.event_store import ConcurrencyConflict, StoredEvent

log = structlog.get_logger(__name__)
CORRELATION_HEADER = "X-Correlation-ID"
RETRY_AFTER_SECONDS = 5
"""What a refused caller is told to wait when the database is busy with another write."""
CORRELATION_FORM = re.compile(r"[A-Za-z0-9._:-]{1,64}")
"""A caller's correlation id is kept only in this form: it is written into the hashed log forever."""

Wording = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
"""A service's way to word the ids in a refusal's parameters as people call them (a unit's name for its id),
in a province: the message says names; the ``details`` keep the ids for programs."""


async def _as_is(_province: str, params: dict[str, Any]) -> dict[str, Any]:
    return params


bearer = HTTPBearer(auto_error=False, description="A token from 'thidua token issue'")


def correlation_id() -> str:
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return str(value) if value else str(uuid.uuid4())


def named(catalogue: Catalogue, language: str, problem: dict[str, Any]) -> dict[str, Any]:
    """A problem's parameters, those it ``names`` (``{param: code prefix}``) turned from comma-separated codes
    into the catalogue's words, e.g. ``honoured_by_vote`` into "honoured by its bloc's vote"."""
    params = dict(problem["params"])
    for param, prefix in problem.get("names", {}).items():
        items = str(params.get(param, "")).split(", ")
        params[param] = ", ".join(render(catalogue, f"{prefix}{item}", language, {}) if f"{prefix}{item}" in catalogue
                                  else item for item in items)
    return params


QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})
"""Probes and scrapes, asked every few seconds: their access lines are at debug level."""


class Correlate:
    """Each request's correlation id: the caller's ``X-Correlation-ID`` when well formed, else a new one; bound
    in the log context while the request runs and sent back with the answer. A plain ASGI middleware: the
    request runs in the server's own task (Starlette's ``BaseHTTPMiddleware`` ran each in a task of its own
    and cost about a tenth of a command's time).

    It also writes the access log, one ``http.request`` line per request with its correlation id (in place of
    uvicorn's, which knows none)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        given = Headers(scope=scope).get(CORRELATION_HEADER) or ""
        if not CORRELATION_FORM.fullmatch(given):
            given = str(uuid.uuid4())

        answer = AnswerStatus(send, {CORRELATION_HEADER: given})
        structlog.contextvars.bind_contextvars(correlation_id=given)
        started = time.perf_counter()
        try:
            await self._app(scope, receive, answer)
        finally:
            path = scope["path"]
            access = log.debug if path in QUIET_PATHS else log.info
            access("http.request", method=scope["method"], path=path, status=answer.status,
                   ms=round((time.perf_counter() - started) * 1000, 1),
                   client=scope["client"][0] if scope.get("client") else None)
            structlog.contextvars.unbind_contextvars("correlation_id")


def install_common(app: FastAPI, catalogue: Catalogue, wording: Wording = _as_is) -> None:
    """Correlation-id and security-header middleware, and error handlers that answer in the caller's language,
    naming what the refusal is about as people call it (``wording``)."""

    app.add_middleware(Correlate)
    app.add_middleware(SecurityHeaders)

    async def _worded(request: Request, params: dict[str, Any]) -> dict[str, Any]:
        province = request.path_params.get("province")
        if not province or not params:
            return params
        try:
            return await wording(str(province), params)
        except Exception:  # a refusal is answered even when the names cannot be read
            log.warning("refusal.unworded", exc_info=True)
            return params

    async def _answer(request: Request, status: int, code: str, params: dict[str, Any],
                      headers: dict[str, str] | None = None) -> JSONResponse:
        language = pick_language(request.headers.get("accept-language"))
        details = _plain({key: value for key, value in params.items() if key != "problems"}, language)
        if "problems" in params:
            # Each problem (a row of an import, a rule not met) in the caller's language; ``{reasons}`` in the
            # message joins them, so that the message itself says what to fix.
            details["problems"] = [
                {**_plain({key: value for key, value in problem.items() if key not in ("code", "params", "names")},
                          language),
                 "error": problem["code"],
                 "message": render(catalogue, problem["code"], language, named(
                     catalogue, language, {**problem, "params": await _worded(request, dict(problem["params"]))}))}
                for problem in params["problems"]
            ]
            params = {**params, "reasons": "; ".join(problem["message"] for problem in details["problems"])}
        message = render(catalogue, code, language, await _worded(request, params))
        log.info("request.refused", status=status, code=code, path=request.url.path)
        body = {"error": code, "message": message, "details": details}
        return JSONResponse(status_code=status, content=body,
                            headers={"Content-Language": language, **(headers or {})})

    @app.exception_handler(UserError)
    async def _user_error(request: Request, error: UserError) -> JSONResponse:
        return await _answer(request, error.status, error.code, error.params)

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(request: Request, error: ConcurrencyConflict) -> JSONResponse:
        return await _answer(request, 409, "store.conflict", {"stream_id": error.stream_id})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        language = pick_language(request.headers.get("accept-language"))
        malformed = [item for item in error.errors() if item.get("type") == "json_invalid"]
        if malformed:
            reason = _details(malformed, language)
            return await _answer(request, 422, "request.malformed", {"reason": reason})
        return await _answer(request, 422, "request.invalid", {"details": _details(error.errors(), language)})

    @app.exception_handler(ValidationError)
    async def _invalid_command(request: Request, error: ValidationError) -> JSONResponse:
        language = pick_language(request.headers.get("accept-language"))
        return await _answer(request, 422, "request.invalid", {"details": _details(error.errors(), language)})

    @app.exception_handler(StarletteHTTPException)
    async def _refused(request: Request, error: StarletteHTTPException) -> JSONResponse:
        """Refusals of the framework itself (no such route, a body it cannot parse) in the same body."""
        params: dict[str, Any] = {"path": request.url.path, "method": request.method,
                                  "status": error.status_code, "reason": str(error.detail)}
        code = {404: "route.not_found", 405: "route.method_not_allowed"}.get(error.status_code, "request.refused")
        if error.status_code == 400:
            code = "request.malformed"
        return await _answer(request, error.status_code, code, params, dict(error.headers or {}))

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, error: OperationalError) -> JSONResponse:
        """The database could not be reached in time (SQLite's busy timeout ran out behind a long write,
        PostgreSQL's connections are exhausted): nothing was recorded, so the caller may simply retry."""
        log.warning("store.busy", error=str(error.orig), path=request.url.path)
        return await _answer(request, 503, "store.busy", {"retry_after": RETRY_AFTER_SECONDS},
                       {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _details(errors: Sequence[Any], language: str) -> str:
    """Each field's problem in the caller's language, e.g. ``year: phải từ 2100 trở xuống``."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'] if part != 'body')}: {_problem(item, language)}"
        for item in errors
    )


def _problem(item: Any, language: str) -> str:
    texts = FIELD_PROBLEMS.get(str(item.get("type")))
    if texts is None:
        return str(item["msg"])
    try:
        return texts[language].format(**(item.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(item["msg"])


def _plain(params: dict[str, Any], language: str) -> dict[str, Any]:
    return {key: value if isinstance(value, (str, int, float, bool, type(None), list))
            else value.in_language(language) if isinstance(value, Localized) else str(value)
            for key, value in params.items()}


def principal_dependency(store: Callable[[], TokenStore],
                         served: Sequence[str]) -> Callable[..., Awaitable[Principal]]:
    """The caller of a route under ``/provinces/{province}``: a valid token of that province, which
    this service serves (404 otherwise, so a typo is not mistaken for an empty province)."""

    async def authenticate(
        province: str,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        principal = await store().authenticate(credentials.credentials if credentials else None)
        structlog.contextvars.bind_contextvars(actor=principal.token_id, role=principal.role)
        if province not in served:
            raise NotFound("province.unknown", province=province, served=", ".join(served))
        principal.require_province(province)
        return principal

    return authenticate


def actor_of(principal: Principal) -> Actor:
    return Actor.model_validate({"id": principal.token_id, "role": principal.role,
                                 "unit_id": principal.unit_id})


def recorded(stored: list[StoredEvent]) -> Recorded:
    """The answer to a command: what it recorded (and a log line saying so, with the correlation id)."""
    if stored:
        log.info("command.recorded", stream_id=stored[0].stream_id, events=[event.event_type for event in stored],
                 positions=[stored[0].position, stored[-1].position])
    return Recorded(
        stream_id=stored[0].stream_id if stored else None,
        version=stored[-1].stream_version if stored else None,
        correlation_id=correlation_id(),
        events=[RecordedEvent(event_id=event.event_id, event_type=event.event_type, position=event.position)
                for event in stored],
    )


def command_context(province: str, principal: Principal, *roles: str) -> CommandContext:
    """Who asks a command, checked for one of ``roles``, with the request's correlation id."""
    principal.require_role(*roles)
    return CommandContext(province, actor_of(principal), correlation_id())


class RequestBody(BaseModel):
    """What a client sends to a command route: the command's fields less those the path names, as strict as a
    command (unknown fields, NaN and coerced values refused). The route builds the command from both."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=True)


class RecordedEvent(BaseModel):
    event_id: str
    event_type: str
    position: int


class Recorded(BaseModel):
    """The answer to a command: the events it recorded, and the correlation id to follow them by."""

    stream_id: str | None
    version: int | None
    correlation_id: str
    events: list[RecordedEvent]


class ErrorBody(BaseModel):
    """Every refusal: a stable code, a message in the caller's language, and the values it names."""

    error: str
    message: str
    details: dict[str, Any]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "the body cannot be read: not UTF-8, or not what the content type says"),
        (401, "no token, or an unknown or revoked one"),
        (403, "the token's province or role does not allow it"),
        (404, "the province is not served here, or the thing named does not exist"),
        (409, "a rule of the domain, or someone else changed the same thing meanwhile"),
        (422, "the request is malformed: the message names the field to fix"),
        (503, "the database is busy with another write: retry after the seconds of Retry-After"),
    )
}
