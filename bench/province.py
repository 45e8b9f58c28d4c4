"""One province's history as its services record it, made by their own domain models, command by command.

Each command is what a handler does: the aggregates decide (the real rules of ``registry.domain``,
``scoring.domain`` and ``awards.domain`` check every step), then one :class:`SqlUnitOfWork` appends what they
recorded, per aggregate, and projects it into the service's read models, in one transaction. The history is
the same on every run (a seeded generator); only event ids and ``recorded_at`` differ.

What a province holds (:class:`ProvinceShape`, by default one province of the 2025 map): blocs of member units
with their yearly supervisor, chair, vice-chair and handover (registry); per bloc-year a scoring table of
criteria, every member's self-assessment and every member's cross-assessment of every other, the final scores
and the published ranking (scoring); per bloc-year the honouring votes for the provincial flag and the
certificates of merit with their ballots and tally, three proposals through the council to the Chairman's
decision, and every unit's yearly quality rating (awards). Not made: the eligibility checks of a proposal
(recorded empty: gathering their facts needs the other services' read models), targets, adjustments, ties
resolved, freezes and revocations.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from awards.domain.eligibility import Verdict
from awards.domain.model import Proposal
from awards.domain.rulebook import in_force
from awards.domain.standing import UnitStanding, standing_key
from awards.domain.vote import HonoringVote
from registry.domain.bloc import Bloc, Role
from registry.domain.province import ElectionRules, Province
from registry.domain.unit import Unit
from scoring.domain.bloc_year import BlocYear
from scoring.domain.membership import Membership
from thidua_contracts.awards import DossierDocument
from thidua_contracts.envelope import Actor, Source
from thidua_contracts.registry import BlocKind
from thidua_contracts.scoring import ClassificationBand, Criterion, RankEntry
from thidua_shared.aggregate import Aggregate
from thidua_shared.projection import Projection
from thidua_shared.store import LogHead, NewEvents
from thidua_shared.unit_of_work import SqlUnitOfWork

Count = Callable[[int], None]
"""Told how many events each command recorded (a progress line)."""
Rankings = dict[tuple[str, int], list[RankEntry]]
"""The published ranking of each (bloc, year)."""


@dataclass(frozen=True, slots=True)
class ProvinceShape:
    """How big the province is. The defaults: about one province after the 2025 merger (34 make the nation)."""

    blocs: int = 60
    units_per_bloc: int = 10
    criteria: int = 20
    years: int = 5
    first_year: int = 2021
    province: str = "NB"
    seed: int = 13

    def __post_init__(self) -> None:
        if self.blocs < 1 or self.years < 1 or self.criteria < 1:
            raise ValueError("a province needs at least one bloc, one year and one criterion")
        if self.units_per_bloc < 5:
            raise ValueError("a bloc needs at least 5 units: 3 candidates for the flag, 3 others for merit")

    @property
    def year_range(self) -> range:
        return range(self.first_year, self.first_year + self.years)

    def bloc_id(self, bloc: int) -> str:
        return f"{'khoi' if bloc % 2 == 0 else 'cum'}-{bloc:03d}"

    def members(self, bloc: int) -> list[str]:
        return [f"u-{bloc:03d}-{member:02d}" for member in range(self.units_per_bloc)]

    def expected_rows(self) -> dict[Source, dict[str, int]]:
        """The rows each service's read models hold once the whole history is applied, by table."""
        b, u, y = self.blocs, self.units_per_bloc, self.years
        return {
            "registry": {"units": b * u, "blocs": b, "memberships": b * u, "leadership": 2 * b * y,
                         "provinces": 1, "supervisors": b * y, "handovers": b * (y - 1), "lineage": 0,
                         "province_lineage": 0, "accounts": 0},
            "scoring": {"scores": b * y * u, "scoring_tables": b * y, "assessments": b * y * u * u,
                        "rankings": b * y, "targets": 0, "target_results": 0, "tie_resolutions": 0},
            "awards": {"proposals": 3 * b * y, "votes": 2 * b * y, "freezes": 0, "rulebooks": 0,
                       "standings": b * u * y},
        }

    def expected_events(self) -> dict[Source, int]:
        b, u, y = self.blocs, self.units_per_bloc, self.years
        return {
            "registry": 1 + b * (1 + 2 * u) + b * y * 4 - b,
            "scoring": b * y * (2 + u * u + u + 1),
            "awards": b * y * (2 * (u + 2) + 3 * 3) + b * u * y,
        }


class Recorder:
    """Saves what aggregates recorded, one command (one transaction) at a time, through the service's own
    unit of work and projection."""

    def __init__(self, engine: AsyncEngine, source: Source, projection: Projection, province: str,
                 actor: Actor, count: Count) -> None:
        self._engine, self._source, self._projection = engine, source, projection
        self._province, self._actor, self._count = province, actor, count
        self._head = LogHead()
        self.commands = 0

    async def save(self, *aggregates: Aggregate) -> None:
        self.commands += 1
        batches = [NewEvents(province=self._province, stream_id=aggregate.stream_id,
                             expected_version=aggregate.saved_version, payloads=aggregate.pending,
                             actor=self._actor, correlation_id=f"bench-{self.commands}")
                   for aggregate in aggregates if aggregate.pending]
        async with SqlUnitOfWork(self._engine, self._source, self._projection, head_hint=self._head) as uow:
            for batch in batches:
                await uow.record(batch)
            await uow.commit()
        for aggregate in aggregates:
            aggregate.mark_saved()
        self._count(sum(len(batch.payloads) for batch in batches))


async def record_registry(shape: ProvinceShape, recorder: Recorder) -> None:
    """The province, its units and blocs, the members joining, and each year's supervisor and leaders."""
    province = Province(shape.province)
    province.register("Tỉnh Ninh Bình")
    await recorder.save(province)
    rules = ElectionRules()
    for bloc_number in range(shape.blocs):
        bloc = Bloc(shape.province, shape.bloc_id(bloc_number))
        kind: BlocKind = "khoi" if bloc_number % 2 == 0 else "cum"
        bloc.establish(f"{'Khối' if kind == 'khoi' else 'Cụm'} thi đua số {bloc_number + 1}", kind,
                       f"{100 + bloc_number}/QĐ-UBND", date(shape.first_year - 1, 12, 1))
        await recorder.save(bloc)
        members = shape.members(bloc_number)
        for number, unit_id in enumerate(members):
            unit = Unit(shape.province, unit_id)
            unit.register(f"Đơn vị {number + 1} của khối {bloc_number + 1}", f"ĐV{bloc_number + 1}.{number + 1}",
                          "state_agency" if kind == "khoi" else "commune", None)
            await recorder.save(unit)
            bloc.admit(unit, date(shape.first_year - 1, 12, 15), f"{100 + bloc_number}/QĐ-UBND")
            await recorder.save(bloc)
        for index, year in enumerate(shape.year_range):
            bloc.assign_supervisor("Nguyễn Văn An", "Phó Chủ tịch UBND tỉnh", year)
            await recorder.save(bloc)
            chair, vice = members[index % len(members)], members[(index + 1) % len(members)]
            for role, unit_id in ((Role.CHAIR, chair), (Role.VICE_CHAIR, vice)):
                bloc.elect(role, year, unit_id, len(members) - 2, len(members), len(members),
                           date(year, 1, 10), rules)
                await recorder.save(bloc)
            if index > 0:
                bloc.hand_over(members[(index - 1) % len(members)], chair, date(year, 1, 15))
                await recorder.save(bloc)


def _criteria(shape: ProvinceShape) -> list[Criterion]:
    points = round(100 / shape.criteria, 2)
    return [Criterion(code=f"C{number + 1:02d}", group=f"Nhóm {number % 4 + 1}", title=f"Tiêu chí {number + 1}",
                      max_points=points, kind="base") for number in range(shape.criteria)]


BANDS = [ClassificationBand(name="Xuất sắc", min_points=90), ClassificationBand(name="Tốt", min_points=75),
         ClassificationBand(name="Hoàn thành", min_points=50)]


def _points(rng: random.Random, criteria: Sequence[Criterion], quality: float) -> dict[str, float]:
    """Points of every criterion, in quarters, near ``quality`` of its maximum."""
    return {criterion.code: min(criterion.max_points,
                                round(criterion.max_points * min(1.0, quality + rng.uniform(-0.1, 0.1)) * 4) / 4)
            for criterion in criteria}


async def record_scoring(shape: ProvinceShape, recorder: Recorder) -> Rankings:
    """Every bloc-year: the table, the window, the assessments, the final scores and the published ranking."""
    rng = random.Random(shape.seed)
    criteria = _criteria(shape)
    rankings: Rankings = {}
    member = Membership.MEMBER
    for bloc_number in range(shape.blocs):
        bloc_id, members = shape.bloc_id(bloc_number), shape.members(bloc_number)
        for year in shape.year_range:
            bloc_year = BlocYear(shape.province, bloc_id, year)
            bloc_year.adopt_table(criteria, "mean_of_cross", None, BANDS, date(year, 1, 20))
            await recorder.save(bloc_year)
            bloc_year.set_window(date(year, 11, 1), date(year, 12, 31))
            await recorder.save(bloc_year)
            quality = {unit_id: rng.uniform(0.6, 0.98) for unit_id in members}
            for unit_id in members:
                bloc_year.submit_self(unit_id, _points(rng, criteria, quality[unit_id] + 0.03),
                                      [f"https://minhchung.ninhbinh.gov.vn/{bloc_id}/{year}/{unit_id}.pdf"],
                                      date(year, 12, 1), member)
                await recorder.save(bloc_year)
            for assessor in members:
                for unit_id in members:
                    if unit_id != assessor:
                        bloc_year.submit_cross(assessor, unit_id, _points(rng, criteria, quality[unit_id]), None,
                                               date(year, 12, 10), member, member)
                        await recorder.save(bloc_year)
            bloc_year.compute_finals(members)
            await recorder.save(bloc_year)
            bloc_year.publish_ranking(members, date(year + 1, 1, 5))
            await recorder.save(bloc_year)
            assert bloc_year.published is not None
            rankings[(bloc_id, year)] = list(bloc_year.published.ranking)
    return rankings


async def _vote(recorder: Recorder, shape: ProvinceShape, vote_id: str, bloc_id: str, year: int, award_code: str,
                members: list[str], candidates: list[str], places: int, ballots: list[list[str]]) -> list[str]:
    """Open the vote at the year-end review, each member casts its ballot (``ballots``, in the members' order),
    close it: the honoured units."""
    held_on = date(year + 1, 1, 5)
    vote = HonoringVote(shape.province, vote_id)
    vote.open(bloc_id, year, award_code, candidates, members, None, in_force(held_on), places, opened_on=held_on)
    await recorder.save(vote)
    for voter, choices in zip(members, ballots, strict=True):
        vote.cast(voter, choices, voter_is_member=True)
        await recorder.save(vote)
    vote.close(ballots, held_on)
    await recorder.save(vote)
    return vote.honoured


async def _propose_to_decision(recorder: Recorder, shape: ProvinceShape, bloc_id: str, year: int, award_code: str,
                               entry: RankEntry, vote_id: str, decision: int) -> None:
    """A proposal filed, voted by the provincial council and decided by the Chairman (three commands)."""
    filed_on = date(year + 1, 1, 20)
    rulebook = in_force(filed_on)
    form = rulebook.form(award_code)
    assert form is not None
    proposal = Proposal(shape.province, f"{award_code.lower().replace('_', '-')}-{bloc_id}-{year}-{entry.unit_id}")
    verdict = Verdict(entry.unit_id, year, award_code, rulebook.version, checks=[], honoured_by=[vote_id])
    documents = [DossierDocument(kind=kind, ref=f"{kind}/{bloc_id}/{year}/{entry.unit_id}")
                 for kind in form.rules.documents]
    proposal.propose(unit_id=entry.unit_id, year=year, award_code=award_code, bloc_id=bloc_id, vote_id=vote_id,
                     filed_on=filed_on, documents=documents, rulebook=rulebook, verdict=verdict,
                     score=(entry.total, entry.rank), unit_known=True)
    await recorder.save(proposal)
    proposal.record_council(members=15, present=13, approve=14, reject=1, written_votes=2,
                            held_on=date(year + 1, 3, 15), rulebook=rulebook, unit_freezes=[])
    await recorder.save(proposal)
    proposal.decide(decision_no=f"{decision}/QĐ-UBND", decided_on=date(year + 1, 4, 1), authority=None,
                    rulebook=rulebook, verdict=verdict, unit_status="active", unit_freezes=[])
    await recorder.save(proposal)


async def record_awards(shape: ProvinceShape, recorder: Recorder, rankings: Rankings) -> None:
    """Every bloc-year: the flag vote among the first three, the merit vote among the next three, their
    proposals to decisions, and every member's quality rating of the year."""
    decisions = 0
    for bloc_number in range(shape.blocs):
        bloc_id, members = shape.bloc_id(bloc_number), shape.members(bloc_number)
        majority = len(members) // 2 + 2
        for year in shape.year_range:
            ranking = rankings[(bloc_id, year)]
            flag = [entry.unit_id for entry in ranking[:3]]
            flagged = await _vote(recorder, shape, f"flag-{bloc_id}-{year}", bloc_id, year, "PROV_FLAG", members,
                                  flag, 1, [[flag[0] if n < majority else flag[1 + n % 2]]
                                            for n in range(len(members))])
            merit = [entry.unit_id for entry in ranking[1:4]]
            merited = await _vote(recorder, shape, f"merit-{bloc_id}-{year}", bloc_id, year, "PROV_MERIT",
                                  members, merit, 2, [[merit[0], merit[1] if n < len(members) - 2 else merit[2]]
                                                      for n in range(len(members))])
            by_unit = {entry.unit_id: entry for entry in ranking}
            for code, vote_id, honoured in (("PROV_FLAG", f"flag-{bloc_id}-{year}", flagged),
                                            ("PROV_MERIT", f"merit-{bloc_id}-{year}", merited)):
                for unit_id in honoured:
                    decisions += 1
                    await _propose_to_decision(recorder, shape, bloc_id, year, code, by_unit[unit_id], vote_id,
                                               decisions)
            for entry in ranking:
                standing = UnitStanding(shape.province, standing_key(entry.unit_id, year))
                standing.rate("excellent" if entry.rank <= 3 else "good", f"{year + 1}/DS-UBND",
                              date(year + 1, 1, 25), unit_known=True)
                await recorder.save(standing)
