"""What the eligibility rules ask about, read from the awards read models in the command's transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import (
    freezes,
    members,
    proposals,
    provinces,
    rulebooks,
    scores,
    standings,
    target_results,
    units,
    votes,
)
from awards.application.ports import Dependents, GatherFacts, ProvinceInOffice, Rulebooks
from awards.domain.eligibility import Attestation, Facts, Freeze, Stage, TargetResult, UnitStatus
from awards.domain.model import ACTIVE, ProposalState, counted_by_quota
from awards.domain.reliance import rests_on
from awards.domain.rulebook import Form, Quota, Rulebook
from thidua_contracts.awards import FlagGround, RulebookAdopted


def adopted_rulebooks(connection: AsyncConnection) -> Rulebooks:
    """The province's own rulebook versions (the national defaults are in the domain)."""

    async def lookup(province: str) -> list[Rulebook]:
        rows = await connection.execute(select(rulebooks.c.body).where(rulebooks.c.province == province))
        return [Rulebook.from_event(RulebookAdopted.model_validate(body)) for body in rows.scalars()]

    return lookup


async def province_named_on(connection: AsyncConnection, province: str, on: date) -> str | None:
    """The name of the province in office on ``on``: ``province`` itself, or the province it merged into by then
    (following a chain of mergers); None when the registry has not named it."""
    seen: set[str] = set()
    while province not in seen:
        seen.add(province)
        row = (await connection.execute(select(provinces.c.name, provinces.c.merged_into, provinces.c.merged_on)
                                        .where(provinces.c.province == province))).first()
        if row is None:
            return None
        if row.merged_into is None or row.merged_on is None or row.merged_on > on:
            return str(row.name)
        province = str(row.merged_into)
    return None


def province_in_office(connection: AsyncConnection) -> ProvinceInOffice:
    async def lookup(province: str, on: date) -> str | None:
        return await province_named_on(connection, province, on)

    return lookup


async def lineage(connection: AsyncConnection, province: str, unit_id: str) -> list[str]:
    """The unit and every unit merged into it, transitively."""
    rows = await connection.execute(select(units.c.unit_id, units.c.merged_into).where(
        units.c.province == province, units.c.merged_into.is_not(None)))
    merged_into: dict[str, list[str]] = {}
    for row in rows:
        merged_into.setdefault(str(row.merged_into), []).append(str(row.unit_id))
    found, frontier = [unit_id], [unit_id]
    while frontier:
        frontier = [child for parent in frontier for child in merged_into.get(parent, []) if child not in found]
        found.extend(frontier)
    return found


async def unit_status(connection: AsyncConnection, province: str, unit_id: str) -> UnitStatus:
    status = await connection.scalar(select(units.c.status).where(units.c.province == province,
                                                                  units.c.unit_id == unit_id))
    if status is None:
        return "unknown"
    return "dissolved" if status == "dissolved" else "merged" if status == "merged" else "active"


async def pending_unit_freezes(connection: AsyncConnection, province: str, unit_id: str) -> list[Freeze]:
    rows = await connection.execute(select(freezes.c.ref, freezes.c.reason).where(
        freezes.c.province == province, freezes.c.subject == "unit", freezes.c.subject_id == unit_id,
        freezes.c.unfrozen_on.is_(None), freezes.c.lift_reason.is_(None)).order_by(freezes.c.ref))
    return [Freeze(str(row.ref), str(row.reason)) for row in rows]


async def blocs_in_year(connection: AsyncConnection, province: str, year: int) -> int:
    rows = await connection.execute(select(members.c.bloc_id).distinct().where(
        members.c.province == province, members.c.joined_on <= date(year, 12, 31),
        or_(members.c.left_on.is_(None), members.c.left_on > date(year, 1, 1))))
    return len(rows.all())


async def ratings(connection: AsyncConnection, province: str, unit_id: str, years: range) -> dict[int, list[str]]:
    """The quality ratings of each year: the unit's own, or (before a merger) those of the units merged into it."""
    family = await lineage(connection, province, unit_id)
    rows = await connection.execute(select(standings.c.unit_id, standings.c.year, standings.c.rating).where(
        standings.c.province == province, standings.c.unit_id.in_(family), standings.c.year.in_(list(years)),
        standings.c.rating.is_not(None)))
    own: dict[int, str] = {}
    predecessors: dict[int, list[str]] = {}
    for row in rows:
        if row.unit_id == unit_id:
            own[int(row.year)] = str(row.rating)
        else:
            predecessors.setdefault(int(row.year), []).append(str(row.rating))
    return {year: [own[year]] if year in own else sorted(predecessors[year])
            for year in years if year in own or year in predecessors}


async def attested(connection: AsyncConnection, province: str, unit_id: str, year: int) -> dict[str, Attestation]:
    found = await connection.scalar(select(standings.c.attested).where(
        standings.c.province == province, standings.c.unit_id == unit_id, standings.c.year == year))
    return {fact: Attestation(str(value["ref"]), str(value["on"])) for fact, value in (found or {}).items()}


async def targets(connection: AsyncConnection, province: str, unit_id: str, year: int) -> list[TargetResult] | None:
    found = await connection.scalar(select(target_results.c.results).where(
        target_results.c.province == province, target_results.c.unit_id == unit_id, target_results.c.year == year))
    if found is None:
        return None
    return [TargetResult(str(result["code"]), bool(result["attained"]), result.get("percent")) for result in found]


async def leaders(connection: AsyncConnection, province: str, year: int, quota: Quota) -> list[tuple[str, str]]:
    """The collectives the province's blocs honoured as leaders in ``year``: (unit, bloc) of every closed vote
    for one of the quota's ``leaders_of`` forms."""
    rows = await connection.execute(select(votes.c.bloc_id, votes.c.honoured).where(
        votes.c.province == province, votes.c.year == year, votes.c.award_code.in_(quota.leaders_of),
        votes.c.state == "closed"))
    return sorted({(str(unit_id), str(row.bloc_id)) for row in rows for unit_id in (row.honoured or [])})


def gather_facts(connection: AsyncConnection) -> GatherFacts:
    async def unit_facts(province: str, unit_id: str, year: int, code: str, bloc_id: str | None,
                         proposal_id: str | None) -> Facts:
        """What the rules of the form ``code`` ask about the unit, its quota aside."""
        facts = Facts(unit_id=unit_id, year=year, bloc_id=bloc_id)
        facts.unit_status = await unit_status(connection, province, unit_id)
        if bloc_id is not None:
            row = (await connection.execute(select(scores.c.total, scores.c.rank).where(
                scores.c.province == province, scores.c.bloc_id == bloc_id, scores.c.year == year,
                scores.c.unit_id == unit_id))).first()
            if row is not None:
                facts.total, facts.rank = float(row.total), row.rank
        closed = select(votes.c.vote_id, votes.c.honoured).where(
            votes.c.province == province, votes.c.year == year, votes.c.award_code == code,
            votes.c.state == "closed")
        if bloc_id is not None:
            closed = closed.where(votes.c.bloc_id == bloc_id)
        facts.honoured_by = sorted(str(row.vote_id) for row in await connection.execute(closed)
                                   if unit_id in (row.honoured or []))
        family = await lineage(connection, province, unit_id)
        held = await connection.execute(select(proposals.c.proposal_id, proposals.c.unit_id, proposals.c.year,
                                               proposals.c.award_code, proposals.c.state).where(
            proposals.c.province == province, proposals.c.unit_id.in_(family), proposals.c.state.in_(ACTIVE),
            proposals.c.proposal_id != (proposal_id or "")))
        for award in held:
            key = (int(award.year), str(award.award_code))
            if key == (year, code) and award.unit_id == unit_id:
                facts.same_award.append(str(award.proposal_id))
            if award.state == ProposalState.DECIDED or key not in facts.held:
                facts.held[key] = "decided" if award.state == ProposalState.DECIDED else "proposed"
        facts.freezes = await pending_unit_freezes(connection, province, unit_id)
        facts.ratings = await ratings(connection, province, unit_id, range(year - 9, year + 1))
        facts.attested = await attested(connection, province, unit_id, year)
        facts.targets = await targets(connection, province, unit_id, year)
        return facts

    async def gather(province: str, unit_id: str, year: int, form: Form, bloc_id: str | None, stage: Stage,
                     proposal_id: str | None) -> Facts:
        facts = await unit_facts(province, unit_id, year, form.code, bloc_id, proposal_id)
        quota = form.rules.quota
        if quota is None:
            return facts
        counted = select(proposals.c.proposal_id).where(
            proposals.c.province == province, proposals.c.year == year, proposals.c.award_code == form.code,
            proposals.c.proposal_id != (proposal_id or ""), proposals.c.state.in_(counted_by_quota(quota, stage)))
        if quota.per == "bloc_year":
            counted = counted.where(proposals.c.bloc_id == bloc_id)
        facts.quota_used = len((await connection.execute(counted)).all())
        facts.blocs_in_year = await blocs_in_year(connection, province, year)
        if quota.of == "qualifying_leaders" and quota.standard is not None:
            for leader, leader_bloc in await leaders(connection, province, year, quota):
                facts.leaders[leader] = await unit_facts(province, leader, year, quota.standard, leader_bloc, None)
        return facts

    return gather


async def successors(connection: AsyncConnection, province: str, unit_id: str) -> list[str]:
    """The unit and the units it merged into, transitively (they carry its history)."""
    found = [unit_id]
    while True:
        into = await connection.scalar(select(units.c.merged_into).where(units.c.province == province,
                                                                           units.c.unit_id == found[-1]))
        if into is None or str(into) in found:
            return found
        found.append(str(into))


def dependents(connection: AsyncConnection) -> Dependents:
    async def find(province: str, unit_id: str, year: int, award_code: str,
                   proposal_id: str) -> list[tuple[str, FlagGround]]:
        family = await successors(connection, province, unit_id)
        rows = await connection.execute(select(proposals.c.proposal_id, proposals.c.reliances).where(
            proposals.c.province == province, proposals.c.state.in_(ACTIVE), proposals.c.proposal_id != proposal_id,
            proposals.c.year >= year).order_by(proposals.c.proposal_id))
        found = []
        for row in rows:
            ground = rests_on(row.reliances or [], family, year, award_code)
            if ground is not None:
                found.append((str(row.proposal_id), ground))
        return found

    return find
