"""``thidua restore``: a backup (:mod:`thidua_cli.backup`) put back into an instance's databases, then checked and
made ready to serve.

1. Every file's checksum is checked against the manifest, and every target is checked empty (a database without
   tables, a key file absent or the same): nothing is written over unless ``force`` says so.
2. Each database is restored (SQLite: the online backup API; PostgreSQL: ``pg_restore`` into an existing database),
   and the key files are put back.
3. Each service's log is verified, event by event (the hash chain, every row against its body, the head), and its
   head must be the manifest's: the restored log is the one backed up, whole.
4. Each relay is told to publish its whole log again under a new epoch (a refill) at the next start, and the read
   models are rebuilt (``python -m <service> replay``, which also brings the schema to this release's; with
   ``resubscribe``, what a service learnt from the others is forgotten too and read again from their topics).

Events a broker still holds that are newer than the backup must not reach the restored services: delete the
instance's topics before starting them (see ``deploy/README.md, "Backups and restores"``).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from thidua_cli.backup_manifest import KEYS, DatabaseCopy, Manifest, sha256_of
from thidua_cli.instance import AUTH, Instance, is_sqlite, libpq, shown, sqlite_path
from thidua_cli.system import SERVICES, SUBSCRIBERS
from thidua_shared.outbox import request_refill
from thidua_shared.store import migrate
from thidua_shared.store.audit import verify_log
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import log_head

Progress = Callable[[str, dict[str, object]], None]


class RestoreRefused(Exception):
    """The backup cannot be restored as asked (a target holds data, a file is damaged): nothing was written."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key, values)
        self.key = key
        self.values = values


class RestoreFailed(RestoreRefused):
    """A step of the restore failed after writing began; the targets must be restored again (with ``force``)."""


@dataclass
class RestoredLog:
    service: str
    events: int
    position: int
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


async def _tables(url: str) -> int:
    """How many tables the database holds (0: an empty one, or an SQLite file not there yet)."""
    if is_sqlite(url) and not sqlite_path(url).exists():
        return 0
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return len(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def _check(folder: Path, manifest: Manifest, instance: Instance, force: bool, tell: Progress) -> None:
    for copy in manifest.databases:
        tell("checking", {"name": copy.name})
        path = folder / copy.file
        if not path.exists() or await asyncio.to_thread(sha256_of, path) != copy.sha256:
            raise RestoreRefused("damaged", file=str(path))
        backend = "sqlite" if is_sqlite(instance.urls[copy.name]) else "postgresql"
        if backend != copy.backend:
            raise RestoreRefused("backend", name=copy.name, backup=copy.backend, target=backend)
        try:
            tables = await _tables(instance.urls[copy.name])
        except (SQLAlchemyError, OSError) as error:
            raise RestoreRefused("unreachable", name=copy.name, url=shown(instance.urls[copy.name]),
                                 error=str(error).splitlines()[0]) from error
        if tables and not force:
            raise RestoreRefused("not_empty", name=copy.name, url=shown(instance.urls[copy.name]), tables=tables)
    for name in manifest.keys:
        kept, present = folder / KEYS / name, instance.data_dir / name
        if present.exists() and present.read_bytes() != kept.read_bytes() and not force:
            raise RestoreRefused("key_differs", path=str(present))


def _restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    finally:
        copy.close()
        origin.close()


async def _restore_postgres(source: Path, url: str, clean: bool) -> None:
    address, env = libpq(url)
    restore = await asyncio.create_subprocess_exec(
        "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
        *(["--clean", "--if-exists"] if clean else []), f"--dbname={address}", str(source),
        env={**os.environ, **env}, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, errors = await restore.communicate()
    if restore.returncode != 0:
        raise RestoreFailed("pg_restore", url=shown(url), error=errors.decode(errors="replace").strip())


async def _restore(folder: Path, copy: DatabaseCopy, url: str, force: bool) -> None:
    if copy.backend == "sqlite":
        await asyncio.to_thread(_restore_sqlite, folder / copy.file, sqlite_path(url))
    else:
        await _restore_postgres(folder / copy.file, url, force)


async def verify_restored(url: str, copy: DatabaseCopy) -> RestoredLog:
    """The restored log's chain, and its head against the manifest's."""
    engine = create_engine(url)
    try:
        checked, breaks = await verify_log(engine)
        async with engine.connect() as connection:
            head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).first()
    finally:
        await engine.dispose()
    position, last_hash = (int(head[0]), str(head[1])) if head is not None else (0, "")
    restored = RestoredLog(copy.name, checked, position, [f"{broken.position}: {broken.problem}" for broken in breaks])
    expected = copy.log_head
    if expected is not None and (expected.position, expected.events) != (position, checked):
        restored.problems.append(f"the backup's log ends at {expected.position} ({expected.events} events), "
                                 f"the restored one at {position} ({checked} events)")
    elif expected is not None and expected.position and expected.hash != last_hash:
        restored.problems.append(f"the head's hash is {last_hash}, the backup's {expected.hash}")
    return restored


async def _rebuild(instance: Instance, service: str, resubscribe: bool) -> int:
    """Rebuild ``service``'s read models in a process of its own; how many events it replayed."""
    env = {**os.environ, "THIDUA_DATABASE_URL": instance.urls[service], "THIDUA_AUTH_DATABASE_URL": instance.urls[AUTH],
           "THIDUA_DATA_DIR": str(instance.data_dir), "THIDUA_LOG_LEVEL": "WARNING"}
    replay = await asyncio.create_subprocess_exec(
        sys.executable, "-m", service, "replay", *(["--resubscribe"] if resubscribe else []), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, errors = await replay.communicate()
    if replay.returncode != 0:
        raise RestoreFailed("rebuild", name=service, error=errors.decode(errors="replace").strip()[-2000:])
    replayed = re.search(r"rebuilt from (\d+) events", out.decode())
    if replayed is None:
        raise RestoreFailed("rebuild", name=service, error=out.decode(errors="replace").strip()[-2000:])
    return int(replayed[1])


async def restore_backup(folder: Path, instance: Instance, force: bool = False, rebuild: bool = True,
                         resubscribe: bool = True, progress: Progress | None = None) -> list[RestoredLog]:
    """Restore the backup in ``folder`` into ``instance`` (see the module's docstring); the services must be
    stopped. The logs as verified; ``RestoreFailed`` if any is not the one backed up."""
    tell = progress or (lambda _key, _values: None)
    try:
        manifest = Manifest.read(folder)
    except FileNotFoundError as missing:
        raise RestoreRefused("no_manifest", folder=folder) from missing
    except ValueError as unreadable:  # pydantic's ValidationError is one
        raise RestoreRefused("bad_manifest", folder=folder, error=str(unreadable).splitlines()[0]) from unreadable
    tell("backup", {"taken_at": manifest.taken_at, "release": manifest.release})
    await _check(folder, manifest, instance, force, tell)
    for copy in manifest.databases:
        tell("restoring", {"name": copy.name})
        await _restore(folder, copy, instance.urls[copy.name], force)
    instance.data_dir.mkdir(parents=True, exist_ok=True)
    for name in manifest.keys:
        shutil.copyfile(folder / KEYS / name, instance.data_dir / name)
        os.chmod(instance.data_dir / name, 0o600)
    logs = []
    for copy in manifest.databases:
        if copy.log_head is None:
            continue
        restored = await verify_restored(instance.urls[copy.name], copy)
        tell("verified" if restored.intact else "broken", {"name": copy.name, "events": restored.events,
                                                           "position": restored.position,
                                                           "problems": "; ".join(restored.problems[:5])})
        logs.append(restored)
    if not all(log.intact for log in logs):
        raise RestoreFailed("not_intact", names=", ".join(log.service for log in logs if not log.intact))
    for log in logs:
        engine = create_engine(instance.urls[log.service])
        try:
            await request_refill(engine)
        finally:
            await engine.dispose()
    tell("refill", {})
    if rebuild:
        auth = create_engine(instance.urls[AUTH])
        try:  # once, before the services' replays would each try it at the same time
            await migrate.upgrade(auth, [migrate.AUTH_VERSIONS])
        finally:
            await auth.dispose()
        tell("rebuilding", {})
        again = {service: resubscribe and service in SUBSCRIBERS for service in SERVICES}
        counts = await asyncio.gather(*(_rebuild(instance, service, again[service]) for service in SERVICES))
        for service, events in zip(SERVICES, counts, strict=True):
            tell("rebuilt", {"name": service, "events": events, "again": again[service]})
    return logs
