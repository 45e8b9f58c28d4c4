"""Old events stay readable forever: stored payloads are never rewritten, they are upcast on read.

An upcaster turns the payload of ``event_type`` at ``from_version`` into the payload at
``from_version + 1``. Reading applies the chain up to the model's current ``schema_version``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua_contracts.base import EventPayload
from thidua_contracts.catalog import model_for

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class UnreadableEvent(ValueError):
    """A stored event whose version has no path to the current model."""


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register ``fn`` as the step from ``from_version`` to ``from_version + 1`` of ``event_type``."""

    def register(fn: Upcaster) -> Upcaster:
        key = (event_type, from_version)
        if key in _UPCASTERS:
            raise ValueError(f"an upcaster for {event_type} v{from_version} is already registered")
        _UPCASTERS[key] = fn
        return fn

    return register


def has_upcaster(event_type: str, from_version: int) -> bool:
    """Whether a step from ``from_version`` of ``event_type`` is registered."""
    return (event_type, from_version) in _UPCASTERS


def registered_upcasters() -> list[tuple[str, int]]:
    """``(event_type, from_version)`` of every registered step, sorted."""
    return sorted(_UPCASTERS)


def upcast(event_type: str, schema_version: int, payload: Payload) -> tuple[int, Payload]:
    """The payload raised to the current schema version of its event type."""
    current = model_for(event_type).schema_version
    version = schema_version
    while version < current:
        step = _UPCASTERS.get((event_type, version))
        if step is None:
            raise UnreadableEvent(f"{event_type} v{version} has no upcaster to v{version + 1}")
        payload = step(payload)
        version += 1
    if version > current:
        raise UnreadableEvent(f"{event_type} v{version} is newer than this code (v{current})")
    return version, payload


def read_payload(event_type: str, schema_version: int, payload: Payload) -> EventPayload:
    """The typed, current payload of a stored or received event."""
    validate = _CURRENT.get((event_type, schema_version))
    if validate is not None:  # stored at the current version: straight to the model (most events, every replay)
        return validate(payload)
    _, current = upcast(event_type, schema_version, payload)
    model = model_for(event_type)
    if schema_version == model.schema_version:
        _CURRENT[(event_type, schema_version)] = model.model_validate
    return model.model_validate(current)


_CURRENT: dict[tuple[str, int], Callable[[Payload], EventPayload]] = {}
"""``model_validate`` of each event type, by ``(event_type, current schema_version)``, as it is first read."""
