"""Argon2id password hashes, by argon2-cffi (the reference implementation's bindings, kept by its authors), with
its default parameters; hashing and verifying run in a worker thread, as they are slow on purpose."""

from __future__ import annotations

import asyncio
import os

from argon2 import DEFAULT_MEMORY_COST, DEFAULT_PARALLELISM, DEFAULT_TIME_COST, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


def configured_hasher() -> PasswordHasher:
    """argon2-cffi's default cost, or the one ``THIDUA_ARGON2_TIME_COST``, ``_MEMORY_KIB`` and ``_PARALLELISM``
    set: a small machine may lower it, and the test suite does (its thousands of hashes are not secrets)."""
    def setting(name: str, default: int) -> int:
        return int(os.environ.get(f"THIDUA_ARGON2_{name}") or default)

    return PasswordHasher(time_cost=setting("TIME_COST", DEFAULT_TIME_COST),
                          memory_cost=setting("MEMORY_KIB", DEFAULT_MEMORY_COST),
                          parallelism=setting("PARALLELISM", DEFAULT_PARALLELISM))


class Argon2Passwords:
    """The application's :class:`~registry.application.unit_of_work.Passwords`."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or configured_hasher()
        self._decoy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.to_thread(self._matches, password_hash, password)

    async def spend_a_verification(self, password: str) -> None:
        if self._decoy is None:
            self._decoy = await self.hash("a decoy that no password is")
        await self.verify(self._decoy, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _matches(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
