"""What the papers read, from the awards read models and, for a vote's rule and day, from its own stream."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.facts import adopted_rulebooks, province_named_on
from awards.adapters.tables import bloc_leaders, blocs, proposals, units, votes
from awards.domain.papers.records import BlocRecord, CouncilRecord, DecisionRecord, ProposalRecord, VoteRecord
from awards.domain.rulebook import Rulebook
from awards.domain.vote import vote_stream
from thidua_contracts.awards import HonoringVoteClosed, HonoringVoteOpened
from thidua_shared.clock import local
from thidua_shared.store import SqlEventStore


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _council(value: dict[str, Any] | None) -> CouncilRecord | None:
    if not value:
        return None
    return CouncilRecord(members=int(value["members"]), present=int(value["present"]), approve=int(value["approve"]),
                         reject=int(value["reject"]), written_votes=int(value.get("written_votes") or 0),
                         held_on=_day(value.get("held_on")), required=value.get("required"),
                         passed=value.get("passed"))


def _decision(value: dict[str, Any] | None) -> DecisionRecord | None:
    if not value:
        return None
    decided_on = _day(value["decided_on"])
    assert decided_on is not None
    return DecisionRecord(decision_no=str(value["decision_no"]), decided_on=decided_on,
                          authority=str(value["authority"]), rule_version=str(value["rule_version"]),
                          reward_vnd=value.get("reward_vnd"), reward_multiple=value.get("reward_multiple"),
                          base_salary_vnd=value.get("base_salary_vnd"),
                          base_salary_basis=value.get("base_salary_basis"))


class SqlPaperFacts:
    """:class:`awards.application.papers.PaperFacts` on one connection."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def province_name(self, province: str, on: date) -> str | None:
        return await province_named_on(self._connection, province, on)

    async def unit_names(self, province: str) -> Mapping[str, str]:
        rows = await self._connection.execute(select(units.c.unit_id, units.c.name).where(
            units.c.province == province))
        return {str(row.unit_id): str(row.name) for row in rows}

    async def blocs(self, province: str, year: int) -> Mapping[str, BlocRecord]:
        chairs = {str(row.bloc_id): str(row.unit_id) for row in await self._connection.execute(
            select(bloc_leaders.c.bloc_id, bloc_leaders.c.unit_id).where(
                bloc_leaders.c.province == province, bloc_leaders.c.year == year, bloc_leaders.c.role == "chair"))}
        named = {str(row.bloc_id): BlocRecord(str(row.bloc_id), str(row.name), str(row.kind),
                                              chairs.get(str(row.bloc_id)))
                 for row in await self._connection.execute(select(blocs).where(blocs.c.province == province))}
        unnamed = {bloc_id: BlocRecord(bloc_id, None, None, chair) for bloc_id, chair in chairs.items()
                   if bloc_id not in named}
        return {**unnamed, **named}

    async def vote(self, province: str, vote_id: str) -> VoteRecord | None:
        row = (await self._connection.execute(select(votes).where(
            votes.c.province == province, votes.c.vote_id == vote_id))).first()
        if row is None:
            return None
        opened: HonoringVoteOpened | None = None
        closed: HonoringVoteClosed | None = None
        closed_on = None
        for stored in await SqlEventStore(self._connection, "awards").read_stream(vote_stream(province, vote_id)):
            payload = stored.typed()
            if isinstance(payload, HonoringVoteOpened):
                opened = payload
            elif isinstance(payload, HonoringVoteClosed):
                closed = payload
                closed_on = payload.closed_on or local(datetime.fromisoformat(stored.recorded_at)).date()
        return VoteRecord(
            vote_id=vote_id, bloc_id=str(row.bloc_id), year=int(row.year), award_code=str(row.award_code),
            candidates=list(row.candidates), members=int(row.members), threshold=float(row.threshold),
            threshold_of=str(row.threshold_of), more_than=opened.more_than if opened is not None else False,
            places=row.places, closed=row.state == "closed",
            results=[(str(result["unit_id"]), int(result["votes_for"])) for result in row.results or []],
            honoured=list(row.honoured or []),
            ballots_cast=closed.ballots_cast if closed is not None else len(row.voters or []),
            invalid_ballots=int(row.invalid_ballots or 0), tied=list(row.tied or []),
            places_left=int(row.places_left or 0), runoff_of=row.runoff_of, closed_on=closed_on,
            rule_version=opened.rule_version if opened is not None else None)

    async def proposals(self, province: str, year: int) -> list[ProposalRecord]:
        rows = await self._connection.execute(select(proposals).where(
            proposals.c.province == province, proposals.c.year == year).order_by(proposals.c.proposal_id))
        return [ProposalRecord(
            proposal_id=str(row.proposal_id), bloc_id=row.bloc_id, year=int(row.year), unit_id=str(row.unit_id),
            award_code=str(row.award_code), state=str(row.state),
            total=float(row.total) if row.total is not None else None, rank=row.rank,
            rule_version=str(row.rule_version), filed_on=_day(row.filed_on), vote_id=row.vote_id,
            documents=dict(row.documents or {}), council=_council(row.council), decision=_decision(row.decision))
            for row in rows]

    async def rulebooks(self, province: str) -> list[Rulebook]:
        return await adopted_rulebooks(self._connection)(province)
