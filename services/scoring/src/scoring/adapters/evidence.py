"""Evidence files, content-addressed: a file is stored once under its SHA-256 and named ``sha256:<hex>``.

Files are not events (they can be large); assessments record their references, which the hash makes
tamper-evident: the stored bytes must still hash to the name an assessment recorded.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from scoring.adapters.tables import evidence_files
from thidua_shared.downloads import safe_filename

PREFIX = "sha256:"


async def store(connection: AsyncConnection, province: str, content: bytes, content_type: str,
                filename: str) -> dict[str, Any]:
    """Keep ``content`` (once, whoever uploads it again) in the caller's transaction; return its reference. The
    file name is kept without folders or control characters (see :func:`thidua_shared.downloads.safe_filename`)."""
    sha256 = hashlib.sha256(content).hexdigest()
    known = await connection.scalar(select(evidence_files.c.sha256).where(
        evidence_files.c.province == province, evidence_files.c.sha256 == sha256))
    if known is None:
        # Another upload of the same file may be under way: the first to commit keeps it, the others wait
        # for it and find it stored (the primary key, not the read above, decides).
        insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(evidence_files)
        added = await connection.execute(insert.values(
            province=province, sha256=sha256, content=content, size=len(content),
            content_type=content_type[:200], filename=safe_filename(filename, fallback="")[:300],
            uploaded_at=datetime.now(UTC).isoformat(),
        ).on_conflict_do_nothing(index_elements=["province", "sha256"]))
        known = None if added.rowcount == 1 else sha256
    return {"ref": PREFIX + sha256, "sha256": sha256, "size": len(content), "stored_before": known is not None}


async def fetch(engine: AsyncEngine, province: str, sha256: str) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(select(evidence_files).where(
            evidence_files.c.province == province, evidence_files.c.sha256 == sha256))).first()


class SqlMissingFiles:
    """The application's :class:`~scoring.application.unit_of_work.MissingFiles`: of the ``sha256:``
    references given, those the service does not hold, read in the command's own transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def __call__(self, refs: list[str]) -> list[str]:
        wanted = {ref.removeprefix(PREFIX) for ref in refs if ref.startswith(PREFIX)}
        if not wanted:
            return []
        held = set((await self._connection.execute(select(evidence_files.c.sha256).where(
            evidence_files.c.province == self._province, evidence_files.c.sha256.in_(wanted)))).scalars())
        return sorted(PREFIX + sha for sha in wanted - held)
