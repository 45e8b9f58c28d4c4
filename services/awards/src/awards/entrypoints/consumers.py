"""What the awards service consumes: one subscription per source service, each a FastStream batch subscriber
(see :mod:`thidua_shared.subscriptions`) feeding the projection of that source's events, whose handlers take
each event as its contract model.

Awards reads the registry's units and memberships and scoring's final scores, rankings and target results (the
facts of eligibility), and the registry's names of the province and its blocs and the blocs' chairs (for the
papers).
"""

from __future__ import annotations

from collections.abc import Mapping

from awards.adapters.projections import REGISTRY_EVENTS, SCORING_EVENTS
from thidua_contracts.envelope import Source
from thidua_shared.projection import Projection

SUBSCRIPTIONS: Mapping[Source, Projection] = {"registry": REGISTRY_EVENTS, "scoring": SCORING_EVENTS}
