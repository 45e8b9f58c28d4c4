"""Every kind of message, worded from the directory: names, days as dd/mm/yyyy, decisions by number; never an
id or a code; each recipient once, in its language, with a Message-ID that a retry repeats."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date

import pytest
from mail_world import (
    DECIDED,
    EVERY_KIND,
    IDS_AND_CODES,
    SECRETARIAT,
    SETTINGS,
    STAFF,
    follow,
    mails,
    notifications_database,
    stored,
    the_province,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from notifications.adapters.mail import log_message, mails_about
from notifications.domain.recipients import KINDS, NotificationSettings
from thidua_contracts.registry import UnitEmailsChanged, UnitRegistered, UnitRenamed, UnitsMerged

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
async def province(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The province of :func:`mail_world.the_province`, in a notifications database (SQLite, PostgreSQL)."""
    async with notifications_database(database_url) as engine:
        await follow(engine, *the_province())
        yield engine


def test_every_kind_of_message_has_a_realistic_event_in_this_test() -> None:
    assert set(EVERY_KIND) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
async def test_no_message_names_anything_by_its_id_or_code_nor_writes_a_day_the_iso_way(
    province: AsyncEngine, kind: str,
) -> None:
    english = NotificationSettings(staff_emails=(STAFF,), bloc_secretariats=dict(SETTINGS.bloc_secretariats),
                                   english_addresses=frozenset({STAFF, SECRETARIAT}))
    told = await mails(province, EVERY_KIND[kind], english)
    assert told, f"someone hears of {kind}"
    assert {mail.language for mail in told} == {"vi", "en"}
    for mail in told:
        for part in (mail.subject, mail.text, mail.html):
            assert not [code for code in IDS_AND_CODES if code in part], (mail.language, part)
            assert not ISO_DAY.search(part), part
        assert "\n" not in mail.subject


async def test_an_award_decision_names_the_unit_the_form_the_decision_and_its_day(province: AsyncEngine) -> None:
    told = {mail.to_address: mail for mail in await mails(province, DECIDED)}
    unit = told["bantochuc@hanam.gov.vn"]
    assert unit.subject == "Ban Tổ chức Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh"
    assert ("Ban Tổ chức Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh năm 2023 theo Quyết định số 301/QĐ-UBND "
            "ngày 20/02/2024 của Chủ tịch UBND tỉnh.") in unit.text
    assert "Tiền thưởng: 18.720.000 đồng." in unit.text
    assert unit.to_name == "Ban Tổ chức Tỉnh ủy"
    assert "<strong>Ban Tổ chức Tỉnh ủy</strong>" in unit.html
    assert set(told) == {"bantochuc@hanam.gov.vn", SECRETARIAT, STAFF}, \
        "the unit, the bloc's chair (the same unit, told once), its secretariat and the province's staff"


async def test_english_is_written_to_those_who_asked_for_it(province: AsyncEngine) -> None:
    settings = NotificationSettings(staff_emails=(STAFF,), english_addresses=frozenset({STAFF}))
    [unit, staff] = await mails(province, DECIDED, settings)
    assert (unit.language, staff.language) == ("vi", "en")
    assert staff.subject == "Ban Tổ chức Tỉnh ủy is awarded The Provincial People's Committee's Emulation Flag"
    assert "by decision no. 301/QĐ-UBND of 20/02/2024, signed by Chủ tịch UBND tỉnh" in staff.text
    assert "Reward: VND 18,720,000." in staff.text


async def test_the_same_event_makes_the_same_mails_so_a_retry_is_never_a_second_mail(province: AsyncEngine) -> None:
    event = await stored(DECIDED)
    async with province.connect() as connection:
        first = await mails_about(connection, event, DECIDED, SETTINGS)
        again = await mails_about(connection, event, DECIDED, SETTINGS)
    assert first == again
    assert len({mail.message_id for mail in first}) == len(first) == 3
    assert all(re.fullmatch(r"<[0-9a-f-]{36}@thidua\.hnm>", mail.message_id) for mail in first)
    other = await mails(province, DECIDED)
    assert not {mail.message_id for mail in other} & {mail.message_id for mail in first}, "another event, other ids"


async def test_a_unit_whose_proposal_is_rejected_is_told_why(province: AsyncEngine) -> None:
    told = {mail.to_address: mail for mail in await mails(province, EVERY_KIND["award_rejected"])}
    unit = told["ubkt@hanam.gov.vn"]
    assert unit.subject == ("Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho Ủy ban Kiểm tra Tỉnh ủy "
                            "không được chấp thuận")
    assert "không được chấp thuận ở cấp tỉnh ngày 01/02/2024" in unit.text
    assert "Lý do: Chưa đủ hai năm hoàn thành xuất sắc nhiệm vụ" in unit.text


async def test_a_returned_dossier_names_the_documents_to_add(province: AsyncEngine) -> None:
    [unit, *_] = await mails(province, EVERY_KIND["proposal_returned"])
    assert "Cần bổ sung: Báo cáo thành tích, Biên bản họp suy tôn của khối." in unit.text
    assert "ngày 15/01/2024" in unit.text


async def test_a_ranking_is_told_to_every_ranked_unit_with_their_places(province: AsyncEngine) -> None:
    told = await mails(province, EVERY_KIND["ranking_published"])
    assert {mail.to_address for mail in told} >= {"vanphong@hanam.gov.vn", "bantochuc@hanam.gov.vn",
                                                  "ubkt@hanam.gov.vn"}
    assert "2. Ban Tổ chức Tỉnh ủy: 94,5 điểm" in told[0].text


async def test_a_vote_closed_names_whom_the_bloc_honoured(province: AsyncEngine) -> None:
    [first, *_] = await mails(province, EVERY_KIND["vote_closed"])
    assert first.subject == ("Kết quả bỏ phiếu suy tôn Cờ thi đua của UBND tỉnh năm 2023 của Khối thi đua các Ban "
                             "xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy")
    assert "Ban Tổ chức Tỉnh ủy được suy tôn" in first.text


async def test_a_renamed_unit_is_named_as_it_was_called_on_the_day_of_the_fact(province: AsyncEngine) -> None:
    await follow(province, UnitRenamed(unit_id="ban-to-chuc", name="Ban Tổ chức - Nội vụ Tỉnh ủy",
                                       effective_on=date(2024, 2, 1)))
    [after, *_] = await mails(province, DECIDED)
    [before, *_] = await mails(province, EVERY_KIND["award_proposed"])
    assert after.subject == "Ban Tổ chức - Nội vụ Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh"
    assert after.to_name == "Ban Tổ chức - Nội vụ Tỉnh ủy"
    assert before.subject.startswith("Ban Tổ chức Tỉnh ủy được đề nghị"), "filed on 10/01/2024, before the rename"


async def test_a_merged_unit_is_reached_at_the_unit_that_absorbed_it(province: AsyncEngine) -> None:
    await follow(province, UnitRegistered(unit_id="ban-xd-dang", name="Ban Xây dựng Đảng Tỉnh ủy",
                                          short_name="BXDĐ", kind="party_board", emails=["bxdd@hanam.gov.vn"]),
                 UnitsMerged(from_unit_ids=["ban-to-chuc"], into_unit_id="ban-xd-dang",
                             effective_on=date(2025, 3, 1), decision_ref="QĐ 9"),
                 UnitEmailsChanged(unit_id="ban-xd-dang", emails=["vanthu.bxdd@hanam.gov.vn"]))
    told = {mail.to_address: mail for mail in await mails(province, DECIDED)}
    assert "vanthu.bxdd@hanam.gov.vn" in told
    assert "bantochuc@hanam.gov.vn" not in told
    assert told["vanthu.bxdd@hanam.gov.vn"].subject.startswith("Ban Tổ chức Tỉnh ủy được tặng"), \
        "the award is the merged unit's, named as it was"


async def test_names_with_markup_are_escaped_in_html_and_kept_in_text(province: AsyncEngine) -> None:
    await follow(province, UnitRenamed(unit_id="ban-to-chuc", name="Ban <Tổ chức> & Nội vụ",
                                       effective_on=date(2024, 2, 1)))
    [unit, *_] = await mails(province, DECIDED)
    assert "Ban &lt;Tổ chức&gt; &amp; Nội vụ" in unit.html
    assert "Ban <Tổ chức> & Nội vụ" in unit.text


async def test_the_log_channel_tells_the_message_in_one_sentence_in_both_languages(province: AsyncEngine) -> None:
    event = await stored(DECIDED)
    async with province.connect() as connection:
        message = await log_message(connection, event, DECIDED)
        nothing = await log_message(connection, event, UnitEmailsChanged(unit_id="ubkt", emails=[]))
    assert message is not None
    assert nothing is None
    assert (message.template, message.recipient) == ("award_decided", "Ban Tổ chức Tỉnh ủy")
    assert message.text["vi"] == ("Ban Tổ chức Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh năm 2023 theo Quyết định "
                                  "số 301/QĐ-UBND ngày 20/02/2024 của Chủ tịch UBND tỉnh.")
    assert message.text["en"].startswith("Ban Tổ chức Tỉnh ủy was awarded The Provincial People's Committee's")
