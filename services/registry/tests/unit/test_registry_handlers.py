"""Registry use cases over the in-memory store: the rules, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from registry.application import handlers
from registry.domain.commands import AdmitUnit, DissolveUnit, ElectLeader, EstablishBloc, RegisterUnit, RenameUnit
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid
from thidua_shared.unit_of_work import InMemoryUnitOfWork

CONTEXT = CommandContext("HNM", Actor(id="staff", role="admin"), "corr-1")


async def in_no_bloc(province: str, unit_id: str, day: date) -> list[tuple[str, str]]:
    """The read model's answer for a unit in no bloc yet."""
    return []


async def _bloc_of(uow: InMemoryUnitOfWork, *units: str) -> None:
    await handlers.establish_bloc(EstablishBloc(bloc_id="b", name="Khối", kind="khoi", decision_ref="1"),
                                  CONTEXT, uow)
    for unit in units:
        await handlers.register_unit(RegisterUnit(unit_id=unit, name=unit), CONTEXT, uow)
        await handlers.admit_unit(AdmitUnit(bloc_id="b", unit_id=unit, effective_on=date(2023, 1, 1),
                                            decision_ref="2"), CONTEXT, uow,
                                  in_no_bloc)


def _election(**changes: object) -> ElectLeader:
    fields: dict[str, object] = {"bloc_id": "b", "role": "chair", "year": 2024, "unit_id": "a", "votes_for": 2,
                                 "votes_cast": 2, "members": 2, "elected_on": date(2024, 1, 3)}
    return ElectLeader.model_validate({**fields, **changes})


async def test_recorded_events_carry_the_actor_and_the_correlation_id() -> None:
    uow = InMemoryUnitOfWork("registry")
    [event] = await handlers.register_unit(RegisterUnit(unit_id="a", name="A"), CONTEXT, uow)
    assert event.actor == {"id": "staff", "role": "admin", "unit_id": None}
    assert event.correlation_id == "corr-1"
    assert uow.committed == [event]


async def test_a_unit_that_joined_after_the_election_day_cannot_be_elected() -> None:
    uow = InMemoryUnitOfWork("registry")
    await _bloc_of(uow, "a", "b")
    with pytest.raises(Conflict) as refused:
        await handlers.elect_leader(_election(elected_on=date(2022, 12, 31)), CONTEXT, uow)
    assert refused.value.code == "election.not_member"


async def test_votes_are_bounded_by_votes_cast_and_members() -> None:
    uow = InMemoryUnitOfWork("registry")
    await _bloc_of(uow, "a", "b")
    with pytest.raises(Invalid):
        await handlers.elect_leader(_election(votes_for=3, votes_cast=2), CONTEXT, uow)
    with pytest.raises(Invalid):
        await handlers.elect_leader(_election(votes_cast=3, members=2), CONTEXT, uow)


async def test_a_refused_command_leaves_nothing_in_the_log() -> None:
    uow = InMemoryUnitOfWork("registry")
    await _bloc_of(uow, "a")
    before = list(uow.store.log)
    with pytest.raises(Conflict):
        async with uow:
            await handlers.admit_unit(AdmitUnit(bloc_id="b", unit_id="a", effective_on=date(2023, 6, 1),
                                                decision_ref="3"), CONTEXT, uow,
                                      in_no_bloc)
    assert uow.store.log == before


async def test_a_dissolved_unit_leaves_its_blocs_the_same_day_in_one_transaction() -> None:
    uow = InMemoryUnitOfWork("registry")
    await _bloc_of(uow, "a", "b")

    async def in_bloc_b(province: str, unit_id: str, day: date) -> list[tuple[str, str]]:
        return [("b", "khoi")]

    stored = await handlers.dissolve_unit(DissolveUnit(unit_id="a", effective_on=date(2025, 7, 1), decision_ref="9"),
                                          CONTEXT, uow, in_bloc_b)
    assert [(e.event_type, e.stream_id) for e in stored] == [
        ("UnitDissolved", "unit:HNM:a"), ("UnitLeftBloc", "bloc:HNM:b")]
    rename = RenameUnit(unit_id="a", name="A2", effective_on=date(2025, 8, 1), decision_ref="10")
    with pytest.raises(Conflict) as ended:
        await handlers.rename_unit(rename, CONTEXT, uow)
    assert ended.value.code == "unit.ended"


async def test_a_unit_in_a_bloc_of_the_same_kind_cannot_join_another() -> None:
    uow = InMemoryUnitOfWork("registry")
    await _bloc_of(uow, "a")
    await handlers.establish_bloc(EstablishBloc(bloc_id="b2", name="Khối 2", kind="khoi", decision_ref="1"),
                                  CONTEXT, uow)

    async def in_bloc_b(province: str, unit_id: str, day: date) -> list[tuple[str, str]]:
        return [("b", "khoi")]

    with pytest.raises(Conflict) as refused:
        await handlers.admit_unit(AdmitUnit(bloc_id="b2", unit_id="a", effective_on=date(2024, 1, 1),
                                            decision_ref="2"), CONTEXT, uow, in_bloc_b)
    assert refused.value.code == "bloc.one_of_a_kind"
