"""Rows of an uploaded table: CSV (UTF-8, comma or semicolon) or XLSX (the first sheet)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnreadableFile(ValueError):
    """Neither a CSV in UTF-8 nor an XLSX workbook."""


def read_table(content: bytes, content_type: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The header (lower-cased column names) and the rows of the file."""
    if content_type.startswith(XLSX) or content[:2] == b"PK":
        return _xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile("not UTF-8 text") from error
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    rows = [{key.strip().lower(): value for key, value in row.items() if key is not None} for row in reader]
    return header, rows


def _xlsx(content: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile(f"not an XLSX workbook: {error}") from error
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(cell).strip().lower() if cell is not None else "" for cell in next(lines, ())]
    rows = [dict(zip(header, line, strict=False)) for line in lines]
    workbook.close()
    return header, rows
