"""Scoring a bloc-year, ``handle(command, context, uow)``: its table, its window, targets and their results,
self-assessments and their verification, cross-assessments. Each loads the bloc-year (refused when the
registry does not know its bloc or its year), lets it decide, saves what it recorded and commits."""

from __future__ import annotations

import structlog

from scoring.application.days import past_day, submitted_on
from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import (
    AdoptScoringTable,
    RecordTargetResults,
    RegisterTargets,
    SetScoringWindow,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
    VerifySelfAssessment,
)
from thidua_contracts.scoring import ClassificationBand, Criterion, Target, TargetResult
from thidua_shared.context import CommandContext

log = structlog.get_logger(__name__)


async def adopt_table(command: AdoptScoringTable, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    criteria = [Criterion.model_validate(criterion.model_dump()) for criterion in command.criteria]
    bands = [ClassificationBand.model_validate(band.model_dump()) for band in command.bands]
    bloc_year.adopt_table(criteria, command.method, command.reason, bands, past_day(command.adopted_on, uow))
    await uow.save(bloc_year)
    await uow.commit()
    log.info("scoring.table_adopted", bloc_id=command.bloc_id, year=command.year, method=command.method,
             criteria=len(criteria), from_targets=sum(c.source == "targets" for c in criteria), bands=len(bands))


async def set_window(command: SetScoringWindow, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    bloc_year.set_window(command.opens_on, command.closes_on)
    await uow.save(bloc_year)
    await uow.commit()


async def register_targets(command: RegisterTargets, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    membership = await uow.membership(command.bloc_id, command.year, command.unit_id)
    targets = [Target.model_validate(target.model_dump()) for target in command.targets]
    bloc_year.register_targets(command.unit_id, targets, membership)
    await uow.save(bloc_year)
    await uow.commit()


async def record_target_results(command: RecordTargetResults, context: CommandContext,
                                uow: ScoringUnitOfWork) -> None:
    """Dated by the day they were recorded: today, or a past day the staff record."""
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    membership = await uow.membership(command.bloc_id, command.year, command.unit_id)
    results = [TargetResult.model_validate(result.model_dump()) for result in command.results]
    on = submitted_on(command.recorded_on, context, uow)
    bloc_year.record_target_results(command.unit_id, results, on, membership)
    await uow.save(bloc_year)
    await uow.commit()
    log.info("scoring.target_results_recorded", bloc_id=command.bloc_id, year=command.year, unit_id=command.unit_id,
             targets=len(results), attained=sum(result.attained for result in results))


async def submit_self(command: SubmitSelfAssessment, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    """Dated by the day it was submitted, which must fall inside the bloc-year's window."""
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    membership = await uow.membership(command.bloc_id, command.year, command.unit_id)
    missing = await uow.missing_files(command.evidence)
    on = submitted_on(command.submitted_on, context, uow)
    bloc_year.submit_self(command.unit_id, command.scores, command.evidence, on, membership, missing)
    await uow.save(bloc_year)
    await uow.commit()


async def verify_self(command: VerifySelfAssessment, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    membership = await uow.membership(command.bloc_id, command.year, command.unit_id)
    on = past_day(command.verified_on, uow)
    bloc_year.verify_self(command.unit_id, command.verified_by, on, command.notes, membership)
    await uow.save(bloc_year)
    await uow.commit()
    log.info("scoring.self_assessment_verified", bloc_id=command.bloc_id, year=command.year,
             unit_id=command.unit_id, verified_on=on.isoformat())


async def submit_cross(command: SubmitCrossAssessment, context: CommandContext, uow: ScoringUnitOfWork) -> None:
    """Dated by the day it was submitted, which must fall inside the bloc-year's window."""
    bloc_year = await uow.known_bloc_year(command.bloc_id, command.year)
    assessor = await uow.membership(command.bloc_id, command.year, command.assessor_unit_id)
    assessed = await uow.membership(command.bloc_id, command.year, command.unit_id)
    on = submitted_on(command.submitted_on, context, uow)
    bloc_year.submit_cross(command.assessor_unit_id, command.unit_id, command.scores, command.comments,
                           on, assessor, assessed)
    await uow.save(bloc_year)
    await uow.commit()
