"""The read model both replays build: per unit, its latest name and how many events it has.

The same tables, the same statements and the same batching on both sides: each page of events
is folded in memory, then written with one ``executemany`` upsert and one checkpoint update, in one
transaction.
"""

from __future__ import annotations

from typing import Any

PAGE_SIZE = 1000  # events per replay page: one read, one fold, one write transaction

DDL = (
    "CREATE TABLE IF NOT EXISTS bench_unit_names ("
    " unit_id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, events INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bench_replay_position ("
    " id INTEGER PRIMARY KEY, position BIGINT NOT NULL)",
)
RESET = ("DELETE FROM bench_unit_names", "DELETE FROM bench_replay_position")
SELECT_ALL = "SELECT unit_id, name, events FROM bench_unit_names"

_UPSERT = (
    "INSERT INTO bench_unit_names (unit_id, name, events) VALUES ({u}, {n}, {e}) "
    "ON CONFLICT (unit_id) DO UPDATE SET name = excluded.name, "
    "events = bench_unit_names.events + excluded.events"
)
_CHECKPOINT = (
    "INSERT INTO bench_replay_position (id, position) VALUES (1, {p}) "
    "ON CONFLICT (id) DO UPDATE SET position = excluded.position"
)

# Named parameters (SQLAlchemy text()), for our store on both databases.
UPSERT_NAMED = _UPSERT.format(u=":unit_id", n=":name", e=":events")
CHECKPOINT_NAMED = _CHECKPOINT.format(p=":position")
# sqlite3 (qmark) and psycopg (format), for eventsourcing's own connections.
UPSERT_QMARK = _UPSERT.format(u="?", n="?", e="?")
CHECKPOINT_QMARK = _CHECKPOINT.format(p="?")
UPSERT_FORMAT = _UPSERT.format(u="%s", n="%s", e="%s")
CHECKPOINT_FORMAT = _CHECKPOINT.format(p="%s")

Fold = dict[str, list[Any]]


def fold(page: Fold, unit_id: str, name: str) -> None:
    """Apply one event to the page's pending changes: the latest name wins, the count grows."""
    pending = page.get(unit_id)
    if pending is None:
        page[unit_id] = [name, 1]
    else:
        pending[0] = name
        pending[1] += 1


def named_rows(page: Fold) -> list[dict[str, Any]]:
    return [{"unit_id": unit_id, "name": name, "events": count}
            for unit_id, (name, count) in page.items()]


def tuple_rows(page: Fold) -> list[tuple[str, str, int]]:
    return [(unit_id, name, count) for unit_id, (name, count) in page.items()]
