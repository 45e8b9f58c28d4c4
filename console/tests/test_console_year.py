"""The seed's year played through the console alone, in a real browser, each step by the person who does it:
the admin imports the registry from the Excel template and creates the accounts; the secretariat adopts the
table from an Excel file; each unit officer submits its self-assessment (one from the Excel template) and the
leaders their targets' results; the secretariat enters the cross-assessments and publishes the ranking; the
admin attests the leaders' standards; honouring votes are opened, every officer casts a secret ballot, they
close; proposals are filed with their documents; the council votes; the decisions are recorded (the
Government flag forwarded and decided centrally); the Government flag's trail page shows it all."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from browsing import sign_in, sign_out
from openpyxl import Workbook, load_workbook
from playwright.async_api import BrowserContext, Dialog, FilePayload, Page, expect

from thidua_cli.client import Api
from thidua_cli.demo import seed, seed_file
from thidua_cli.system import LocalSystem
from thidua_shared.clock import province_today
from thidua_shared.testing import within

BLOC = "khoi-ban-dang"
KIND_NAMES = {"party_board": "Ban, cơ quan của Đảng", "party_committee": "Đảng ủy", "state_agency": "Cơ quan nhà nước",
              "other": "Khác"}
TABLE = [("C1", "Thực hiện nhiệm vụ chính trị", "Hoàn thành chương trình công tác năm", 60, "Điểm chuẩn"),
         ("C2", "Công tác xây dựng Đảng", "Xây dựng tổ chức Đảng trong sạch, vững mạnh", 30, "Điểm chuẩn"),
         ("B1", "Điểm thưởng", "Sáng kiến, mô hình mới", 10, "Điểm thưởng")]
WINDOW_CLOSES = (province_today() + timedelta(days=30)).isoformat()
"""Scoring stays open until after today: a unit submits with today's date (only staff record a past one)."""


def password(username: str) -> str:
    """Each person's own password (a password may not contain its username)."""
    return "Tđkt-2023-" + hashlib.sha256(username.encode()).hexdigest()[:10]


def registry_workbook(template: bytes) -> bytes:
    """The seed's registry written into the console's template, as a province's staff would fill it in."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Đơn vị và khối"]
    headings = [str(cell.value) for cell in sheet[1]]
    columns = {"Mã đơn vị": "unit_id", "Tên đơn vị": "unit_name", "Tên viết tắt": "unit_short_name",
               "Loại đơn vị": "unit_kind", "Mã đơn vị cấp trên": "parent_unit_id", "Thư điện tử": "unit_emails",
               "Mã khối": "bloc_id", "Tên khối, cụm": "bloc_name", "Khối hay cụm": "bloc_kind",
               "Quyết định thành lập khối": "bloc_decision_ref", "Ngày tham gia": "joined_on",
               "Quyết định kết nạp": "membership_decision_ref"}
    rows = csv.DictReader(io.StringIO(seed_file("hanam-registry.csv").decode("utf-8")))
    for number, row in enumerate(rows, start=2):
        row["unit_kind"] = KIND_NAMES[row["unit_kind"]]
        row["bloc_kind"] = {"khoi": "Khối", "cum": "Cụm"}[row["bloc_kind"]]
        row["joined_on"] = date.fromisoformat(row["joined_on"]).strftime("%d/%m/%Y")
        for index, heading in enumerate(headings, start=1):
            sheet.cell(row=number, column=index, value=row[columns[heading]] or None)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def table_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Mã", "Nhóm", "Tiêu chí", "Điểm tối đa", "Loại"])
    for row in TABLE:
        sheet.append(list(row))
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


async def download(page: Page, link: str, folder: Path) -> bytes:
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name=link).click()
    got = await waiting.value
    target = folder / got.suggested_filename
    await got.save_as(target)
    return target.read_bytes()


async def upload(page: Page, label: str, name: str, content: bytes) -> None:
    payload: FilePayload = {"name": name, "buffer": content,
                            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    await page.get_by_label(label).set_input_files(files=[payload])


async def flash(page: Page, text: str) -> None:
    """The page confirms what was done; if it did not, the test says what the page said instead."""
    try:
        await expect(page.get_by_role("status")).to_contain_text(text)
    except AssertionError:
        said = await page.locator(".problem").all_inner_texts()
        raise AssertionError(f"{page.url}: expected {text!r}; the page says {said}") from None


async def as_person(page: Page, url: str, username: str) -> None:
    if await page.get_by_role("button", name="Đăng xuất").count():
        await sign_out(page)
    await sign_in(page, url, username, password(username))
    await expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


async def adopt_table(page: Page, url: str, bloc_id: str) -> None:
    await page.goto(f"{url}/scoring/{bloc_id}/2023/table")
    await upload(page, "Tệp Excel (.xlsx)", "bang-tieu-chi-2023.xlsx", table_workbook())
    await page.get_by_role("button", name="Xem trước").click()
    await expect(page.get_by_role("heading", name="Các tiêu chí đọc được từ tệp")).to_be_visible()
    await page.get_by_label("Ngày ban hành").fill("2023-01-10")
    await page.get_by_label("Mở chấm điểm từ ngày").fill("2023-12-01")
    await page.get_by_label("Đến hết ngày").fill(WINDOW_CLOSES)
    await page.get_by_role("button", name="Ban hành bảng tiêu chí").click()
    await flash(page, "Đã ban hành bảng tiêu chí")


async def self_assess(page: Page, url: str, unit_id: str, points: dict[str, int]) -> None:
    await page.goto(f"{url}/scoring/{BLOC}/2023/self-assessment/{unit_id}")
    for code, _, title, _, _ in TABLE:
        await page.get_by_label(f"{code}. {title}").fill(str(points[code]))
    await expect(page.locator("#submitted_on")).to_have_value(province_today().isoformat())
    await page.get_by_role("button", name="Nộp bản tự chấm điểm").click()
    await flash(page, "Đã ghi nhận bản tự chấm điểm")


async def self_assess_by_workbook(page: Page, url: str, unit_id: str, points: dict[str, int], folder: Path) -> None:
    await page.goto(f"{url}/scoring/{BLOC}/2023/self-assessment/{unit_id}")
    template = load_workbook(io.BytesIO(await download(page, "Tải tệp mẫu tự chấm điểm (.xlsx)", folder)))
    sheet = template.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=4, value=points[str(sheet.cell(row=row, column=1).value)])
    filled = io.BytesIO()
    template.save(filled)
    await upload(page, "Tệp tự chấm điểm đã điền (.xlsx)", "tu-cham-diem.xlsx", filled.getvalue())
    await page.get_by_role("button", name="Nộp tệp tự chấm điểm").click()
    await flash(page, "Đã ghi nhận bản tự chấm điểm")


async def targets_and_results(page: Page, url: str, bloc_id: str, unit_id: str, standards: dict[str, Any],
                              staff: bool = False) -> None:
    """The unit's targets and their results: by its officer, reported today; by the province's staff, recorded
    with the day of the unit's report."""
    await page.goto(f"{url}/scoring/{bloc_id}/2023/targets/{unit_id}")
    for i, target in enumerate(standards["targets"]):
        await page.get_by_label(f"Mã {i + 1}", exact=True).fill(target["code"])
        await page.get_by_label(f"Nội dung chỉ tiêu {i + 1}", exact=True).fill(target["text"])
        await page.get_by_label(f"Đơn vị tính {i + 1}", exact=True).fill(target.get("measure") or "")
    await page.get_by_role("button", name="Đăng ký chỉ tiêu").click()
    await flash(page, "Đã đăng ký chỉ tiêu")
    for result in standards["results"]:
        if result["attained"]:
            await page.get_by_label(f"Đạt: {result['code']}").check()
        for field, label in (("achieved", "Thực hiện"), ("planned", "Kế hoạch")):
            if field in result:
                await page.get_by_label(f"{label}: {result['code']}").fill(str(result[field]))
    if staff:
        await page.get_by_label("Ngày báo cáo").fill(standards["results_recorded_on"])
    await page.get_by_role("button", name="Ghi kết quả thực hiện").click()
    await flash(page, "Đã ghi kết quả thực hiện chỉ tiêu")


async def finals_and_ranking(page: Page, url: str, bloc_id: str, published_on: str) -> None:
    await page.goto(f"{url}/scoring/{bloc_id}/2023")
    await page.get_by_role("button", name="Tính điểm tổng kết").click()
    await flash(page, "Đã tính điểm tổng kết")
    await page.get_by_label("Ngày công bố").fill(published_on)
    await page.get_by_role("button", name="Công bố xếp hạng").click()
    await flash(page, "Đã công bố bảng xếp hạng")


async def open_vote(page: Page, url: str, bloc_id: str, form: str, candidates: list[str], names: dict[str, str],
                    opened_on: str, places: int) -> str:
    await page.goto(f"{url}/votes/new?bloc_id={bloc_id}&year=2023")
    await page.get_by_label("Hình thức khen thưởng").select_option(label=form)
    await page.get_by_role("button", name="Xem").click()
    for unit_id in candidates:
        await page.get_by_label(names[unit_id], exact=False).check()
    await page.get_by_label("Số đơn vị được đề nghị").fill(str(places))
    await page.get_by_label("Ngày mở bình xét").fill(opened_on)
    await page.get_by_role("button", name="Mở bình xét").click()
    await flash(page, "Đã mở cuộc bình xét")
    return page.url.rsplit("/", 1)[-1]


async def cast(page: Page, url: str, vote_id: str, chosen: list[str], names: dict[str, str]) -> None:
    await page.goto(f"{url}/votes/{vote_id}")
    for unit_id in chosen:
        await page.get_by_label(names[unit_id], exact=True).check()
    await page.get_by_role("button", name="Bỏ phiếu").click()
    await flash(page, "Đã ghi nhận phiếu bầu của đơn vị")


async def close_vote(page: Page, url: str, vote_id: str, closed_on: str) -> None:
    await page.goto(f"{url}/votes/{vote_id}")
    await page.get_by_label("Ngày công bố kết quả").fill(closed_on)
    await page.get_by_role("button", name="Kết thúc bỏ phiếu và công bố kết quả").click()
    await flash(page, "Đã kết thúc bỏ phiếu")


async def test_the_seed_year_is_played_through_the_console_by_each_role(
        console_system: LocalSystem, desktop: BrowserContext, tmp_path: Path) -> None:
    data = seed()
    plan, standards = data["awards"], data["awards"]["standards"]
    members = list(data["scores_2023"])
    elsewhere: dict[str, str] = plan["leaders_elsewhere"]
    url = console_system.urls["console"]
    # Installing an instance: the province is registered and its first admin account created (thidua CLI).
    installer = Api(console_system.urls["registry"], await console_system.issue_token("admin"))
    await installer.post("/provinces/HNM/registration", {"name": "Hà Nam"})
    await installer.post("/provinces/HNM/accounts", {"username": "quantri", "full_name": "Trần Thị Quản",
                                                     "role": "admin", "password": password("quantri")})
    page = await desktop.new_page()

    async def accept(dialog: Dialog) -> None:
        await dialog.accept()

    page.on("dialog", accept)

    # The admin imports the registry from the Excel template, previewed first, then creates the accounts.
    await as_person(page, url, "quantri")
    await page.goto(f"{url}/registry/import")
    template = await download(page, "Tải tệp mẫu (.xlsx)", tmp_path)
    await upload(page, "Tệp Excel (.xlsx)", "don-vi-va-khoi.xlsx", registry_workbook(template))
    await page.get_by_role("button", name="Xem trước").click()
    await expect(page.get_by_role("status")).to_contain_text("12 dòng đều hợp lệ")
    assert await installer.get("/provinces/HNM/units") == [], "a preview records nothing"
    await page.get_by_role("button", name="Ghi lại 12 dòng").click()
    await flash(page, "Đã ghi lại 12 dòng")
    names = {unit["unit_id"]: unit["name"] for unit in await installer.get("/provinces/HNM/units")}
    people = [("thuky", "Phạm Văn Thư", "Thư ký khối", None, "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực "
                                                              "thuộc Tỉnh ủy"),
              ("thanhtra", "Lê Văn Tra", "Thanh tra, kiểm toán", None, None),
              *[(f"cb.{unit_id}", f"Cán bộ {names[unit_id]}", "Cán bộ đơn vị", names[unit_id], None)
                for unit_id in [*members, *elsewhere.values()]]]
    await page.goto(f"{url}/accounts")
    for username, full_name, role, unit, bloc in people:
        await page.get_by_label("Tên đăng nhập").fill(username)
        await page.get_by_label("Họ và tên").fill(full_name)
        await page.get_by_label("Vai trò").select_option(label=role)
        if unit:
            await page.get_by_label("Đơn vị (cán bộ đơn vị)").select_option(label=unit)
        if bloc:
            await page.get_by_label("Khối (thư ký khối)").select_option(label=bloc)
        await page.get_by_label("Mật khẩu ban đầu").fill(password(username))
        await page.get_by_role("button", name="Tạo tài khoản").click()
        await flash(page, f"Đã tạo tài khoản {username}")

    scoring = Api(console_system.urls["scoring"], await console_system.issue_token("auditor"))

    async def scoring_knows_every_bloc() -> bool:
        sizes = [len((await scoring.get(f"/provinces/HNM/blocs/{bloc_id}/years/2023/scoreboard"))["members"])
                 for bloc_id in [BLOC, *elsewhere]]
        return sizes == [8, 1, 1, 1, 1]

    await within(30, scoring_knows_every_bloc)

    # The secretariat adopts the table; each officer self-assesses (one by the Excel template), the leaders
    # report their targets' results; the secretariat enters each member's cross-assessments of the others.
    await as_person(page, url, "thuky")
    await adopt_table(page, url, BLOC)
    for number, unit_id in enumerate(members):
        await as_person(page, url, f"cb.{unit_id}")
        if number == 0:
            await self_assess_by_workbook(page, url, unit_id, data["scores_2023"][unit_id], tmp_path)
        else:
            await self_assess(page, url, unit_id, data["scores_2023"][unit_id])
        if unit_id in standards["leaders"]:
            await targets_and_results(page, url, BLOC, unit_id, standards)
    await as_person(page, url, "thuky")
    for assessor in members:
        await page.goto(f"{url}/scoring/{BLOC}/2023/cross?assessor={assessor}")
        for unit_id in members:
            if unit_id != assessor:
                for code, points in data["scores_2023"][unit_id].items():
                    await page.locator(f'input[name="{unit_id}|{code}"]').fill(str(points))
        await page.get_by_role("button", name="Ghi lại điểm chấm chéo").click()
        await flash(page, "Đã ghi lại điểm chấm chéo cho 7 đơn vị")
    await finals_and_ranking(page, url, BLOC, plan["opened_on"])
    first_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Văn phòng Tỉnh ủy", exact=True))
    await expect(first_row.get_by_role("cell").first).to_have_text("1")

    # The province's other blocs score their single members by their secretariat's own score (the admin),
    # recorded after the results of their targets (a later result would make the score stale).
    await as_person(page, url, "quantri")
    for bloc_id, leader in elsewhere.items():
        await adopt_table(page, url, bloc_id)
        await targets_and_results(page, url, bloc_id, leader, standards, staff=True)
        await page.goto(f"{url}/scoring/{bloc_id}/2023/final/{leader}")
        for code, _, title, _, _ in TABLE:
            await page.get_by_label(f"{code}. {title}").fill(str(standards["other_bloc_scores"][code]))
        await page.get_by_role("button", name="Ghi điểm tổng kết").click()
        await flash(page, "Đã ghi điểm")
        await page.goto(f"{url}/scoring/{bloc_id}/2023")
        await page.get_by_label("Ngày công bố").fill(plan["opened_on"])
        await page.get_by_role("button", name="Công bố xếp hạng").click()
        await flash(page, "Đã công bố bảng xếp hạng")
    # The admin attests the leaders' standards of the provincial flag.
    for unit_id in standards["leaders"]:
        await page.goto(f"{url}/units/{unit_id}/2023")
        for fact, ref in standards["attested"].items():
            await page.get_by_label("Tiêu chuẩn", exact=True).select_option(value=fact)
            await page.get_by_label("Văn bản xác nhận (số, ký hiệu)").fill(ref)
            await page.get_by_label("Ngày", exact=True).fill(standards["attested_on"])
            await page.get_by_role("button", name="Xác nhận tiêu chuẩn").click()
            await flash(page, "Đã ghi xác nhận tiêu chuẩn")

    awards = Api(console_system.urls["awards"], await console_system.issue_token("auditor"))

    async def awards_knows_the_rankings() -> bool:
        ranked = [score for score in await awards.get("/provinces/HNM/scores") if score["rank"] is not None]
        return len(ranked) == 12

    await within(30, awards_knows_the_rankings)

    # Honouring votes: each bloc's leader elsewhere (the admin as their secretariat), then the seed's three.
    votes: list[tuple[str, list[str], list[str]]] = []
    for bloc_id, leader in elsewhere.items():
        vote_id = await open_vote(page, url, bloc_id, "Cờ thi đua của UBND tỉnh", [leader], names,
                                  plan["opened_on"], 1)
        votes.append((vote_id, [leader], [leader]))
    await as_person(page, url, "thuky")
    forms = {"GOV_FLAG": "Cờ thi đua của Chính phủ", "PROV_FLAG": "Cờ thi đua của UBND tỉnh",
             "PROV_MERIT": "Bằng khen của Chủ tịch UBND tỉnh"}
    seed_votes: dict[str, str] = {}
    for vote in plan["votes"]:
        candidates = vote.get("candidates") or (["van-phong", "ban-to-chuc"] if vote["award_code"] != "PROV_MERIT"
                                                else [])
        vote_id = await open_vote(page, url, BLOC, forms[vote["award_code"]], candidates, names, plan["opened_on"],
                                  vote["places"])
        seed_votes[vote["award_code"]] = vote_id
        votes.append((vote_id, members, vote["choose"]))
    for unit_id in [*members, *elsewhere.values()]:
        await as_person(page, url, f"cb.{unit_id}")
        await page.goto(f"{url}/votes")
        for vote_id, voters, chosen in votes:
            if unit_id in voters:
                await cast(page, url, vote_id, chosen, names)
    await as_person(page, url, "quantri")
    for vote_id, _, _ in votes[:len(elsewhere)]:
        await close_vote(page, url, vote_id, plan["opened_on"])
    await as_person(page, url, "thuky")
    for vote_id, _, _ in votes[len(elsewhere):]:
        await close_vote(page, url, vote_id, plan["opened_on"])
    await expect(page.get_by_role("table")).to_contain_text("Ủy ban Kiểm tra Tỉnh ủy")

    # The secretariat files the proposals of its three votes with the dossiers' documents.
    for code, vote_id in seed_votes.items():
        await page.goto(f"{url}/proposals/new?vote_id={vote_id}")
        for kind, ref in plan["documents"][code]:
            await page.locator(f"#doc-{kind}").fill(ref)
        await page.get_by_label("Ngày lập hồ sơ").fill(plan["filed_on"])
        await page.get_by_role("button", name="Lập đề nghị").click()
        await flash(page, "Đã lập")

    # The council votes on each, the Government flag goes to the centre, the decisions are recorded.
    await as_person(page, url, "quantri")
    board = await awards.get("/provinces/HNM/proposals", year=2023, bloc_id=BLOC)
    council = plan["council"]
    for proposal in board["proposals"]:
        code = proposal["award_code"]
        await page.goto(f"{url}/proposals/{proposal['proposal_id']}")
        if proposal["unit_id"] == "ubkt":  # a complaint is pending for a while: the proposal waits, then goes on
            await page.locator("summary", has_text="Tạm dừng xét").click()
            await page.locator("#freeze-ref").fill("KN 09/KN-UBKT (mẫu)")
            await page.locator("#freeze-reason").fill("Đang giải quyết đơn khiếu nại")
            await page.locator("#freeze-on").fill("2024-01-20")
            await page.get_by_role("button", name="Tạm dừng xét").click()
            await flash(page, "Đã tạm dừng xét đề nghị")
            await expect(page.get_by_role("note")).to_contain_text("KN 09/KN-UBKT (mẫu) từ ngày 20/01/2024")
            await expect(page.locator("summary", has_text="Ghi kết quả biểu quyết của Hội đồng")).to_have_count(0)
            await page.locator("summary", has_text="Tiếp tục xét").click()
            await page.locator("#unfreeze-reason").fill("Đã có kết luận: đơn không có cơ sở")
            await page.locator("#unfreeze-on").fill("2024-02-01")
            await page.get_by_role("button", name="Tiếp tục xét").click()
            await flash(page, "Đã tiếp tục xét đề nghị")
        await page.locator("summary", has_text="Ghi kết quả biểu quyết của Hội đồng").click()
        for field, label in (("members", "Số thành viên Hội đồng"), ("present", "Số thành viên dự họp"),
                             ("approve", "Số phiếu đồng ý"), ("reject", "Số phiếu không đồng ý"),
                             ("written_votes", "Số phiếu gửi bằng văn bản")):
            await page.get_by_label(label).fill(str(council[field]))
        await page.get_by_label("Ngày họp").fill(council["held_on"])
        await page.get_by_role("button", name="Ghi kết quả biểu quyết của Hội đồng").click()
        await flash(page, "Đã ghi kết quả biểu quyết của Hội đồng")
        if code == "GOV_FLAG":
            forwarding = plan["forwarding"]
            await page.locator("summary", has_text="Trình Trung ương").click()
            await page.get_by_label("Số tờ trình của tỉnh").fill(forwarding["dossier_ref"])
            for document in forwarding.get("documents", []):
                await page.locator(f"#forward-doc-{document['kind']}").fill(document["ref"])
            await page.locator("#forward-on").fill(forwarding["forwarded_on"])
            await page.get_by_role("button", name="Trình Trung ương").click()
            await flash(page, "Đã trình Trung ương")
        decision = plan["decisions"][code]
        await page.locator("summary", has_text="Ghi quyết định khen thưởng").click()
        await page.get_by_label("Số quyết định").fill(decision["decision_no"])
        await page.locator("#decide-on").fill(decision["decided_on"])
        await page.get_by_role("button", name="Ghi quyết định khen thưởng").click()
        await flash(page, "Đã ghi quyết định khen thưởng")

    decided = await awards.get("/provinces/HNM/proposals", year=2023, bloc_id=BLOC)
    assert sorted((row["award_code"], row["unit_id"], row["state"]) for row in decided["proposals"]) == [
        ("GOV_FLAG", "van-phong", "decided"), ("PROV_FLAG", "ban-to-chuc", "decided"),
        ("PROV_MERIT", "du-khoi-doanh-nghiep", "decided"), ("PROV_MERIT", "ubkt", "decided")]

    # The Government flag's trail: the ranking, the tally, the council and the decision, rule by rule.
    flag = next(row for row in decided["proposals"] if row["award_code"] == "GOV_FLAG")
    await page.goto(f"{url}/proposals/{flag['proposal_id']}/why")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vì sao Văn phòng Tỉnh ủy được Cờ thi đua của Chính phủ")
    ranking = page.locator("section", has=page.get_by_role("heading", name="1. Bảng xếp hạng", exact=False))
    first = ranking.get_by_role("row").nth(1)
    await expect(first.get_by_role("rowheader")).to_have_text("Văn phòng Tỉnh ủy")
    await expect(first.get_by_role("cell")).to_have_text(["1", "95"])
    tally = page.locator("section", has=page.get_by_role("heading", name="2. Kết quả bình xét, suy tôn"))
    await expect(tally).to_contain_text("8/8 đơn vị bỏ phiếu; được đề nghị: Văn phòng Tỉnh ủy.")
    await expect(page.locator("section", has=page.get_by_role("heading", name="3. Hội đồng Thi đua - Khen thưởng"))
                 ).to_contain_text("Họp ngày 05/02/2024: 18/20 thành viên dự, 17 đồng ý")
    decided_section = page.locator("section", has=page.get_by_role("heading", name="4. Quyết định"))
    await expect(decided_section).to_contain_text(
        f"Đã trình Trung ương theo văn bản {plan['forwarding']['dossier_ref']}")
    await expect(decided_section).to_contain_text(
        f"Quyết định số {plan['decisions']['GOV_FLAG']['decision_no']} ngày 10/05/2024 của Thủ tướng Chính phủ")
    await expect(page.get_by_role("row", name="Trong hạn mức", exact=False)).to_contain_text(
        "Nghị định số 98/2023/NĐ-CP")
    body = await page.locator("main").inner_text()
    for slug in ("van-phong", "GOV_FLAG", "khoi-ban-dang", "2024-05-10"):
        assert slug not in body, f"the trail names things as people do, not {slug}"

    # The unit hears of its award; an auditor reads the bloc-year's history, hashes and all, and changes nothing.
    await as_person(page, url, "cb.van-phong")
    told = "Văn phòng Tỉnh ủy được tặng Cờ thi đua của Chính phủ năm 2023 theo Quyết định số 500/QĐ-TTg (mẫu)"
    for _ in range(50):
        await page.goto(f"{url}/notifications")
        if told in await page.locator("main").inner_text():
            break
        await page.wait_for_timeout(200)
    await expect(page.locator("main")).to_contain_text(told)
    await as_person(page, url, "thanhtra")
    await page.goto(f"{url}/audit")
    await page.get_by_role("link", name="Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy — 2023"
                           ).click()
    decision = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Quyết định khen thưởng"))
    while not await decision.count() and await page.get_by_role("link", name="Trang sau").count():
        await page.get_by_role("link", name="Trang sau").click()  # the history pages, oldest first
    await expect(decision.first).to_contain_text("10/05/2024")
    await expect(decision.first.locator(".hash")).to_have_text(re.compile(r"^[0-9a-f]{16}$"))
    await expect(page.locator("main form")).to_have_count(0)
    for api in (installer, scoring, awards):
        await api.close()
