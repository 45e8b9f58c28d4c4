"""A service's read models as an auditor reads them: the rows of one province, table by table, paged by primary
key, each page with the progress of the service it was read at (the log's head and the consumers' marks), all in
one read transaction, so that a page says exactly which events its rows reflect.

Rows are given as JSON values (a day as ``YYYY-MM-DD``, a JSON column as its value), the same way whether they are
read from the live service over HTTP or from a scratch database, so that the two compare value by value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Column, Table, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from thidua_shared.kafka import province_of
from thidua_shared.outbox import RELAY
from thidua_shared.store.tables import consumer_offsets, log_head, relay_state

PROVINCE_COLUMNS = ("province", "code")
"""The column that names a row's province: ``province`` in nearly every table, ``code`` in the registry's own
tables of provinces."""


class Mark(BaseModel):
    """Where a consumer of the service stands on a partition: the next offset it reads."""

    topic: str
    partition: int
    next_offset: int


class Progress(BaseModel):
    """Which events the read models reflect: the service's own log up to ``head_position``, and each topic partition
    it consumes up to its mark. ``published_position``: how far the relay has published the log (not part of
    what the read models reflect; a reader of the topics needs it)."""

    head_position: int
    marks: list[Mark]
    published_position: int = 0

    def same_as(self, other: Progress) -> bool:
        return self.head_position == other.head_position and self.marks_by_partition() == other.marks_by_partition()

    def reached(self) -> tuple[int, int]:
        """A key that orders the progress a live service went through in time (each part only grows)."""
        return self.head_position, sum(mark.next_offset for mark in self.marks)

    def marks_by_partition(self) -> dict[tuple[str, int], int]:
        return {(mark.topic, mark.partition): mark.next_offset for mark in self.marks}


class ReadModelTable(BaseModel):
    name: str
    primary_key: list[str]
    columns: list[str]


class ReadModels(BaseModel):
    """The read models a service keeps of a province, and the progress they stand at."""

    service: str
    tables: list[ReadModelTable]
    progress: Progress


class ReadModelPage(BaseModel):
    """Rows of one read model, in primary-key order. ``next_after``: what to pass as ``after`` for the next page
    (none on the last page). ``progress``: what the rows reflect (read in the rows' transaction)."""

    table: str
    rows: list[dict[str, Any]]
    next_after: str | None
    progress: Progress


def province_column(table: Table) -> Column[Any]:
    """The column naming the province of ``table``'s rows (a read model without one cannot be shown by province)."""
    for name in PROVINCE_COLUMNS:
        if name in table.c:
            return table.c[name]
    raise ValueError(f"read model {table.name} has no column naming a province ({', '.join(PROVINCE_COLUMNS)})")


def describe(table: Table) -> ReadModelTable:
    return ReadModelTable(name=table.name, primary_key=[column.name for column in table.primary_key.columns],
                          columns=[column.name for column in table.columns])


def jsonable(value: Any) -> Any:
    """A column's value as JSON gives it back: days and instants in ISO form, decimals as numbers; lists and
    objects of a JSON column as they are (tuples as lists)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def row_values(table: Table, row: Any) -> dict[str, Any]:
    mapping = row._mapping
    return {column.name: jsonable(mapping[column.name]) for column in table.columns}


def _typed(column: Column[Any], value: Any) -> Any:
    """A key value as the page's cursor carries it (JSON), back in the column's Python type (``ValueError`` if it is
    not one)."""
    kind = column.type.python_type
    if value is None:
        return None
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is float and isinstance(value, int):
        return float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{column.name} is a {kind.__name__}")
    if kind is int and not -2**63 <= value < 2**63:
        raise ValueError(f"{column.name} is out of range")
    return value


def cursor_of(table: Table, row: dict[str, Any]) -> str:
    return json.dumps([row[column.name] for column in table.primary_key.columns], ensure_ascii=False)


def parse_cursor(table: Table, after: str) -> list[Any]:
    """The key values of a cursor; ``ValueError`` if it is not one of this table's."""
    values = json.loads(after)
    key = list(table.primary_key.columns)
    if not isinstance(values, list) or len(values) != len(key) \
            or not all(value is None or isinstance(value, str | int | float) for value in values):
        raise ValueError(f"a cursor of {table.name} lists {len(key)} texts or numbers")
    try:
        return [_typed(column, value) for column, value in zip(key, values, strict=True)]
    except (TypeError, ValueError) as error:
        raise ValueError(str(error)) from error


async def progress_of(connection: AsyncConnection, province: str) -> Progress:
    """The log's head, the relay's published position and the consumers' marks on the province's topics."""
    head = await connection.scalar(select(log_head.c.last_position))
    published = await connection.scalar(
        select(relay_state.c.published_position).where(relay_state.c.relay == RELAY))
    rows = await connection.execute(select(consumer_offsets.c.topic, consumer_offsets.c.partition,
                                           consumer_offsets.c.next_offset)
                                    .order_by(consumer_offsets.c.topic, consumer_offsets.c.partition))
    marks = [Mark(topic=row.topic, partition=row.partition, next_offset=row.next_offset)
             for row in rows if province_of(row.topic) == province]
    return Progress(head_position=int(head or 0), marks=marks, published_position=int(published or 0))


async def _snapshot(engine: AsyncEngine) -> AsyncConnection:
    connection = await engine.connect()
    if engine.dialect.name == "postgresql":
        # one snapshot for every statement of the transaction (SQLite's transaction is one already)
        await connection.execution_options(isolation_level="REPEATABLE READ")
    return connection


async def read_models_of(engine: AsyncEngine, service: str, tables: Sequence[Table], province: str) -> ReadModels:
    connection = await _snapshot(engine)
    try:
        async with connection.begin():
            progress = await progress_of(connection, province)
    finally:
        await connection.close()
    return ReadModels(service=service, tables=[describe(table) for table in tables], progress=progress)


async def read_page(engine: AsyncEngine, table: Table, province: str, after: str | None,
                    limit: int) -> ReadModelPage:
    """A page of the province's rows of ``table`` after the cursor ``after``, with the progress they reflect."""
    key = list(table.primary_key.columns)
    query = select(table).where(province_column(table) == province).order_by(*key).limit(limit)
    if after is not None:
        values = parse_cursor(table, after)
        query = query.where(tuple_(*key) > tuple_(*[literal(value, column.type)
                                                    for column, value in zip(key, values, strict=True)]))
    connection = await _snapshot(engine)
    try:
        async with connection.begin():
            rows = [row_values(table, row) for row in await connection.execute(query)]
            progress = await progress_of(connection, province)
    finally:
        await connection.close()
    return ReadModelPage(table=table.name, rows=rows, progress=progress,
                         next_after=cursor_of(table, rows[-1]) if len(rows) == limit else None)


async def scratch_rows(connection: AsyncConnection, table: Table, province: str) -> list[dict[str, Any]]:
    """Every row of the province in ``table`` (of a scratch database), as a page gives them."""
    result = await connection.execute(select(table).where(province_column(table) == province))
    return [json.loads(json.dumps(row_values(table, row))) for row in result]
