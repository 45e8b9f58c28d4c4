"""Named locks for the rules that read more than the stream a command writes.

A rule that decides on a read model (a unit's other blocs, the ballots of a vote, a quota's count)
is only safe if no other command can change what it read before it commits. Such a command takes
the lock of every name it reads under, first thing in its transaction; the lock is held until the
transaction ends, so two commands under one name run one after the other.

The lock is a row of ``command_locks`` (name, times taken), written with an upsert: on PostgreSQL the
row lock waits for the other transaction; on SQLite every transaction is ``BEGIN IMMEDIATE`` (see
:mod:`thidua_shared.store.db`), and the write makes it take the write lock even on a deferred one.
Each service that takes locks creates the table in one of its own migrations.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

command_locks = Table(
    "command_locks", MetaData(),
    Column("name", String(300), primary_key=True),
    Column("taken", Integer, nullable=False),
)


async def take_locks(connection: AsyncConnection, names: Iterable[str]) -> None:
    """Hold the locks of ``names`` until the transaction ends, taken in sorted order (no deadlock
    between two commands that share several names)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for name in sorted(set(names)):
        await connection.execute(
            dialect.insert(command_locks).values(name=name, taken=1).on_conflict_do_update(
                index_elements=["name"], set_={"taken": command_locks.c.taken + 1}))
