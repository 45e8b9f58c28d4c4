"""The awards unit of work over the in-memory log, with a fake read model and a fixed today.

What other services told awards (the registry's units and bloc members, scoring's final scores) each test sets
on :class:`FakeReadModel`; what awards' own events say (adopted rulebooks, closed votes, proposals, freezes) it
reads from the in-memory log through the domain's aggregates, so that the rules judge what the log holds, as
the SQL read models would show it in the command's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.adoption import ProvinceRulebooks
from awards.domain.eligibility import Attestation, Facts, Freeze, Stage, TargetResult, UnitStatus
from awards.domain.freeze import UnitFreezes
from awards.domain.model import ACTIVE, Proposal, ProposalState, counted_by_quota, proposal_stream
from awards.domain.reliance import rests_on
from awards.domain.rulebook import Form, Rulebook
from awards.domain.standing import UnitStanding, standing_key
from awards.domain.vote import HonoringVote, vote_stream
from thidua_contracts.awards import FlagGround
from thidua_contracts.envelope import Actor
from thidua_shared.aggregate import Aggregate
from thidua_shared.context import CommandContext
from thidua_shared.repository import Repository
from thidua_shared.store import InMemoryEventStore
from thidua_shared.testing import OverInMemoryLog
from thidua_shared.unit_of_work import InMemoryUnitOfWork

CONTEXT = CommandContext("HNM", Actor(id="staff", role="admin"), "corr-1")
TODAY = date(2025, 12, 1)
A = TypeVar("A", bound=Aggregate)


class FakeReadModel:
    """The awards read models: what other services told (set by the test) and what the log says."""

    def __init__(self, store: InMemoryEventStore) -> None:
        self._store = store
        self.units: dict[str, UnitStatus] = {}
        """The units the registry told of, and their status."""
        self.members: dict[str, list[str]] = {}
        """Each bloc's members (in every year): the province's blocs are those with members."""
        self.scores: dict[tuple[str, int, str], tuple[float, int | None]] = {}
        """(bloc, year, unit) -> the final total and published rank."""
        self.sealed: dict[str, list[list[str]]] = {}
        """Each vote's sealed ballots: choices only, no voter."""
        self.targets: dict[tuple[str, int], list[TargetResult]] = {}
        """(unit, year) -> the results of its targets, as scoring recorded them."""
        self.provinces: dict[str, tuple[str, tuple[str, date] | None]] = {}
        """province -> (its name, (the province it merged into, from which day) or None)."""

    async def _all(self, prefix: str, new: Callable[[str], A]) -> list[A]:
        """Every aggregate whose stream starts with ``prefix``, loaded from the log."""
        ids = sorted({event.stream_id.removeprefix(prefix) for event in self._store.log
                      if event.stream_id.startswith(prefix)})
        repository = Repository(self._store, new)
        return [await repository.get(each) for each in ids]

    async def province_in_office(self, province: str, on: date) -> str | None:
        name, merged = self.provinces.get(province, (None, None))
        if merged is not None and merged[1] <= on:
            return await self.province_in_office(merged[0], on)
        return name

    async def rulebooks(self, province: str) -> list[Rulebook]:
        return (await Repository(self._store, ProvinceRulebooks).get(province)).adopted

    async def unit_known(self, province: str, unit_id: str) -> bool:
        return unit_id in self.units

    async def final_score(self, province: str, bloc_id: str, year: int,
                          unit_id: str) -> tuple[float, int | None] | None:
        return self.scores.get((bloc_id, year, unit_id))

    async def members_of_year(self, province: str, bloc_id: str, year: int) -> list[str]:
        return sorted(self.members.get(bloc_id, []))

    async def seal(self, province: str, vote_id: str, choices: list[str]) -> None:
        self.sealed.setdefault(vote_id, []).append(sorted(choices))

    async def unseal(self, province: str, vote_id: str) -> list[list[str]]:
        return list(self.sealed.get(vote_id, []))

    async def gather_facts(self, province: str, unit_id: str, year: int, form: Form, bloc_id: str | None,
                           stage: Stage, proposal_id: str | None) -> Facts:
        """As ``awards.adapters.facts.gather_facts`` reads them (a unit's merged predecessors aside)."""
        facts = await self._unit_facts(province, unit_id, year, form.code, bloc_id, proposal_id)
        quota = form.rules.quota
        if quota is not None:
            every = await self._all(proposal_stream(province, ""), lambda each: Proposal(province, each))
            counted = counted_by_quota(quota, stage)
            facts.quota_used = sum(1 for held in every if held.proposal_id != proposal_id
                                   and (held.year, held.award_code) == (year, form.code) and held.state in counted
                                   and (quota.per != "bloc_year" or held.bloc_id == bloc_id))
            facts.blocs_in_year = sum(1 for unit_ids in self.members.values() if unit_ids)
            if quota.of == "qualifying_leaders" and quota.standard is not None:
                votes = await self._all(vote_stream(province, ""), lambda vote_id: HonoringVote(province, vote_id))
                leaders = sorted({(honoured, vote.bloc_id) for vote in votes if vote.closed and vote.year == year
                                  and vote.award_code in quota.leaders_of for honoured in vote.honoured})
                for leader, leader_bloc in leaders:
                    facts.leaders[leader] = await self._unit_facts(province, leader, year, quota.standard,
                                                                   leader_bloc, None)
        return facts

    async def _unit_facts(self, province: str, unit_id: str, year: int, code: str, bloc_id: str | None,
                          proposal_id: str | None) -> Facts:
        facts = Facts(unit_id=unit_id, year=year, bloc_id=bloc_id, unit_status=self.units.get(unit_id, "unknown"))
        if bloc_id is not None and (bloc_id, year, unit_id) in self.scores:
            facts.total, facts.rank = self.scores[(bloc_id, year, unit_id)]
        votes = await self._all(vote_stream(province, ""), lambda vote_id: HonoringVote(province, vote_id))
        facts.honoured_by = sorted(vote.vote_id for vote in votes if vote.closed and unit_id in vote.honoured
                                   and (vote.year, vote.award_code) == (year, code)
                                   and bloc_id in (None, vote.bloc_id))
        every = await self._all(proposal_stream(province, ""), lambda each: Proposal(province, each))
        for held in every:
            key = (held.year, held.award_code)
            if held.proposal_id == proposal_id or held.unit_id != unit_id or held.state not in ACTIVE:
                continue
            if key == (year, code):
                facts.same_award.append(held.proposal_id)
            if held.state is ProposalState.DECIDED or key not in facts.held:
                facts.held[key] = "decided" if held.state is ProposalState.DECIDED else "proposed"
        freezes = await Repository(self._store, lambda each: UnitFreezes(province, each)).get(unit_id)
        facts.freezes = [Freeze(ref, reason) for ref, reason in sorted(freezes.frozen.items())]
        standings = Repository(self._store, lambda key: UnitStanding(province, key))
        for each in range(year - 9, year + 1):
            standing = await standings.get(standing_key(unit_id, each))
            if standing.rating is not None:
                facts.ratings[each] = [standing.rating]
            if each == year:
                facts.attested = {fact: Attestation(ref, "") for fact, ref in standing.attested.items()}
        facts.targets = self.targets.get((unit_id, year))
        return facts


    async def dependents(self, province: str, unit_id: str, year: int, award_code: str,
                         proposal_id: str) -> list[tuple[str, FlagGround]]:
        every = await self._all(proposal_stream(province, ""), lambda each: Proposal(province, each))
        found = []
        for proposal in every:
            ground = rests_on(proposal.reliances, [unit_id], year, award_code)
            if proposal.proposal_id != proposal_id and proposal.state in ACTIVE and ground is not None:
                found.append((proposal.proposal_id, ground))
        return found


class FakeUnitOfWork(OverInMemoryLog, AwardsUnitOfWork):
    """The awards unit of work of the tests: ``read_model`` is what its ports read."""

    def __init__(self, context: CommandContext = CONTEXT, today: date = TODAY,
                 inner: InMemoryUnitOfWork | None = None, read_model: FakeReadModel | None = None) -> None:
        self.inner = inner or InMemoryUnitOfWork("awards")
        self.read_model = read_model or FakeReadModel(self.inner.store)
        model = self.read_model
        super().__init__(self.inner, context, rulebooks=model.rulebooks, gather_facts=model.gather_facts,
                         final_score=model.final_score, unit_known=model.unit_known,
                         members_of_year=model.members_of_year, seal=model.seal, unseal=model.unseal,
                         today=lambda: today, dependents=model.dependents,
                         province_in_office=model.province_in_office)

    def for_(self, context: CommandContext) -> FakeUnitOfWork:
        """The same log and read model, another caller."""
        return FakeUnitOfWork(context, self.today(), self.inner, self.read_model)
