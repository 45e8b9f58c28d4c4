"""The event envelope of the public contract (see EVENTS.md in the project's shared folder).

Every event a service stores and publishes is one ``Envelope``. ``payload`` holds the event's own
fields; its model is found by ``event_type`` in :mod:`thidua_contracts`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["registry", "scoring", "awards", "notifications"]
Role = Literal["admin", "bloc_secretary", "unit_officer", "auditor", "subscriber", "system"]


class Actor(BaseModel):
    """Who caused an event: a person acting in a role, maybe for a unit, or a service (role ``system``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    role: Role
    unit_id: str | None = None


class Envelope(BaseModel):
    """One stored, published event. Field meanings are those of the public contract."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: str
    schema_version: int = Field(ge=1)
    province: str = Field(pattern=r"^[A-Z]{2,8}$")
    source: Source
    stream_id: str
    stream_version: int = Field(ge=1)
    position: int = Field(ge=1)
    occurred_at: datetime
    recorded_at: datetime
    actor: Actor
    correlation_id: str
    causation_id: str | None = None
    prev_hash: str
    hash: str
    payload: dict[str, Any]
