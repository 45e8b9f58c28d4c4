"""The one wiring point of the scoring service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

import scoring.migrations
from scoring.adapters.evidence import SqlMissingFiles
from scoring.adapters.projections import OWN_EVENTS
from scoring.adapters.queries import SqlBlocKnown, SqlMembership, SqlMembersOfYear
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
from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.messages import CATALOGUE
from scoring.entrypoints.api import router
from scoring.entrypoints.consumers import SUBSCRIPTIONS
from thidua_shared.clock import province_today
from thidua_shared.command_runner import CommandRunner
from thidua_shared.context import CommandContext
from thidua_shared.idempotency import CommandUnitOfWork
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import ServiceDefinition, UnitOfWorkFactory


def scoring_unit_of_work(inner: CommandUnitOfWork, context: CommandContext) -> ScoringUnitOfWork:
    """A command's unit of work: the log's, the read model on its connection, the provinces' calendar."""
    connection, province = inner.connection, context.province
    return ScoringUnitOfWork(inner, context, membership=SqlMembership(connection, province),
                             bloc_known=SqlBlocKnown(connection, province),
                             members_of_year=SqlMembersOfYear(connection, province),
                             missing_files=SqlMissingFiles(connection, province), today=province_today)


def wired_router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    """Commands on bloc-years run through the runner; an evidence upload, not an event, in a unit of work
    of its own."""
    return router(parts, CommandRunner(unit_of_work, scoring_unit_of_work), unit_of_work)


SERVICE = ServiceDefinition(
    name="scoring",
    title="thidua scoring",
    description="Scoring tables, targets and their results, assessments and their verification, final scores, "
                "classification bands, and the ranking with its ties per bloc-year.",
    migrations=Path(scoring.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions=SUBSCRIPTIONS,
    router=wired_router,
    own_tables=(scores, scoring_tables, assessments, rankings, targets, target_results, tie_resolutions),
    consumed_tables=(units, blocs, members, lineage),
)
create_app = SERVICE.create_app
main = SERVICE.main
