"""The directory follows the registry's and awards' events: names over time, mergers, contacts, blocs and their
chairs, forms by rulebook version, proposals and decisions (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from mail_world import DECIDED, PROVINCE, follow, notifications_database, the_province
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from notifications.adapters.directory import directory_units
from notifications.adapters.wording import Directory
from thidua_contracts.awards import AwardForm, RulebookAdopted
from thidua_contracts.registry import (
    ChairElected,
    ProvincesMerged,
    UnitDissolved,
    UnitEmailsChanged,
    UnitLeftBloc,
    UnitRegistered,
    UnitRenamed,
    UnitsMerged,
)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    async with notifications_database(database_url) as engine:
        await follow(engine, *the_province())
        yield engine


async def test_a_unit_is_named_as_it_was_called_on_each_day(engine: AsyncEngine) -> None:
    await follow(engine, UnitRenamed(unit_id="ubkt", name="Ủy ban Kiểm tra Đảng ủy tỉnh", effective_on=date(2025, 7, 1),
                                     decision_ref="QĐ 10"))
    async with engine.connect() as connection:
        directory = Directory(connection, PROVINCE)
        assert await directory.unit_name("ubkt", date(2024, 1, 1)) == "Ủy ban Kiểm tra Tỉnh ủy"
        assert await directory.unit_name("ubkt", date(2025, 7, 1)) == "Ủy ban Kiểm tra Đảng ủy tỉnh"
        assert await directory.unit_name("ubkt") == "Ủy ban Kiểm tra Đảng ủy tỉnh", "today: the latest name"
        assert await directory.unit_name("nobody") is None


async def test_a_merged_unit_is_reached_through_every_merger_at_the_contacts_of_the_unit_that_absorbed_it(
    engine: AsyncEngine,
) -> None:
    await follow(engine,
                 UnitRegistered(unit_id="ban-xd", name="Ban Xây dựng Đảng", short_name="BXD", kind="party_board",
                                emails=["bxd@hanam.gov.vn"]),
                 UnitRegistered(unit_id="dang-uy", name="Đảng ủy các cơ quan Đảng tỉnh", short_name="ĐU",
                                kind="party_committee", emails=[]),
                 UnitsMerged(from_unit_ids=["ban-to-chuc", "van-phong"], into_unit_id="ban-xd",
                             effective_on=date(2025, 3, 1), decision_ref="QĐ 9"),
                 UnitsMerged(from_unit_ids=["ban-xd"], into_unit_id="dang-uy", effective_on=date(2025, 7, 1),
                             decision_ref="QĐ 11"),
                 UnitEmailsChanged(unit_id="dang-uy",
                                   emails=["vanthu@danguy.hanam.gov.vn", "tdkt@danguy.hanam.gov.vn"]))
    async with engine.connect() as connection:
        directory = Directory(connection, PROVINCE)
        reached = await directory.unit_contacts("ban-to-chuc")
        own = await directory.unit_contacts("ubkt")
    assert [(contact.address, contact.name) for contact in reached] == [
        ("vanthu@danguy.hanam.gov.vn", "Đảng ủy các cơ quan Đảng tỉnh"),
        ("tdkt@danguy.hanam.gov.vn", "Đảng ủy các cơ quan Đảng tỉnh")]
    assert [contact.address for contact in own] == ["ubkt@hanam.gov.vn"]


async def test_a_bloc_s_chair_is_the_one_of_the_year_or_the_last_before_it(engine: AsyncEngine) -> None:
    await follow(engine, ChairElected(bloc_id="khoi-ban-dang", year=2025, unit_id="ubkt", votes_for=8, votes_cast=8,
                                      members=8, elected_on=date(2025, 1, 4)),
                 ChairElected(bloc_id="khoi-ban-dang", year=2025, unit_id="van-phong", votes_for=8, votes_cast=8,
                              members=8, elected_on=date(2025, 1, 20), replaces_reason="bầu lại"))
    async with engine.connect() as connection:
        directory = Directory(connection, PROVINCE)
        chairs = [await directory.chair_of("khoi-ban-dang", year) for year in (2022, 2023, 2024, 2025)]
        assert await directory.bloc_name("khoi-ban-dang") == ("Khối thi đua các Ban xây dựng Đảng và các cơ quan "
                                                               "trực thuộc Tỉnh ủy")
    assert chairs == [None, "ban-to-chuc", "ban-to-chuc", "van-phong"], "a new election replaces the year's chair"


async def test_a_unit_that_left_its_bloc_is_no_longer_found_in_it(engine: AsyncEngine) -> None:
    await follow(engine, UnitLeftBloc(bloc_id="khoi-ban-dang", unit_id="ubkt", effective_on=date(2025, 3, 1),
                                      decision_ref="QĐ 12"))
    async with engine.connect() as connection:
        directory = Directory(connection, PROVINCE)
        assert await directory.bloc_of("ubkt") is None
        assert await directory.bloc_of("van-phong") == "khoi-ban-dang"


async def test_a_form_is_named_by_the_rulebook_version_given_else_the_latest_else_the_national_default(
    engine: AsyncEngine,
) -> None:
    renamed = RulebookAdopted(version="HNM-2026", effective_from=date(2026, 1, 1), legal_basis=[], forms=[
        AwardForm(code="PROV_FLAG", name="Cờ thi đua của Ủy ban nhân dân tỉnh", decided_by="Chủ tịch UBND tỉnh",
                  rules={"name_en": "The Emulation Flag of the Provincial People's Committee"})])
    await follow(engine, renamed)
    async with engine.connect() as connection:
        directory = Directory(connection, PROVINCE)
        as_adopted = await directory.form_names("PROV_FLAG", "HNM-2024")
        latest = await directory.form_names("PROV_FLAG", None)
        national = await directory.form_names("GOV_FLAG", "VN-98-2023")
        unknown = await directory.form_names("THEMATIC_MERIT", None)
    assert as_adopted == {"vi": "Cờ thi đua của UBND tỉnh", "en": "The Provincial People's Committee's Emulation Flag"}
    assert latest["vi"] == "Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert national == {"vi": "Cờ thi đua của Chính phủ", "en": "The Government's Emulation Flag"}
    assert unknown == {"vi": "hình thức khen thưởng", "en": "an award"}, "never a code in its place"


async def test_a_proposal_keeps_its_unit_form_year_bloc_and_then_its_decision(engine: AsyncEngine) -> None:
    await follow(engine, DECIDED)
    async with engine.connect() as connection:
        found = await Directory(connection, PROVINCE).proposal("p-flag")
    assert (found.unit_id, found.award_code, found.year, found.bloc_id) == (
        "ban-to-chuc", "PROV_FLAG", 2023, "khoi-ban-dang")
    assert (found.decision_no, found.decided_on) == ("301/QĐ-UBND", "2024-02-20")


async def test_provinces_keep_their_names_and_mergers_and_units_their_dissolution(engine: AsyncEngine) -> None:
    await follow(engine, ProvincesMerged(from_codes=[PROVINCE], into_code="NBH", effective_on=date(2025, 7, 1),
                                         legal_basis="Nghị quyết số 202/2025/QH15"),
                 UnitDissolved(unit_id="ubkt", effective_on=date(2025, 7, 1), decision_ref="QĐ 13"))
    async with engine.connect() as connection:
        assert await Directory(connection, PROVINCE).province_name() == "Hà Nam"
        dissolved = await connection.scalar(select(directory_units.c.dissolved_on)
                                            .where(directory_units.c.unit_id == "ubkt"))
    assert dissolved == "2025-07-01"


async def test_an_event_told_twice_leaves_one_row(engine: AsyncEngine) -> None:
    again = the_province()
    await follow(engine, *again)
    async with engine.connect() as connection:
        units = await connection.scalar(select(func.count()).select_from(directory_units))
    assert units == 3


async def test_a_decision_read_before_its_proposal_is_kept_when_the_proposal_comes(database_url: str) -> None:
    """No order holds across a refilled topic's copies: the decision may come first; the proposal completes it."""
    async with notifications_database(database_url) as engine:
        await follow(engine, DECIDED)
        await follow(engine, *the_province())
        async with engine.connect() as connection:
            found = await Directory(connection, PROVINCE).proposal("p-flag")
    assert (found.unit_id, found.award_code, found.year, found.bloc_id) == (
        "ban-to-chuc", "PROV_FLAG", 2023, "khoi-ban-dang")
    assert (found.decision_no, found.decided_on, found.rule_version) == ("301/QĐ-UBND", "2024-02-20", "HNM-2024")
