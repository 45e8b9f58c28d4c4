"""What the registry service consumes: one subscription per source service, each a FastStream batch subscriber
(see :mod:`thidua_shared.subscriptions`) feeding the projection of that source's events, whose handlers take
each event as its contract model.

The registry reads no other service: it is the source of provinces, units and blocs.
"""

from __future__ import annotations

from collections.abc import Mapping

from thidua_contracts.envelope import Source
from thidua_shared.projection import Projection

SUBSCRIPTIONS: Mapping[Source, Projection] = {}
