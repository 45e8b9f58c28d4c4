"""What the notifications service consumes: one subscription per source service, each a FastStream batch subscriber
(see :mod:`thidua_shared.subscriptions`) feeding the projection of that source's events, whose handlers take
each event as its contract model.

Notifications follows the registry's and awards' names, contacts, blocs, forms and proposals in its directory,
and tells people of the elections of the registry, the rankings of scoring and the votes, proposals and decisions
of awards.
"""

from __future__ import annotations

from collections.abc import Mapping

from notifications.adapters.projections import AWARDS_EVENTS, REGISTRY_EVENTS, SCORING_EVENTS
from thidua_contracts.envelope import Source
from thidua_shared.projection import Projection

SUBSCRIPTIONS: Mapping[Source, Projection] = {"registry": REGISTRY_EVENTS, "awards": AWARDS_EVENTS,
                                              "scoring": SCORING_EVENTS}
