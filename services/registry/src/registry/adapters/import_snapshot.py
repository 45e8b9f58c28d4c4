"""The registry as an import reads it while deciding: many small reads, each its own short transaction.

On SQLite every transaction takes the write lock (see :func:`thidua_shared.store.db.create_engine`), so
the reads go by chunks of ``CHUNK`` names and let other writers in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from registry.adapters.tables import blocs, memberships
from thidua_contracts import EventPayload
from thidua_shared.store import StoredEvent
from thidua_shared.store.tables import events, log_head

CHUNK = 500


class SqlRegistrySnapshot:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def log_position(self) -> int:
        async with self._engine.connect() as connection:
            return int(await connection.scalar(select(log_head.c.last_position).where(log_head.c.id == 1)) or 0)

    async def histories(self, stream_ids: Sequence[str]) -> dict[str, list[EventPayload]]:
        found: dict[str, list[EventPayload]] = {stream_id: [] for stream_id in stream_ids}
        for start in range(0, len(stream_ids), CHUNK):
            async with self._engine.connect() as connection:
                rows = await connection.execute(
                    select(events.c.stream_id, events.c.body, events.c.hash)
                    .where(events.c.stream_id.in_(stream_ids[start:start + CHUNK]))
                    .order_by(events.c.stream_id, events.c.stream_version))
                for stream_id, body, hash_ in rows:
                    found[stream_id].append(StoredEvent.from_body(body, hash_).typed())
        return found

    async def current_blocs(self, province: str,
                            unit_ids: Sequence[str]) -> dict[str, list[tuple[str, str, date | None]]]:
        found: dict[str, list[tuple[str, str, date | None]]] = {}
        for start in range(0, len(unit_ids), CHUNK):
            async with self._engine.connect() as connection:
                rows = await connection.execute(
                    select(memberships.c.unit_id, memberships.c.bloc_id, blocs.c.kind, memberships.c.left_on)
                    .join(blocs, (blocs.c.province == memberships.c.province)
                          & (blocs.c.bloc_id == memberships.c.bloc_id))
                    .where(memberships.c.province == province,
                           memberships.c.unit_id.in_(unit_ids[start:start + CHUNK]))
                    .order_by(memberships.c.unit_id, memberships.c.bloc_id))
                for unit_id, bloc_id, kind, left_on in rows:
                    found.setdefault(str(unit_id), []).append((str(bloc_id), str(kind), left_on))
        return found
