"""The directory: what notifications knows of the province's names and people, following the registry's and
awards' topics, so that every message names units, blocs and forms as people call them, and reaches the
units' contact e-mails.

Units (their names over time, mergers, contacts), blocs (names, members, chairs and vice-chairs by year),
provinces (names, mergers), award forms (Vietnamese and English names, by rulebook version), honouring votes
and proposals (so that a later event that carries only a ``proposal_id`` or a ``vote_id`` can be worded), and
decisions (number and day). Schema owned by ``notifications.migrations``; rebuilt by reading the topics again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Integer, String, Table, Text, and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import metadata
from thidua_contracts.awards import AwardDecided, AwardProposed, HonoringVoteOpened, RulebookAdopted
from thidua_contracts.registry import (
    BlocEstablished,
    ChairElected,
    ProvinceRegistered,
    ProvincesMerged,
    UnitDissolved,
    UnitEmailsChanged,
    UnitJoinedBloc,
    UnitLeftBloc,
    UnitRegistered,
    UnitRenamed,
    UnitsMerged,
    ViceChairElected,
)
from thidua_shared.projection import Projection
from thidua_shared.store import StoredEvent

ALWAYS = ""
"""The ``effective_on`` of a unit's name as registered: in force before any rename."""

directory_provinces = Table(
    "directory_provinces", metadata,
    Column("province", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("merged_into", String(8)),
)
directory_units = Table(
    "directory_units", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("emails", Text, nullable=False),
    Column("merged_into", String(100)),
    Column("dissolved_on", String(10)),
)
directory_unit_names = Table(
    "directory_unit_names", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("effective_on", String(10), primary_key=True),
    Column("name", String(300), nullable=False),
)
directory_blocs = Table(
    "directory_blocs", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
)
directory_bloc_members = Table(
    "directory_bloc_members", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("joined_on", String(10), primary_key=True),
    Column("left_on", String(10)),
)
directory_bloc_leaders = Table(
    "directory_bloc_leaders", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("unit_id", String(100), nullable=False),
)
directory_forms = Table(
    "directory_forms", metadata,
    Column("province", String(8), primary_key=True),
    Column("rule_version", String(100), primary_key=True),
    Column("code", String(100), primary_key=True),
    Column("effective_from", String(10), nullable=False),
    Column("name_vi", String(300), nullable=False),
    Column("name_en", String(300), nullable=False),
)
directory_votes = Table(
    "directory_votes", metadata,
    Column("province", String(8), primary_key=True),
    Column("vote_id", String(100), primary_key=True),
    Column("bloc_id", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("award_code", String(100), nullable=False),
)
directory_proposals = Table(
    "directory_proposals", metadata,
    Column("province", String(8), primary_key=True),
    Column("proposal_id", String(200), primary_key=True),
    Column("unit_id", String(100), nullable=False),
    Column("award_code", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("bloc_id", String(100)),
    Column("rule_version", String(100)),
    Column("decision_no", String(100)),
    Column("decided_on", String(10)),
)
DIRECTORY_TABLES = (directory_provinces, directory_units, directory_unit_names, directory_blocs,
                    directory_bloc_members, directory_bloc_leaders, directory_forms, directory_votes,
                    directory_proposals)

DIRECTORY = Projection()
"""The registry's and awards' events that the directory follows, one handler per event class."""


async def _put(connection: AsyncConnection, table: Table, values: Mapping[str, Any]) -> None:
    """Insert the row, replacing the one of the same key (an event told again, or a later one for that key)."""
    key = and_(*(column == values[column.name] for column in table.primary_key.columns))
    await connection.execute(delete(table).where(key))
    await connection.execute(insert(table).values(**values))


def _unit(event: StoredEvent, unit_id: str) -> Any:
    return and_(directory_units.c.province == event.province, directory_units.c.unit_id == unit_id)


@DIRECTORY.handles(ProvinceRegistered)
async def province_registered(connection: AsyncConnection, event: StoredEvent, payload: ProvinceRegistered) -> None:
    await _put(connection, directory_provinces, {"province": payload.code, "name": payload.name,
                                                 "merged_into": None})


@DIRECTORY.handles(ProvincesMerged)
async def provinces_merged(connection: AsyncConnection, event: StoredEvent, payload: ProvincesMerged) -> None:
    await connection.execute(update(directory_provinces).where(directory_provinces.c.province.in_(payload.from_codes))
                             .values(merged_into=payload.into_code))


@DIRECTORY.handles(UnitRegistered)
async def unit_registered(connection: AsyncConnection, event: StoredEvent, payload: UnitRegistered) -> None:
    await _put(connection, directory_units, {"province": event.province, "unit_id": payload.unit_id,
                                             "emails": json.dumps(payload.emails), "merged_into": None,
                                             "dissolved_on": None})
    await _put(connection, directory_unit_names, {"province": event.province, "unit_id": payload.unit_id,
                                                  "effective_on": ALWAYS, "name": payload.name})


@DIRECTORY.handles(UnitRenamed)
async def unit_renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None:
    await _put(connection, directory_unit_names, {"province": event.province, "unit_id": payload.unit_id,
                                                  "effective_on": payload.effective_on.isoformat(),
                                                  "name": payload.name})


@DIRECTORY.handles(UnitEmailsChanged)
async def unit_emails_changed(connection: AsyncConnection, event: StoredEvent, payload: UnitEmailsChanged) -> None:
    await connection.execute(update(directory_units).where(_unit(event, payload.unit_id))
                             .values(emails=json.dumps(payload.emails)))


@DIRECTORY.handles(UnitsMerged)
async def units_merged(connection: AsyncConnection, event: StoredEvent, payload: UnitsMerged) -> None:
    for unit_id in payload.from_unit_ids:
        await connection.execute(update(directory_units).where(_unit(event, unit_id))
                                 .values(merged_into=payload.into_unit_id))


@DIRECTORY.handles(UnitDissolved)
async def unit_dissolved(connection: AsyncConnection, event: StoredEvent, payload: UnitDissolved) -> None:
    await connection.execute(update(directory_units).where(_unit(event, payload.unit_id))
                             .values(dissolved_on=payload.effective_on.isoformat()))


@DIRECTORY.handles(BlocEstablished)
async def bloc_established(connection: AsyncConnection, event: StoredEvent, payload: BlocEstablished) -> None:
    await _put(connection, directory_blocs, {"province": event.province, "bloc_id": payload.bloc_id,
                                             "name": payload.name})


@DIRECTORY.handles(UnitJoinedBloc)
async def unit_joined_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitJoinedBloc) -> None:
    await _put(connection, directory_bloc_members, {"province": event.province, "bloc_id": payload.bloc_id,
                                                    "unit_id": payload.unit_id,
                                                    "joined_on": payload.effective_on.isoformat(), "left_on": None})


@DIRECTORY.handles(UnitLeftBloc)
async def unit_left_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitLeftBloc) -> None:
    members = directory_bloc_members.c
    await connection.execute(update(directory_bloc_members).where(
        members.province == event.province, members.bloc_id == payload.bloc_id, members.unit_id == payload.unit_id,
        members.left_on.is_(None)).values(left_on=payload.effective_on.isoformat()))


async def _leader(connection: AsyncConnection, event: StoredEvent, payload: ChairElected | ViceChairElected,
                  role: str) -> None:
    await _put(connection, directory_bloc_leaders, {"province": event.province, "bloc_id": payload.bloc_id,
                                                    "year": payload.year, "role": role,
                                                    "unit_id": payload.unit_id})


@DIRECTORY.handles(ChairElected)
async def chair_elected(connection: AsyncConnection, event: StoredEvent, payload: ChairElected) -> None:
    await _leader(connection, event, payload, "chair")


@DIRECTORY.handles(ViceChairElected)
async def vice_chair_elected(connection: AsyncConnection, event: StoredEvent, payload: ViceChairElected) -> None:
    await _leader(connection, event, payload, "vice_chair")


@DIRECTORY.handles(RulebookAdopted)
async def rulebook_adopted(connection: AsyncConnection, event: StoredEvent, payload: RulebookAdopted) -> None:
    for form in payload.forms:
        name_en = form.rules.get("name_en")
        await _put(connection, directory_forms, {
            "province": event.province, "rule_version": payload.version, "code": form.code,
            "effective_from": payload.effective_from.isoformat(), "name_vi": form.name,
            "name_en": name_en if isinstance(name_en, str) and name_en else form.name})


@DIRECTORY.handles(HonoringVoteOpened)
async def vote_opened(connection: AsyncConnection, event: StoredEvent, payload: HonoringVoteOpened) -> None:
    await _put(connection, directory_votes, {"province": event.province, "vote_id": payload.vote_id,
                                             "bloc_id": payload.bloc_id, "year": payload.year,
                                             "award_code": payload.award_code})


@DIRECTORY.handles(AwardProposed)
async def award_proposed(connection: AsyncConnection, event: StoredEvent, payload: AwardProposed) -> None:
    """The proposal; a decision already read (its copy came first, as after a broker's refill) is kept."""
    proposals = directory_proposals.c
    key = and_(proposals.province == event.province, proposals.proposal_id == payload.proposal_id)
    known = (await connection.execute(select(proposals.decision_no, proposals.decided_on, proposals.rule_version)
                                      .where(key))).first()
    decided = known is not None and known.decision_no is not None
    await _put(connection, directory_proposals, {
        "province": event.province, "proposal_id": payload.proposal_id, "unit_id": payload.unit_id,
        "award_code": payload.award_code, "year": payload.year, "bloc_id": payload.bloc_id,
        "rule_version": known.rule_version if decided and known is not None else payload.basis.rule_version,
        "decision_no": known.decision_no if known is not None else None,
        "decided_on": known.decided_on if known is not None else None})


@DIRECTORY.handles(AwardDecided)
async def award_decided(connection: AsyncConnection, event: StoredEvent, payload: AwardDecided) -> None:
    """The decision; read before its proposal (no order holds across a refill's copies), it waits in a row that
    the proposal completes."""
    proposals = directory_proposals.c
    decision = {"decision_no": payload.decision_no, "decided_on": payload.decided_on.isoformat(),
                "rule_version": payload.rule_version}
    updated = await connection.execute(update(directory_proposals).where(
        proposals.province == event.province, proposals.proposal_id == payload.proposal_id).values(**decision))
    if updated.rowcount == 0:
        await connection.execute(insert(directory_proposals).values(
            province=event.province, proposal_id=payload.proposal_id, unit_id=payload.unit_id,
            award_code=payload.award_code, year=0, bloc_id=None, **decision))
