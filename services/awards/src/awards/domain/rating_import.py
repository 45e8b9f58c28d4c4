"""The yearly quality ratings of many units from one table (XLSX or CSV), all rows or none.

Columns: ``unit`` (the unit's id or its name as the registry holds it), ``year``, ``rating`` (excellent, good,
completed, not_completed, or the Vietnamese words: hoàn thành xuất sắc nhiệm vụ, hoàn thành tốt nhiệm vụ, hoàn
thành nhiệm vụ, không hoàn thành nhiệm vụ), ``ref`` (the document that rates) and ``rated_on`` (its date,
dd/mm/yyyy or YYYY-MM-DD; empty: today). Each problem names its row (the header is row 1, as a spreadsheet
counts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from awards.domain.rulebook import RATINGS, Rating
from thidua_shared.errors import Invalid

COLUMNS = ("unit", "year", "rating", "ref", "rated_on")
REQUIRED = ("unit", "year", "rating", "ref")
WORDS: dict[str, Rating] = {
    "hoàn thành xuất sắc nhiệm vụ": "excellent", "hoàn thành xuất sắc": "excellent", "htxsnv": "excellent",
    "hoàn thành tốt nhiệm vụ": "good", "hoàn thành tốt": "good", "httnv": "good",
    "hoàn thành nhiệm vụ": "completed", "hoàn thành": "completed", "htnv": "completed",
    "không hoàn thành nhiệm vụ": "not_completed", "không hoàn thành": "not_completed", "khtnv": "not_completed",
}
DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Problem:
    row: int
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RatingRow:
    row: int
    unit_id: str
    year: int
    rating: Rating
    ref: str
    rated_on: date | None


class RatingsRejected(Invalid):
    """The table has problems: nothing was recorded; each problem names its row and what to fix."""

    def __init__(self, problems: list[Problem], listed_at_most: int = 100) -> None:
        listed = problems[:listed_at_most]
        super().__init__("import.rejected" if len(listed) == len(problems) else "import.rejected_listing_first",
                         count=len(problems), listed=len(listed),
                         problems=[{"row": problem.row, "code": problem.code,
                                    "params": {**problem.params, "row": problem.row}} for problem in listed])


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _rating(value: str) -> Rating | None:
    words = " ".join(value.lower().split())
    if words in RATINGS:
        return words
    return WORDS.get(words)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    found = DAY.fullmatch(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(text) from error


def read_ratings(header: list[str], rows: list[dict[str, Any]], units: Mapping[str, str]) -> list[RatingRow]:
    """The ratings of the table, or :class:`RatingsRejected` naming every bad row. ``units`` maps each known
    unit's id and name to its id."""
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise RatingsRejected([Problem(1, "import.missing_columns", {"columns": ", ".join(missing),
                                                                     "expected": ", ".join(COLUMNS)})])
    problems: list[Problem] = []
    found: list[RatingRow] = []
    seen: dict[tuple[str, int], int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(_text(value) for value in row.values()):
            continue  # a blank line
        before = len(problems)
        for column in REQUIRED:
            if not _text(row.get(column)):
                problems.append(Problem(number, "import.required", {"column": column}))
        if len(problems) > before:
            continue
        unit_id = units.get(_text(row["unit"]))
        if unit_id is None:
            problems.append(Problem(number, "import.unknown_unit", {"value": _text(row["unit"])}))
        year_text = _text(row["year"]).removesuffix(".0")
        year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
        if year is None:
            problems.append(Problem(number, "import.bad_year", {"value": _text(row["year"])}))
        rating = _rating(_text(row["rating"]))
        if rating is None:
            problems.append(Problem(number, "import.bad_choice", {
                "column": "rating", "value": _text(row["rating"]),
                "choices": ", ".join((*RATINGS, "hoàn thành xuất sắc nhiệm vụ", "hoàn thành tốt nhiệm vụ",
                                      "hoàn thành nhiệm vụ", "không hoàn thành nhiệm vụ"))}))
        ref = _text(row["ref"])
        if len(ref) > 200:
            problems.append(Problem(number, "import.too_long", {"column": "ref", "length": len(ref), "limit": 200}))
        rated_on = None
        if _text(row.get("rated_on")):
            try:
                rated_on = _day(row["rated_on"])
            except ValueError:
                problems.append(Problem(number, "import.bad_day", {"column": "rated_on",
                                                                    "value": _text(row["rated_on"])}))
        if unit_id is not None and year is not None:
            first = seen.setdefault((unit_id, year), number)
            if first != number:
                problems.append(Problem(number, "import.twice", {"unit": _text(row["unit"]), "year": year,
                                                                 "first_row": first}))
        if len(problems) == before and unit_id is not None and year is not None and rating is not None:
            found.append(RatingRow(number, unit_id, year, rating, ref, rated_on))
    if problems:
        raise RatingsRejected(problems)
    return found
