"""Who may do what in the console, in a real browser: a unit officer reaches only its own unit's forms, five
wrong passwords lock an account until the admin unlocks it, and a form posted without its CSRF token is
refused with nothing recorded."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from browsing import sign_in, sign_out
from playwright.async_api import BrowserContext, FilePayload, expect

from thidua_cli.client import Api
from thidua_cli.demo import seed_file
from thidua_cli.system import LocalSystem
from thidua_shared.clock import province_today
from thidua_shared.testing import within

BLOC = "khoi-ban-dang"
TABLE = [{"code": "C1", "group": "Thực hiện nhiệm vụ chính trị", "title": "Hoàn thành chương trình công tác năm",
          "max_points": 60}, {"code": "C2", "group": "Công tác xây dựng Đảng", "title": "Xây dựng tổ chức Đảng",
                              "max_points": 30},
         {"code": "B1", "group": "Điểm thưởng", "title": "Sáng kiến, mô hình mới", "max_points": 10, "kind": "bonus"}]
PASSWORDS = {"quantri": "quan-tri-2024!", "cb.van-phong": "van-phong-mat-khau", "cb.ban-to-chuc": "to-chuc-mat-khau"}


async def prepare(system: LocalSystem) -> tuple[int, Api]:
    """The province, its units and blocs, the bloc's table open for self-assessment this year, and three
    people's accounts: what the admin's own test does through the console, done here over the APIs."""
    year = province_today().year
    admin = await system.issue_token("admin")
    base = "/provinces/HNM"
    registry, scoring = Api(system.urls["registry"], admin), Api(system.urls["scoring"], admin)
    await registry.post(f"{base}/registration", {"name": "Hà Nam"})
    await registry.upload(f"{base}/imports", seed_file("hanam-registry.csv"), "text/csv")

    async def scoring_knows_the_bloc() -> bool:
        board = await scoring.get(f"{base}/blocs/{BLOC}/years/{year}/scoreboard")
        return len(board["members"]) == 8

    await within(30, scoring_knows_the_bloc)
    await scoring.post(f"{base}/blocs/{BLOC}/years/{year}/table", {"criteria": TABLE})
    await scoring.post(f"{base}/blocs/{BLOC}/years/{year}/window", {
        "opens_on": (province_today() - timedelta(days=1)).isoformat(),
        "closes_on": (province_today() + timedelta(days=7)).isoformat()})
    people: list[dict[str, Any]] = [
        {"username": "quantri", "full_name": "Trần Thị Quản", "role": "admin"},
        {"username": "cb.van-phong", "full_name": "Nguyễn Văn An", "role": "unit_officer", "unit_id": "van-phong"},
        {"username": "cb.ban-to-chuc", "full_name": "Lê Thị Bình", "role": "unit_officer", "unit_id": "ban-to-chuc"},
    ]
    for person in people:
        await registry.post(f"{base}/accounts", {**person, "password": PASSWORDS[person["username"]]})
    await registry.close()
    return year, scoring


async def test_a_unit_officer_reaches_only_its_own_units_forms(console_system: LocalSystem,
                                                               desktop: BrowserContext) -> None:
    year, scoring = await prepare(console_system)
    url = console_system.urls["console"]
    page = await desktop.new_page()
    await sign_in(page, url, "cb.van-phong", PASSWORDS["cb.van-phong"])
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Tổng quan năm {year}")
    await expect(page.get_by_text("Đang đăng nhập: Nguyễn Văn An (Cán bộ đơn vị)")).to_be_visible()
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"The year {year} at a glance")
    await page.get_by_role("button", name="Tiếng Việt").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Tổng quan năm {year}")

    await page.goto(f"{url}/scoring/{BLOC}/{year}")
    links = page.get_by_role("link", name="Tự chấm điểm")
    await expect(links).to_have_count(1)  # its own unit's form, not the seven others'
    await links.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tự chấm điểm: Văn phòng Tỉnh ủy")

    answer = await page.goto(f"{url}/scoring/{BLOC}/{year}/self-assessment/ban-to-chuc")
    assert answer is not None
    assert answer.status == 403
    await expect(page.get_by_role("alert")).to_have_text("Bạn chỉ được điền biểu mẫu của đơn vị mình.")
    csrf = await page.locator("input[name=csrf_token]").first.input_value()
    posted = await page.request.post(f"{url}/scoring/{BLOC}/{year}/self-assessment/ban-to-chuc", multipart={
        "csrf_token": csrf, "score-C1": "60", "score-C2": "30", "score-B1": "10"})
    assert posted.status == 403, "another unit's form, posted with a valid session and token, is refused"
    answer = await page.goto(f"{url}/accounts")
    assert answer is not None
    assert answer.status == 403

    await page.goto(f"{url}/scoring/{BLOC}/{year}/self-assessment/van-phong")
    await page.get_by_label("C1. Hoàn thành chương trình công tác năm").fill("58")
    await page.get_by_label("C2. Xây dựng tổ chức Đảng").fill("28,5")
    await page.get_by_label("B1. Sáng kiến, mô hình mới").fill("9")
    report: FilePayload = {"name": "Báo cáo tổng kết.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bao cao"}
    await page.get_by_label("Tài liệu minh chứng").set_input_files(files=[report])
    await page.get_by_role("button", name="Nộp bản tự chấm điểm").click()
    await expect(page.get_by_role("status")).to_have_text("Đã ghi nhận bản tự chấm điểm.")

    board = await scoring.get(f"/provinces/HNM/blocs/{BLOC}/years/{year}/scoreboard")
    assert set(board["self_assessments"]) == {"van-phong"}, "only its own unit's assessment was recorded"
    own = board["self_assessments"]["van-phong"]
    assert own["scores"] == {"C1": 58.0, "C2": 28.5, "B1": 9.0}
    history = await scoring.get(f"/provinces/HNM/blocs/{BLOC}/years/{year}/history")
    submitted = next(event["payload"] for event in history if event["event_type"] == "SelfAssessmentSubmitted")
    [reference] = submitted["evidence"]
    held = await scoring.download(f"/provinces/HNM/evidence/{reference.rsplit(':', 1)[-1]}")
    assert held == b"%PDF-1.4 bao cao", "the evidence uploaded with the form is held as sent"
    await scoring.close()


async def test_five_wrong_passwords_lock_the_account_until_the_admin_unlocks_it(
        console_system: LocalSystem, desktop: BrowserContext) -> None:
    await prepare(console_system)
    url = console_system.urls["console"]
    page = await desktop.new_page()
    for attempt in range(1, 6):
        await sign_in(page, url, "cb.ban-to-chuc", f"sai-mat-khau-{attempt}")
        if attempt < 5:
            await expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    await expect(page.get_by_role("alert")).to_contain_text("khóa")
    await sign_in(page, url, "cb.ban-to-chuc", PASSWORDS["cb.ban-to-chuc"])
    await expect(page.get_by_role("alert")).to_contain_text("khóa")  # the right password does not open it
    assert page.url.endswith("/sign-in")

    await sign_in(page, url, "quantri", PASSWORDS["quantri"])
    await page.goto(f"{url}/accounts")
    row = page.get_by_role("row", name=re.compile("cb.ban-to-chuc"))
    await expect(row).to_contain_text("Đã khóa")
    await row.get_by_role("button", name="Mở khóa").click()
    await expect(page.get_by_role("status")).to_have_text("Đã mở khóa tài khoản cb.ban-to-chuc.")
    await sign_out(page)

    await sign_in(page, url, "cb.ban-to-chuc", PASSWORDS["cb.ban-to-chuc"])
    await expect(page.get_by_text("Đang đăng nhập: Lê Thị Bình (Cán bộ đơn vị)")).to_be_visible()

    # Back in, the officer changes its password: the old one no longer opens the account, the new one does.
    await page.goto(f"{url}/password")
    await page.get_by_label("Mật khẩu hiện tại").fill(PASSWORDS["cb.ban-to-chuc"])
    await page.get_by_label("Mật khẩu mới", exact=True).fill("mot-mat-khau-moi-hon")
    await page.get_by_label("Nhập lại mật khẩu mới").fill("mot-mat-khau-khac")
    await page.get_by_role("button", name="Đổi mật khẩu").click()
    await expect(page.locator("#new_password_again-problem")).to_have_text(
        "Hai lần nhập mật khẩu mới không giống nhau.")
    await page.get_by_label("Mật khẩu hiện tại").fill(PASSWORDS["cb.ban-to-chuc"])
    await page.get_by_label("Mật khẩu mới", exact=True).fill("mot-mat-khau-moi-hon")
    await page.get_by_label("Nhập lại mật khẩu mới").fill("mot-mat-khau-moi-hon")
    await page.get_by_role("button", name="Đổi mật khẩu").click()
    await expect(page.get_by_role("status")).to_have_text("Đã đổi mật khẩu.")
    await sign_out(page)
    await sign_in(page, url, "cb.ban-to-chuc", PASSWORDS["cb.ban-to-chuc"])
    await expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    await sign_in(page, url, "cb.ban-to-chuc", "mot-mat-khau-moi-hon")
    await expect(page.get_by_text("Đang đăng nhập: Lê Thị Bình (Cán bộ đơn vị)")).to_be_visible()


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
        console_system: LocalSystem, desktop: BrowserContext) -> None:
    await prepare(console_system)
    url = console_system.urls["console"]
    page = await desktop.new_page()
    await sign_in(page, url, "cb.van-phong", PASSWORDS["cb.van-phong"])
    await page.goto(f"{url}/password")
    form: dict[str, str | float | bool] = {
            "current_password": PASSWORDS["cb.van-phong"], "new_password": "mat-khau-moi-2024",
            "new_password_again": "mat-khau-moi-2024"}
    refused = await page.request.post(f"{url}/password", form=form)
    assert refused.status == 403
    assert "Biểu mẫu đã hết hạn hoặc không được gửi từ trang này" in await refused.text()
    forged = await page.request.post(f"{url}/password", form={**form, "csrf_token": "x" * 43})
    assert forged.status == 403, "a token of another session is no better than none"
    await sign_out(page)

    anonymous = await desktop.request.post(f"{url}/sign-in", form={
        "username": "cb.van-phong", "password": PASSWORDS["cb.van-phong"]})
    assert anonymous.status == 403, "the sign-in form, too, carries its token"
    await sign_in(page, url, "cb.van-phong", PASSWORDS["cb.van-phong"])
    # the password was not changed by the refused posts
    await expect(page.get_by_text("Đang đăng nhập: Nguyễn Văn An (Cán bộ đơn vị)")).to_be_visible()

    registry = Api(console_system.urls["registry"], await console_system.issue_token("admin"))
    await registry.post("/provinces/HNM/accounts/cb.van-phong/disabling", {})
    await registry.close()
    await page.wait_for_timeout(10_500)  # a service remembers a token it checked for ten seconds
    await page.goto(f"{url}/")
    assert page.url.endswith("/sign-in"), "a disabled account's session ends at its next page"
    await expect(page.get_by_role("status")).to_have_text("Phiên làm việc đã hết hạn; hãy đăng nhập lại.")
