"""The public event contract of thidua, for the services and for the systems that subscribe to them.

- :class:`Envelope` (with :class:`Actor`): every event as stored and published;
- one immutable pydantic model per event type (:mod:`thidua_contracts.registry`, ``.scoring``,
  ``.awards``, ``.notifications``), found by name in :data:`EVENT_MODELS`;
- :mod:`thidua_contracts.upcasting`: old versions of an event stay readable forever;
- :mod:`thidua_contracts.schemas`: the JSON Schemas and the AsyncAPI document;
- :func:`read_envelope` / :func:`read_event`: check a published message as a subscriber should.

Its only dependency is pydantic.
"""

from __future__ import annotations

from thidua_contracts import upcasters as _upcasters  # noqa: F401 - registers the steps
from thidua_contracts.base import ContractModel, EventPayload
from thidua_contracts.catalog import EVENT_MODELS, model_for
from thidua_contracts.envelope import Actor, Envelope, Role, Source
from thidua_contracts.schemas import asyncapi_document, event_schemas, write_schemas
from thidua_contracts.upcasting import UnreadableEvent, read_payload, upcast, upcaster
from thidua_contracts.wire import InvalidEvent, UnknownEventType, digest, read_envelope, read_event, split_body, wire

__all__ = [
    "EVENT_MODELS",
    "Actor",
    "ContractModel",
    "Envelope",
    "EventPayload",
    "InvalidEvent",
    "Role",
    "Source",
    "UnknownEventType",
    "UnreadableEvent",
    "asyncapi_document",
    "digest",
    "event_schemas",
    "model_for",
    "read_envelope",
    "read_event",
    "read_payload",
    "split_body",
    "upcast",
    "upcaster",
    "wire",
    "write_schemas",
]
