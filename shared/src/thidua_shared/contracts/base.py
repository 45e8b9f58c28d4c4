from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from thidua_shared.envelope import Source


class EventPayload(BaseModel):
    """Base of every event payload: immutable, strict about unknown fields.

    ``source`` names the service that owns the event; ``schema_version`` is the version this model
    describes. An event is named in the past tense after what happened.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: ClassVar[Source]
    schema_version: ClassVar[int] = 1

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__
