"""What the registry refuses at its edge, on SQLite and PostgreSQL: control characters, a second spelling of
the same name, years and days out of bounds, JSON it cannot read; and a busy database answers 503."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import unicodedata
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from registry.bootstrap import create_app
from thidua_shared.clock import province_today
from thidua_shared.config import ServiceSettings
from thidua_shared.testing import ApiUnderTest, database_url_for, unique_province

NAME = "Ủy ban Kiểm tra Tỉnh ủy"
NFD_NAME = unicodedata.normalize("NFD", NAME)
UNIT = {"unit_id": "ubkt", "name": NAME, "short_name": "UBKT", "kind": "party_board"}
BLOC = {"bloc_id": "khoi-dang", "name": "Khối các Ban Đảng", "kind": "khoi", "decision_ref": "01/QĐ-UBND"}


@contextlib.asynccontextmanager
async def registry_on(database_url: str, data_dir: Path, bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    settings = ServiceSettings(data_dir=data_dir, provinces=unique_province(), kafka_bootstrap_servers=bootstrap,
                               database_url=database_url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield ApiUnderTest(app, settings)


@pytest.fixture(params=["sqlite", "postgres"])
def registry_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database_url_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def registry(registry_database: str, tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with registry_on(registry_database, tmp_path, kafka_bootstrap) as service:
        yield service


async def test_a_nul_character_in_a_name_is_refused_on_every_database(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin) as http:
        vietnamese = await http.post(f"{registry.base}/units", json={**UNIT, "name": "Ủy ban\x00Kiểm tra"})
        units = await http.get(f"{registry.base}/units")
    async with registry.client(admin, language="en") as http:
        english = await http.post(f"{registry.base}/blocs", json={**BLOC, "name": "Khối\x00Đảng"})
    assert vietnamese.status_code == english.status_code == 422
    assert vietnamese.json()["error"] == "request.invalid"
    assert "name: chứa ký tự điều khiển U+0000; hãy bỏ ký tự đó" in vietnamese.json()["message"]
    assert "name: holds the control character U+0000; remove it" in english.json()["message"]
    assert units.json() == []


async def test_a_nul_character_in_an_imported_name_is_refused_with_its_row(registry: ApiUnderTest) -> None:
    table = ("unit_id,unit_name,unit_kind,bloc_id,bloc_name,bloc_kind,bloc_decision_ref,joined_on,decision_ref\n"
             "ubkt,Ủy ban\x01Kiểm tra,party_board,khoi-dang,Khối Đảng,khoi,01/QĐ,2024-01-01,02/QĐ\n")
    async with registry.client(await registry.token("admin"), language="en") as http:
        answer = await http.post(f"{registry.base}/imports", content=table.encode(),
                                 headers={"Content-Type": "text/csv"})
    assert answer.status_code == 422, answer.text
    [problem] = [problem for problem in answer.json()["details"]["problems"] if problem["row"] == 2
                 and problem["error"] == "text.control_character"]
    assert problem["message"] == "The field name holds the control character U+0001; remove it."


async def test_the_nfd_spelling_of_a_name_is_stored_as_nfc_and_is_not_a_new_name(registry: ApiUnderTest) -> None:
    async with registry.client(await registry.token("admin"), language="en") as http:
        registered = await http.post(f"{registry.base}/units", json={**UNIT, "name": NFD_NAME})
        unit = (await http.get(f"{registry.base}/units/ubkt")).json()
        renamed = await http.post(f"{registry.base}/units/ubkt/renaming", json={
            "name": NFD_NAME, "effective_on": "2025-01-01", "decision_ref": "03/QĐ-UBND"})
    assert registered.status_code == 201
    assert unit["name"] == NAME
    assert renamed.status_code == 409
    assert renamed.json()["error"] == "unit.same_name"


async def test_an_imported_nfd_name_is_stored_as_nfc(registry: ApiUnderTest) -> None:
    table = ("unit_id,unit_name,unit_kind,bloc_id,bloc_name,bloc_kind,bloc_decision_ref,joined_on,decision_ref\n"
             f"ubkt,{NFD_NAME},party_board,khoi-dang,Khối Đảng,khoi,01/QĐ,2024-01-01,02/QĐ\n")
    async with registry.client(await registry.token("admin")) as http:
        imported = await http.post(f"{registry.base}/imports", content=table.encode(),
                                   headers={"Content-Type": "text/csv"})
        unit = (await http.get(f"{registry.base}/units/ubkt")).json()
    assert imported.status_code == 201, imported.text
    assert unit["name"] == NAME


async def _bloc_with_member(registry: ApiUnderTest, token: str) -> None:
    async with registry.client(token) as http:
        assert (await http.post(f"{registry.base}/blocs", json=BLOC)).status_code == 201
        assert (await http.post(f"{registry.base}/units", json=UNIT)).status_code == 201
        joined = await http.post(f"{registry.base}/blocs/khoi-dang/members", json={
            "unit_id": "ubkt", "effective_on": "2020-01-01", "decision_ref": "02/QĐ-UBND"})
        assert joined.status_code == 201, joined.text


def _election(**fields: object) -> dict[str, object]:
    return {"role": "chair", "year": 2024, "unit_id": "ubkt", "votes_for": 1, "votes_cast": 1, "members": 1,
            "elected_on": "2024-01-03", **fields}


async def test_a_chair_is_elected_in_its_year_or_the_year_before_and_not_in_the_future(
    registry: ApiUnderTest,
) -> None:
    admin = await registry.token("admin")
    await _bloc_with_member(registry, admin)
    tomorrow = province_today() + timedelta(days=1)
    elections = f"{registry.base}/blocs/khoi-dang/elections"
    async with registry.client(admin, language="en") as http:
        far = await http.post(elections, json=_election(year=2030, elected_on="9999-01-01"))
        early = await http.post(elections, json=_election(year=2024, elected_on="2021-06-01"))
        future = await http.post(elections, json=_election(year=tomorrow.year, elected_on=tomorrow.isoformat()))
        late_year = await http.post(elections, json=_election(year=2101))
        accepted = await http.post(elections, json=_election(year=2024, elected_on="2023-12-20"))
    assert far.status_code == 422
    assert "elected_on: must be 2100-12-31 or less" in far.json()["message"]
    assert early.status_code == 422
    assert early.json()["error"] == "election.day_outside_year"
    assert "a bloc elects its 2024 chair and vice-chair in 2023 or 2024" in early.json()["message"]
    assert future.status_code == 422
    assert future.json()["error"] == "date.in_future"
    assert late_year.status_code == 422
    assert "year: must be 2100 or less" in late_year.json()["message"]
    assert accepted.status_code == 201, accepted.text


async def test_a_consent_to_merge_dated_tomorrow_is_refused(registry: ApiUnderTest) -> None:
    tomorrow = province_today() + timedelta(days=1)
    async with registry.client(await registry.token("admin"), language="en") as http:
        assert (await http.post(f"{registry.base}/registration", json={"name": "Hà Nam"})).status_code == 201
        consent = await http.post(f"{registry.base}/merger-consents", json={
            "into_code": "NBH", "legal_basis": "Nghị quyết 202/2025/QH15", "consented_on": tomorrow.isoformat()})
    assert consent.status_code == 422
    assert consent.json()["error"] == "date.in_future"
    assert f"{tomorrow:%d/%m/%Y} is in the future" in consent.json()["message"]


async def test_numbers_and_flags_are_not_taken_from_strings(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_member(registry, admin)
    async with registry.client(admin, language="en") as http:
        votes = await http.post(f"{registry.base}/blocs/khoi-dang/elections", json=_election(votes_for="1"))
        year = await http.post(f"{registry.base}/blocs/khoi-dang/elections", json=_election(year="2024"))
        flag = await http.post(f"{registry.base}/settings", json={"outgoing_vice_chair_preferred": "yes"})
    assert votes.status_code == year.status_code == flag.status_code == 422
    assert "votes_for: must be a JSON integer (not in quotes)" in votes.json()["message"]
    assert "year: must be a JSON integer" in year.json()["message"]
    assert "outgoing_vice_chair_preferred: must be true or false" in flag.json()["message"]


async def test_malformed_json_is_refused_with_the_error_body_in_vietnamese(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin) as http:
        broken = await http.post(f"{registry.base}/units", content=b'{"unit_id": "a", "name": ',
                                 headers={"Content-Type": "application/json"})
        not_utf8 = await http.post(f"{registry.base}/units", content=b'{"unit_id": "\xff\xfe"}',
                                   headers={"Content-Type": "application/json"})
        no_route = await http.get(f"{registry.base}/nowhere")
    assert broken.status_code == 422
    assert set(broken.json()) == {"error", "message", "details"}
    assert broken.json()["error"] == "request.malformed"
    assert broken.json()["message"].startswith("Nội dung yêu cầu không đọc được: ")
    assert not_utf8.status_code == 400
    assert not_utf8.json()["error"] == "request.malformed"
    assert not_utf8.json()["message"].startswith("Nội dung yêu cầu không đọc được: ")
    assert no_route.status_code == 404
    assert no_route.json()["error"] == "route.not_found"
    assert "Không có đường dẫn" in no_route.json()["message"]


@contextlib.asynccontextmanager
async def sqlite_write_lock(path: Path) -> AsyncIterator[None]:
    """Another process's long write: the database's write lock, held until the block ends (taken in a thread,
    so that the service's own transactions go on meanwhile)."""
    holder = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    try:
        await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
        yield
        await asyncio.to_thread(holder.execute, "ROLLBACK")
    finally:
        holder.close()


async def test_a_short_write_of_another_is_waited_for(tmp_path: Path, kafka_bootstrap: str) -> None:
    database = tmp_path / "registry.db"
    async with registry_on(f"sqlite+aiosqlite:///{database}", tmp_path, kafka_bootstrap) as registry:
        admin = await registry.token("admin")
        async with registry.client(admin) as http:
            async with sqlite_write_lock(database):
                answer = asyncio.ensure_future(http.post(f"{registry.base}/units", json=UNIT))
                await asyncio.sleep(1)
                assert not answer.done()
            assert (await answer).status_code == 201


async def test_a_database_locked_past_its_busy_timeout_answers_503_with_retry_after(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    database = tmp_path / "registry.db"
    async with registry_on(f"sqlite+aiosqlite:///{database}?timeout=1", tmp_path, kafka_bootstrap) as registry:
        admin = await registry.token("admin")
        async with registry.client(admin, language="en") as http:
            async with sqlite_write_lock(database):
                busy = await http.post(f"{registry.base}/units", json=UNIT)
            after = await http.post(f"{registry.base}/units", json=UNIT)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    assert busy.json()["error"] == "store.busy"
    assert "try again in 5 seconds" in busy.json()["message"]
    assert after.status_code == 201
