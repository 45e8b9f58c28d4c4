"""Scoring a bloc-year, ``handle(command, context, uow)``: its table, its window, targets, self- and
cross-assessments. Each loads the bloc-year, lets it decide, saves what it recorded and commits."""

from __future__ import annotations

from datetime import date

from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import (
    AdoptScoringTable,
    RegisterTargets,
    SetScoringWindow,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
)
from thidua_contracts.scoring import Criterion, Target
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid


async def adopt_table(command: AdoptScoringTable, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    criteria = [Criterion.model_validate(criterion.model_dump()) for criterion in command.criteria]
    bloc_year.adopt_table(criteria, command.method, command.reason)
    await uow.save(bloc_year)
    await uow.commit()


async def set_window(command: SetScoringWindow, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    bloc_year.set_window(command.opens_on, command.closes_on)
    await uow.save(bloc_year)
    await uow.commit()


async def register_targets(command: RegisterTargets, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    member = await uow.is_member(command.bloc_id, command.year, command.unit_id)
    targets = [Target.model_validate(target.model_dump()) for target in command.targets]
    bloc_year.register_targets(command.unit_id, targets, member)
    await uow.save(bloc_year)
    await uow.commit()


def submitted_on(day: date | None, context: CommandContext, uow: ScoringUnitOfWork) -> date:
    """The day a submission was made: today, or a past day that the province's or the bloc's staff record
    (the 2023 review entered in 2026); that day, not today, must fall inside the window."""
    today = uow.today()
    if day is None or day == today:
        return today
    if context.actor.role not in ("admin", "bloc_secretary"):
        raise Conflict("date.past_by_staff_only", on=day.isoformat(), today=today.isoformat())
    if day > today:
        raise Invalid("date.in_future", on=day.isoformat(), today=today.isoformat())
    return day


async def submit_self(command: SubmitSelfAssessment, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    """Dated by the day it was submitted, which must fall inside the bloc-year's window."""
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    member = await uow.is_member(command.bloc_id, command.year, command.unit_id)
    missing = await uow.missing_files(command.evidence)
    on = submitted_on(command.submitted_on, context, uow)
    bloc_year.submit_self(command.unit_id, command.scores, command.evidence, on, member, missing)
    await uow.save(bloc_year)
    await uow.commit()


async def submit_cross(command: SubmitCrossAssessment, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    """Dated by the day it was submitted, which must fall inside the bloc-year's window."""
    bloc_year = await uow.bloc_years.get(command.bloc_id, command.year)
    assessor = await uow.is_member(command.bloc_id, command.year, command.assessor_unit_id)
    assessed = await uow.is_member(command.bloc_id, command.year, command.unit_id)
    on = submitted_on(command.submitted_on, context, uow)
    bloc_year.submit_cross(command.assessor_unit_id, command.unit_id, command.scores, command.comments,
                           on, assessor, assessed)
    await uow.save(bloc_year)
    await uow.commit()
