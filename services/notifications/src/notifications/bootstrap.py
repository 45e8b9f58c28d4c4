"""The one wiring point of the notifications service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

import notifications.migrations
from notifications.adapters.directory import DIRECTORY_TABLES
from notifications.adapters.projections import OWN_EVENTS
from notifications.adapters.settings_store import notification_settings
from notifications.adapters.tables import notifications as sent_notifications
from notifications.adapters.waiting import waiting_events
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.messages import CATALOGUE
from notifications.entrypoints.api import router
from notifications.entrypoints.consumers import SUBSCRIPTIONS
from notifications.entrypoints.settings import settings_router
from thidua_shared.command_runner import CommandRunner
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import ServiceDefinition, UnitOfWorkFactory


def wired_router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    """The notifications routes, and the settings' routes with their commands."""
    routes = APIRouter()
    routes.include_router(router(parts, unit_of_work))
    routes.include_router(settings_router(parts, CommandRunner(unit_of_work, NotificationsUnitOfWork)))
    return routes


SERVICE = ServiceDefinition(
    name="notifications",
    title="thidua notifications",
    description="Tells units, blocs and subscribing systems what happened.",
    migrations=Path(notifications.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions=SUBSCRIPTIONS,
    router=wired_router,
    own_tables=(sent_notifications, notification_settings),
    consumed_tables=(*DIRECTORY_TABLES, waiting_events),
)
create_app = SERVICE.create_app
main = SERVICE.main
