"""The one wiring point of the notifications service."""

from __future__ import annotations

from pathlib import Path

import notifications.migrations
from notifications.adapters.projections import OWN_EVENTS
from notifications.adapters.tables import notifications as sent_notifications
from notifications.domain.messages import CATALOGUE
from notifications.entrypoints.api import router
from notifications.entrypoints.consumers import SUBSCRIPTIONS
from thidua_shared.service import ServiceDefinition

SERVICE = ServiceDefinition(
    name="notifications",
    title="thidua notifications",
    description="Tells units, blocs and subscribing systems what happened.",
    migrations=Path(notifications.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions=SUBSCRIPTIONS,
    router=router,
    own_tables=(sent_notifications,),
)
create_app = SERVICE.create_app
main = SERVICE.main
