"""An event read before the unit it names waits for the directory, then is told once, by the unit's name (a
consumer that starts late reads a bloc's election before the unit's registration: they travel on different
partitions). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from mail_world import PROVINCE, notifications_database, stored
from sqlalchemy import func, select

from notifications.adapters.projections import REGISTRY_EVENTS
from notifications.adapters.queries import sent_notifications
from notifications.adapters.waiting import waiting_events
from thidua_contracts import EventPayload
from thidua_contracts.registry import BlocEstablished, ChairElected, ProvinceRegistered, UnitRegistered


async def test_an_election_read_before_its_unit_waits_and_is_told_by_name_once(database_url: str) -> None:
    election = ChairElected(bloc_id="khoi-ban-dang", year=2024, unit_id="ubkt", votes_for=8, votes_cast=8,
                            members=8, elected_on=date(2024, 1, 3))
    unit = UnitRegistered(unit_id="ubkt", name="Ủy ban Kiểm tra Tỉnh ủy", short_name="UBKT", kind="party_board",
                          emails=["ubkt@hanam.dcs.vn"])
    earlier: list[EventPayload] = [ProvinceRegistered(code=PROVINCE, name="Hà Nam"),
                                   BlocEstablished(bloc_id="khoi-ban-dang", name="Khối các Ban Đảng", kind="khoi",
                                                   decision_ref="QĐ 1"), election]
    async with notifications_database(database_url) as engine:
        for payload in earlier:
            async with engine.begin() as connection:
                await REGISTRY_EVENTS.apply(connection, await stored(payload, PROVINCE), payload)
        async with engine.connect() as connection:
            told_before = await sent_notifications(connection, PROVINCE)
            waiting = await connection.scalar(select(func.count()).select_from(waiting_events))
        async with engine.begin() as connection:
            await REGISTRY_EVENTS.apply(connection, await stored(unit, PROVINCE), unit)
        async with engine.connect() as connection:
            told_after = await sent_notifications(connection, PROVINCE)
            left = await connection.scalar(select(func.count()).select_from(waiting_events))
    assert (told_before, waiting) == ([], 1), "nothing is worded before the directory knows the unit"
    [told] = told_after
    assert (told["template"], left) == ("chair_elected", 0)
    assert told["text_vi"].startswith("Ủy ban Kiểm tra Tỉnh ủy được bầu làm Trưởng khối năm 2024 của Khối các Ban Đảng")
    assert "chưa có trong danh bạ" not in told["text_vi"]
