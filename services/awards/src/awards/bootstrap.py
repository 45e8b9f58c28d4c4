"""The one wiring point of the awards service."""

from __future__ import annotations

from pathlib import Path

import awards.migrations
from awards.adapters.projections import OWN_EVENTS, REGISTRY_EVENTS, SCORING_EVENTS
from awards.adapters.tables import freezes, members, proposals, rulebooks, scores, units, votes
from awards.domain.messages import CATALOGUE
from awards.entrypoints.api import router
from thidua_shared.service import ServiceDefinition

SERVICE = ServiceDefinition(
    name="awards",
    title="thidua awards",
    description="Rulebook, eligibility, honouring votes, proposals, council and decisions.",
    migrations=Path(awards.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions={"registry": REGISTRY_EVENTS, "scoring": SCORING_EVENTS},
    router=router,
    own_tables=(proposals, votes, freezes, rulebooks),
    consumed_tables=(scores, units, members),
)
create_app = SERVICE.create_app
main = SERVICE.main
