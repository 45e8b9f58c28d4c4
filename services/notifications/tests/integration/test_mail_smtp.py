"""E-mail over SMTP to a real server on loopback: what arrives is the mail people read, in Vietnamese, named
as the directory names units and forms, with the mail's stable Message-ID; a refusal carries the SMTP code."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from mail_inbox import Inbox, inbox_fixture  # noqa: F401 - the ``inbox`` fixture

import notifications.migrations
from notifications.adapters.directory import DIRECTORY
from notifications.adapters.mail import OutgoingMail, mails_about
from notifications.adapters.smtp import MailNotSent, SmtpSettings, send_mail
from notifications.domain.recipients import NotificationSettings
from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardDecided
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_shared.store import InMemoryEventStore, NewEvents, StoredEvent, migrate
from thidua_shared.store.db import create_engine

DECIDED = AwardDecided(proposal_id="p-1", unit_id="van-phong", award_code="GOV_FLAG", decision_no="112/QĐ-TTg",
                       decided_on=date(2024, 5, 10), authority="Thủ tướng Chính phủ", rule_version="VN-98-2023",
                       reward_vnd=21_600_000)


async def _stored(payload: EventPayload) -> StoredEvent:
    [event] = await InMemoryEventStore(payload.source).append(NewEvents(
        province="HNM", stream_id=f"s:{type(payload).__name__}", expected_version=0, payloads=[payload],
        actor=Actor(id="staff", role="admin"), correlation_id="c"))
    return event


async def _mail_to_the_unit(tmp_path: Path, decided: StoredEvent | None = None) -> OutgoingMail:
    """The mail that tells Văn phòng Tỉnh ủy of its Government flag (``decided``, or a new event), worded from
    the directory of a new database in ``tmp_path``."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / f'notifications-{uuid.uuid4().hex[:6]}.db'}")
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, Path(notifications.migrations.__file__).parent])
        registered = UnitRegistered(unit_id="van-phong", name="Văn phòng Tỉnh ủy", short_name="VPTU",
                                    kind="party_board", emails=["vanphong@hanam.gov.vn"])
        async with engine.begin() as connection:
            await DIRECTORY.apply(connection, await _stored(registered), registered)
        async with engine.connect() as connection:
            [mail] = await mails_about(connection, decided or await _stored(DECIDED), DECIDED,
                                       NotificationSettings())
        return mail
    finally:
        await engine.dispose()


async def test_a_decision_arrives_in_vietnamese_with_the_names_and_the_stable_message_id(
    inbox: Inbox, tmp_path: Path,
) -> None:
    mail = await _mail_to_the_unit(tmp_path)
    await send_mail(inbox.settings(), mail)
    [received] = await inbox.wait_for(1)
    message = received.message
    assert received.rcpt_tos == ["vanphong@hanam.gov.vn"]
    assert message["Message-ID"] == mail.message_id
    assert message["Subject"] == "Văn phòng Tỉnh ủy được tặng Cờ thi đua của Chính phủ"
    assert message["To"] == "Văn phòng Tỉnh ủy <vanphong@hanam.gov.vn>"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Hệ thống thi đua, khen thưởng", "thidua@hanam.gov.vn")
    text, html = received.body("plain"), received.body("html")
    assert ("Văn phòng Tỉnh ủy được tặng Cờ thi đua của Chính phủ theo Quyết định số 112/QĐ-TTg ngày 10/05/2024 "
            "của Thủ tướng Chính phủ.") in text
    assert "Tiền thưởng: 21.600.000 đồng." in text
    assert "<strong>Cờ thi đua của Chính phủ</strong>" in html
    assert "van-phong" not in message.as_string()
    assert "GOV_FLAG" not in message.as_string()


async def test_the_mail_of_an_event_made_again_after_a_restart_carries_the_same_message_id(
    inbox: Inbox, tmp_path: Path,
) -> None:
    decided = await _stored(DECIDED)
    mail = await _mail_to_the_unit(tmp_path, decided)
    retried = await _mail_to_the_unit(tmp_path, decided)
    await send_mail(inbox.settings(), mail)
    await send_mail(inbox.settings(), retried)
    first, second = await inbox.wait_for(2)
    assert first.message["Message-ID"] == second.message["Message-ID"] == mail.message_id, \
        "a receiver deduplicates the rare retry by its Message-ID"


async def test_a_refused_mail_raises_with_the_smtp_code(inbox: Inbox, tmp_path: Path) -> None:
    mail = await _mail_to_the_unit(tmp_path)
    inbox.refuse_with = "550 5.7.1 Delivery not authorized"
    with pytest.raises(MailNotSent) as refused:
        await send_mail(inbox.settings(), mail)
    assert (refused.value.code, refused.value.permanent) == (550, True)
    assert mail.message_id in str(refused.value)
    assert inbox.received == []


async def test_a_server_that_does_not_answer_raises_without_a_code(inbox: Inbox, tmp_path: Path) -> None:
    mail = await _mail_to_the_unit(tmp_path)
    inbox.stop()
    with pytest.raises(MailNotSent) as refused:
        await send_mail(inbox.settings(timeout=2), mail)
    assert (refused.value.code, refused.value.permanent) == (None, False)


def test_starttls_and_tls_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="exclude each other"):
        SmtpSettings(starttls=True, tls=True)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_SMTP_HOST", "mail.hanam.gov.vn")
    monkeypatch.setenv("THIDUA_SMTP_PORT", "587")
    monkeypatch.setenv("THIDUA_SMTP_STARTTLS", "true")
    monkeypatch.setenv("THIDUA_SMTP_PASSWORD", "bí mật")
    settings = SmtpSettings()
    assert (settings.host, settings.port, settings.starttls, settings.tls) == ("mail.hanam.gov.vn", 587, True, False)
    assert settings.password is not None
    assert "bí mật" not in repr(settings)
