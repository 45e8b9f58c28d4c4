"""Scoring a bloc-year: its table, its window, self- and cross-assessments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from scoring.domain.bloc_year import BlocYear, bloc_year_stream
from scoring.domain.commands import (
    AdoptScoringTable,
    RegisterTargets,
    SetScoringWindow,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
)
from thidua_contracts import EventPayload
from thidua_contracts.scoring import Criterion, Target
from thidua_shared.context import CommandContext
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

Today = Callable[[], date]
MembershipCheck = Callable[[str, str, int, str], Awaitable[bool]]
MissingFiles = Callable[[str, list[str]], Awaitable[list[str]]]


async def load_bloc_year(uow: UnitOfWork, province: str, bloc_id: str, year: int) -> BlocYear:
    history = await uow.events.read_stream(bloc_year_stream(province, bloc_id, year))
    return BlocYear.from_history(bloc_id, year, (event.typed() for event in history))


async def record(uow: UnitOfWork, context: CommandContext, bloc_year: BlocYear,
                  decided: list[EventPayload]) -> list[StoredEvent]:
    stored = await uow.record(NewEvents(
        province=context.province, stream_id=bloc_year_stream(context.province, bloc_year.bloc_id, bloc_year.year),
        expected_version=bloc_year.version, payloads=decided, actor=context.actor,
        correlation_id=context.correlation_id, causation_id=context.causation_id))
    await uow.commit()
    return stored


async def adopt_table(command: AdoptScoringTable, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    criteria = [Criterion.model_validate(criterion.model_dump()) for criterion in command.criteria]
    return await record(uow, context, bloc_year, bloc_year.adopt_table(criteria, command.method, command.reason))


async def set_window(command: SetScoringWindow, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    return await record(uow, context, bloc_year, bloc_year.set_window(command.opens_on, command.closes_on))


async def register_targets(command: RegisterTargets, context: CommandContext, uow: UnitOfWork,
                           is_member: MembershipCheck) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    member = await is_member(context.province, command.bloc_id, command.year, command.unit_id)
    targets = [Target.model_validate(target.model_dump()) for target in command.targets]
    return await record(uow, context, bloc_year, bloc_year.register_targets(command.unit_id, targets, member))


async def submit_self(command: SubmitSelfAssessment, context: CommandContext, uow: UnitOfWork,
                      is_member: MembershipCheck, today: Today, missing_files: MissingFiles) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    member = await is_member(context.province, command.bloc_id, command.year, command.unit_id)
    missing = await missing_files(context.province, command.evidence)
    decided = bloc_year.submit_self(command.unit_id, command.scores, command.evidence, today(), member, missing)
    return await record(uow, context, bloc_year, decided)


async def submit_cross(command: SubmitCrossAssessment, context: CommandContext, uow: UnitOfWork,
                       is_member: MembershipCheck, today: Today) -> list[StoredEvent]:
    bloc_year = await load_bloc_year(uow, context.province, command.bloc_id, command.year)
    assessor = await is_member(context.province, command.bloc_id, command.year, command.assessor_unit_id)
    assessed = await is_member(context.province, command.bloc_id, command.year, command.unit_id)
    decided = bloc_year.submit_cross(command.assessor_unit_id, command.unit_id, command.scores, command.comments,
                                     today(), assessor, assessed)
    return await record(uow, context, bloc_year, decided)
