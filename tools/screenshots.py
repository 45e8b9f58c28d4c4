"""Screenshots of the console's main pages at 1366×768 and 390×844, into ``docs/console/``.

Plays the seed's year on the embedded default (as ``thidua up --demo`` does), signs in as the people who do
each part of the work, and photographs what they see in Debian's Chromium. Run it after changing a page, and
look at the pictures: ``.venv/bin/python tools/screenshots.py``.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.async_api import Page, async_playwright

from thidua_cli import demo
from thidua_cli.main import _issue
from thidua_cli.system import LocalSystem

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "console"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--lang=vi-VN"]
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SHOTS: list[tuple[str, str, str]] = [
    # (file name, who, path)
    ("sign-in", "", "/sign-in"),
    ("glance", "quantri", "/"),
    ("units", "quantri", "/registry/units"),
    ("bloc", "quantri", "/registry/blocs/khoi-ban-dang?on=2024-01-03"),
    ("import", "quantri", "/registry/import"),
    ("scoreboard", "thuky", "/scoring/khoi-ban-dang/2023"),
    ("vote", "cb.van-phong", "/votes/khoi-ban-dang-2023-merit"),
    ("proposals", "quantri", "/proposals?year=2023"),
    ("proposal", "quantri", "/proposals/khoi-ban-dang-2023-gov-flag"),
    ("why", "quantri", "/proposals/khoi-ban-dang-2023-gov-flag/why"),
    ("notifications", "cb.van-phong", "/notifications"),
    ("audit", "thanhtra", "/audit/blocs/khoi-ban-dang/2023"),
    ("accounts", "quantri", "/accounts"),
]


async def _sign_in(page: Page, url: str, username: str, password: str) -> None:
    await page.goto(f"{url}/sign-in")
    await page.fill("#username", username)
    await page.fill("#password", password)
    await page.click("form[action=\"/sign-in\"] button[type=submit]")
    await page.wait_for_load_state()


async def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("screenshots: Chromium is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thidua-shots-") as folder:
        system = LocalSystem(Path(folder), "HNM", console=True)
        try:
            await system.start()
            token, _ = await _issue(system.data_dir, "HNM", "admin", "screenshots", None, None)
            await demo.play(system, token)
            passwords = {person.username: person.password for person in await demo.create_people(system, token)}
            url = system.urls["console"]
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=chromium, args=FLAGS)
                for size, viewport in SIZES.items():
                    for name, who, path in SHOTS:
                        context = await browser.new_context(viewport=viewport, locale="vi-VN")  # type: ignore[arg-type]
                        page = await context.new_page()
                        if who:
                            await _sign_in(page, url, who, passwords[who])
                        await page.goto(url + path)
                        target = OUT / f"{name}-{size}.png"
                        await page.screenshot(path=str(target))
                        print(f"  {target.relative_to(ROOT)}", flush=True)
                        await context.close()
                await browser.close()
        finally:
            system.stop()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
