"""The Excel files people fill in: a bloc-year's scoring table, and a unit's self-assessment.

Each is headed in Vietnamese; reading one gives what it says, or each bad row named with what to fix, in the
person's language (a spreadsheet counts the heading as row 1, and so do we).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from thidua_console.texts import text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_HEADINGS = ("Mã", "Nhóm", "Tiêu chí", "Điểm tối đa", "Loại")
KINDS = {"Điểm chuẩn": "base", "Điểm thưởng": "bonus", "Điểm trừ": "penalty"}
SELF_HEADINGS = ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm")
MAX_ROWS = 500


@dataclass
class Read:
    """What a workbook said, or its problems (``row``: the spreadsheet's row number)."""

    items: list[Any] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _folded(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip().casefold()


def _headed(sheet: Worksheet, fill: str = "A4161A") -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=fill)
    sheet.freeze_panes = "A2"


def _saved(workbook: Workbook) -> bytes:
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


def _rows(content: bytes, headings: Sequence[str], language: str) -> tuple[list[tuple[int, dict[str, Any]]],
                                                                           list[tuple[int, str]]]:
    """The first sheet's rows by heading (blank rows left out), or why the file cannot be read."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError):  # not a workbook
        return [], [(0, text("workbook.unreadable", language))]
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    first = next(lines, None) or ()
    found = [_folded(value) for value in first]
    missing = [heading for heading in headings if _folded(heading) not in found]
    if missing:
        return [], [(1, text("workbook.missing_headings", language, {"headings": ", ".join(missing)}))]
    rows = []
    for number, values in enumerate(lines, start=2):
        if all(value in (None, "") for value in values):
            continue
        rows.append((number, {heading: values[found.index(_folded(heading))]
                              if found.index(_folded(heading)) < len(values) else None for heading in headings}))
    workbook.close()
    return rows, []


def table_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Bảng tiêu chí"
    sheet.append(list(TABLE_HEADINGS))
    _headed(sheet)
    for letter, width in zip("ABCDE", (10, 36, 70, 14, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=True,
                           showErrorMessage=True, error="Chọn Điểm chuẩn, Điểm thưởng hoặc Điểm trừ.")
    sheet.add_data_validation(kinds)
    kinds.add(f"E2:E{MAX_ROWS + 1}")
    return _saved(workbook)


def read_table(content: bytes, language: str) -> Read:
    """The criteria of a table workbook, as scoring takes them."""
    rows, problems = _rows(content, TABLE_HEADINGS, language)
    read = Read(problems=problems)
    seen: set[str] = set()
    for number, row in rows:
        code, group, title = (str(row[key] or "").strip() for key in ("Mã", "Nhóm", "Tiêu chí"))
        points = _number(row["Điểm tối đa"])
        kind = KINDS.get(str(row["Loại"] or "Điểm chuẩn").strip(), "")
        if not code or not group or not title:
            read.problems.append((number, text("workbook.table_required", language)))
        elif code in seen:
            read.problems.append((number, text("workbook.code_twice", language, {"code": code})))
        elif points is None or points <= 0:
            read.problems.append((number, text("workbook.max_points", language)))
        elif not kind:
            read.problems.append((number, text("workbook.kind", language, {"kinds": ", ".join(KINDS)})))
        else:
            seen.add(code)
            read.items.append({"code": code, "group": group, "title": title, "max_points": points, "kind": kind})
    if not read.items and not read.problems:
        read.problems.append((2, text("workbook.empty", language)))
    return read


def self_assessment_template(unit_name: str, criteria: Sequence[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tự chấm điểm"
    sheet.append(list(SELF_HEADINGS))
    _headed(sheet)
    for criterion in criteria:
        sheet.append([criterion["code"], criterion["title"], criterion["max_points"], None])
    for letter, width in zip("ABCD", (10, 80, 14, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("Đơn vị")
    notes.append(["Đơn vị", unit_name])
    notes.append(["Cách điền", "Ghi điểm tự chấm của từng tiêu chí vào cột Điểm tự chấm (không quá điểm tối đa)."])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    return _saved(workbook)


def read_self_assessment(content: bytes, criteria: Sequence[dict[str, Any]], language: str) -> Read:
    """``{code: points}`` of a self-assessment workbook, checked against the table's criteria."""
    rows, problems = _rows(content, SELF_HEADINGS, language)
    read = Read(problems=problems)
    known = {criterion["code"]: criterion for criterion in criteria}
    scores: dict[str, float] = {}
    for number, row in rows:
        code = str(row["Mã"] or "").strip()
        points = _number(row["Điểm tự chấm"])
        if code not in known:
            read.problems.append((number, text("workbook.unknown_code", language, {"code": code})))
        elif points is None:
            read.problems.append((number, text("workbook.points", language, {"code": code})))
        else:
            scores[code] = points
    missing = [code for code in known if code not in scores]
    if missing and not read.problems:
        read.problems.append((0, text("workbook.codes_missing", language, {"codes": ", ".join(missing)})))
    read.items = [scores]
    return read
