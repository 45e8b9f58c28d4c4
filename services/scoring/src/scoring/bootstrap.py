"""The one wiring point of the scoring service."""

from __future__ import annotations

from pathlib import Path

import scoring.migrations
from scoring.adapters.projections import OWN_EVENTS, REGISTRY_EVENTS
from scoring.adapters.tables import (
    assessments,
    blocs,
    lineage,
    members,
    rankings,
    scores,
    scoring_tables,
    targets,
    units,
)
from scoring.domain.messages import CATALOGUE
from scoring.entrypoints.api import router
from thidua_shared.service import ServiceDefinition

SERVICE = ServiceDefinition(
    name="scoring",
    title="thidua scoring",
    description="Scoring tables, assessments, final scores and ranking per bloc-year.",
    migrations=Path(scoring.migrations.__file__).parent,
    catalogue=CATALOGUE,
    own_events=OWN_EVENTS,
    subscriptions={"registry": REGISTRY_EVENTS},
    router=router,
    own_tables=(scores, scoring_tables, assessments, rankings, targets),
    consumed_tables=(units, blocs, members, lineage),
)
create_app = SERVICE.create_app
main = SERVICE.main
