"""Registry use cases over the in-memory log and a fake read model: the rules, without a database."""

from __future__ import annotations

from datetime import date

import pytest
from registry_fakes import CONTEXT, FakeUnitOfWork

from registry.application import handlers
from registry.domain.bloc import Role
from registry.domain.commands import (
    AdmitUnit,
    ChangeProvinceSettings,
    ConfirmElection,
    ConsentToMerge,
    DissolveUnit,
    ElectLeader,
    EstablishBloc,
    HandOverChair,
    MergeProvinces,
    MergeUnits,
    RegisterProvince,
    RegisterUnit,
    RenameUnit,
)
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid


async def _bloc_of(uow: FakeUnitOfWork, *units: str, bloc_id: str = "b") -> None:
    await handlers.establish_bloc(EstablishBloc(bloc_id=bloc_id, name="Khối", kind="khoi", decision_ref="1"),
                                  CONTEXT, uow)
    for unit in units:
        await handlers.register_unit(RegisterUnit(unit_id=unit, name=unit), CONTEXT, uow)
        await handlers.admit_unit(AdmitUnit(bloc_id=bloc_id, unit_id=unit, effective_on=date(2023, 1, 1),
                                            decision_ref="2"), CONTEXT, uow)


def _election(**changes: object) -> ElectLeader:
    fields: dict[str, object] = {"bloc_id": "b", "role": "chair", "year": 2024, "unit_id": "a", "votes_for": 2,
                                 "votes_cast": 2, "members": 2, "elected_on": date(2024, 1, 3)}
    return ElectLeader.model_validate({**fields, **changes})


async def test_recorded_events_carry_the_actor_and_the_correlation_id() -> None:
    uow = FakeUnitOfWork()
    await handlers.register_unit(RegisterUnit(unit_id="a", name="A"), CONTEXT, uow)
    [event] = uow.committed
    assert (event.stream_id, event.stream_version) == ("unit:HNM:a", 1)
    assert event.actor == {"id": "staff", "role": "admin", "unit_id": None}
    assert event.correlation_id == "corr-1"
    assert uow.log == [event]


async def test_a_unit_that_joined_after_the_election_day_cannot_be_elected() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a", "b")
    with pytest.raises(Conflict) as refused:
        await handlers.elect_leader(_election(elected_on=date(2022, 12, 31)), CONTEXT, uow)
    assert refused.value.code == "election.not_member"


async def test_votes_are_bounded_by_votes_cast_and_members() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a", "b")
    with pytest.raises(Invalid):
        await handlers.elect_leader(_election(votes_for=3, votes_cast=2), CONTEXT, uow)
    with pytest.raises(Invalid):
        await handlers.elect_leader(_election(votes_cast=3, members=2), CONTEXT, uow)


async def test_the_role_of_an_election_is_the_domains_enum_and_a_role_is_taken_once_a_year() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a", "b")
    election = _election(role="vice_chair", unit_id="b")
    assert election.role is Role.VICE_CHAIR
    await handlers.elect_leader(election, CONTEXT, uow)
    with pytest.raises(Conflict) as taken:
        await handlers.elect_leader(_election(role="vice_chair", unit_id="a"), CONTEXT, uow)
    assert (taken.value.code, taken.value.params["role"]) == ("election.already_elected", "vice_chair")
    with pytest.raises(Conflict) as both:
        await handlers.elect_leader(_election(unit_id="b"), CONTEXT, uow)
    assert both.value.code == "election.same_unit_both_roles"


async def test_an_act_dated_after_the_provinces_today_is_refused() -> None:
    uow = FakeUnitOfWork(today=date(2024, 1, 2))
    await _bloc_of(uow, "a", "b")
    with pytest.raises(Invalid) as refused:
        await handlers.elect_leader(_election(elected_on=date(2024, 1, 3)), CONTEXT, uow)
    assert refused.value.params == {"on": "2024-01-03", "today": "2024-01-02"}
    with pytest.raises(Invalid):
        await handlers.hand_over_chair(HandOverChair(bloc_id="b", from_unit_id="a", to_unit_id="b",
                                                     handed_over_on=date(2024, 2, 1)), CONTEXT, uow)


async def test_a_refused_command_leaves_nothing_in_the_log() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a")
    before = list(uow.log)
    with pytest.raises(Conflict):
        async with uow:
            await handlers.admit_unit(AdmitUnit(bloc_id="b", unit_id="a", effective_on=date(2023, 6, 1),
                                                decision_ref="3"), CONTEXT, uow)
    assert uow.log == before


async def test_a_dissolved_unit_leaves_its_blocs_the_same_day_in_one_transaction() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a", "b")
    committed = len(uow.committed)
    await handlers.dissolve_unit(DissolveUnit(unit_id="a", effective_on=date(2025, 7, 1), decision_ref="9"),
                                 CONTEXT, uow)
    assert [(e.event_type, e.stream_id) for e in uow.committed[committed:]] == [
        ("UnitDissolved", "unit:HNM:a"), ("UnitLeftBloc", "bloc:HNM:b")]
    rename = RenameUnit(unit_id="a", name="A2", effective_on=date(2025, 8, 1), decision_ref="10")
    with pytest.raises(Conflict) as ended:
        await handlers.rename_unit(rename, CONTEXT, uow)
    assert ended.value.code == "unit.ended"


async def test_merged_units_end_leave_their_blocs_and_are_the_predecessors_of_the_unit_they_merge_into() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a", "b")
    await handlers.register_unit(RegisterUnit(unit_id="c", name="C"), CONTEXT, uow)
    committed = len(uow.committed)
    await handlers.merge_units(MergeUnits(from_unit_ids=["a", "b"], into_unit_id="c",
                                          effective_on=date(2025, 7, 1), decision_ref="9"), CONTEXT, uow)
    assert [(e.event_type, e.stream_id, e.stream_version) for e in uow.committed[committed:]] == [
        ("UnitDissolved", "unit:HNM:a", 2), ("UnitLeftBloc", "bloc:HNM:b", 4),
        ("UnitDissolved", "unit:HNM:b", 2), ("UnitLeftBloc", "bloc:HNM:b", 5),
        ("UnitsMerged", "unit:HNM:c", 2)]
    merged = await uow.units.get("c")
    assert merged.predecessors == ["a", "b"]
    assert await uow.blocs_of_unit("a", date(2025, 7, 1)) == []


async def test_a_unit_in_a_bloc_of_the_same_kind_cannot_join_another() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a")
    await handlers.establish_bloc(EstablishBloc(bloc_id="b2", name="Khối 2", kind="khoi", decision_ref="1"),
                                  CONTEXT, uow)
    with pytest.raises(Conflict) as refused:
        await handlers.admit_unit(AdmitUnit(bloc_id="b2", unit_id="a", effective_on=date(2024, 1, 1),
                                            decision_ref="2"), CONTEXT, uow)
    assert refused.value.code == "bloc.one_of_a_kind"


async def test_provinces_merge_only_with_consent_and_each_records_it_in_its_own_province() -> None:
    hanam = FakeUnitOfWork()
    ninh_binh = hanam.for_(CommandContext("NBH", Actor(id="nb", role="admin"), "corr-2"))
    await handlers.register_province(RegisterProvince(name="Hà Nam"), CONTEXT, hanam)
    await handlers.register_province(RegisterProvince(name="Ninh Bình"), ninh_binh.context, ninh_binh)
    merger = MergeProvinces(from_codes=["HNM"], effective_on=date(2025, 7, 1), legal_basis="NQ 202/2025/QH15")
    with pytest.raises(Conflict) as unwilling:
        await handlers.merge_provinces_into(merger, ninh_binh.context, ninh_binh)
    assert unwilling.value.code == "province.no_consent"
    await handlers.consent_to_merge(ConsentToMerge(into_code="NBH", legal_basis="NQ 202/2025/QH15",
                                                   consented_on=date(2025, 6, 30)), CONTEXT, hanam)
    await handlers.merge_provinces_into(merger, ninh_binh.context, ninh_binh)
    assert [(e.event_type, e.stream_id, e.province) for e in ninh_binh.committed] == [
        ("ProvinceRegistered", "province:NBH", "NBH"),
        ("ProvincesMerged", "province:HNM", "HNM"), ("ProvincesMerged", "province:NBH", "NBH")]
    assert (await hanam.provinces.get("HNM")).merged_into == "NBH"


# --- the province's rules of elections (issue 11, item 6) -------------------------------------------

async def _province(uow: FakeUnitOfWork, **settings: object) -> None:
    await handlers.register_province(RegisterProvince(name="Hà Nam"), CONTEXT, uow)
    if settings:
        await handlers.change_province_settings(ChangeProvinceSettings.model_validate(settings), CONTEXT, uow)


@pytest.mark.parametrize(("percent", "members", "needed"), [(50, 8, 5), (50, 7, 4), (66, 3, 2), (66, 4, 3),
                                                             (75, 8, 7)])
async def test_a_leader_needs_votes_from_more_than_the_provinces_share_of_the_members(
        percent: int, members: int, needed: int) -> None:
    uow = FakeUnitOfWork()
    await _province(uow, election_majority_percent=percent)
    await _bloc_of(uow, "a", "b")
    with pytest.raises(Conflict) as short:
        await handlers.elect_leader(_election(votes_for=needed - 1, votes_cast=members, members=members), CONTEXT, uow)
    assert (short.value.code, short.value.params["needed"]) == ("election.no_majority", needed)
    await handlers.elect_leader(_election(votes_for=needed, votes_cast=members, members=members), CONTEXT, uow)


async def test_a_chair_waits_the_provinces_rest_years_before_chairing_again() -> None:
    uow = FakeUnitOfWork(today=date(2027, 1, 5))
    await _province(uow, chair_rest_years=2)
    await _bloc_of(uow, "a", "b")
    await handlers.elect_leader(_election(year=2023, elected_on=date(2023, 1, 5)), CONTEXT, uow)
    for year in (2024, 2025):
        with pytest.raises(Conflict) as resting:
            await handlers.elect_leader(_election(year=year, elected_on=date(year, 1, 5)), CONTEXT, uow)
        assert (resting.value.code, resting.value.params["other_year"]) == ("election.chair_rest", 2023)
    await handlers.elect_leader(_election(year=2026, elected_on=date(2026, 1, 5)), CONTEXT, uow)


async def test_changing_one_setting_keeps_the_others() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, election_majority_percent=66)
    await handlers.change_province_settings(ChangeProvinceSettings(chair_rest_years=0), CONTEXT, uow)
    province = await uow.provinces.get("HNM")
    assert (province.election_rules.chair_rest_years, province.election_rules.election_majority_percent) == (0, 66)
    with pytest.raises(Invalid) as empty:
        await handlers.change_province_settings(ChangeProvinceSettings(), CONTEXT, uow)
    assert empty.value.code == "settings.nothing_to_change"


async def test_the_outgoing_vice_chair_is_preferred_only_where_the_province_says_so() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    await _bloc_of(uow, "a", "b", "c")
    await handlers.elect_leader(_election(year=2023, role="vice_chair", unit_id="b", elected_on=date(2023, 1, 5),
                                          members=3, votes_cast=3), CONTEXT, uow)
    await handlers.elect_leader(_election(unit_id="c", members=3, votes_cast=3), CONTEXT, uow)
    other = FakeUnitOfWork()
    await _province(other, outgoing_vice_chair_preferred=True)
    await _bloc_of(other, "a", "b", "c")
    await handlers.elect_leader(_election(year=2023, role="vice_chair", unit_id="b", elected_on=date(2023, 1, 5),
                                          members=3, votes_cast=3), CONTEXT, other)
    with pytest.raises(Conflict) as preferred:
        await handlers.elect_leader(_election(unit_id="c", members=3, votes_cast=3), CONTEXT, other)
    assert (preferred.value.code, preferred.value.params["unit_id"]) == ("election.vice_chair_preferred", "b")
    await handlers.elect_leader(_election(unit_id="b", members=3, votes_cast=3), CONTEXT, other)


async def test_a_new_election_of_a_confirmed_role_waits_for_its_own_confirmation() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, "a", "b")
    confirm = ConfirmElection(bloc_id="b", role=Role.CHAIR, year=2024, confirmed_on=date(2024, 1, 10),
                              decision_ref="15/QĐ-UBND")
    await handlers.elect_leader(_election(), CONTEXT, uow)
    await handlers.confirm_election(confirm, CONTEXT, uow)
    await handlers.elect_leader(_election(unit_id="b", replaces_reason="kiểm phiếu lại"), CONTEXT, uow)
    await handlers.confirm_election(confirm, CONTEXT, uow)
    confirmed = [event.payload for event in uow.log if event.event_type == "LeaderElectionConfirmed"]
    assert [payload["unit_id"] for payload in confirmed] == ["a", "b"]


async def test_a_bloc_is_dated_by_the_decision_that_established_it_never_a_day_to_come() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(Invalid) as future:
        await handlers.establish_bloc(EstablishBloc(bloc_id="k", name="Khối thi đua Kinh tế", kind="khoi",
                                                    decision_ref="QĐ 9/QĐ-UBND", established_on=date(2025, 12, 2)),
                                      CONTEXT, uow)
    await handlers.establish_bloc(EstablishBloc(bloc_id="k", name="Khối thi đua Kinh tế", kind="khoi",
                                                decision_ref="QĐ 9/QĐ-UBND", established_on=date(2020, 3, 15)),
                                  CONTEXT, uow)

    assert future.value.code == "date.in_future"
    [established] = [event.typed() for event in uow.committed]
    assert established.occurred_on() == date(2020, 3, 15)
