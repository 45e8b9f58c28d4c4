"""The accounts' password hashes on SQLite and PostgreSQL: kept and replaced in the command's transaction, so a
command that does not commit leaves no hash behind (and none without its event)."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.adapters.accounts import SqlCredentials
from registry.adapters.passwords import Argon2Passwords
from registry.bootstrap import SERVICE
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.testing import database_url_for

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_hash_is_kept_replaced_and_read_per_province(backend: str, tmp_path: Path) -> None:
    with database_url_for(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
            async with engine.begin() as connection:
                await SqlCredentials(connection, "HNM").keep("lua.dt", "first")
                await SqlCredentials(connection, "HNM").keep("lua.dt", "second")
                await SqlCredentials(connection, "NBH").keep("lua.dt", "elsewhere")
            async with engine.begin() as connection:
                await SqlCredentials(connection, "HNM").keep("lua.dt", "never committed")
                await connection.rollback()
            async with engine.connect() as connection:
                found = [await SqlCredentials(connection, province).hash_of("lua.dt") for province in ("HNM", "NBH")]
                nobody = await SqlCredentials(connection, "HNM").hash_of("nobody")
        finally:
            await engine.dispose()
    assert found == ["second", "elsewhere"]
    assert nobody is None


async def test_argon2_hashes_verify_only_their_password_and_say_when_to_be_made_again() -> None:
    passwords = Argon2Passwords()
    made = await passwords.hash("Hoa sen nở 2025")
    assert made.startswith("$argon2id$")
    assert await passwords.verify(made, "Hoa sen nở 2025")
    assert not await passwords.verify(made, "Hoa sen no 2025")
    assert not await passwords.verify("not a hash", "Hoa sen nở 2025")
    assert not passwords.needs_rehash(made)
    weaker = "$argon2id$v=19$m=8,t=1,p=1$" + made.rsplit("$", 2)[1] + "$" + made.rsplit("$", 1)[1]
    assert passwords.needs_rehash(weaker)
    await passwords.spend_a_verification("anything")
