"""What a backup holds, written beside its files (``manifest.json``): when it was taken, by which release, and of
each database its file, checksum, schema heads and, for a service, the head of its log (last position and hash)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_shared.store.tables import events, log_head

MANIFEST = "manifest.json"
KEYS = "keys"


class LogHeadMark(BaseModel):
    position: int
    hash: str
    events: int


class DatabaseCopy(BaseModel):
    name: str
    backend: Literal["sqlite", "postgresql"]
    file: str
    sha256: str
    bytes: int
    alembic_heads: list[str]
    log_head: LogHeadMark | None = None
    """The service's log as the copy holds it (none for the token database)."""


class Manifest(BaseModel):
    format: Literal[1] = 1
    taken_at: datetime
    release: str
    databases: list[DatabaseCopy]
    keys: list[str]
    """The instance's key files kept under ``keys/`` (checkpoint keys, the webhook key)."""

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        return cls.model_validate_json((folder / MANIFEST).read_text(encoding="utf-8"))


def release() -> str:
    try:
        return metadata.version("thidua")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


async def schema_and_log(connection: AsyncConnection, has_log: bool) -> tuple[list[str], LogHeadMark | None]:
    """The Alembic heads a database stands at, and its log's head (``has_log``), read in the caller's
    transaction, so that they describe the same state as a copy taken in it."""
    tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    heads: list[str] = []
    if "alembic_version" in tables:
        heads = sorted(str(row[0]) for row in await connection.execute(text("SELECT version_num FROM alembic_version")))
    if not has_log or "log_head" not in tables:
        return heads, None
    head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).first()
    count = int(await connection.scalar(select(text("count(*)")).select_from(events)) or 0)
    if head is None:
        return heads, LogHeadMark(position=0, hash="", events=count)
    return heads, LogHeadMark(position=int(head[0]), hash=str(head[1]), events=count)
