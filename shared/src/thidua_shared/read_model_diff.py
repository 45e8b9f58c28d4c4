"""Two versions of one read model compared row by row, by primary key: the live service's rows and the rows a
replay of the events rebuilt. Pure: rows are JSON values (see :mod:`thidua_shared.read_models`).

``missing``: rows the replay rebuilt that the live read model lacks; ``extra``: live rows no event explains;
``different``: rows under the same key whose columns differ (each with the columns, live and rebuilt values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

Row = Mapping[str, Any]


class ColumnDifference(BaseModel):
    column: str
    live: Any
    rebuilt: Any


class RowDifference(BaseModel):
    key: dict[str, Any]
    columns: list[ColumnDifference]


class TableDiff(BaseModel):
    table: str
    live: int
    rebuilt: int
    missing: list[dict[str, Any]] = []
    extra: list[dict[str, Any]] = []
    different: list[RowDifference] = []
    ignored: list[str] = []
    """Columns left out of the comparison (bookkeeping by nature)."""

    @property
    def equal(self) -> bool:
        return not (self.missing or self.extra or self.different)


def _key(row: Row, key: Sequence[str]) -> tuple[str, ...]:
    # each value as its repr: a key of days, numbers and texts sorts and matches the same from either side
    return tuple(repr(row.get(column)) for column in key)


def diff_table(table: str, key: Sequence[str], live: Iterable[Row], rebuilt: Iterable[Row],
               ignored: Sequence[str] = ()) -> TableDiff:
    """The rows of ``live`` and ``rebuilt`` compared by the primary key ``key``, every column but ``ignored``."""
    live_rows = {_key(row, key): row for row in live}
    rebuilt_rows = {_key(row, key): row for row in rebuilt}
    missing = [{column: rebuilt_rows[found].get(column) for column in key}
               for found in sorted(rebuilt_rows.keys() - live_rows.keys())]
    extra = [{column: live_rows[found].get(column) for column in key}
             for found in sorted(live_rows.keys() - rebuilt_rows.keys())]
    different = []
    for found in sorted(live_rows.keys() & rebuilt_rows.keys()):
        theirs, ours = live_rows[found], rebuilt_rows[found]
        columns = [ColumnDifference(column=column, live=theirs.get(column), rebuilt=ours.get(column))
                   for column in [*theirs, *(column for column in ours if column not in theirs)]
                   if column not in ignored and theirs.get(column) != ours.get(column)]
        if columns:
            different.append(RowDifference(key={column: theirs.get(column) for column in key}, columns=columns))
    return TableDiff(table=table, live=len(live_rows), rebuilt=len(rebuilt_rows), missing=missing, extra=extra,
                     different=different, ignored=list(ignored))
