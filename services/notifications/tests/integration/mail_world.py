"""A notifications database whose directory has followed a province's registry and awards events, as the
consumers apply them, and the realistic events of every kind of message (Hà Nam's bloc of the Party's boards)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

import notifications.migrations
from notifications.adapters.directory import DIRECTORY
from notifications.adapters.mail import OutgoingMail, mails_about
from notifications.domain.recipients import NotificationSettings
from thidua_contracts import EventPayload
from thidua_contracts.awards import (
    AwardDecided,
    AwardForm,
    AwardFrozen,
    AwardProposed,
    AwardRejected,
    AwardRevoked,
    ForwardedToCentral,
    HonoringVoteClosed,
    HonoringVoteOpened,
    ProposalBasis,
    ProposalReturned,
    RulebookAdopted,
    VoteResult,
)
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import (
    BlocEstablished,
    ChairElected,
    ProvinceRegistered,
    UnitJoinedBloc,
    UnitRegistered,
    ViceChairElected,
)
from thidua_contracts.scoring import RankEntry, RankingPublished
from thidua_shared.store import InMemoryEventStore, NewEvents, StoredEvent, migrate
from thidua_shared.store.db import create_engine

PROVINCE = "HNM"
BLOC = "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy"
UNITS = {"van-phong": ("Văn phòng Tỉnh ủy", "vanphong@hanam.gov.vn"),
         "ban-to-chuc": ("Ban Tổ chức Tỉnh ủy", "bantochuc@hanam.gov.vn"),
         "ubkt": ("Ủy ban Kiểm tra Tỉnh ủy", "ubkt@hanam.gov.vn")}
STAFF = "tdkt@snv.hanam.gov.vn"
SECRETARIAT = "thuky.khoidang@hanam.gov.vn"
SETTINGS = NotificationSettings(staff_emails=(STAFF,), bloc_secretariats={"khoi-ban-dang": (SECRETARIAT,)})
IDS_AND_CODES = ("van-phong", "ban-to-chuc", "ubkt", "khoi-ban-dang", "PROV_FLAG", "PROV_MERIT", "HNM-2024",
                 "p-flag", "p-merit", "v-flag", "v-merit", "achievement_report", "vote_minutes", "HNM", "None")
"""What must never appear in a text people read: the ids of units, blocs, proposals and votes, forms' codes,
rule versions, documents' kinds, the province's code, Python's None."""


async def stored(payload: EventPayload, province: str = PROVINCE) -> StoredEvent:
    """``payload`` as its service stores and publishes it."""
    source = payload.source
    [event] = await InMemoryEventStore(source).append(NewEvents(
        province=province, stream_id=f"{type(payload).__name__}:{id(payload)}", expected_version=0,
        payloads=[payload], actor=Actor(id="staff", role="admin"), correlation_id="corr-1"))
    return event


@asynccontextmanager
async def notifications_database(url: str) -> AsyncIterator[AsyncEngine]:
    """A database migrated as the notifications service migrates its own."""
    engine = create_engine(url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS, Path(notifications.migrations.__file__).parent])
    try:
        yield engine
    finally:
        await engine.dispose()


async def follow(engine: AsyncEngine, *payloads: EventPayload, province: str = PROVINCE) -> None:
    """The directory follows ``payloads``, each in its own transaction, as the consumers apply them."""
    for payload in payloads:
        event = await stored(payload, province)
        async with engine.begin() as connection:
            await DIRECTORY.apply(connection, event, payload)


async def mails(engine: AsyncEngine, payload: EventPayload,
                settings: NotificationSettings = SETTINGS) -> list[OutgoingMail]:
    event = await stored(payload)
    async with engine.connect() as connection:
        return await mails_about(connection, event, payload, settings)


RULEBOOK = RulebookAdopted(
    version="HNM-2024", effective_from=date(2024, 1, 1), legal_basis=["Luật Thi đua, khen thưởng"],
    forms=[AwardForm(code="PROV_FLAG", name="Cờ thi đua của UBND tỉnh", decided_by="Chủ tịch UBND tỉnh",
                     rules={"name_en": "The Provincial People's Committee's Emulation Flag"}),
           AwardForm(code="PROV_MERIT", name="Bằng khen của Chủ tịch UBND tỉnh", decided_by="Chủ tịch UBND tỉnh",
                     rules={"name_en": "The Certificate of Merit of the Chairman"})])
BASIS = ProposalBasis(rank=2, total=94, vote_id="v-flag", rule_version="HNM-2024")


def the_province() -> list[EventPayload]:
    """Hà Nam, three units of the bloc with their contacts, the bloc's 2023 chair, the province's rulebook, a
    vote and two proposals."""
    return [
        ProvinceRegistered(code=PROVINCE, name="Hà Nam"),
        *(UnitRegistered(unit_id=unit_id, name=name, short_name=name, kind="party_board", emails=[email])
          for unit_id, (name, email) in UNITS.items()),
        BlocEstablished(bloc_id="khoi-ban-dang", name=BLOC, kind="khoi", decision_ref="QĐ 1"),
        *(UnitJoinedBloc(bloc_id="khoi-ban-dang", unit_id=unit_id, effective_on=date(2023, 1, 1), decision_ref="QĐ 2")
          for unit_id in UNITS),
        ChairElected(bloc_id="khoi-ban-dang", year=2023, unit_id="ban-to-chuc", votes_for=8, votes_cast=8, members=8,
                     elected_on=date(2023, 1, 5)),
        RULEBOOK,
        HonoringVoteOpened(vote_id="v-flag", bloc_id="khoi-ban-dang", year=2023, award_code="PROV_FLAG",
                           candidates=["van-phong", "ban-to-chuc"], members=8, threshold=0.5, places=1,
                           rule_version="HNM-2024"),
        AwardProposed(proposal_id="p-flag", bloc_id="khoi-ban-dang", year=2023, unit_id="ban-to-chuc",
                      award_code="PROV_FLAG", basis=BASIS, filed_on=date(2024, 1, 10),
                      missing=["achievement_report"]),
        AwardProposed(proposal_id="p-merit", bloc_id="khoi-ban-dang", year=2023, unit_id="ubkt",
                      award_code="PROV_MERIT", basis=BASIS, filed_on=date(2024, 1, 10)),
    ]


DECIDED = AwardDecided(proposal_id="p-flag", unit_id="ban-to-chuc", award_code="PROV_FLAG",
                       decision_no="301/QĐ-UBND", decided_on=date(2024, 2, 20), authority="Chủ tịch UBND tỉnh",
                       rule_version="HNM-2024", reward_vnd=18_720_000)

EVERY_KIND: dict[str, EventPayload] = {
    "ranking_published": RankingPublished(bloc_id="khoi-ban-dang", year=2023, ranking=[
        RankEntry(unit_id="van-phong", rank=1, total=95), RankEntry(unit_id="ban-to-chuc", rank=2, total=94.5),
        RankEntry(unit_id="ubkt", rank=3, total=91)]),
    "vote_opened": HonoringVoteOpened(vote_id="v-merit", bloc_id="khoi-ban-dang", year=2023, award_code="PROV_MERIT",
                                      candidates=["ubkt", "van-phong"], members=8, threshold=0.5,
                                      rule_version="HNM-2024"),
    "vote_closed": HonoringVoteClosed(vote_id="v-flag", ballots_cast=8, honoured=["ban-to-chuc"], results=[
        VoteResult(unit_id="ban-to-chuc", votes_for=7), VoteResult(unit_id="van-phong", votes_for=1)]),
    "award_proposed": the_province()[-2],
    "proposal_returned": ProposalReturned(proposal_id="p-flag", reason="Thiếu báo cáo thành tích có xác nhận",
                                          missing=["achievement_report", "vote_minutes"],
                                          returned_on=date(2024, 1, 15)),
    "award_rejected": AwardRejected(proposal_id="p-merit", reason="Chưa đủ hai năm hoàn thành xuất sắc nhiệm vụ",
                                    rejected_on=date(2024, 2, 1), by="province"),
    "forwarded_to_central": ForwardedToCentral(proposal_id="p-flag", dossier_ref="Tờ trình số 12/TTr-UBND",
                                               forwarded_on=date(2024, 3, 1)),
    "award_decided": DECIDED,
    "award_revoked": AwardRevoked(proposal_id="p-flag", decision_no="99/QĐ-UBND", reason="Kê khai không trung thực",
                                  revoked_on=date(2025, 3, 1), ground="a", money_to_recover_vnd=18_720_000,
                                  artefact_to_recover=True),
    "award_frozen": AwardFrozen(unit_id="ubkt", reason="Đang thanh tra", ref="Quyết định thanh tra số 5/QĐ-TTr",
                                on=date(2024, 1, 20)),
    "chair_elected": ChairElected(bloc_id="khoi-ban-dang", year=2024, unit_id="ubkt", votes_for=8, votes_cast=8,
                                  members=8, elected_on=date(2024, 1, 3)),
    "vice_chair_elected": ViceChairElected(bloc_id="khoi-ban-dang", year=2024, unit_id="van-phong", votes_for=7,
                                           votes_cast=8, members=8, elected_on=date(2024, 1, 3)),
}
"""A realistic event of every kind of message, in the province :func:`the_province` sets up."""
