"""What the scoring service consumes: one subscription per source service, each a FastStream batch subscriber
(see :mod:`thidua_shared.subscriptions`) feeding the projection of that source's events, whose handlers take
each event as its contract model.

Scoring reads the registry's units, blocs and memberships (who may be scored in a bloc-year).
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.adapters.projections import REGISTRY_EVENTS
from thidua_contracts.envelope import Source
from thidua_shared.projection import Projection

SUBSCRIPTIONS: Mapping[Source, Projection] = {"registry": REGISTRY_EVENTS}
