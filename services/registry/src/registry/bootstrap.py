"""The one wiring point of the registry service."""

from __future__ import annotations

from pathlib import Path

import registry.migrations
from registry.adapters.projections import OWN_EVENTS
from registry.adapters.tables import (
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
from registry.domain.messages import CATALOGUE
from registry.entrypoints.api import router
from thidua_shared.service import ServiceDefinition

SERVICE = ServiceDefinition(
    name="registry",
    title="thidua registry",
    description="Provinces, units, blocs, membership over time, chairs.",
    migrations=Path(registry.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions={},
    router=router,
    own_tables=(units, blocs, memberships, leadership, provinces, supervisors, handovers, lineage,
                province_lineage),
)
create_app = SERVICE.create_app
main = SERVICE.main
