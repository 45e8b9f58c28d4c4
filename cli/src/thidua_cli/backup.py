"""``thidua backup``: a consistent copy of every database of an instance, and its checkpoint keys, into one folder
with a manifest.

SQLite: the online backup API copies each file in one step, inside one read transaction, so the copy is the
database as it stood at one instant while the services go on writing (WAL: readers never block writers).
PostgreSQL: ``pg_dump -Fc`` of each database, run on a snapshot exported by a transaction that also reads the
schema heads and the log's head, so that the manifest describes exactly what the dump holds.

A command the services acknowledged before the backup started is in it: a service answers only after its
transaction committed. Databases are copied one after another, so the services' copies stand at slightly
different instants; a restore rebuilds what each learnt from the others (see :mod:`thidua_cli.restore`).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from thidua_cli.backup_manifest import KEYS, DatabaseCopy, LogHeadMark, Manifest, release, schema_and_log, sha256_of
from thidua_cli.instance import AUTH, DATABASES, Instance, is_sqlite, libpq, shown, sqlite_path
from thidua_shared.store.db import create_engine

Progress = Callable[[str, dict[str, object]], None]
"""Told of each step: a message key and its values (see :mod:`thidua_cli.backup_commands`)."""


class BackupFailed(Exception):
    """A database could not be copied; the message says which and why."""


def _copy_sqlite(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupFailed(f"{source}: no such database")
    origin = sqlite3.connect(source, timeout=60)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)  # every page in one step: one read transaction, one instant
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        origin.close()


async def _backup_sqlite(url: str, target: Path, has_log: bool) -> tuple[list[str], LogHeadMark | None]:
    await asyncio.to_thread(_copy_sqlite, sqlite_path(url), target)
    engine = create_engine(f"sqlite+aiosqlite:///{target}")
    try:
        async with engine.connect() as connection:
            return await schema_and_log(connection, has_log)
    finally:
        await engine.dispose()


async def _backup_postgres(url: str, target: Path, has_log: bool) -> tuple[list[str], LogHeadMark | None]:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                snapshot = str(await connection.scalar(text("SELECT pg_export_snapshot()")))
                marks = await schema_and_log(connection, has_log)
                address, env = libpq(url)
                dump = await asyncio.create_subprocess_exec(
                    "pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
                    f"--file={target}", f"--dbname={address}", env={**os.environ, **env},
                    stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
                _, errors = await dump.communicate()
                if dump.returncode != 0:
                    raise BackupFailed(f"pg_dump of {shown(url)}: {errors.decode(errors='replace').strip()}")
                return marks
    finally:
        await engine.dispose()


def _new_folder(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise BackupFailed(f"{folder}: not empty; a backup goes into a new folder")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)


async def take_backup(instance: Instance, folder: Path, progress: Progress | None = None) -> Manifest:
    """Copy every database of ``instance`` and its checkpoint keys into ``folder`` (new or empty), and write the
    manifest last: a folder without ``manifest.json`` is an unfinished backup. The folder is readable by its
    owner only (it holds the private keys and every token's hash)."""
    tell = progress or (lambda _key, _values: None)
    await asyncio.to_thread(_new_folder, folder)
    taken_at = datetime.now(UTC)
    copies = []
    for name in DATABASES:
        url = instance.urls[name]
        sqlite = is_sqlite(url)
        target = folder / (f"{name}.db" if sqlite else f"{name}.dump")
        tell("copying", {"name": name})
        backup = _backup_sqlite if sqlite else _backup_postgres
        heads, head = await backup(url, target, name != AUTH)
        os.chmod(target, 0o600)
        copy = DatabaseCopy(name=name, backend="sqlite" if sqlite else "postgresql", file=target.name,
                            sha256=await asyncio.to_thread(sha256_of, target), bytes=target.stat().st_size,
                            alembic_heads=heads, log_head=head)
        copies.append(copy)
        tell("copied", {"name": name, "bytes": copy.bytes,
                        "events": head.events if head else None, "position": head.position if head else None})
    keys = []
    (folder / KEYS).mkdir(mode=0o700)
    for key in instance.key_files():
        if key.exists():
            shutil.copyfile(key, folder / KEYS / key.name)
            os.chmod(folder / KEYS / key.name, 0o600)
            keys.append(key.name)
        else:
            tell("no_key", {"path": str(key)})
    manifest = Manifest(taken_at=taken_at, release=release(), databases=copies, keys=keys)
    manifest.write(folder)
    return manifest
