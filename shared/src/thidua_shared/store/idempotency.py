"""Idempotency keys kept in a service's store, beside the events their commands recorded.

A key belongs to one caller (a token) in one province. :func:`claim` is the first statement of the
command's transaction: it inserts the key, or finds it already kept. On PostgreSQL the insert of a key
that a concurrent, uncommitted transaction holds waits for that transaction, then finds its row (or,
if it rolled back, takes the key); on SQLite the whole transaction is serialised by ``BEGIN IMMEDIATE``.
Either way one request records and the other reads its answer: never two records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_shared.store.event_store import StoredEvent
from thidua_shared.store.tables import idempotency_keys


@dataclass(frozen=True, slots=True)
class KeyScope:
    """Whose key: the province and the caller's token id."""

    province: str
    principal: str
    key: str


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The request a key was first sent with: method, path and the hash of those and of its body."""

    method: str
    path: str
    request_hash: str


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    """What a key's first request was: its fingerprint, and the answer it got (JSON text) with its status."""

    fingerprint: Fingerprint
    status: int | None
    answer: str | None


async def claim(connection: AsyncConnection, scope: KeyScope, request: Fingerprint) -> KeptAnswer | None:
    """Take the key for this request in the connection's transaction; None when taken, else what it holds."""
    values = {"province": scope.province, "principal": scope.principal, "key": scope.key,
              "request_hash": request.request_hash, "method": request.method, "path": request.path,
              "recorded_at": datetime.now(UTC).isoformat()}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    taken = await connection.execute(
        dialect.insert(idempotency_keys).values(**values).on_conflict_do_nothing())
    if taken.rowcount == 1:
        return None
    row = (await connection.execute(select(idempotency_keys).where(
        idempotency_keys.c.province == scope.province, idempotency_keys.c.principal == scope.principal,
        idempotency_keys.c.key == scope.key))).one()
    return KeptAnswer(Fingerprint(row.method, row.path, row.request_hash), row.status, row.answer)


async def keep_answer(connection: AsyncConnection, scope: KeyScope, status: int, answer: str,
                      recorded: Sequence[StoredEvent]) -> None:
    """Write the answer and the positions recorded into the claimed key, before the transaction commits."""
    await connection.execute(update(idempotency_keys).where(
        idempotency_keys.c.province == scope.province, idempotency_keys.c.principal == scope.principal,
        idempotency_keys.c.key == scope.key,
    ).values(status=status, answer=answer,
             first_position=recorded[0].position if recorded else None,
             last_position=recorded[-1].position if recorded else None))


async def kept(connection: AsyncConnection, scope: KeyScope) -> KeptAnswer | None:
    """What the key holds, read without taking it (None when the key was never used)."""
    row = (await connection.execute(select(idempotency_keys).where(
        idempotency_keys.c.province == scope.province, idempotency_keys.c.principal == scope.principal,
        idempotency_keys.c.key == scope.key))).first()
    return None if row is None else KeptAnswer(Fingerprint(row.method, row.path, row.request_hash), row.status,
                                               row.answer)
