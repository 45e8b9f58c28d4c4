"""An auditor's token changes nothing, on any of the four services, and each of its requests is recorded for the
province's admin: every operation of every service's OpenAPI that is not a read is refused to it (403, before the
body is looked at), the logs do not move, and the admin sees each attempt beside the auditor's reads."""

from __future__ import annotations

import re
from typing import Any

import httpx

from thidua_cli.system import SERVICES, LocalSystem

PROVINCE = "HNM"
WRITING = ("post", "put", "patch", "delete")
SESSIONS = {"/provinces/{province}/sessions", "/provinces/{province}/sessions/current"}
"""Signing in takes no token, and signing out revokes only the caller's own token and records nothing: an auditor
signs in and out as anyone does."""


def _writes(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    """Every operation of a province's routes that is not a read, with its path's parameters filled in."""
    found = []
    for path, operations in openapi["paths"].items():
        if not path.startswith("/provinces/{province}") or path in SESSIONS:
            continue
        concrete = re.sub(r"\{[a-z_]+\}", "x", path.replace("{province}", PROVINCE))
        found += [(method.upper(), concrete) for method in operations if method in WRITING]
    return found


async def _head(http: httpx.AsyncClient, url: str) -> int:
    answer = await http.get(f"{url}/provinces/{PROVINCE}/log", params={"limit": 1})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["head_position"])


async def test_an_auditor_changes_nothing_on_any_service_and_each_request_is_recorded(system: LocalSystem) -> None:
    auditor = await system.issue_token("auditor")
    admin = await system.issue_token("admin")
    async with httpx.AsyncClient(timeout=30, headers={"Authorization": f"Bearer {auditor}"}) as as_auditor, \
            httpx.AsyncClient(timeout=30, headers={"Authorization": f"Bearer {admin}"}) as as_admin:
        registered = await as_admin.post(f"{system.urls['registry']}/provinces/{PROVINCE}/registration",
                                         json={"name": "Hà Nam"})
        assert registered.status_code == 201, registered.text
        for service in SERVICES:
            url = system.urls[service]
            writes = _writes((await as_auditor.get(f"{url}/openapi.json")).json())
            assert len(writes) >= 3, f"{service} documents its commands"
            before = await _head(as_auditor, url)
            for method, path in writes:
                answer = await as_auditor.request(method, f"{url}{path}", json={},
                                                  headers={"Accept-Language": "en"})
                assert answer.status_code == 403, f"{service}: {method} {path} answered {answer.status_code}"
                assert f"a token of the auditor role cannot be used for a {method} request" in answer.text
            read = await as_auditor.get(f"{url}/provinces/{PROVINCE}/log", params={"limit": 5})
            assert read.status_code == 200, "reading is what an auditor does"
            assert await _head(as_auditor, url) == before, f"{service}: the auditor's requests recorded no event"
            seen = (await as_admin.get(f"{url}/provinces/{PROVINCE}/audit-reads")).json()
            recorded = {(entry["method"], entry["path"]) for entry in seen}
            assert set(writes) <= recorded, f"{service}: every refused attempt is recorded"
            assert ("GET", f"/provinces/{PROVINCE}/log") in recorded
