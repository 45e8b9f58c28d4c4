"""Rows of an uploaded table: CSV (UTF-8, RFC 4180, with the delimiter the caller names) or XLSX (the
first sheet). At most ``max_rows`` rows are read: past them the file is refused, not read further."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook, load_workbook

from thidua_shared.downloads import looks_like_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
"""The delimiters a CSV may use, by name: comma by default, semicolon as Excel writes CSV in
Vietnamese locales, tab for what is copied from a spreadsheet."""


class UnreadableFile(ValueError):
    """Neither a CSV in UTF-8 nor an XLSX workbook, or a CSV that breaks RFC 4180 (the message says where)."""


UNPACKED_RATIO = 10
"""An XLSX (a zip) unpacks to at most this many times the largest upload allowed; more is a zip bomb, not a
table (what a zip member declares is also the most that reading it unpacks)."""


class TooManyRows(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} rows")
        self.limit = limit


def read_table(content: bytes, content_type: str, delimiter: str = ",", max_rows: int = 20_000,
               max_upload: int = 8 * 1024 * 1024) -> tuple[list[str], list[dict[str, Any]]]:
    """The header (lower-cased column names) and the rows of the file (a blank line is an empty row, so
    that rows are numbered as a spreadsheet shows them; blank rows after the last one with a value are left
    out: a template's formatted but empty rows are not rows of the file)."""
    if content_type.startswith(XLSX) or content[:2] == b"PK":
        header, rows = _xlsx(content, max_rows, UNPACKED_RATIO * max_upload)
        return header, _without_trailing_blanks(rows)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text (byte {error.start})") from error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        rows = [dict(zip(header, line, strict=False)) for line in _at_most(reader, max_rows)]
    except csv.Error as error:
        raise UnreadableFile(f"line {reader.line_num}: {error}") from error
    return header, _without_trailing_blanks(rows)


def _without_trailing_blanks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    end = len(rows)
    while end and all(value in (None, "") or (isinstance(value, str) and not value.strip())
                      for value in rows[end - 1].values()):
        end -= 1
    return rows[:end]


def _at_most(lines: Iterator[Any], max_rows: int) -> Iterator[Any]:
    for number, line in enumerate(lines, start=1):
        if number > max_rows:
            raise TooManyRows(max_rows)
        yield line


def _xlsx(content: bytes, max_rows: int, max_unpacked: int) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile(f"not an XLSX workbook: {error}") from error
    if unpacked > max_unpacked:
        raise UnreadableFile(f"the workbook unpacks to {unpacked} bytes, more than {max_unpacked}")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile(f"not an XLSX workbook: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [str(cell).strip().lower() if cell is not None else "" for cell in next(lines, ())]
        rows = [dict(zip(header, line, strict=False)) for line in _at_most(lines, max_rows)]
    finally:
        workbook.close()
    return header, rows


NOT_IN_SHEET_TITLES = re.compile(r"[\\/*?:\[\]]")


def write_xlsx(table: list[list[Any]], title: str) -> bytes:
    """A workbook of one sheet named ``title`` holding ``table``'s rows. Text a spreadsheet would run as a
    formula (a name from people, say) is written as a text cell marked as such."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = NOT_IN_SHEET_TITLES.sub("-", title)[:31]
    for row in table:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()
