"""Rebuild a service's read models from the truth: its own log, and the topics it subscribes to.

Run it while the service is stopped (``python -m <service> replay``, or ``thidua replay SERVICE``).
Everything happens in one transaction: a replay that fails leaves the read models as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.envelope import Source
from thidua_shared.projection import Projection
from thidua_shared.store.event_store import SqlEventStore
from thidua_shared.store.tables import consumer_offsets, inbox, log_head

Progress = Callable[[int, int], None]


async def rebuild(engine: AsyncEngine, source: Source, projection: Projection, own_tables: Sequence[Table],
                  consumed_tables: Sequence[Table] = (), resubscribe: bool = False, page: int = 1000,
                  progress: Progress | None = None) -> int:
    """Empty the read models fed by the service's own events and apply its whole log again, in order.

    With ``resubscribe``, also empty the read models fed by other services' events and forget the
    consumers' inbox and offsets, so that the consumers read their topics again from the start when
    the service next runs. Returns the number of events replayed.
    """
    done = 0
    async with engine.begin() as connection:
        total = int(await connection.scalar(select(log_head.c.last_position)) or 0)
        for table in (*own_tables, *(consumed_tables if resubscribe else ())):
            await connection.execute(delete(table))
        if resubscribe:
            await connection.execute(delete(inbox))
            await connection.execute(delete(consumer_offsets))
        store = SqlEventStore(connection, source)
        after = 0
        while batch := await store.read_log(after, page):
            await projection.project(connection, batch)
            after = batch[-1].position
            done += len(batch)
            if progress is not None:
                progress(done, total)
    return done
