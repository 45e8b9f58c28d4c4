"""Bulk import of blocs and units: every row or none; each bad row named; importing twice changes nothing."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from registry.bootstrap import create_app
from thidua_shared.spreadsheet import XLSX
from thidua_shared.testing import ApiUnderTest, running_service

HEADER = ("unit_id,unit_name,unit_short_name,unit_kind,parent_unit_id,bloc_id,bloc_name,bloc_kind,"
          "bloc_decision_ref,joined_on,membership_decision_ref")
GOOD = "\n".join([
    HEADER,
    "ban-to-chuc,Ban Tổ chức Tỉnh ủy,BTC,party_board,,khoi-dang,Khối các Ban Đảng,khoi,01/QĐ,2023-01-01,",
    "ubkt,Ủy ban Kiểm tra Tỉnh ủy,UBKT,party_board,,khoi-dang,Khối các Ban Đảng,khoi,01/QĐ,2023-01-01,",
    "ubkt,Ủy ban Kiểm tra Tỉnh ủy,UBKT,party_board,,cum-1,Cụm 1,cum,02/QĐ,2023-02-01,03/QĐ",
    "so-noi-vu,Sở Nội vụ,SNV,state_agency,,,,,,,",
]).encode()


@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        yield service


async def _import(registry: ApiUnderTest, content: bytes, kind: str = "text/csv",
                  language: str = "en") -> tuple[int, dict[str, object]]:
    async with registry.client(await registry.token("admin"), language=language) as http:
        answer = await http.post(f"{registry.base}/imports", content=content, headers={"Content-Type": kind})
    return answer.status_code, answer.json()


async def test_a_good_file_registers_units_blocs_and_memberships_and_a_second_import_changes_nothing(
    registry: ApiUnderTest,
) -> None:
    status, first = await _import(registry, GOOD)
    again_status, again = await _import(registry, GOOD)
    async with registry.client(await registry.token("auditor")) as http:
        khoi = (await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2023-06-01"})).json()
        cum = (await http.get(f"{registry.base}/blocs/cum-1", params={"on": "2023-06-01"})).json()
        units = (await http.get(f"{registry.base}/units")).json()

    assert status == 201, first
    assert first["rows"] == 4
    kinds = [event["event_type"] for event in first["recorded"]["events"]]  # type: ignore[index]
    assert kinds.count("UnitRegistered") == 3
    assert kinds.count("BlocEstablished") == 2
    assert kinds.count("UnitJoinedBloc") == 3
    assert [m["unit_id"] for m in khoi["members"]] == ["ban-to-chuc", "ubkt"]
    assert [(m["unit_id"], m["decision_ref"]) for m in cum["members"]] == [("ubkt", "03/QĐ")]
    assert {u["unit_id"] for u in units} == {"ban-to-chuc", "ubkt", "so-noi-vu"}
    assert again_status == 201
    assert again["recorded"]["events"] == []  # type: ignore[index]
    assert again["unchanged"] == 3 + 2 + 3


async def test_an_xlsx_workbook_imports_like_a_csv(registry: ApiUnderTest) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in GOOD.decode().splitlines():
        sheet.append(line.split(","))
    content = io.BytesIO()
    workbook.save(content)

    status, answer = await _import(registry, content.getvalue(), XLSX)

    assert status == 201, answer
    assert answer["rows"] == 4


async def test_a_file_with_bad_rows_imports_nothing_and_names_each_row_and_what_to_fix(registry: ApiUnderTest) -> None:
    bad = "\n".join([
        HEADER,
        "ban-to-chuc,Ban Tổ chức Tỉnh ủy,BTC,party_board,,khoi-dang,Khối các Ban Đảng,khoi,01/QĐ,2023-01-01,",
        "Bad Id,Đơn vị,ĐV,other,,,,,,,",
        "ubkt,Ủy ban Kiểm tra,UBKT,ministry,,,,,,,",
        "ubkt2,Ủy ban 2,U2,other,,khoi-dang,Khối các Ban Đảng,khoi,01/QĐ,31/02/2023,",
        "ubkt3,Ủy ban 3,U3,other,,khoi-2,Khối 2,khoi,09/QĐ,2023-01-01,",
        "ubkt3,Ủy ban 3,U3,other,,khoi-dang,Khối các Ban Đảng,khoi,01/QĐ,2023-01-01,",
    ]).encode()

    status, answer = await _import(registry, bad)
    async with registry.client(await registry.token("auditor")) as http:
        units = (await http.get(f"{registry.base}/units")).json()

    assert status == 422
    assert answer["message"] == "4 rows of the file need fixing; nothing was imported."
    problems = {p["row"]: p["message"] for p in answer["details"]["problems"]}  # type: ignore[index]
    assert 'Column unit_id: "Bad Id" is not valid' in problems[3]
    assert 'Column unit_kind: "ministry" is not one of' in problems[4]
    assert 'Column joined_on: "31/02/2023" is not a day; write it as dd/mm/yyyy' in problems[5]
    assert "is a member of bloc khoi-2 of the same kind" in problems[7]
    assert units == [], "nothing half written"


async def test_a_unit_registered_under_another_name_is_refused_in_vietnamese_by_default(
    registry: ApiUnderTest,
) -> None:
    await _import(registry, GOOD)
    renamed_in_file = GOOD.replace("Sở Nội vụ,SNV".encode(), "Sở Nội vụ tỉnh,SNV".encode())

    status, answer = await _import(registry, renamed_in_file, language="vi")

    assert status == 422
    [problem] = answer["details"]["problems"]  # type: ignore[index]
    assert problem["row"] == 5
    assert "Đơn vị so-noi-vu đã được đăng ký khác với tệp ở cột unit_name" in problem["message"]


async def test_a_file_that_is_not_a_table_says_so(registry: ApiUnderTest) -> None:
    status, answer = await _import(registry, b"\xff\xfe\x00garbage", "text/csv")
    missing_status, missing = await _import(registry, b"name,kind\nA,other\n")
    assert status == 422
    assert "cannot be read" in str(answer["message"])
    assert missing_status == 422
    assert "Missing columns unit_id, unit_name" in str(missing["details"]["problems"])  # type: ignore[index]


async def test_contact_addresses_come_in_one_cell_separated_by_semicolons(registry: ApiUnderTest) -> None:
    content = "\n".join([
        "unit_id,unit_name,unit_emails",
        "van-phong,Văn phòng Tỉnh ủy,vp@hanam.gov.vn; tdkt@hanam.gov.vn",
        "ubkt,Ủy ban Kiểm tra,ubkt-at-hanam",
    ]).encode()
    status, answer = await _import(registry, content)
    assert status == 422
    [problem] = answer["details"]["problems"]  # type: ignore[index]
    assert (problem["row"], problem["error"]) == (3, "import.bad_email")

    status, _ = await _import(registry, b"\n".join(content.split(b"\n")[:2]))
    async with registry.client(await registry.token("auditor")) as http:
        unit = (await http.get(f"{registry.base}/units/van-phong")).json()
    assert status == 201
    assert unit["emails"] == ["tdkt@hanam.gov.vn", "vp@hanam.gov.vn"]


async def test_parents_are_registered_before_their_children_whatever_the_row_order(registry: ApiUnderTest) -> None:
    content = "\n".join([
        "unit_id,unit_name,parent_unit_id",
        "chi-bo,Chi bộ,dang-uy",
        "dang-uy,Đảng ủy,ban-thuong-vu",
        "ban-thuong-vu,Ban Thường vụ,",
    ]).encode()
    status, answer = await _import(registry, content)
    assert status == 201, answer
    async with registry.client(await registry.token("auditor")) as http:
        unit = (await http.get(f"{registry.base}/units/chi-bo")).json()
    assert unit["parent_unit_id"] == "dang-uy"


async def test_a_reimport_names_every_column_that_differs_from_the_registry(registry: ApiUnderTest) -> None:
    await _import(registry, GOOD)
    changed = (GOOD.decode()
               .replace("Sở Nội vụ,SNV,state_agency", "Sở Nội vụ,SNV,other")
               .replace("Khối các Ban Đảng,khoi,01/QĐ", "Khối các Ban Đảng,khoi,99/QĐ")
               .encode())
    assert changed != GOOD
    status, answer = await _import(registry, changed)
    assert status == 422
    problems = {p["row"]: p["message"] for p in answer["details"]["problems"]}  # type: ignore[index]
    assert "columns unit_kind" in problems[5]
    assert "Bloc khoi-dang is established differently from the file in columns bloc_decision_ref" in problems[2]


async def test_the_template_filled_in_vietnamese_is_previewed_then_imported(registry: ApiUnderTest) -> None:
    """The downloadable template is headed in Vietnamese; a file filled in on it (kinds by their Vietnamese
    names, days as dd/mm/yyyy) is previewed without recording anything, then imported as previewed."""
    async with registry.client(await registry.token("admin"), language="vi") as http:
        template = await http.get(f"{registry.base}/imports/template.xlsx")
        assert template.status_code == 200
        workbook = load_workbook(io.BytesIO(template.content))
        sheet = workbook["Đơn vị và khối"]
        headings = [cell.value for cell in sheet[1]]
        assert headings[:4] == ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại đơn vị"]
        assert all(cell.value is None for cell in sheet[2]), "no example row that would be imported by mistake"
        assert "Hướng dẫn" in workbook.sheetnames
        filled = {"Mã đơn vị": "van-phong", "Tên đơn vị": "Văn phòng Tỉnh ủy", "Loại đơn vị": "Ban, cơ quan của Đảng",
                  "Mã khối": "khoi-dang", "Tên khối, cụm": "Khối các Ban Đảng", "Khối hay cụm": "Khối",
                  "Quyết định thành lập khối": "01/QĐ-UBND", "Ngày tham gia": "15/01/2024"}
        for column, heading in enumerate(headings, start=1):  # the first empty row, as a person fills it in
            sheet.cell(row=2, column=column, value=filled.get(str(heading)))
        content = io.BytesIO()
        workbook.save(content)

        preview = await http.post(f"{registry.base}/imports/preview", content=content.getvalue(),
                                  headers={"Content-Type": XLSX})
        assert preview.status_code == 200, preview.text
        assert preview.json()["rows"] == 1, "the template's formatted, empty rows are not rows of the file"
        assert [change["event_type"] for change in preview.json()["changes"]] == [
            "UnitRegistered", "BlocEstablished", "UnitJoinedBloc"]
        assert (await http.get(f"{registry.base}/units")).json() == [], "a preview records nothing"

        imported = await http.post(f"{registry.base}/imports", content=content.getvalue(),
                                   headers={"Content-Type": XLSX})
        assert imported.status_code == 201, imported.text
        unit = (await http.get(f"{registry.base}/units/van-phong")).json()
        assert (unit["name"], unit["kind"]) == ("Văn phòng Tỉnh ủy", "party_board")
        bloc = (await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2024-02-01"})).json()
        assert [(m["unit_id"], m["joined_on"]) for m in bloc["members"]] == [("van-phong", "2024-01-15")]


async def test_a_preview_names_each_bad_row_and_records_nothing(registry: ApiUnderTest) -> None:
    bad = "\n".join([HEADER, "ubkt,Ủy ban Kiểm tra,UBKT,ministry,,,,,,,", GOOD.decode().splitlines()[1]]).encode()
    async with registry.client(await registry.token("admin"), language="vi") as http:
        answer = await http.post(f"{registry.base}/imports/preview", content=bad, headers={"Content-Type": "text/csv"})
        assert answer.status_code == 422
        problems = answer.json()["details"]["problems"]
        assert [problem["row"] for problem in problems] == [2]
        assert "Ban, cơ quan của Đảng" in problems[0]["message"], "the kinds to choose from, as people call them"
        assert (await http.get(f"{registry.base}/units")).json() == []
