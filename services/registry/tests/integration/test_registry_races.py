"""Commands at once on one unit whose rules read the registry's read model (the unit's other blocs):
the allowed number are recorded, the others refused with the rule's error, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from registry.adapters.import_snapshot import SqlRegistrySnapshot
from registry.adapters.projections import OWN_EVENTS
from registry.adapters.tables import memberships
from registry.application import handlers
from registry.application.importing import import_registry
from registry.bootstrap import SERVICE, commands
from registry.domain.bloc import Role
from registry.domain.commands import (
    AdmitUnit,
    DissolveUnit,
    ElectLeader,
    EstablishBloc,
    MergeUnits,
    RegisterUnit,
)
from registry.domain.importing import ImportRejected, read_rows
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.errors import UserError
from thidua_shared.store import ConcurrencyConflict, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.unit_of_work import SqlUnitOfWork

CONTEXT = CommandContext("HNM", Actor(id="staff", role="admin"), "race")
BLOCS = [f"k{index}" for index in range(10)]
JOINED, ENDED = date(2024, 1, 1), date(2024, 6, 1)
Command = Callable[[], Awaitable[object]]


def _runner(engine: AsyncEngine) -> Callable[..., Command]:
    """Commands run as the service runs them (its bootstrap's wiring), on ``engine``."""
    run_command = commands(lambda: SqlUnitOfWork(engine, "registry", OWN_EVENTS))

    def command(handler: Callable[..., Awaitable[None]], body: object) -> Command:
        async def run() -> object:
            return await run_command(handler, body, CONTEXT)
        return run

    return command


async def _registry(engine: AsyncEngine) -> Callable[..., Command]:
    """Units u and v, and ten blocs of one kind."""
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
    command = _runner(engine)
    for unit_id in ("u", "v"):
        await command(handlers.register_unit, RegisterUnit(unit_id=unit_id, name=f"Unit {unit_id}"))()
    for bloc_id in BLOCS:
        await command(handlers.establish_bloc,
                      EstablishBloc(bloc_id=bloc_id, name=bloc_id, kind="khoi", decision_ref="QĐ 1"))()
    return command


async def _outcomes(*commands: Command) -> list[str]:
    """Each command's outcome, all started at once: recorded, or the code of its refusal."""

    async def outcome(command: Command) -> str:
        try:
            await command()
        except UserError as refused:
            return f"{refused.status} {refused.code}"
        except ConcurrencyConflict:
            return "409 store.conflict"
        return "recorded"

    return list(await asyncio.gather(*(outcome(command) for command in commands)))


def _admit(command: Callable[..., Command], bloc_id: str) -> Command:
    return command(handlers.admit_unit, AdmitUnit(bloc_id=bloc_id, unit_id="u", effective_on=JOINED,
                                                  decision_ref="QĐ 2"))


async def _memberships_of_u(engine: AsyncEngine) -> list[tuple[str, date | None]]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(memberships.c.bloc_id, memberships.c.left_on)
                                        .where(memberships.c.unit_id == "u"))
        return [(str(bloc_id), left_on) for bloc_id, left_on in rows]


async def test_a_unit_admitted_to_ten_blocs_of_one_kind_at_once_joins_one(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        command = await _registry(engine)
        outcomes = await _outcomes(*(_admit(command, bloc_id) for bloc_id in BLOCS))
        joined = await _memberships_of_u(engine)
        async with engine.connect() as connection:
            logged = await connection.scalar(select(func.count()).select_from(events).where(
                events.c.event_type == "UnitJoinedBloc"))
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["409 bloc.one_of_a_kind"] * 9 + ["recorded"], "one bloc of a kind at a time"
    assert len(joined) == 1
    assert logged == 1, "nothing of a refused admission is kept"


async def _ended_while_admitted(database_url: str, end: Callable[[Callable[..., Command]], Command],
                                ) -> tuple[list[str], list[tuple[str, date | None]]]:
    engine = create_engine(database_url)
    try:
        command = await _registry(engine)
        outcomes = await _outcomes(end(command), *(_admit(command, bloc_id) for bloc_id in BLOCS[:9]))
        return outcomes, await _memberships_of_u(engine)
    finally:
        await engine.dispose()


def _refusals_and_left(outcomes: list[str], joined: list[tuple[str, date | None]]) -> None:
    assert outcomes[0] == "recorded", "the unit ends"
    admitted = outcomes[1:].count("recorded")
    assert admitted <= 1, outcomes
    assert set(outcomes[1:]) - {"recorded"} <= {"409 unit.ended", "409 bloc.one_of_a_kind"}, outcomes
    assert len(joined) == admitted
    assert all(left_on == ENDED for _, left_on in joined), f"an ended unit stays in no bloc: {joined}"


async def test_a_unit_dissolved_while_admitted_to_nine_blocs_at_once_is_left_in_none(database_url: str) -> None:
    outcomes, joined = await _ended_while_admitted(database_url, lambda command: command(
        handlers.dissolve_unit, DissolveUnit(unit_id="u", effective_on=ENDED, decision_ref="QĐ 3")))
    _refusals_and_left(outcomes, joined)


async def test_a_unit_merged_while_admitted_to_nine_blocs_at_once_is_left_in_none(database_url: str) -> None:
    outcomes, joined = await _ended_while_admitted(database_url, lambda command: command(
        handlers.merge_units, MergeUnits(from_unit_ids=["u"], into_unit_id="v", effective_on=ENDED,
                                         decision_ref="QĐ 3")))
    _refusals_and_left(outcomes, joined)


def _import(engine: AsyncEngine, bloc_id: str) -> Command:
    """A file that admits u to one bloc (both already registered as the file says)."""
    row = {"unit_id": "u", "unit_name": "Unit u", "unit_kind": "other", "bloc_id": bloc_id, "bloc_name": bloc_id,
           "bloc_kind": "khoi", "bloc_decision_ref": "QĐ 1", "joined_on": JOINED.isoformat(),
           "membership_decision_ref": "QĐ 2"}
    plan = read_rows([row], list(row))
    run_command = commands(lambda: SqlUnitOfWork(engine, "registry", OWN_EVENTS))

    async def run() -> object:
        return await import_registry(plan, CONTEXT, SqlRegistrySnapshot(engine), lambda: run_command.open(CONTEXT))

    return run


async def test_ten_imports_admitting_a_unit_to_ten_blocs_of_one_kind_at_once_admit_it_once(
        database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _registry(engine)
        refusals: list[list[str]] = []

        async def imported(bloc_id: str) -> str:
            try:
                await _import(engine, bloc_id)()
            except ImportRejected as refused:
                refusals.append([problem.code for problem in refused.problems])
                return f"{refused.status} {refused.code}"
            return "recorded"

        outcomes = await asyncio.gather(*(imported(bloc_id) for bloc_id in BLOCS))
        joined = await _memberships_of_u(engine)
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["422 import.rejected"] * 9 + ["recorded"]
    assert refusals == [["bloc.one_of_a_kind"]] * 9
    assert len(joined) == 1


async def test_ten_chairs_of_one_bloc_elected_at_once_leave_one_and_nine_told_the_role_is_taken(
        database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        command = await _registry(engine)
        members = [f"m{index}" for index in range(10)]
        for unit_id in members:
            await command(handlers.register_unit, RegisterUnit(unit_id=unit_id, name=unit_id))()
            await command(handlers.admit_unit, AdmitUnit(bloc_id="k0", unit_id=unit_id, effective_on=JOINED,
                                                         decision_ref="QĐ 2"))()
        outcomes = await _outcomes(*(command(handlers.elect_leader, ElectLeader(
            bloc_id="k0", role=Role.CHAIR, year=2025, unit_id=unit_id, votes_for=6, votes_cast=10, members=10,
            elected_on=date(2024, 12, 20))) for unit_id in members))
        async with engine.connect() as connection:
            logged = await connection.scalar(select(func.count()).select_from(events).where(
                events.c.event_type == "ChairElected"))
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["409 election.already_elected"] * 9 + ["recorded"]
    assert logged == 1
