"""The accounts' password hashes on the command's connection, and reads of the accounts read model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from registry.adapters.tables import account_credentials, accounts, blocs, units


class SqlCredentials:
    """The application's :class:`~registry.application.unit_of_work.Credentials`, in the command's transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def hash_of(self, username: str) -> str | None:
        found = await self._connection.scalar(select(account_credentials.c.password_hash).where(
            account_credentials.c.province == self._province, account_credentials.c.username == username))
        return None if found is None else str(found)

    async def keep(self, username: str, password_hash: str) -> None:
        changed_at = datetime.now(UTC).isoformat()
        changed = await self._connection.execute(update(account_credentials).where(
            account_credentials.c.province == self._province, account_credentials.c.username == username,
        ).values(password_hash=password_hash, changed_at=changed_at))
        if not changed.rowcount:
            await self._connection.execute(account_credentials.insert().values(
                province=self._province, username=username, password_hash=password_hash, changed_at=changed_at))


def _with_names() -> Any:
    """The accounts with the names of their unit and bloc (when they have one)."""
    return (select(accounts.c.username, accounts.c.full_name, accounts.c.role, accounts.c.unit_id,
                   accounts.c.bloc_id, accounts.c.locked, accounts.c.disabled, accounts.c.failures,
                   accounts.c.created_at, accounts.c.last_signed_in_at,
                   units.c.name.label("unit_name"), blocs.c.name.label("bloc_name"))
            .select_from(accounts
                         .outerjoin(units, (units.c.province == accounts.c.province)
                                    & (units.c.unit_id == accounts.c.unit_id))
                         .outerjoin(blocs, (blocs.c.province == accounts.c.province)
                                    & (blocs.c.bloc_id == accounts.c.bloc_id))))


async def list_accounts(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    rows = await connection.execute(_with_names().where(accounts.c.province == province)
                                    .order_by(accounts.c.username))
    return [dict(row._mapping) for row in rows]


async def get_account(connection: AsyncConnection, province: str, username: str) -> dict[str, Any] | None:
    row = (await connection.execute(_with_names().where(accounts.c.province == province,
                                                        accounts.c.username == username))).first()
    return None if row is None else dict(row._mapping)
