"""The console in a real browser: Debian's Chromium driven by Playwright, against the whole system (the four
services and the console as processes, the embedded Kafka-protocol broker, SQLite stores); and what a person
does in it, step by step."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from thidua_cli.system import LocalSystem
from thidua_shared.broker import EmbeddedBroker

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Without the background-networking flags Chromium keeps reaching for Google's hosts, which a closed network
refuses."""
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    """Debian's Chromium (``apt-get install chromium``; the Playwright download is not reachable here), or the
    one ``THIDUA_CHROMIUM`` names. A missing browser fails the tests: they are not skipped."""
    found = os.environ.get("THIDUA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        pytest.fail("the browser tests need Chromium: apt-get install chromium (or set THIDUA_CHROMIUM)")
    return found


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def console_system(tmp_path: Path, own_broker: EmbeddedBroker) -> AsyncIterator[LocalSystem]:
    """The whole system with its console, for the seed's province, on a broker of its own."""
    running = LocalSystem(tmp_path, "HNM", bootstrap=own_broker.bootstrap_servers, console=True)
    try:
        await running.start(progress=False)
        yield running
    finally:
        running.stop()


@pytest.fixture
async def desktop(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport=DESKTOP, locale="vi-VN")  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    try:
        yield context
    finally:
        await context.close()


async def sign_in(page: Page, console_url: str, username: str, password: str) -> None:
    await page.goto(f"{console_url}/sign-in")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Đăng xuất").click()
