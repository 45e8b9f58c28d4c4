"""Issue 11, item 8: classification bands (xếp loại) as the table's data, and ties in the ranking shown as ties
and resolved by the bloc (a recorded decision or its vote), never by a unit's identifier."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_fakes import FakeUnitOfWork
from scoring_steps import (
    adopt,
    compute_finals,
    correct,
    cross_assess,
    opened,
    points,
    publish,
    record_final,
    refusal_of,
    resolve,
)

from scoring.domain.ranking import Standing, band_of, ranked, tie_key
from thidua_contracts.scoring import (
    ClassificationBand,
    RankEntry,
    RankingPublished,
    RankingTieResolved,
    ResolvedTie,
    ScoringTableAdopted,
)
from thidua_shared.errors import Conflict, Invalid

BANDS = [{"name": "Tốt", "min_points": 50}, {"name": "Xuất sắc", "min_points": 60},
         {"name": "Khá", "min_points": 40}]
FIVE = {("k", 2025): ["a", "b", "c", "d", "e"]}


async def _ranked(totals: dict[str, float], members: dict[tuple[str, int], list[str]] = FIVE) -> FakeUnitOfWork:
    """A bloc-year whose final scores are ``totals`` (recorded by the secretariat), not yet published."""
    uow = FakeUnitOfWork(members)
    await adopt(uow, bands=BANDS)
    for unit_id, total in totals.items():
        await record_final(uow, unit_id, points(total))
    return uow


async def test_the_adopted_table_keeps_its_bands_highest_first_and_each_final_score_has_its_band() -> None:
    uow = await opened("mean_of_cross", members={("k", 2025): ["a", "b"]})
    await adopt(uow, reason="bands agreed", bands=BANDS)
    adopted = uow.committed[-1].typed()
    assert isinstance(adopted, ScoringTableAdopted)
    assert [(band.name, band.min_points) for band in adopted.bands] == [
        ("Xuất sắc", 60), ("Tốt", 50), ("Khá", 40)]
    await cross_assess(uow, "a", "b", points(55, 6))
    await cross_assess(uow, "b", "a", points(35))
    finals = {final.unit_id: (final.total, final.band) for final in await compute_finals(uow)}
    assert finals == {"a": (35.0, None), "b": (61.0, "Xuất sắc")}, "below every band: no band"
    published = await publish(uow)
    assert [(entry.unit_id, entry.band) for entry in published.ranking] == [("b", "Xuất sắc"), ("a", None)]


@pytest.mark.parametrize(("bands", "code", "params"), [
    ([{"name": "Tốt", "min_points": 50}, {"name": "Tốt", "min_points": 40}], "table.duplicate_band", {"band": "Tốt"}),
    ([{"name": "Tốt", "min_points": 50}, {"name": "Khá", "min_points": 50}], "table.duplicate_band_minimum",
     {"min_points": 50}),
])
async def test_bands_have_distinct_names_and_minimums(bands: list[dict[str, object]], code: str,
                                                      params: dict[str, object]) -> None:
    uow = FakeUnitOfWork()
    refused = await refusal_of(uow, adopt(uow, bands=bands))
    assert isinstance(refused, Invalid)
    assert (refused.code, refused.params) == (code, params)


def test_a_total_gets_the_highest_band_whose_minimum_it_reaches() -> None:
    bands = [ClassificationBand(name=name, min_points=low) for name, low in (("Khá", 40), ("Xuất sắc", 60))]
    assert [band_of(total, bands) for total in (39.99, 40, 59.5, 60, 100)] == [None, "Khá", "Khá", "Xuất sắc",
                                                                                "Xuất sắc"]
    assert band_of(100, []) is None


async def test_equal_totals_share_their_rank_and_the_next_rank_counts_them() -> None:
    uow = await _ranked({"e": 60, "d": 60, "c": 55, "b": 40, "a": 40})
    published = await publish(uow)
    assert [(e.unit_id, e.rank, e.tied, e.band) for e in published.ranking] == [
        ("d", 1, True, "Xuất sắc"), ("e", 1, True, "Xuất sắc"), ("c", 3, False, "Tốt"),
        ("a", 4, True, "Khá"), ("b", 4, True, "Khá")]


async def test_a_tie_the_bloc_resolved_before_publication_ranks_in_its_order_with_its_ground() -> None:
    uow = await _ranked({"a": 60, "b": 60, "c": 60, "d": 55, "e": 40})
    await resolve(uow, ["c", "a", "b"], "vote", "bieu-quyet-2025-01", on=date(2026, 1, 8))
    resolution = uow.committed[-1].typed()
    assert resolution == RankingTieResolved(bloc_id="k", year=2025, total=60.0, order=["c", "a", "b"], ground="vote",
                                            reference="bieu-quyet-2025-01", resolved_on=date(2026, 1, 8))
    published = await publish(uow)
    assert [(e.unit_id, e.rank, e.tied) for e in published.ranking] == [
        ("c", 1, True), ("a", 2, True), ("b", 3, True), ("d", 4, False), ("e", 5, False)]
    assert published.resolved_ties == [ResolvedTie(total=60.0, order=["c", "a", "b"], ground="vote",
                                                    reference="bieu-quyet-2025-01")]


async def test_a_tie_resolved_after_publication_publishes_the_rankings_next_version() -> None:
    uow = await _ranked({"a": 60, "b": 60, "c": 55, "d": 50, "e": 50})
    first = await publish(uow)
    assert [(e.unit_id, e.rank) for e in first.ranking][:2] == [("a", 1), ("b", 1)]
    await resolve(uow, ["b", "a"], "decision", "Biên bản họp khối số 02/BB-KTĐ")
    resolved, republished = (event.typed() for event in uow.committed[-2:])
    assert isinstance(resolved, RankingTieResolved)
    assert isinstance(republished, RankingPublished)
    assert (republished.version, republished.reason) == (2, None)
    assert [(e.unit_id, e.rank, e.tied) for e in republished.ranking] == [
        ("b", 1, True), ("a", 2, True), ("c", 3, False), ("d", 4, True), ("e", 4, True)]
    assert republished.resolved_ties == [ResolvedTie(total=60.0, order=["b", "a"], ground="decision",
                                                     reference="Biên bản họp khối số 02/BB-KTĐ")]
    await resolve(uow, ["e", "d"], "vote", "v-2025-02")
    third = uow.committed[-1].typed()
    assert isinstance(third, RankingPublished)
    assert third.version == 3
    assert [(e.unit_id, e.rank) for e in third.ranking] == [("b", 1), ("a", 2), ("c", 3), ("e", 4), ("d", 5)]
    assert (await refusal_of(uow, record_final(uow, "a", points(10)))).code == "ranking.locked", "still locked"


@pytest.mark.parametrize(("order", "code", "params"), [
    (["a", "c"], "tie.not_tied", {"totals": "a: 60.0, c: 55.0"}),
    (["a", "b"], "tie.incomplete", {"total": 60.0, "units": "d"}),
    (["a", "z"], "tie.not_ranked", {"units": "z"}),
    (["a", "b", "a"], "tie.duplicate_unit", {"unit_id": "a"}),
])
async def test_a_resolution_names_every_unit_of_one_tie_exactly_once(order: list[str], code: str,
                                                                     params: dict[str, object]) -> None:
    uow = await _ranked({"a": 60, "b": 60, "d": 60, "c": 55, "e": 40})
    refused = await refusal_of(uow, resolve(uow, order))
    assert (refused.code, refused.params) == (code, params)


async def test_a_resolution_has_a_ground_comes_once_and_needs_every_final_score() -> None:
    uow = await _ranked({"a": 60, "b": 60, "c": 55, "d": 50})
    early = await refusal_of(uow, resolve(uow, ["a", "b"]))
    assert (early.code, early.params) == ("ranking.missing_finals", {"units": "e"})
    await record_final(uow, "e", points(10))
    assert (await refusal_of(uow, resolve(uow, ["a", "b"], reference="  "))).code == "tie.reference_required"
    assert (await refusal_of(uow, resolve(uow, ["a", "b"], on=date(2026, 1, 11)))).code == "date.in_future"
    await resolve(uow, ["a", "b"])
    again = await refusal_of(uow, resolve(uow, ["b", "a"]))
    assert isinstance(again, Conflict)
    assert (again.code, again.params) == ("tie.already_resolved", {"total": 60.0, "units": "b, a"})


async def test_a_resolution_applies_only_while_the_same_units_tie_at_the_same_total() -> None:
    uow = await _ranked({"a": 60, "b": 60, "c": 55, "d": 50, "e": 40})
    await resolve(uow, ["b", "a"])
    await record_final(uow, "c", points(60))   # c now ties too: the bloc's order of a and b says nothing of c
    published = await publish(uow)
    assert [(e.unit_id, e.rank) for e in published.ranking][:3] == [("a", 1), ("b", 1), ("c", 1)]
    assert published.resolved_ties == []
    await correct(uow, "c's score was entered twice")
    await record_final(uow, "c", points(55))
    corrected = await publish(uow)
    assert [(e.unit_id, e.rank) for e in corrected.ranking][:3] == [("b", 1), ("a", 2), ("c", 3)]


unit_ids = st.lists(st.sampled_from("abcdefghij"), min_size=1, max_size=10, unique=True)


@given(unit_ids.flatmap(lambda ids: st.tuples(st.just(ids), st.lists(
    st.sampled_from([40.0, 55.5, 60.0, 72.25]), min_size=len(ids), max_size=len(ids)))),
    st.permutations("abcdefghij"))
def test_a_rank_is_one_more_than_the_units_ahead_whatever_the_units_are_called(
    drawn: tuple[list[str], list[float]], renaming: list[str],
) -> None:
    ids, totals = drawn
    entries, resolved = ranked([Standing(unit_id, total) for unit_id, total in zip(ids, totals, strict=True)], {})
    assert resolved == []
    for entry in entries:
        assert entry.rank == 1 + sum(total > entry.total for total in totals)
        assert entry.tied == (totals.count(entry.total) > 1)
    renamed = dict(zip("abcdefghij", renaming, strict=True))
    again, _ = ranked([Standing(renamed[unit_id], total) for unit_id, total in zip(ids, totals, strict=True)], {})
    assert sorted((e.rank, e.total) for e in again) == sorted((e.rank, e.total) for e in entries), \
        "no rank depends on a unit's identifier"


@given(st.permutations(["a", "b", "c", "d"]))
def test_a_resolved_tie_ranks_its_units_in_the_blocs_order_after_those_ahead(order: list[str]) -> None:
    standings = [Standing("x", 90.0), *(Standing(unit_id, 70.0) for unit_id in "abcd"), Standing("y", 10.0)]
    resolution = RankingTieResolved(bloc_id="k", year=2025, total=70.0, order=order, ground="vote", reference="v",
                                    resolved_on=date(2026, 1, 1))
    entries, resolved = ranked(standings, {tie_key(70.0, order): resolution})
    assert entries == [RankEntry(unit_id="x", rank=1, total=90.0),
                       *(RankEntry(unit_id=unit_id, rank=place, total=70.0, tied=True)
                         for place, unit_id in enumerate(order, start=2)),
                       RankEntry(unit_id="y", rank=6, total=10.0)]
    assert [tie.order for tie in resolved] == [order]
