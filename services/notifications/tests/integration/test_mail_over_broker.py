"""On the real broker, the registry's and awards' events, as those services publish them, fill notifications'
directory: an award decision is worded with the unit's name of the day (after a rename) and the form's, and the
notifications service itself delivers it to the unit's mailbox and the province's staff on a loopback SMTP
server, once each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mail_inbox import Inbox, inbox_fixture  # noqa: F401 - the ``inbox`` fixture
from sqlalchemy import select

from awards.bootstrap import create_app as awards_app
from notifications.adapters.directory import directory_unit_names
from notifications.adapters.mail import mails_about
from notifications.adapters.settings_store import settings_for
from notifications.bootstrap import create_app as notifications_app
from registry.bootstrap import create_app as registry_app
from thidua_contracts.awards import AwardDecided
from thidua_shared.store import SqlEventStore, StoredEvent
from thidua_shared.store.db import create_engine
from thidua_shared.testing import ApiUnderTest, running_service, within

UNIT = {"unit_id": "van-phong", "name": "Văn phòng Tỉnh ủy", "short_name": "VPTU", "kind": "party_board",
        "emails": ["vanphong@hanam.gov.vn"]}
STAFF = "tdkt@snv.hanam.gov.vn"
RENAMED = "Văn phòng Đảng ủy tỉnh"
TOLD = (f"{RENAMED} được tặng Tập thể lao động tiên tiến năm 2023 theo Quyết định số 15/QĐ-VP "
        "ngày 20/02/2024 của Thủ trưởng cơ quan.")


async def _rows(service: ApiUnderTest, statement: Any) -> list[Any]:
    engine = create_engine(service.settings.database_for("notifications"))
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(statement))
    finally:
        await engine.dispose()


async def _decided(awards: ApiUnderTest) -> StoredEvent:
    engine = create_engine(awards.settings.database_for("awards"))
    try:
        async with engine.connect() as connection:
            log = await SqlEventStore(connection, "awards").read_log(0, 1000)
    finally:
        await engine.dispose()
    [decided] = [event for event in log if event.event_type == "AwardDecided"]
    return decided


async def test_an_award_decision_reaches_the_units_mailbox_named_as_the_unit_is_called_since_its_rename(
    tmp_path: Path, kafka_bootstrap: str, inbox: Inbox, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("THIDUA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("THIDUA_SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("THIDUA_SMTP_SENDER", "thidua@hanam.gov.vn")
    async with running_service(notifications_app, tmp_path / "notifications", kafka_bootstrap) as notes, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, notes.province) as registry, \
            running_service(awards_app, tmp_path / "awards", kafka_bootstrap, notes.province) as awards:
        base = notes.base
        async with notes.client(await notes.token("admin")) as http:
            assert (await http.put(f"{base}/notification-settings", json={"staff_emails": [STAFF]})).status_code == 200
        async with registry.client(await registry.token("admin")) as http:
            assert (await http.post(f"{base}/units", json=UNIT)).status_code == 201
            renamed = await http.post(f"{base}/units/van-phong/renaming", json={
                "name": RENAMED, "effective_on": "2024-01-01", "decision_ref": "QĐ 4-QĐ/TU"})
            assert renamed.status_code == 201

        async def notifications_knows_the_rename() -> bool:
            names = await _rows(notes, select(directory_unit_names.c.name))
            return RENAMED in {row.name for row in names}

        async def awards_knows_the_unit() -> bool:
            async with awards.client(await awards.token("auditor")) as http:
                return bool((await http.get(f"{base}/units")).json())

        await within(30, notifications_knows_the_rename)
        await within(30, awards_knows_the_unit)
        async with awards.client(await awards.token("admin")) as http:
            steps = [
                await http.put(f"{base}/units/van-phong/years/2023/quality-rating",
                               json={"rating": "good", "ref": "QĐ 5/QĐ-UBND", "rated_on": "2024-01-08"}),
                await http.post(f"{base}/units/van-phong/years/2023/attestations",
                                json={"fact": "member_titles", "ref": "QĐ 2/QĐ-SNV", "attested_on": "2024-01-08"}),
                await http.post(f"{base}/proposals", json={
                    "proposal_id": "p-1", "unit_id": "van-phong", "year": 2023, "award_code": "ADVANCED_COLLECTIVE",
                    "filed_on": "2024-01-10", "documents": [{"kind": "submission", "ref": "Tờ trình số 1/TTr-VP"}]}),
                await http.post(f"{base}/proposals/p-1/decision",
                                json={"decision_no": "15/QĐ-VP", "decided_on": "2024-02-20"}),
            ]
            assert [step.status_code for step in steps] == [201, 201, 201, 201], [step.text for step in steps]

        async with notes.client(await notes.token("auditor")) as http:
            async def the_decision_is_told() -> bool:
                notes_sent = (await http.get(f"{base}/notifications")).json()
                return any(note["template"] == "award_decided" for note in notes_sent)

            await within(30, the_decision_is_told)
            told = {note["template"]: note for note in (await http.get(f"{base}/notifications")).json()}
        assert told["award_decided"]["text_vi"] == TOLD
        assert told["award_decided"]["recipient"] == RENAMED
        assert told["award_proposed"]["text_vi"].startswith(f"{RENAMED} được đề nghị tặng Tập thể lao động tiên tiến")

        decided = await _decided(awards)
        engine = create_engine(notes.settings.database_for("notifications"))
        try:
            async with engine.connect() as connection:
                payload = decided.typed()
                assert isinstance(payload, AwardDecided)
                mails = await mails_about(connection, decided, payload, await settings_for(connection, notes.province))
        finally:
            await engine.dispose()
        ids = {mail.message_id for mail in mails}

        async def both_delivered() -> bool:
            return len([mail for mail in inbox.received if mail.message["Message-ID"] in ids]) >= 2

        await within(30, both_delivered)
        log: list[dict[str, Any]] = []
        async with notes.client(await notes.token("admin")) as http:

            async def both_recorded() -> bool:  # the server took each mail a moment before its delivery is recorded
                nonlocal log
                log = (await http.get(f"{base}/deliveries", params={"about_event_id": decided.event_id})).json()
                return all(row["status"] != "pending" for row in log)

            await within(60, both_recorded)

    about_the_decision = [mail for mail in inbox.received if mail.message["Message-ID"] in ids]
    received = {mail.rcpt_tos[0]: mail for mail in about_the_decision}
    assert len(about_the_decision) == 2, "one mail per recipient and event"
    assert set(received) == {"vanphong@hanam.gov.vn", STAFF}
    to_unit = received["vanphong@hanam.gov.vn"].message
    assert to_unit["Subject"] == f"{RENAMED} được tặng Tập thể lao động tiên tiến"
    assert TOLD in received["vanphong@hanam.gov.vn"].body("plain")
    to_unit_mail = next(mail for mail in mails if mail.to_address == "vanphong@hanam.gov.vn")
    assert to_unit["Message-ID"] == f"<{to_unit_mail.notification_id}@thidua.{notes.province.lower()}>"
    assert {(row["recipient"], row["status"], row["attempts"]) for row in log} == {
        ("vanphong@hanam.gov.vn", "delivered", 1), (STAFF, "delivered", 1)}
    assert all(row["history"][0]["status_code"] == 250 for row in log)
