"""Scoring's read models: its own scores, and the registry's units, blocs and memberships."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, Table, bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.adapters.tables import (
    assessments,
    blocs,
    lineage,
    members,
    rankings,
    scores,
    scoring_tables,
    target_results,
    targets,
    tie_resolutions,
    units,
)
from thidua_contracts.registry import (
    BlocEstablished,
    UnitJoinedBloc,
    UnitLeftBloc,
    UnitRegistered,
    UnitRenamed,
    UnitsMerged,
)
from thidua_contracts.scoring import (
    CrossAssessmentSubmitted,
    RankingCorrectionOpened,
    RankingPublished,
    RankingTieResolved,
    ScoringTableAdopted,
    ScoringWindowSet,
    SelfAssessmentSubmitted,
    SelfAssessmentVerified,
    TargetResultsRecorded,
    TargetsRegistered,
    UnitScored,
)
from thidua_shared.clock import province_zone
from thidua_shared.projection import Projection
from thidua_shared.store import StoredEvent

OWN_EVENTS = Projection()
"""Scoring's own events: scores, tables, assessments and their verification, targets and their results,
rankings and their resolved ties."""
REGISTRY_EVENTS = Projection()
"""The registry's events: units, blocs, memberships and mergers, as scoring needs them."""


@OWN_EVENTS.handles(UnitScored)
async def unit_scored(connection: AsyncConnection, event: StoredEvent, payload: UnitScored) -> None:
    key = {"province": event.province, "bloc_id": payload.bloc_id, "year": payload.year, "unit_id": payload.unit_id}
    await connection.execute(_FORGET_SCORE, key)
    await connection.execute(_SCORE, {**key, "total": payload.total, "breakdown": payload.breakdown,
                                      "method": payload.method, "version": event.stream_version, "band": payload.band})


_FORGET_SCORE = delete(scores).where(
    scores.c.province == bindparam("province"), scores.c.bloc_id == bindparam("bloc_id"),
    scores.c.year == bindparam("year"), scores.c.unit_id == bindparam("unit_id"))
"""Built once: every score recorded runs it (building the expression cost more than running it)."""
_SCORE = scores.insert()


@REGISTRY_EVENTS.handles(UnitRegistered)
async def unit_registered(connection: AsyncConnection, event: StoredEvent, payload: UnitRegistered) -> None:
    await connection.execute(units.insert().values(
        province=event.province, unit_id=payload.unit_id, name=payload.name))


@REGISTRY_EVENTS.handles(BlocEstablished)
async def bloc_established(connection: AsyncConnection, event: StoredEvent, payload: BlocEstablished) -> None:
    await connection.execute(blocs.insert().values(
        province=event.province, bloc_id=payload.bloc_id, name=payload.name))


@REGISTRY_EVENTS.handles(UnitJoinedBloc)
async def unit_joined_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitJoinedBloc) -> None:
    await connection.execute(members.insert().values(
        province=event.province, bloc_id=payload.bloc_id, unit_id=payload.unit_id,
        joined_on=payload.effective_on))


def _key(table: Table, event: StoredEvent, bloc_id: str, year: int) -> ColumnElement[bool]:
    return (table.c.province == event.province) & (table.c.bloc_id == bloc_id) & (table.c.year == year)


@OWN_EVENTS.handles(ScoringTableAdopted)
async def table_adopted(connection: AsyncConnection, event: StoredEvent, payload: ScoringTableAdopted) -> None:
    adopted = {"table_version": payload.table_version, "criteria": [c.model_dump() for c in payload.criteria],
               "method": payload.method, "bands": [band.model_dump() for band in payload.bands]}
    changed = await connection.execute(update(scoring_tables).where(
        _key(scoring_tables, event, payload.bloc_id, payload.year)).values(**adopted))
    if not changed.rowcount:
        await connection.execute(scoring_tables.insert().values(
            province=event.province, bloc_id=payload.bloc_id, year=payload.year, **adopted))


@OWN_EVENTS.handles(ScoringWindowSet)
async def window_set(connection: AsyncConnection, event: StoredEvent, payload: ScoringWindowSet) -> None:
    await connection.execute(update(scoring_tables).where(_key(scoring_tables, event, payload.bloc_id, payload.year))
                             .values(opens_on=payload.opens_on, closes_on=payload.closes_on))


async def _assessed(connection: AsyncConnection, event: StoredEvent, bloc_id: str, year: int, assessor: str,
                    unit_id: str, kind: str, scores: dict[str, float]) -> None:
    key = _key(assessments, event, bloc_id, year) & (assessments.c.assessor_unit_id == assessor) \
        & (assessments.c.unit_id == unit_id)
    changed = await connection.execute(update(assessments).where(key).values(
        scores=scores, submissions=assessments.c.submissions + 1, submitted_at=event.recorded_at,
        verified_on=None, verified_by=None, verification_notes=None))
    if not changed.rowcount:
        await connection.execute(assessments.insert().values(
            province=event.province, bloc_id=bloc_id, year=year, assessor_unit_id=assessor, unit_id=unit_id,
            kind=kind, scores=scores, submissions=1, submitted_at=event.recorded_at))


@OWN_EVENTS.handles(SelfAssessmentSubmitted)
async def self_assessed(connection: AsyncConnection, event: StoredEvent, payload: SelfAssessmentSubmitted) -> None:
    await _assessed(connection, event, payload.bloc_id, payload.year, payload.unit_id, payload.unit_id, "self",
                    payload.scores)


@OWN_EVENTS.handles(SelfAssessmentVerified)
async def self_verified(connection: AsyncConnection, event: StoredEvent, payload: SelfAssessmentVerified) -> None:
    await connection.execute(update(assessments).where(
        _key(assessments, event, payload.bloc_id, payload.year), assessments.c.kind == "self",
        assessments.c.unit_id == payload.unit_id,
    ).values(verified_on=payload.verified_on, verified_by=payload.verified_by, verification_notes=payload.notes))


@OWN_EVENTS.handles(CrossAssessmentSubmitted)
async def cross_assessed(connection: AsyncConnection, event: StoredEvent, payload: CrossAssessmentSubmitted) -> None:
    await _assessed(connection, event, payload.bloc_id, payload.year, payload.assessor_unit_id, payload.unit_id,
                    "cross", payload.scores)


def day_of(instant: str) -> date:
    """The day in Viet Nam of an ISO instant (a recording time)."""
    return datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(province_zone()).date()


@OWN_EVENTS.handles(RankingPublished)
async def ranking_published(connection: AsyncConnection, event: StoredEvent, payload: RankingPublished) -> None:
    await connection.execute(delete(rankings).where(_key(rankings, event, payload.bloc_id, payload.year)))
    await connection.execute(rankings.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, version=payload.version,
        ranking=[entry.model_dump() for entry in payload.ranking], published_at=event.recorded_at,
        published_on=payload.published_on or day_of(event.recorded_at),
        reason=payload.reason, locked=True, resolved_ties=[tie.model_dump() for tie in payload.resolved_ties]))


@OWN_EVENTS.handles(RankingTieResolved)
async def tie_resolved(connection: AsyncConnection, event: StoredEvent, payload: RankingTieResolved) -> None:
    await connection.execute(tie_resolutions.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, stream_version=event.stream_version,
        total=payload.total, unit_ids=payload.order, ground=payload.ground, reference=payload.reference,
        resolved_on=payload.resolved_on, notes=payload.notes))


@OWN_EVENTS.handles(RankingCorrectionOpened)
async def correction_opened(connection: AsyncConnection, event: StoredEvent, payload: RankingCorrectionOpened) -> None:
    await connection.execute(update(rankings).where(_key(rankings, event, payload.bloc_id, payload.year))
                             .values(locked=False, reason=payload.reason))


@OWN_EVENTS.handles(TargetsRegistered)
async def targets_registered(connection: AsyncConnection, event: StoredEvent, payload: TargetsRegistered) -> None:
    await connection.execute(delete(targets).where(_key(targets, event, payload.bloc_id, payload.year),
                                                   targets.c.unit_id == payload.unit_id))
    await connection.execute(targets.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, unit_id=payload.unit_id,
        targets=[target.model_dump() for target in payload.targets], registered_at=event.recorded_at))


@OWN_EVENTS.handles(TargetResultsRecorded)
async def target_results_recorded(connection: AsyncConnection, event: StoredEvent,
                                  payload: TargetResultsRecorded) -> None:
    await connection.execute(delete(target_results).where(_key(target_results, event, payload.bloc_id, payload.year),
                                                          target_results.c.unit_id == payload.unit_id))
    await connection.execute(target_results.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, unit_id=payload.unit_id,
        results=[result.model_dump() for result in payload.results], recorded_on=payload.recorded_on,
        recorded_at=event.recorded_at))


@REGISTRY_EVENTS.handles(UnitRenamed)
async def unit_renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None:
    await connection.execute(update(units).where(units.c.province == event.province, units.c.unit_id == payload.unit_id)
                             .values(name=payload.name))


@REGISTRY_EVENTS.handles(UnitLeftBloc)
async def unit_left_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitLeftBloc) -> None:
    await connection.execute(update(members).where(
        members.c.province == event.province, members.c.bloc_id == payload.bloc_id,
        members.c.unit_id == payload.unit_id, members.c.left_on.is_(None),
    ).values(left_on=payload.effective_on))


@REGISTRY_EVENTS.handles(UnitsMerged)
async def units_merged(connection: AsyncConnection, event: StoredEvent, payload: UnitsMerged) -> None:
    await connection.execute(lineage.insert(), [
        {"province": event.province, "unit_id": payload.into_unit_id, "predecessor_id": source,
         "effective_on": payload.effective_on} for source in payload.from_unit_ids])
