"""The catalogue of the contract: every event type and its payload model.

``EVENT_MODELS`` maps an event type to its payload model. Each model states the source service
that owns it and its current ``schema_version``. Older stored versions are read through
:mod:`thidua_contracts.upcasting`.
"""

from __future__ import annotations

from thidua_contracts import awards, notifications, registry, scoring
from thidua_contracts.base import EventPayload

EVENT_MODELS: dict[str, type[EventPayload]] = {
    model.__name__: model
    for module in (registry, scoring, awards, notifications)
    for model in module.EVENTS
}


def model_for(event_type: str) -> type[EventPayload]:
    """The payload model of ``event_type``; ``KeyError`` if the contract has no such event."""
    return EVENT_MODELS[event_type]

