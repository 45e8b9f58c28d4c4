"""Retrying a command with its Idempotency-Key records it once, on SQLite and PostgreSQL, on the real broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from registry.bootstrap import create_app as registry_app
from thidua_shared.config import ServiceSettings
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events, idempotency_keys
from thidua_shared.testing import ApiUnderTest, database_url_for, unique_province

SETTINGS = {"chair_rest_years": 0}


@pytest.fixture(params=["sqlite", "postgres"])
async def registry(request: pytest.FixtureRequest, tmp_path: Path, kafka_bootstrap: str
                   ) -> AsyncIterator[ApiUnderTest]:
    """The registry on each database, its province registered."""
    with database_url_for(request.param, tmp_path) as url:
        settings = ServiceSettings(data_dir=tmp_path, provinces=unique_province(), database_url=url,
                                   kafka_bootstrap_servers=kafka_bootstrap)
        app = registry_app(settings)
        async with app.router.lifespan_context(app):
            service = ApiUnderTest(app, settings)
            async with service.client(await service.token("admin")) as http:
                assert (await http.post(f"{service.base}/registration", json={"name": "Tỉnh thử"})).status_code == 201
            yield service


async def _log(service: ApiUnderTest) -> list[str]:
    engine = create_engine(service.settings.database_for("registry"))
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(select(events.c.event_type).order_by(events.c.position))).scalars())
    finally:
        await engine.dispose()


async def test_the_same_key_and_body_answers_the_first_result_and_records_once(registry: ApiUnderTest) -> None:
    async with registry.client(await registry.token("admin")) as http:
        first = await http.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "k-1"})
        again = await http.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "k-1"})
        other_key = await http.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "k-2"})

    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json(), "the retry answers the first result, correlation id included"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert other_key.json()["events"] != first.json()["events"], "another key is another command"
    assert await _log(registry) == ["ProvinceRegistered", "ProvinceSettingsChanged", "ProvinceSettingsChanged"]


async def test_a_key_is_kept_with_the_positions_it_recorded(registry: ApiUnderTest) -> None:
    async with registry.client(await registry.token("admin")) as http:
        answer = (await http.post(f"{registry.base}/settings", json=SETTINGS,
                                  headers={"Idempotency-Key": "kept"})).json()
    engine = create_engine(registry.settings.database_for("registry"))
    try:
        async with engine.connect() as connection:
            kept = (await connection.execute(select(idempotency_keys))).one()
    finally:
        await engine.dispose()
    assert (kept.province, kept.key, kept.method, kept.path, kept.status) == (
        registry.province, "kept", "POST", f"{registry.base}/settings", 201)
    assert kept.first_position == kept.last_position == answer["events"][0]["position"]
    assert json.loads(kept.answer) == answer


async def test_the_same_key_with_another_body_is_refused_and_says_why(registry: ApiUnderTest) -> None:
    token = await registry.token("admin")
    async with registry.client(token) as http:
        await http.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "k-1"})
        other = await http.post(f"{registry.base}/settings", json={"chair_rest_years": 1},
                                headers={"Idempotency-Key": "k-1"})
    async with registry.client(token, language="en") as http:
        other_path = await http.post(f"{registry.base}/units", headers={"Idempotency-Key": "k-1"},
                                     json={"unit_id": "ubkt", "name": "Ủy ban Kiểm tra"})

    assert other.status_code == 422
    assert other.json()["error"] == "idempotency.key_reused"
    assert "đã được dùng cho một yêu cầu khác" in other.json()["message"]
    assert other_path.status_code == 422
    assert other_path.json()["message"] == (
        f"The Idempotency-Key 'k-1' was already used for another request (POST {registry.base}/settings); "
        "send a new key with each new command, and the same key only to retry that same request.")
    assert await _log(registry) == ["ProvinceRegistered", "ProvinceSettingsChanged"]


async def test_a_key_is_the_callers_own(registry: ApiUnderTest) -> None:
    async with registry.client(await registry.token("admin")) as first, \
            registry.client(await registry.token("admin")) as second:
        mine = await first.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "same"})
        theirs = await second.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "same"})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["events"] != theirs.json()["events"], "another token's key is another command"
    assert await _log(registry) == ["ProvinceRegistered", "ProvinceSettingsChanged", "ProvinceSettingsChanged"]


@pytest.mark.parametrize("key", ["", "x" * 201, "có dấu", "two words"])
async def test_a_malformed_key_is_refused_with_what_a_key_may_be(registry: ApiUnderTest, key: str) -> None:
    async with registry.client(await registry.token("admin"), language="en") as http:
        answer = await http.post(f"{registry.base}/settings", json=SETTINGS,
                                 headers=[(b"Idempotency-Key", key.encode())])
    assert answer.status_code == 422
    assert answer.json()["error"] == "idempotency.bad_key"
    assert "use 1 to 200 visible ASCII characters" in answer.json()["message"]
    assert await _log(registry) == ["ProvinceRegistered"]


async def test_a_refused_command_keeps_no_key_so_it_can_be_sent_again(registry: ApiUnderTest) -> None:
    async with registry.client(await registry.token("admin")) as http:
        refused = await http.post(f"{registry.base}/blocs/nowhere/members", headers={"Idempotency-Key": "m-1"},
                                  json={"unit_id": "ubkt", "effective_on": "2023-01-01", "decision_ref": "1"})
        await http.post(f"{registry.base}/units", json={"unit_id": "ubkt", "name": "Ủy ban Kiểm tra"})
        await http.post(f"{registry.base}/blocs", json={"bloc_id": "nowhere", "name": "Khối", "kind": "khoi",
                                                        "decision_ref": "1"})
        accepted = await http.post(f"{registry.base}/blocs/nowhere/members", headers={"Idempotency-Key": "m-1"},
                                   json={"unit_id": "ubkt", "effective_on": "2023-01-01", "decision_ref": "1"})
    assert refused.status_code in (404, 409)
    assert accepted.status_code == 201, accepted.text


async def test_concurrent_requests_with_one_key_record_once_and_all_get_its_answer(registry: ApiUnderTest) -> None:
    token = await registry.token("admin")
    clients = [registry.client(token) for _ in range(6)]
    try:
        answers = await asyncio.gather(*(
            http.post(f"{registry.base}/settings", json=SETTINGS, headers={"Idempotency-Key": "together"})
            for http in clients))
    finally:
        for http in clients:
            await http.aclose()

    assert [answer.status_code for answer in answers] == [201] * 6, [answer.text for answer in answers]
    assert len({answer.text for answer in answers}) == 1, "every request gets the one answer"
    assert sum(answer.headers.get("Idempotent-Replayed") == "true" for answer in answers) == 5
    assert await _log(registry) == ["ProvinceRegistered", "ProvinceSettingsChanged"]


async def test_an_upload_is_recognised_by_its_bytes(registry: ApiUnderTest) -> None:
    header = ("unit_id,unit_name,unit_short_name,unit_kind,parent_unit_id,bloc_id,bloc_name,bloc_kind,"
              "bloc_decision_ref,joined_on,membership_decision_ref\n")
    one = header + "ubkt,Ủy ban Kiểm tra Tỉnh ủy,UBKT,party_board,,,,,,,\n"
    two = one + "ban-to-chuc,Ban Tổ chức Tỉnh ủy,BTC,party_board,,,,,,,\n"
    async with registry.client(await registry.token("admin")) as http:
        answers = [await http.post(f"{registry.base}/imports", content=content.encode(),
                                   headers={"Content-Type": "text/csv", "Idempotency-Key": "import-1"})
                   for content in (one, one, two)]

    first, again, changed = answers
    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert changed.status_code == 422
    assert changed.json()["error"] == "idempotency.key_reused"
    assert await _log(registry) == ["ProvinceRegistered", "UnitRegistered"]
