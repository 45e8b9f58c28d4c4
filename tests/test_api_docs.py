"""Swagger UI at /docs works offline: its script, style and icon come from the service itself, never a CDN."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from awards.bootstrap import create_app as awards_app
from notifications.bootstrap import create_app as notifications_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app

APPS: list[Callable[[], FastAPI]] = [registry_app, scoring_app, awards_app, notifications_app]
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|\burl\s*:\s*["']([^"']+)["']""")


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")


@pytest.mark.parametrize("create_app", APPS, ids=["registry", "scoring", "awards", "notifications"])
async def test_the_docs_page_loads_only_what_the_service_itself_serves(create_app: Callable[[], FastAPI]) -> None:
    async with _client(create_app()) as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        urls = [found for pair in REFERENCE.findall(page.text) for found in pair if found]
        assert any(url.endswith(".js") for url in urls), urls
        assert any(url.endswith(".css") for url in urls), urls
        assert "/openapi.json" in urls
        for url in urls:
            assert url.startswith("/"), f"{url} is not served by the service"
            assert not url.startswith("//"), f"{url} is not served by the service"
            answer = await client.get(url)
            assert answer.status_code == 200, url
            assert answer.content, url
    assert "http://" not in page.text
    assert "https://" not in page.text


async def test_the_swagger_ui_script_and_style_are_served_with_their_media_types() -> None:
    async with _client(registry_app()) as client:
        script = await client.get("/docs/assets/swagger-ui-bundle.js")
        style = await client.get("/docs/assets/swagger-ui.css")
        redoc = await client.get("/redoc")
    assert script.status_code == style.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert style.headers["content-type"].startswith("text/css")
    assert redoc.status_code == 404
