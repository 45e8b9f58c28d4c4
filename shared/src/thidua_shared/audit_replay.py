"""An auditor's replay of a running service: its read models rebuilt in a scratch database from the events
(:mod:`thidua_shared.scratch_replay`) and compared, table by table and row by row, with the live ones read over
HTTP (``GET /provinces/{p}/audit/read-models``), with nothing but an auditor token.

The live service keeps writing meanwhile. Each page of live rows says which events it reflects (the log's head and
the consumers' marks, read in the rows' transaction). A table is compared when all its pages reflect the same
events: the tables read are grouped by those, and the scratch database is fed to each group in turn, earliest first
(the live service only moves forward), then that group's tables are compared with it. A table whose pages were read
across a write is read again in the next round; after the last round, one still moving is reported as not compared.

What is compared: every table fed by events (the service's own and the consumed ones, as its ``Service`` lists
them), every column. No column of these is bookkeeping: each is written from the event (its fields, position,
stream version, id or ``recorded_at``), never from the clock or a counter of the database, so none is left out.
The bookkeeping lives in tables that are not read models and are never compared: the log and its head, the relay's
state and marks, the inbox and consumers' offsets, idempotency keys, command locks, checkpoints, the auditors'
reads; and the services' working state: scoring's evidence files (uploads, not events), awards' sealed ballots
(secret, written by the vote's commands), notifications' delivery queue (the worker's state, with its clock).
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx
from pydantic import BaseModel

from thidua_shared.read_model_diff import TableDiff, diff_table
from thidua_shared.read_models import Progress, ReadModelPage, ReadModels, scratch_rows
from thidua_shared.scratch_replay import Scratch
from thidua_shared.store.event_store import StoredEvent

PAGE = 1000


class Note(BaseModel):
    """Something the auditor should know about the replay, by code (the CLI words it) and its parameters."""

    code: str
    round: int
    params: dict[str, Any] = {}


class ReplayReport(BaseModel):
    service: str
    province: str
    source: str
    rounds: int
    own_events: int
    consumed_events: dict[str, int]
    copies: int
    violations: int
    tables: list[TableDiff]
    not_compared: list[str]
    notes: list[Note]

    @property
    def equal(self) -> bool:
        return not self.not_compared and all(table.equal for table in self.tables)


class LiveReadModels(Protocol):
    """What the comparison reads of the live service."""

    async def read_models(self) -> ReadModels: ...

    async def rows(self, table: str) -> tuple[list[dict[str, Any]], Progress | None]: ...


class LiveService:
    """The live service's audit routes, called with an auditor's (or admin's) token."""

    def __init__(self, client: httpx.AsyncClient, province: str) -> None:
        self._client = client
        self._base = f"/provinces/{province}"

    async def _get(self, path: str, **params: Any) -> Any:
        answer = await self._client.get(f"{self._base}{path}", params=params)
        answer.raise_for_status()
        return answer.json()

    async def read_models(self) -> ReadModels:
        return ReadModels.model_validate(await self._get("/audit/read-models"))

    async def rows(self, table: str) -> tuple[list[dict[str, Any]], Progress | None]:
        """Every row of ``table``, and the progress they reflect (``None`` if the pages reflect different ones)."""
        rows: list[dict[str, Any]] = []
        seen: list[Progress] = []
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": PAGE, **({"after": after} if after is not None else {})}
            page = ReadModelPage.model_validate(await self._get(f"/audit/read-models/{table}", **params))
            rows += page.rows
            seen.append(page.progress)
            if page.next_after is None:
                break
            after = page.next_after
        same = all(progress.same_as(seen[0]) for progress in seen)
        return rows, seen[0] if same else None

    async def published(self) -> int:
        """How far the relay has published the log to the province's topic, now."""
        return int((await self._get("/log", after=2**53, limit=1))["published_position"])

    async def log(self, after: int, up_to: int) -> list[StoredEvent]:
        """The province's events of the log after position ``after`` and up to ``up_to``, as stored."""
        found: list[StoredEvent] = []
        while after < up_to:
            page = await self._get("/log", after=after, limit=PAGE)
            for entry in page["events"]:
                if entry["position"] <= up_to and entry["body"] is not None:
                    found.append(StoredEvent.from_body(entry["body"], entry["hash"]))
            if len(page["events"]) < PAGE:
                break
            after = int(page["next_after"])
        return found


async def compare(scratch: Scratch, live: LiveReadModels, rounds: int = 2) -> ReplayReport:
    """Feed the scratch database and compare it with the live read models, in at most ``rounds`` rounds."""
    service = scratch.service
    tables = {table.name: table for table in service.tables}
    notes: list[Note] = []
    results: dict[str, TableDiff] = {}
    pending = list(tables)
    done = 0
    last: Progress | None = None
    for number in range(1, rounds + 1):
        done = number
        listed = {table.name: table for table in (await live.read_models()).tables}
        if number == 1:
            notes += [Note(code="table_not_shared", round=number, params={"table": name})
                      for name in sorted(set(tables) ^ set(listed))]
        read: list[tuple[str, list[dict[str, Any]], Progress]] = []
        still: list[str] = []
        for name in [name for name in pending if name in listed]:
            rows, at = await live.rows(name)
            if at is None:
                still.append(name)
            else:
                read.append((name, rows, at))
        if still:
            notes.append(Note(code="service_moved", round=number, params={"tables": ", ".join(still)}))
        for at, group in _in_the_order_reached(read):
            problems = await scratch.catch_up(at)
            notes += [Note(code=code, round=number, params=params) for code, params in problems]
            if problems:
                still += [name for name, _ in group]
                continue
            last = at
            for name, rows in group:
                async with scratch.engine.connect() as connection:
                    rebuilt = await scratch_rows(connection, tables[name], scratch.province)
                results[name] = diff_table(name, listed[name].primary_key, rows, rebuilt)
        pending = [name for name in pending if name in still]
        if not pending:
            break
    if last is not None:
        notes += [Note(code="consumer_behind", round=done, params={"topic": topic, "messages": behind})
                  for topic, behind in scratch.lag(last).items()]
    feeds = scratch.feeds.values()
    return ReplayReport(
        service=service.name, province=scratch.province, source="store" if scratch.own_log is not None else "topics",
        rounds=done, own_events=scratch.own_events, consumed_events=dict(scratch.consumed),
        copies=sum(feed.copies for feed in feeds), violations=sum(feed.violations for feed in feeds),
        tables=[results[name] for name in tables if name in results], not_compared=pending, notes=notes)


def _in_the_order_reached(
        read: list[tuple[str, list[dict[str, Any]], Progress]],
) -> list[tuple[Progress, list[tuple[str, list[dict[str, Any]]]]]]:
    """The tables read, grouped by the progress their rows reflect, earliest first: the live service only moves
    forward (its head and every mark), so the scratch database is fed to each in turn and never has to go back."""
    groups: list[tuple[Progress, list[tuple[str, list[dict[str, Any]]]]]] = []
    for name, rows, at in sorted(read, key=lambda found: found[2].reached()):
        if groups and groups[-1][0].same_as(at):
            groups[-1][1].append((name, rows))
        else:
            groups.append((at, [(name, rows)]))
    return groups
