"""Every answer carries the security headers, errors included; HSTS only over HTTPS."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from thidua_shared.security_headers import PAGES_POLICY, SecurityHeaders


def app_with(policy: str | None = None) -> FastAPI:
    app = FastAPI()
    if policy is None:
        app.add_middleware(SecurityHeaders)
    else:
        app.add_middleware(SecurityHeaders, policy=policy)

    @app.get("/cached")
    async def cached() -> PlainTextResponse:
        return PlainTextResponse("static", headers={"Cache-Control": "max-age=60"})

    return app


async def answer(app: FastAPI, base_url: str, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
        return await client.get(path)


@pytest.mark.parametrize("path", ["/missing", "/cached"])
async def test_every_answer_forbids_framing_sniffing_and_foreign_scripts(path: str) -> None:
    response = await answer(app_with(), "http://api", path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers, "HSTS over plain HTTP means nothing"
    assert response.headers["Cache-Control"] == ("no-store" if path == "/missing" else "max-age=60")


async def test_the_console_allows_only_its_own_scripts_and_hsts_goes_out_over_https() -> None:
    response = await answer(app_with(PAGES_POLICY), "https://console", "/missing")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
