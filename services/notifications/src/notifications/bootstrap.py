"""The one wiring point of the notifications service."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

import notifications.migrations
from notifications.adapters.deliveries import SqlDeliveryQueue, delivery_attempts, webhook_subscriptions
from notifications.adapters.directory import DIRECTORY_TABLES
from notifications.adapters.projections import OWN_EVENTS
from notifications.adapters.settings_store import notification_settings
from notifications.adapters.tables import notifications as sent_notifications
from notifications.adapters.waiting import waiting_events
from notifications.adapters.webhooks import WebhookKey
from notifications.adapters.worker import DeliveryWorker
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.messages import CATALOGUE
from notifications.entrypoints.api import router
from notifications.entrypoints.consumers import SUBSCRIPTIONS
from notifications.entrypoints.settings import settings_router
from notifications.entrypoints.subscriptions import subscriptions_router
from thidua_shared.command_runner import CommandRunner
from thidua_shared.context import CommandContext
from thidua_shared.idempotency import CommandUnitOfWork
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import ServiceDefinition, UnitOfWorkFactory
from thidua_shared.supervision import Body


def bound(inner: CommandUnitOfWork, context: CommandContext) -> NotificationsUnitOfWork:
    """A command's unit of work, with the delivery queue in its transaction."""
    return NotificationsUnitOfWork(inner, context, SqlDeliveryQueue(inner.connection))


def wired_router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    """The notifications routes, and the settings' and subscriptions' routes with their commands."""
    commands = CommandRunner(unit_of_work, bound)
    routes = APIRouter()
    routes.include_router(router(parts, unit_of_work))
    routes.include_router(settings_router(parts, commands))
    routes.include_router(subscriptions_router(parts, commands, WebhookKey.at(parts.settings.data_dir)))
    return routes


def workers(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> list[tuple[str, Body]]:
    """The worker that delivers the queued e-mails and webhooks."""
    worker = DeliveryWorker(parts.engine, unit_of_work, WebhookKey.at(parts.settings.data_dir),
                            metrics=parts.metrics.registry)
    return [("deliveries", worker.run)]


SERVICE = ServiceDefinition(
    name="notifications",
    title="thidua notifications",
    description="Tells units, blocs and subscribing systems what happened.",
    migrations=Path(notifications.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions=SUBSCRIPTIONS,
    router=wired_router,
    own_tables=(sent_notifications, notification_settings, webhook_subscriptions, delivery_attempts),
    consumed_tables=(*DIRECTORY_TABLES, waiting_events),
    workers=workers,
)
create_app = SERVICE.create_app
main = SERVICE.main
