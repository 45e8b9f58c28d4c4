"""A bloc-year's scoreboard and ranking as a table people open in a spreadsheet (CSV or XLSX).

Names come from people: text a spreadsheet would run as a formula is written as text (a leading ``'``
in CSV; a text cell marked as such in XLSX), see :mod:`thidua_shared.downloads`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from thidua_shared.downloads import defused_cell
from thidua_shared.spreadsheet import write_xlsx

HEADERS = {
    "vi": ["Hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Xếp loại"],
    "en": ["Rank", "Unit", "Name", "Total", "Band"],
}


def rows_of(board: dict[str, Any], language: str) -> list[list[Any]]:
    """Header and one row per scored unit, in ranking order (published rank, else by total); tied units show
    the same rank, and each its classification band, if the table has bands."""
    codes = sorted({code for score in board["scores"] for code in score["breakdown"]})
    names = {member["unit_id"]: member["name"] for member in board["members"]}
    ranks = {entry["unit_id"]: entry["rank"] for entry in (board["ranking"] or {}).get("ranking", [])}
    ordered = sorted(board["scores"], key=lambda s: (ranks.get(s["unit_id"], 10_000), -s["total"], s["unit_id"]))
    table: list[list[Any]] = [[*HEADERS.get(language, HEADERS["vi"]), *codes]]
    for score in ordered:
        table.append([ranks.get(score["unit_id"], ""), score["unit_id"], names.get(score["unit_id"], ""),
                      score["total"], score["band"] or "", *(score["breakdown"].get(code, "") for code in codes)])
    return table


def to_csv(table: list[list[Any]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([defused_cell(value) for value in row] for row in table)
    return ("\ufeff" + text.getvalue()).encode()


def to_xlsx(table: list[list[Any]], title: str) -> bytes:
    return write_xlsx(table, title)
