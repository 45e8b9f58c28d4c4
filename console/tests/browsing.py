"""What a person does in the console, step by step, for the browser tests."""

from __future__ import annotations

from playwright.async_api import Page


async def sign_in(page: Page, console_url: str, username: str, password: str) -> None:
    await page.goto(f"{console_url}/sign-in")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Đăng xuất").click()
