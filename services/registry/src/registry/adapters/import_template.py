"""The registry's import template: an Excel workbook headed in Vietnamese, with drop-down lists for the kinds
and a sheet that says what each column holds, with an example."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from registry.domain.importing import BLOC_KIND_NAMES, COLUMNS, HEADINGS_VI, UNIT_KIND_NAMES

EXPLAINED = {
    "unit_id": "Mã ngắn, không dấu, viết thường, nối bằng dấu gạch ngang (ví dụ: van-phong-tinh-uy); "
               "dùng để nhận ra đơn vị khi nhập lại tệp.",
    "unit_name": "Tên đầy đủ của đơn vị, có dấu (bắt buộc).",
    "unit_short_name": "Tên viết tắt (không bắt buộc).",
    "unit_kind": "Chọn trong danh sách: " + "; ".join(UNIT_KIND_NAMES.values()) + ".",
    "parent_unit_id": "Mã của đơn vị cấp trên, nếu có (đơn vị đó cũng phải có trong tệp hoặc đã đăng ký).",
    "unit_emails": "Địa chỉ thư điện tử nhận thông báo; nhiều địa chỉ thì cách nhau bởi dấu chấm phẩy (;).",
    "bloc_id": "Mã của khối, cụm thi đua mà đơn vị là thành viên (để trống nếu không).",
    "bloc_name": "Tên đầy đủ của khối, cụm (bắt buộc khi có mã khối).",
    "bloc_kind": "Khối hoặc Cụm.",
    "bloc_decision_ref": "Số quyết định thành lập khối, cụm (bắt buộc khi có mã khối).",
    "joined_on": "Ngày đơn vị tham gia khối, ghi dd/mm/yyyy (ví dụ 01/01/2024).",
    "membership_decision_ref": "Số quyết định kết nạp, nếu khác quyết định thành lập khối.",
}
EXAMPLE = {
    "unit_id": "van-phong-tinh-uy", "unit_name": "Văn phòng Tỉnh ủy", "unit_short_name": "VPTU",
    "unit_kind": UNIT_KIND_NAMES["party_board"], "parent_unit_id": "", "unit_emails": "vanphong@tinh.gov.vn",
    "bloc_id": "khoi-ban-dang", "bloc_name": "Khối thi đua các Ban xây dựng Đảng", "bloc_kind": "Khối",
    "bloc_decision_ref": "Quyết định số 01/QĐ-UBND", "joined_on": "01/01/2024", "membership_decision_ref": "",
}
ROWS_PREPARED = 500
"""Rows that carry the drop-down lists (more may be added below them)."""


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đơn vị và khối"
    sheet.append([HEADINGS_VI[column] for column in COLUMNS])
    heading = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="A4161A")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = heading, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 34 if column.endswith("name") else 22
        if column == "joined_on":
            for row in range(2, ROWS_PREPARED + 2):
                sheet.cell(row=row, column=index).number_format = "@"  # kept as written: dd/mm/yyyy
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet("Danh mục")
    lists.append(["Loại đơn vị", "Khối hay cụm"])
    kinds, bloc_kinds = list(UNIT_KIND_NAMES.values()), list(BLOC_KIND_NAMES.values())
    for index in range(max(len(kinds), len(bloc_kinds))):
        lists.append([kinds[index] if index < len(kinds) else None,
                      bloc_kinds[index] if index < len(bloc_kinds) else None])
    lists.column_dimensions["A"].width = 30
    # The drop-down lists read the kinds from that sheet (a list written inline cannot hold a comma).
    for column, source, count in (("unit_kind", "A", len(kinds)), ("bloc_kind", "B", len(bloc_kinds))):
        letter = sheet.cell(row=1, column=COLUMNS.index(column) + 1).column_letter
        choice = DataValidation(type="list", formula1=f"='Danh mục'!${source}$2:${source}${count + 1}",
                                allow_blank=True, showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                error="Chọn một giá trị trong danh sách.")
        sheet.add_data_validation(choice)
        choice.add(f"{letter}2:{letter}{ROWS_PREPARED + 1}")
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Ghi gì", "Ví dụ"])
    for column in COLUMNS:
        guide.append([HEADINGS_VI[column], EXPLAINED[column], EXAMPLE[column]])
    for letter, width in (("A", 30), ("B", 90), ("C", 36)):
        guide.column_dimensions[letter].width = width
    for cell in guide[1]:
        cell.font = Font(bold=True)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()
