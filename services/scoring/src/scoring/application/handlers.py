"""Scoring use cases on a bloc-year, ``handle(command, context, uow)``: final scores, adjustments, ranking.
Each loads the bloc-year, lets it decide, saves what it recorded and commits."""

from __future__ import annotations

from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import AdjustScore, ComputeFinals, OpenCorrection, PublishRanking, RecordScore
from thidua_shared.context import CommandContext


async def record_score(command: RecordScore, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    member = await uow.is_member(command.bloc_id, command.year, command.unit_id)
    bloc_year.record_final(command.unit_id, command.breakdown, command.method, member)
    await uow.save(bloc_year)
    await uow.commit()


async def adjust_score(command: AdjustScore, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    bloc_year.adjust(command.unit_id, command.code, command.to_points, command.reason)
    await uow.save(bloc_year)
    await uow.commit()


async def compute_finals(command: ComputeFinals, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    bloc_year.compute_finals(await uow.members_of_year(command.bloc_id, command.year))
    await uow.save(bloc_year)
    await uow.commit()


async def publish_ranking(command: PublishRanking, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    bloc_year.publish_ranking(await uow.members_of_year(command.bloc_id, command.year))
    await uow.save(bloc_year)
    await uow.commit()


async def open_correction(command: OpenCorrection, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    bloc_year.open_correction(command.reason)
    await uow.save(bloc_year)
    await uow.commit()
