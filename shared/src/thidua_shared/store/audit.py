"""The auditor's check of a whole log: the hash chain, every row's columns against its body, and that
nothing was cut from its end."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.hashing import COLUMNS, ChainBreak, ChainWalk
from thidua_shared.store.tables import events, log_head


async def verify_log(engine: AsyncEngine, progress: Callable[[int], None] | None = None,
                     since: tuple[int, str] | None = None) -> tuple[int, list[ChainBreak]]:
    """Every event checked against its hash, its predecessor and its row's columns, and the last one
    against the log head (which an append always moves in the same transaction), row by row as the database
    streams them (constant memory). The events read and the breaks, in order of position.

    ``since`` (a position and its hash, e.g. a signed checkpoint's) checks only the events after it."""
    checked = 0
    walk = ChainWalk(*(since[1], since[0])) if since is not None else ChainWalk()
    async with engine.connect() as connection:
        head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).first()
        result = await connection.stream(
            select(events.c.position, events.c.body, events.c.hash, *(events.c[name] for name in COLUMNS))
            .where(events.c.position > (since[0] if since is not None else -1))
            .order_by(events.c.position))
        async for position, body, hash_, *columns in result:
            walk.feed((int(position), body.encode(), str(hash_), dict(zip(COLUMNS, columns, strict=True))))
            checked += 1
            if progress is not None and checked % 10_000 == 0:
                progress(checked)
    breaks = walk.sorted_breaks()
    last_position, last_hash = walk.last_position, walk.last_hash
    if head is not None and int(head[0]) != last_position:
        breaks.append(ChainBreak(int(head[0]), f"truncated: the log head names position {head[0]}, "
                                               f"the last event is at {last_position}"))
    elif head is not None and str(head[1]) != last_hash:
        breaks.append(ChainBreak(last_position, "altered: body and hash rewritten, the log head names "
                                                "another hash"))
    return checked, breaks
