"""Tokens: stored hashed, refused when unknown or revoked, scoped to what they name."""

from __future__ import annotations

from pathlib import Path

import pytest

from thidua_shared.auth import TokenStore, hash_token, tokens
from thidua_shared.errors import Unauthorized
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine


async def test_a_token_is_stored_only_as_its_hash_and_refused_once_revoked(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}")
    await migrate.upgrade(engine, [migrate.AUTH_VERSIONS])
    store = TokenStore(engine, cache_seconds=0)
    issued = await store.issue("HNM", "unit_officer", "officer", unit_id="ubkt")
    async with engine.connect() as connection:
        stored = (await connection.execute(tokens.select())).one()
    assert stored.token_hash == hash_token(issued.token)
    assert issued.token not in tuple(str(value) for value in stored)

    assert (await store.authenticate(issued.token)).unit_id == "ubkt"
    assert await store.revoke(issued.principal.token_id)
    with pytest.raises(Unauthorized):
        await store.authenticate(issued.token)
    await engine.dispose()


async def test_guessed_tokens_are_not_remembered(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}")
    await migrate.upgrade(engine, [migrate.AUTH_VERSIONS])
    store = TokenStore(engine, cache_size=4)
    for guess in range(50):
        with pytest.raises(Unauthorized):
            await store.authenticate(f"thd_guess{guess}")
    for _ in range(6):
        await store.authenticate((await store.issue("HNM", "auditor", "a")).token)
    assert len(store._cache) == 4
    await engine.dispose()


async def test_the_tokens_of_a_label_are_revoked_together_in_their_province_only(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}")
    await migrate.upgrade(engine, [migrate.AUTH_VERSIONS])
    store = TokenStore(engine, cache_seconds=60)
    sessions = [await store.issue("HNM", "auditor", "account:lua.dt") for _ in range(2)]
    elsewhere = await store.issue("NBH", "auditor", "account:lua.dt")
    other = await store.issue("HNM", "auditor", "account:hoa.nt")
    for issued in (*sessions, elsewhere, other):
        await store.authenticate(issued.token)
    assert await store.revoke_label("HNM", "account:lua.dt") == 2
    for issued in sessions:
        with pytest.raises(Unauthorized):
            await store.authenticate(issued.token)
    assert (await store.authenticate(elsewhere.token)).province == "NBH"
    assert (await store.authenticate(other.token)).label == "account:hoa.nt"
    assert await store.revoke_label("HNM", "account:lua.dt") == 0
    await engine.dispose()
