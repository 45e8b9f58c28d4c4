"""People's accounts over HTTP, on a real database and broker: create, sign in with a password, use the token,
lock after wrong passwords, unlock, change a password, sign out; no password ever reaches the log or Kafka."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import select

from registry.adapters.tables import account_credentials
from registry.bootstrap import create_app
from thidua_shared.kafka import topic_for
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.testing import ApiUnderTest, running_service, within

PASSWORD = "Hoa sen nở 2025"
UNIT = {"unit_id": "ubkt", "name": "Ủy ban Kiểm tra Tỉnh ủy", "short_name": "UBKT", "kind": "party_board"}
OFFICER = {"username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "unit_officer", "unit_id": "ubkt",
           "password": PASSWORD}


@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        yield service


async def _officer_account(registry: ApiUnderTest) -> str:
    admin = await registry.token("admin")
    async with registry.client(admin) as http:
        assert (await http.post(f"{registry.base}/units", json=UNIT)).status_code == 201
        created = await http.post(f"{registry.base}/accounts", json=OFFICER)
    assert created.status_code == 201, created.text
    return admin


async def _sign_in(registry: ApiUnderTest, password: str, language: str = "vi") -> tuple[int, dict[str, object]]:
    async with registry.client(language=language) as http:
        answer = await http.post(f"{registry.base}/sessions", json={"username": "lua.dt", "password": password})
    return answer.status_code, answer.json()


async def test_a_created_account_signs_in_and_its_token_acts_in_its_role(registry: ApiUnderTest) -> None:
    admin = await _officer_account(registry)
    status, session = await _sign_in(registry, PASSWORD)
    assert status == 201, session
    account = session["account"]
    assert account == {"username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "unit_officer",
                       "unit_id": "ubkt", "bloc_id": None, "unit_name": "Ủy ban Kiểm tra Tỉnh ủy",
                       "bloc_name": None}
    token = str(session["token"])
    async with registry.client(token, language="en") as http:
        units = await http.get(f"{registry.base}/units")
        own = await http.put(f"{registry.base}/units/ubkt/emails", json={"emails": ["ubkt@hanam.dcs.vn"]})
        register = await http.post(f"{registry.base}/units", json={**UNIT, "unit_id": "khac"})
        itself = await http.get(f"{registry.base}/accounts/lua.dt")
        others = await http.get(f"{registry.base}/accounts")
    assert (units.status_code, own.status_code) == (200, 201)
    assert register.status_code == 403
    assert "needs the role admin" in register.json()["message"]
    assert itself.status_code == 200
    assert itself.json()["last_signed_in_at"] is not None
    assert others.status_code == 403
    async with registry.client(admin) as http:
        listed = await http.get(f"{registry.base}/accounts")
        history = await http.get(f"{registry.base}/accounts/lua.dt/history")
    assert [entry["username"] for entry in listed.json()] == ["lua.dt"]
    assert "password_hash" not in listed.json()[0]
    assert [event["event_type"] for event in history.json()] == ["AccountCreated", "AccountSignedIn"]
    assert history.json()[1]["actor"] == {"id": "account:lua.dt", "role": "unit_officer", "unit_id": "ubkt"}


async def test_a_username_is_taken_once(registry: ApiUnderTest) -> None:
    admin = await _officer_account(registry)
    async with registry.client(admin, language="en") as http:
        again = await http.post(f"{registry.base}/accounts", json={**OFFICER, "full_name": "Người khác"})
    assert again.status_code == 409
    assert "already taken" in again.json()["message"]


async def test_five_wrong_passwords_lock_the_account_until_the_admin_unlocks_it(registry: ApiUnderTest) -> None:
    admin = await _officer_account(registry)
    for attempt in range(4):
        status, refused = await _sign_in(registry, "không phải mật khẩu")
        assert status == 401, (attempt, refused)
        assert refused["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    status, refused = await _sign_in(registry, "không phải mật khẩu")
    assert status == 423, "the fifth wrong password says at once that the account is now locked"
    assert refused["message"] == ("Sai mật khẩu 5 lần liên tiếp: tài khoản lua.dt đã bị khóa; hãy đề nghị quản trị "
                                  "viên của tỉnh mở khóa.")
    status, locked = await _sign_in(registry, PASSWORD, "en")
    assert status == 423
    assert "ask the province's administrator to unlock it" in str(locked["message"])
    async with registry.client(admin) as http:
        row = (await http.get(f"{registry.base}/accounts/lua.dt")).json()
        unlocked = await http.post(f"{registry.base}/accounts/lua.dt/unlocking")
        again = await http.post(f"{registry.base}/accounts/lua.dt/unlocking")
        history = await http.get(f"{registry.base}/accounts/lua.dt/history")
    assert (row["locked"], row["failures"]) == (True, 5)
    assert (unlocked.status_code, again.status_code) == (201, 409)
    assert [event["event_type"] for event in history.json()][-3:] == ["AccountSignInFailed", "AccountLocked",
                                                                      "AccountUnlocked"]
    status, _ = await _sign_in(registry, PASSWORD)
    assert status == 201


async def test_an_unknown_username_gets_the_answer_of_a_wrong_password(registry: ApiUnderTest) -> None:
    async with registry.client(language="en") as http:
        answer = await http.post(f"{registry.base}/sessions", json={"username": "nobody", "password": PASSWORD})
    assert answer.status_code == 401
    assert answer.json()["message"] == "Wrong username or password."


async def test_a_unit_officer_account_needs_a_registered_unit(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin, language="en") as http:
        missing = await http.post(f"{registry.base}/accounts", json={**OFFICER, "unit_id": None})
        unknown = await http.post(f"{registry.base}/accounts", json=OFFICER)
        short = await http.post(f"{registry.base}/accounts", json={**OFFICER, "password": "ngắn"})
        bad_name = await http.post(f"{registry.base}/accounts", json={**OFFICER, "username": "Lụa"})
    assert missing.status_code == 422
    assert "unit_id" in missing.json()["message"]
    assert unknown.status_code == 404
    assert "register the unit first" in unknown.json()["message"]
    assert short.status_code == 422
    assert "password" in short.json()["message"]
    assert "at least 10 characters" in short.json()["message"]
    assert bad_name.status_code == 422
    assert "username" in bad_name.json()["message"]


async def test_signing_out_revokes_the_token(registry: ApiUnderTest) -> None:
    await _officer_account(registry)
    _, session = await _sign_in(registry, PASSWORD)
    async with registry.client(str(session["token"])) as http:
        out = await http.delete(f"{registry.base}/sessions/current")
        after = await http.get(f"{registry.base}/units")
    assert out.status_code == 204
    assert after.status_code == 401


async def test_disabling_an_account_ends_its_sessions_and_its_sign_ins(registry: ApiUnderTest) -> None:
    admin = await _officer_account(registry)
    _, session = await _sign_in(registry, PASSWORD)
    async with registry.client(admin) as http:
        disabled = await http.post(f"{registry.base}/accounts/lua.dt/disabling")
    async with registry.client(str(session["token"])) as http:
        after = await http.get(f"{registry.base}/units")
    status, refused = await _sign_in(registry, PASSWORD)
    assert disabled.status_code == 201
    assert after.status_code == 401
    assert status == 403
    assert "quản trị viên" in str(refused["message"])


async def test_a_person_changes_their_password_with_the_current_one(registry: ApiUnderTest) -> None:
    admin = await _officer_account(registry)
    _, session = await _sign_in(registry, PASSWORD)
    change = f"{registry.base}/accounts/lua.dt/password"
    async with registry.client(str(session["token"]), language="en") as http:
        wrong = await http.post(change, json={"current_password": "không đúng đâu", "new_password": "Mới 2026 nhé"})
        missing = await http.post(change, json={"new_password": "Mới 2026 nhé"})
        changed = await http.post(change, json={"current_password": PASSWORD, "new_password": "Mới 2026 nhé"})
    assert wrong.status_code == 400
    assert wrong.json()["details"]["field"] == "current_password"
    assert "current_password" in wrong.json()["message"]
    assert missing.status_code == 422
    assert "current_password" in missing.json()["message"]
    assert changed.status_code == 201
    assert (await _sign_in(registry, PASSWORD))[0] == 401
    assert (await _sign_in(registry, "Mới 2026 nhé"))[0] == 201
    other = await registry.token("unit_officer", unit_id="ubkt")
    async with registry.client(other) as http:
        refused = await http.post(change, json={"new_password": "của người khác"})
    async with registry.client(admin) as http:
        reset = await http.post(change, json={"new_password": "Admin đặt lại"})
        history = await http.get(f"{registry.base}/accounts/lua.dt/history")
    assert refused.status_code == 403
    assert reset.status_code == 201
    assert [event["payload"] for event in history.json() if event["event_type"] == "AccountPasswordChanged"] == [
        {"username": "lua.dt", "reset_by_admin": False}, {"username": "lua.dt", "reset_by_admin": True}]


async def test_no_password_reaches_the_log_or_the_topic(registry: ApiUnderTest, kafka_bootstrap: str) -> None:
    admin = await _officer_account(registry)
    await _sign_in(registry, "sai mật khẩu này")
    await _sign_in(registry, PASSWORD)
    async with registry.client(admin) as http:
        await http.post(f"{registry.base}/accounts/lua.dt/password", json={"new_password": "Admin đặt lại"})
    secrets = (PASSWORD, "sai mật khẩu này", "Admin đặt lại")
    engine = create_engine(registry.settings.database_for("registry"))
    try:
        async with engine.connect() as connection:
            bodies = [str(body) for body in (await connection.execute(select(events.c.body))).scalars()]
            hashes = [str(each) for each in (await connection.execute(
                select(account_credentials.c.password_hash))).scalars()]
    finally:
        await engine.dispose()
    account_events = [json.loads(body) for body in bodies if '"account:' in body]
    assert {event["event_type"] for event in account_events} >= {"AccountCreated", "AccountSignInFailed",
                                                                 "AccountSignedIn", "AccountPasswordChanged"}
    assert hashes
    assert hashes[0].startswith("$argon2id$")
    assert any(OFFICER["full_name"] in body for body in bodies), "texts are kept as written: the search sees them"
    for body in bodies:
        assert not any(secret in body for secret in secrets)
        assert "$argon2" not in body

    consumer = AIOKafkaConsumer(topic_for(registry.province, "registry"), bootstrap_servers=kafka_bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    messages: list[str] = []
    try:
        async def all_published() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            messages.extend(record.value.decode() for records in batch.values() for record in records
                            if record.value is not None)
            return len(messages) >= len(bodies)

        await within(30, all_published)
    finally:
        await consumer.stop()
    assert any(OFFICER["full_name"] in message for message in messages)
    for message in messages:
        assert not any(secret in message for secret in secrets)
        assert "$argon2" not in message


async def test_only_the_sign_in_answers_a_request_without_a_token(registry: ApiUnderTest) -> None:
    document = registry.app.openapi()
    refused: list[str] = []
    async with registry.client() as http:
        for path, operations in document["paths"].items():
            if not path.startswith("/provinces/{province}"):
                continue
            concrete = re.sub(r"\{[a-z_]+\}", "abc", path.replace("{province}", registry.province))
            for method in operations:
                answer = await http.request(method.upper(), concrete, json={})
                if answer.status_code != 401 or answer.json()["error"] != "auth.missing_token":
                    refused.append(f"{method.upper()} {path}")
    assert refused == ["POST /provinces/{province}/sessions"]
