"""The one wiring point of the registry service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

import registry.migrations
from registry.adapters.accounts import SqlCredentials
from registry.adapters.passwords import Argon2Passwords
from registry.adapters.projections import OWN_EVENTS
from registry.adapters.queries import SqlBlocsOfUnit
from registry.adapters.tables import (
    accounts,
    blocs,
    handovers,
    leadership,
    lineage,
    memberships,
    province_lineage,
    provinces,
    supervisors,
    units,
)
from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.messages import CATALOGUE
from registry.entrypoints.api import router
from registry.entrypoints.consumers import SUBSCRIPTIONS
from thidua_shared.clock import province_today
from thidua_shared.command_runner import CommandRunner
from thidua_shared.context import CommandContext
from thidua_shared.idempotency import CommandUnitOfWork
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import ServiceDefinition, UnitOfWorkFactory

PASSWORDS = Argon2Passwords()


def registry_unit_of_work(inner: CommandUnitOfWork, context: CommandContext) -> RegistryUnitOfWork:
    """A command's unit of work: the log's, the read model and the password hashes on its connection, the
    provinces' calendar."""
    return RegistryUnitOfWork(inner, context, blocs_of_unit=SqlBlocsOfUnit(inner.connection, context.province),
                              today=province_today, credentials=SqlCredentials(inner.connection, context.province),
                              passwords=PASSWORDS)


def commands(unit_of_work: UnitOfWorkFactory) -> CommandRunner[RegistryUnitOfWork]:
    return CommandRunner(unit_of_work, registry_unit_of_work)


def wired_router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    return router(parts, commands(unit_of_work))


SERVICE = ServiceDefinition(
    name="registry",
    title="thidua registry",
    description="Provinces, units, blocs, membership over time, chairs.",
    migrations=Path(registry.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions=SUBSCRIPTIONS,
    router=wired_router,
    own_tables=(units, blocs, memberships, leadership, provinces, supervisors, handovers, lineage,
                province_lineage, accounts),
)
create_app = SERVICE.create_app
main = SERVICE.main
