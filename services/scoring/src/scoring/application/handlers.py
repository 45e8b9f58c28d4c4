"""Scoring use cases on a bloc-year: final scores, adjustments, ranking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scoring.application.assessments import MembershipCheck, load_bloc_year, record
from scoring.domain.commands import AdjustScore, ComputeFinals, OpenCorrection, PublishRanking, RecordScore
from thidua_shared.context import CommandContext
from thidua_shared.store import StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

MembersOfYear = Callable[[str, str, int], Awaitable[list[str]]]


async def record_score(command: RecordScore, context: CommandContext, uow: UnitOfWork,
                       is_member: MembershipCheck) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    member = await is_member(context.province, command.bloc_id, command.year, command.unit_id)
    return await record(uow, context, bloc_year,
                        bloc_year.record_final(command.unit_id, command.breakdown, command.method, member))


async def adjust_score(command: AdjustScore, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    decided = bloc_year.adjust(command.unit_id, command.code, command.to_points, command.reason)
    return await record(uow, context, bloc_year, decided)


async def compute_finals(command: ComputeFinals, context: CommandContext, uow: UnitOfWork,
                         members_of_year: MembersOfYear) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    members = await members_of_year(context.province, command.bloc_id, command.year)
    return await record(uow, context, bloc_year, bloc_year.compute_finals(members))


async def publish_ranking(command: PublishRanking, context: CommandContext, uow: UnitOfWork,
                          members_of_year: MembersOfYear) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    members = await members_of_year(context.province, command.bloc_id, command.year)
    return await record(uow, context, bloc_year, bloc_year.publish_ranking(members))


async def open_correction(command: OpenCorrection, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    return await record(uow, context, bloc_year, bloc_year.open_correction(command.reason))
