"""The one wiring point of the awards service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

import awards.migrations
from awards.adapters import ballots, facts, queries
from awards.adapters.projections import OWN_EVENTS
from awards.adapters.tables import (
    bloc_leaders,
    blocs,
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
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.messages import CATALOGUE
from awards.domain.papers.messages import PAPER_MESSAGES
from awards.entrypoints.api import router
from awards.entrypoints.common import refusal_wording
from awards.entrypoints.consumers import SUBSCRIPTIONS
from thidua_shared.clock import province_today
from thidua_shared.command_runner import CommandRunner
from thidua_shared.context import CommandContext
from thidua_shared.idempotency import CommandUnitOfWork
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import ServiceDefinition, UnitOfWorkFactory


def awards_unit_of_work(inner: CommandUnitOfWork, context: CommandContext) -> AwardsUnitOfWork:
    """A command's unit of work: the log's, the read models on its connection, the provinces' calendar."""
    connection = inner.connection
    return AwardsUnitOfWork(inner, context, rulebooks=facts.adopted_rulebooks(connection),
                            gather_facts=facts.gather_facts(connection), final_score=queries.score_lookup(connection),
                            unit_known=queries.unit_lookup(connection),
                            members_of_year=ballots.members_of_year(connection), seal=ballots.seal(connection),
                            unseal=ballots.unseal(connection), today=province_today,
                            dependents=facts.dependents(connection),
                            province_in_office=facts.province_in_office(connection))


def commands(unit_of_work: UnitOfWorkFactory) -> CommandRunner[AwardsUnitOfWork]:
    return CommandRunner(unit_of_work, awards_unit_of_work)


def wired_router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    return router(parts, commands(unit_of_work))


SERVICE = ServiceDefinition(
    name="awards",
    title="thidua awards",
    description="Rulebook, eligibility, honouring votes, proposals, council and decisions.",
    migrations=Path(awards.migrations.__file__).parent,
    catalogue={**CATALOGUE, **PAPER_MESSAGES},
    own_events=OWN_EVENTS,
    subscriptions=SUBSCRIPTIONS,
    router=wired_router,
    own_tables=(proposals, votes, freezes, rulebooks, standings),
    consumed_tables=(scores, units, members, target_results, provinces, blocs, bloc_leaders),
    wording=refusal_wording,
)
create_app = SERVICE.create_app
main = SERVICE.main
