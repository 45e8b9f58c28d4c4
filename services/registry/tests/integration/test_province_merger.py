"""Provinces merge (Hà Nam into Ninh Bình, 2025): history stays reachable under both codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from registry.bootstrap import create_app
from thidua_shared.testing import ApiUnderTest, running_service, unique_province

OLD, NEW = unique_province("H"), unique_province("N")


@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap, provinces=f"{OLD},{NEW}") as service:
        yield service


async def _prepare(registry: ApiUnderTest) -> tuple[str, str]:
    old_admin, new_admin = await registry.token("admin", province=OLD), await registry.token("admin", province=NEW)
    async with registry.client(old_admin) as http:
        await http.post(f"/provinces/{OLD}/registration", json={"name": "Hà Nam"})
        await http.post(f"/provinces/{OLD}/units", json={"unit_id": "so-noi-vu-hn", "name": "Sở Nội vụ Hà Nam"})
    async with registry.client(new_admin) as http:
        await http.post(f"/provinces/{NEW}/registration", json={"name": "Ninh Bình"})
        await http.post(f"/provinces/{NEW}/units", json={"unit_id": "so-noi-vu-nb", "name": "Sở Nội vụ Ninh Bình"})
    return old_admin, new_admin


async def _consent(registry: ApiUnderTest, admin: str) -> None:
    async with registry.client(admin) as http:
        consented = await http.post(f"/provinces/{OLD}/merger-consents", json={
            "into_code": NEW, "legal_basis": "Nghị quyết 202/2025/QH15 của Quốc hội", "consented_on": "2025-06-20"})
    assert consented.status_code == 201, consented.text


async def test_a_province_merges_only_after_its_own_admin_consented(registry: ApiUnderTest) -> None:
    old_admin, new_admin = await _prepare(registry)
    merger = {"from_codes": [OLD], "effective_on": "2025-07-01", "legal_basis": "Nghị quyết 202/2025/QH15"}
    async with registry.client(new_admin, language="en") as http:
        alone = await http.post(f"/provinces/{NEW}/province-mergers", json=merger)
        for_other = await http.post(f"/provinces/{OLD}/merger-consents", json={
            "into_code": NEW, "legal_basis": "x", "consented_on": "2025-06-20"})
    assert alone.status_code == 409
    assert f"Province {OLD} has not agreed to merge into {NEW}" in alone.json()["message"]
    assert for_other.status_code == 403, "only the merging province's own admin consents"
    await _consent(registry, old_admin)
    async with registry.client(new_admin, language="en") as http:
        merged = await http.post(f"/provinces/{NEW}/province-mergers", json=merger)
    assert merged.status_code == 201


async def test_a_merged_provinces_units_and_history_are_reachable_under_both_codes(registry: ApiUnderTest) -> None:
    old_admin, new_admin = await _prepare(registry)
    await _consent(registry, old_admin)
    async with registry.client(new_admin, language="en") as http:
        merged = await http.post(f"/provinces/{NEW}/province-mergers", json={
            "from_codes": [OLD], "effective_on": "2025-07-01",
            "legal_basis": "Nghị quyết 202/2025/QH15 của Quốc hội"})
        again = await http.post(f"/provinces/{NEW}/province-mergers", json={
            "from_codes": [OLD], "effective_on": "2025-07-02", "legal_basis": "x"})
        units = (await http.get(f"/provinces/{NEW}/units")).json()
        history = (await http.get(f"/provinces/{NEW}/units/so-noi-vu-hn/history")).json()
        new_province = (await http.get(f"/provinces/{NEW}")).json()
    async with registry.client(old_admin) as http:
        old_province = (await http.get(f"/provinces/{OLD}")).json()
        old_history = (await http.get(f"/provinces/{OLD}/units/so-noi-vu-hn/history")).json()

    assert merged.status_code == 201
    assert {e["event_type"] for e in merged.json()["events"]} == {"ProvincesMerged"}
    assert len(merged.json()["events"]) == 2, "recorded for each province, so each province's topic tells it"
    assert again.status_code == 409
    assert f"Province {OLD} has already merged into {NEW}" in again.json()["message"]
    assert {(u["province"], u["unit_id"]) for u in units} == {(OLD, "so-noi-vu-hn"), (NEW, "so-noi-vu-nb")}
    assert [e["event_type"] for e in history] == ["UnitRegistered"]
    assert history == old_history
    assert [p["predecessor_code"] for p in new_province["merged_from"]] == [OLD]
    assert old_province["merged_into"]["code"] == NEW


async def test_a_province_merger_needs_registered_provinces_and_a_legal_basis(registry: ApiUnderTest) -> None:
    _, new_admin = await _prepare(registry)
    async with registry.client(new_admin, language="en") as http:
        unknown = await http.post(f"/provinces/{NEW}/province-mergers", json={
            "from_codes": ["ZZZ"], "effective_on": "2025-07-01", "legal_basis": "x"})
        itself = await http.post(f"/provinces/{NEW}/province-mergers", json={
            "from_codes": [NEW], "effective_on": "2025-07-01", "legal_basis": "x"})
        blank = await http.post(f"/provinces/{NEW}/province-mergers", json={
            "from_codes": [OLD], "effective_on": "2025-07-01", "legal_basis": "  "})
    assert unknown.status_code == 404
    assert "Province ZZZ is not registered" in unknown.json()["message"]
    assert itself.status_code == 422
    assert blank.status_code == 422
    assert "legal basis" in blank.json()["message"]
