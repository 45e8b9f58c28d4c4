"""Safe retries: a command sent with an ``Idempotency-Key`` header is recorded once, however often it is sent.

Every state-changing route under ``/provinces/{province}`` (a :class:`ProvinceRoute`) accepts the header.
The key, scoped to the caller's token and province, is kept in the service's store with the hash of the
request (method, path, query, media type and canonical body; an upload's bytes as they are) and, in the
same transaction as the events the command records, with its answer. Sent again:

- with the same request, the first answer comes back (header ``Idempotent-Replayed: true``), nothing is
  recorded again; a concurrent duplicate waits for the first to finish, then gets its answer;
- with another request, the answer is 422 ``idempotency.key_reused``.

A command that was refused recorded nothing and keeps no key: sending it again runs it again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, TypeVar
from urllib.parse import parse_qsl

import orjson
import structlog
from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_shared.errors import Conflict, Invalid
from thidua_shared.hashing import canonical
from thidua_shared.store.event_store import NewEvents, SqlEventStore, StoredEvent
from thidua_shared.store.idempotency import Fingerprint, KeptAnswer, KeyScope, claim, keep_answer, kept
from thidua_shared.unit_of_work import SqlUnitOfWork

log = structlog.get_logger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_FORM = re.compile(r"[!-~]{1,200}")
"""1 to 200 visible ASCII characters (no spaces), e.g. a UUID."""
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Answer = TypeVar("Answer", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """The key a request came with, its fingerprint, and the response to mark when it is answered again."""

    key: str
    fingerprint: Fingerprint
    status: int
    response: Response = field(compare=False)


_current: ContextVar[IdempotentRequest | None] = ContextVar("idempotent_request", default=None)


def fingerprint(method: str, path: str, query: str, content_type: str, body: bytes) -> Fingerprint:
    """The hash of what a request asks: the same JSON in another key order or Unicode form hashes the same."""
    media_type = content_type.split(";")[0].strip().lower()
    content = body
    if body and (media_type == "application/json" or media_type.endswith("+json")):
        try:
            content = orjson.dumps(_without_secrets(_nfc(orjson.loads(body))), option=orjson.OPT_SORT_KEYS)
        except orjson.JSONDecodeError:
            content = body
    request_hash = hashlib.sha256(canonical({
        "method": method.upper(), "path": path, "query": sorted(parse_qsl(query, keep_blank_values=True)),
        "media_type": media_type, "body": hashlib.sha256(content).hexdigest(),
    })).hexdigest()
    return Fingerprint(method.upper(), path, request_hash)


def _without_secrets(value: Any) -> Any:
    """A JSON body less its members named ``*password``: the key's fingerprint is kept in the store, and a hash
    of a password, even of a whole body, must not be (a fast hash can be tried against guesses). Two requests
    that differ only by a password are then the same request to their key."""
    if isinstance(value, dict):
        return {key: _without_secrets(item) for key, item in value.items() if not str(key).endswith("password")}
    return value


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    return value


async def idempotency_key(
    request: Request, response: Response,
    key: Annotated[str | None, Header(
        alias=IDEMPOTENCY_HEADER, examples=["5f0e7c1a-2b4d-4c55-9a0e-3d1f6b7a8c90"],
        json_schema_extra={"pattern": f"^{KEY_FORM.pattern}$", "minLength": 1, "maxLength": 200},
        description="Makes the command safe to retry: a key of your choosing (1 to 200 visible ASCII "
                    "characters, e.g. a new UUID per command). Sent again with the same request, the first "
                    "answer comes back and nothing is recorded twice; with another request it is refused (422).",
    )] = None,
) -> None:
    """Read the request's key (if any) for :func:`answer_once`; a malformed key is refused (422)."""
    if key is None:
        _current.set(None)
        return
    if not KEY_FORM.fullmatch(key):
        raise Invalid("idempotency.bad_key", length=len(key))
    route = request.scope.get("route")
    _current.set(IdempotentRequest(
        key, fingerprint(request.method, request.url.path, request.url.query,
                         request.headers.get("content-type", ""), await request.body()),
        getattr(route, "status_code", None) or 200, response))


class ProvinceRoute(APIRoute):
    """A route under ``/provinces/{province}``: when it changes state, it accepts an ``Idempotency-Key``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if STATE_CHANGING & set(options.get("methods") or ()):
            options["dependencies"] = [*(options.get("dependencies") or ()), Depends(idempotency_key)]
        super().__init__(path, endpoint, **options)


class CommandUnitOfWork(Protocol):
    """What a command's work gets: the unit of work's connection, log, record and commit."""

    @property
    def connection(self) -> AsyncConnection: ...

    @property
    def events(self) -> SqlEventStore: ...

    async def lock(self, *names: str) -> None: ...

    async def record(self, batch: NewEvents) -> list[StoredEvent]: ...

    async def record_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]: ...

    async def commit(self) -> None: ...


class _HeldCommit:
    """A unit of work whose commit, asked by the command's handler, waits until the answer is kept with it."""

    def __init__(self, inner: SqlUnitOfWork) -> None:
        self._inner = inner
        self.asked = False

    @property
    def connection(self) -> AsyncConnection:
        return self._inner.connection

    @property
    def events(self) -> SqlEventStore:
        return self._inner.events

    async def lock(self, *names: str) -> None:
        await self._inner.lock(*names)

    async def record(self, batch: NewEvents) -> list[StoredEvent]:
        return await self._inner.record(batch)

    async def record_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]:
        return await self._inner.record_many(batches)

    async def commit(self) -> None:
        self.asked = True


async def answer_once(unit_of_work: Callable[[], SqlUnitOfWork], province: str, principal: str,
                      work: Callable[[CommandUnitOfWork], Awaitable[Answer]], kind: type[Answer]) -> Answer:
    """Do a command's ``work`` in a new unit of work, once per idempotency key of the request (if it has one).

    The key is claimed first in the unit of work's transaction and its answer written last, so the key,
    the events and the read-model changes commit together or not at all.
    """
    request = _current.get()
    async with unit_of_work() as uow:
        if request is None:
            return await work(uow)
        scope = KeyScope(province, principal, request.key)
        kept = await claim(uow.connection, scope, request.fingerprint)
        if kept is not None:
            return _answered_before(kept, request, kind)
        held = _HeldCommit(uow)
        answer = await work(held)
        if held.asked:
            await keep_answer(uow.connection, scope, request.status, answer.model_dump_json(), uow.recorded)
            await uow.commit()
        return answer


async def answered_earlier(engine: AsyncEngine, province: str, principal: str, kind: type[Answer]) -> Answer | None:
    """The answer this request's key already got, read without a write transaction (None when it has none).

    For commands that are idempotent by their content and decide outside their write (the registry's
    import): they look here first, record as usual, then :func:`remember` their answer."""
    request = _current.get()
    if request is None:
        return None
    async with engine.connect() as connection:
        earlier = await kept(connection, KeyScope(province, principal, request.key))
    return None if earlier is None or earlier.answer is None else _answered_before(earlier, request, kind)


async def remember(engine: AsyncEngine, province: str, principal: str, answer: BaseModel,
                   recorded: Sequence[StoredEvent]) -> None:
    """Keep ``answer`` under this request's key, unless an identical request kept its own first."""
    request = _current.get()
    if request is None:
        return
    scope = KeyScope(province, principal, request.key)
    async with engine.begin() as connection:
        if await claim(connection, scope, request.fingerprint) is None:
            await keep_answer(connection, scope, request.status, answer.model_dump_json(), recorded)


def _answered_before(kept: KeptAnswer, request: IdempotentRequest, kind: type[Answer]) -> Answer:
    if kept.fingerprint.request_hash != request.fingerprint.request_hash:
        raise Invalid("idempotency.key_reused", key=request.key, method=kept.fingerprint.method,
                      path=kept.fingerprint.path)
    if kept.answer is None:
        raise Conflict("idempotency.in_progress", key=request.key)
    log.info("command.replayed", key=request.key, status=kept.status)
    request.response.headers[REPLAYED_HEADER] = "true"
    return kind.model_validate_json(kept.answer)
