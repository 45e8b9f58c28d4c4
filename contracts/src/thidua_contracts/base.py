from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from thidua_contracts.envelope import Source

STRICT = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
"""Immutable, no unknown fields, no NaN or infinity (JSON cannot carry them: they would turn into
null in the log and make the event unreadable)."""


class ContractModel(BaseModel):
    """Base of the models nested in event payloads."""

    model_config = STRICT


class EventPayload(BaseModel):
    """Base of every event payload: immutable, strict about unknown fields.

    ``source`` names the service that owns the event; ``schema_version`` is the version this model
    describes. An event is named in the past tense after what happened.
    """

    model_config = STRICT

    source: ClassVar[Source]
    schema_version: ClassVar[int] = 1

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__
