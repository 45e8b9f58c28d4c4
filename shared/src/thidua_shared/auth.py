"""Bearer tokens: each maps to (province, role, unit, bloc); only their SHA-256 is stored.

Tokens live in an identity database of their own (``THIDUA_AUTH_DATABASE_URL``) that every service
reads and only ``thidua token`` writes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import Column, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.errors import Forbidden, Unauthorized

PersonRole = Literal["admin", "bloc_secretary", "unit_officer", "auditor", "subscriber"]
ROLES: tuple[str, ...] = get_args(PersonRole)
PROVINCE_CODE = re.compile(r"[A-Z]{2,8}")

metadata = MetaData()
tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("token_id", String(36), nullable=False, unique=True),
    Column("province", String(8), nullable=False),
    Column("role", String(30), nullable=False),
    Column("unit_id", String(100)),
    Column("bloc_id", String(100)),
    Column("label", String(200), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: str
    province: str
    role: str
    unit_id: str | None
    bloc_id: str | None
    label: str

    def require_province(self, province: str) -> None:
        if province != self.province:
            raise Forbidden("auth.wrong_province", token_province=self.province, province=province)

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden("auth.role_required", roles=", ".join(roles), role=self.role)

    def require_own_bloc(self, bloc_id: str | None) -> None:
        """A bloc secretary acts only for the bloc its token names; other roles are checked by role."""
        if self.role == "bloc_secretary" and (bloc_id is None or bloc_id != self.bloc_id):
            raise Forbidden("auth.own_bloc_only", bloc_id=self.bloc_id)

    def require_own_unit(self, unit_id: str) -> None:
        if self.role == "unit_officer" and self.unit_id != unit_id:
            raise Forbidden("auth.own_unit_only", unit_id=self.unit_id)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    principal: Principal


class TokenStore:
    """Issue, revoke and check tokens. A service remembers a valid token for ``cache_seconds`` (so a
    revoked token is refused within that time) in a cache of at most ``cache_size`` tokens; unknown
    tokens are not remembered, so guessing cannot fill the memory."""

    def __init__(self, engine: AsyncEngine, cache_seconds: float = 10.0, cache_size: int = 1024) -> None:
        self._engine = engine
        self._cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._cache_seconds = cache_seconds
        self._cache_size = cache_size

    async def issue(self, province: str, role: str, label: str, unit_id: str | None = None,
                    bloc_id: str | None = None) -> IssuedToken:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not PROVINCE_CODE.fullmatch(province):
            raise ValueError("a province code is 2 to 8 capital letters, e.g. HNM")
        if role == "bloc_secretary" and not bloc_id:
            raise ValueError("a bloc_secretary token names its bloc (--bloc)")
        if role == "unit_officer" and not unit_id:
            raise ValueError("a unit_officer token names its unit (--unit)")
        token = "thd_" + secrets.token_urlsafe(32)
        principal = Principal(str(uuid.uuid4()), province, role, unit_id, bloc_id, label)
        async with self._engine.begin() as connection:
            await connection.execute(tokens.insert().values(
                token_hash=hash_token(token), token_id=principal.token_id, province=province,
                role=role, unit_id=unit_id, bloc_id=bloc_id, label=label,
                created_at=datetime.now(UTC).isoformat(),
            ))
        return IssuedToken(token, principal)

    async def revoke(self, token_id: str) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(tokens).where(tokens.c.token_id == token_id, tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC).isoformat())
            )
        self._cache.clear()
        return bool(result.rowcount)

    async def revoke_label(self, province: str, label: str) -> int:
        """Revoke every token of the province issued under ``label`` (e.g. all the sessions of one person's
        account); the number revoked."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(tokens).where(tokens.c.province == province, tokens.c.label == label,
                                     tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC).isoformat())
            )
        self._cache.clear()
        return int(result.rowcount or 0)

    async def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise Unauthorized("auth.missing_token")
        key = hash_token(token)
        cached = self._cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < self._cache_seconds:
            return cached[1]
        principal = await self._lookup(key)
        if principal is None:
            self._cache.pop(key, None)
            raise Unauthorized("auth.bad_token")
        self._cache[key] = (time.monotonic(), principal)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal

    async def _lookup(self, key: str) -> Principal | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(
                select(tokens).where(tokens.c.token_hash == key, tokens.c.revoked_at.is_(None))
            )).first()
        if row is None:
            return None
        return Principal(row.token_id, row.province, row.role, row.unit_id, row.bloc_id, row.label)
