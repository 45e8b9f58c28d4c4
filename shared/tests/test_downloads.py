"""Cells a spreadsheet shows rather than runs, and file names that survive a header."""

from __future__ import annotations

import pytest

from thidua_shared.downloads import content_disposition, defused_cell, safe_filename


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\uff1d1+1"])
def test_text_a_spreadsheet_would_run_is_prefixed_with_a_quote(text: str) -> None:
    assert defused_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Sở Nội vụ", "a=b", "", -5.0, 3, None])
def test_other_cells_and_numbers_are_left_as_they_are(value: object) -> None:
    assert defused_cell(value) == value


@pytest.mark.parametrize(("name", "kept"), [
    ("../../etc/passwd", "passwd"), ("C:\\a\\b.txt", "b.txt"), ("a\r\nb.txt", "ab.txt"),
    ("..", "file"), ("", "file"), ("x" * 500, "x" * 200),
])
def test_a_file_name_keeps_no_folder_nor_control_characters(name: str, kept: str) -> None:
    assert safe_filename(name) == kept


def test_a_header_is_plain_ascii_and_names_a_vietnamese_file_in_utf8() -> None:
    header = content_disposition("Báo cáo \"Đ\"; x.pdf")
    header.encode("latin-1")
    assert header == ("attachment; filename=\"Bao cao _D_ x.pdf\"; "
                      "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%22%C4%90%22%3B%20x.pdf")
    assert content_disposition("HNM-k-2025.csv") == 'attachment; filename="HNM-k-2025.csv"'
