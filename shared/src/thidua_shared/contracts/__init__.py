"""The authoritative event contract: one pydantic model per event type.

``EVENT_MODELS`` maps an event type to its payload model. Each model states the source service
that owns it and its current ``schema_version``. Older stored versions are read through
:mod:`thidua_shared.upcasting`.
"""

from __future__ import annotations

from thidua_shared.contracts import awards, notifications, registry, scoring
from thidua_shared.contracts.base import EventPayload

EVENT_MODELS: dict[str, type[EventPayload]] = {
    model.__name__: model
    for module in (registry, scoring, awards, notifications)
    for model in module.EVENTS
}


def model_for(event_type: str) -> type[EventPayload]:
    """The payload model of ``event_type``; ``KeyError`` if the contract has no such event."""
    return EVENT_MODELS[event_type]


__all__ = ["EVENT_MODELS", "EventPayload", "model_for"]
