"""Scoring use cases on a bloc-year, ``handle(command, context, uow)``: final scores, adjustments, the ranking,
its ties and its corrections. Each loads the bloc-year (refused when the registry does not know its bloc or
its year), lets it decide, saves what it recorded and commits."""

from __future__ import annotations

import structlog

from scoring.application.days import past_day
from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import (
    AdjustScore,
    ComputeFinals,
    OpenCorrection,
    PublishRanking,
    RecordScore,
    ResolveTie,
)
from thidua_shared.context import CommandContext

log = structlog.get_logger(__name__)


async def record_score(command: RecordScore, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    membership = await uow.membership(command.bloc_id, command.year, command.unit_id)
    bloc_year.record_final(command.unit_id, command.breakdown, command.method, membership)
    await uow.save(bloc_year)
    await uow.commit()


async def adjust_score(command: AdjustScore, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    membership = await uow.membership(command.bloc_id, command.year, command.unit_id)
    bloc_year.adjust(command.unit_id, command.code, command.to_points, command.reason, membership)
    await uow.save(bloc_year)
    await uow.commit()


async def compute_finals(command: ComputeFinals, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    bloc_year.compute_finals(await uow.members_of_year(command.bloc_id, command.year))
    await uow.save(bloc_year)
    await uow.commit()


async def publish_ranking(command: PublishRanking, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    bloc_year.publish_ranking(await uow.members_of_year(command.bloc_id, command.year),
                              past_day(command.published_on, uow))
    await uow.save(bloc_year)
    await uow.commit()
    published = bloc_year.published
    assert published is not None
    log.info("scoring.ranking_published", bloc_id=command.bloc_id, year=command.year, version=published.version,
             tied=[entry.unit_id for entry in published.ranking if entry.tied],
             resolved_ties=len(published.resolved_ties))


async def resolve_tie(command: ResolveTie, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    """Dated by the day of the decision or the vote."""
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    on = past_day(command.resolved_on, uow)
    bloc_year.resolve_tie(list(command.order), command.ground, command.reference, on, command.notes,
                          await uow.members_of_year(command.bloc_id, command.year))
    republished = bloc_year.locked
    await uow.save(bloc_year)
    await uow.commit()
    log.info("scoring.tie_resolved", bloc_id=command.bloc_id, year=command.year, order=list(command.order),
             ground=command.ground, reference=command.reference, republished=republished)


async def open_correction(command: OpenCorrection, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    bloc_year.open_correction(command.reason)
    await uow.save(bloc_year)
    await uow.commit()
